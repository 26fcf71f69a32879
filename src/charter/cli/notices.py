"""`charter notices`: notices of record date owed to the preferred (Art. IV.B.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    deferred,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show

if TYPE_CHECKING:
    from charter.rules import notices as notices_rules
else:
    notices_rules = deferred("charter.rules.notices")


def notices(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What must be mailed to whom by when."""
    s = session(ledger, db, company)
    found = notices_rules.record_date_notices(s.state(parse_date(as_of)))
    if json_out:
        print_json(notices_rules.notices_json(found))
        return
    if not found:
        console.print("No notices of record date are required.")
        return
    t = Table("event", "what", "record date", "mail by", "to", "clause")
    for n in found:
        late = "" if n.on_time_possible else " (declared too late)"
        t.add_row(
            n.event,
            n.character,
            n.record_date.isoformat(),
            n.mail_by.isoformat() + late,
            ", ".join(n.to),
            n.citation,
        )
    show(t)
