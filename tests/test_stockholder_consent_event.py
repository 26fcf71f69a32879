"""The `stockholder_consent` ledger event: a written consent of stockholders taking a corporate
action without a meeting (Bylaws Art. II §11; DGCL §228), checked on replay by the rule of
`charter consent` and kept in the state; `charter approvals` lists those recorded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from charter.ledger.fileformat import parse_event
from charter.replay import apply_entry
from charter.state.model import State
from charter.state.rejection import Rejected
from charter.terms.model import TermsSet
from tests.builders import state_with
from tests.cli_helpers import run_cli

D = dt.date


def consent(action: str = "merger", date: str = "2000-01-10", **signed: str) -> dict[str, Any]:
    return {"date": date, "type": "stockholder_consent", "id": "sc-1", "action": action,
            "consents": signed}  # fmt: skip


def apply(st: State, raw: dict[str, Any]) -> None:
    entry, problems = parse_event(raw, 0)
    assert not problems and entry is not None, problems
    apply_entry(st, entry)


def common_600_400(quintus: TermsSet, **more: Any) -> State:
    """Common p 600, q 400 (no preferred outstanding, so Art. IV.B.6(b) is not asked)."""
    return state_with(quintus, {"p": {"common": 600}, "q": {"common": 400}}, **more)


def test_bylaws_art_ii_11_merger_consent_of_more_than_half_of_all_votes_is_recorded(
    quintus: TermsSet,
) -> None:
    """A merger needs more than half of all 1,000 votes outstanding (DGCL §251(c)), as if all
    were present and voted (Bylaws Art. II §11): 1,000 / 2 = 500, more than that is 501. p's
    600 carry it; the record date is p's signature, 2 January 2000 (DGCL §213(b))."""
    st = common_600_400(quintus)
    apply(st, consent(p="2000-01-02"))
    [c] = st.stockholder_consents
    assert (c.action, c.record_date, c.consents) == ("merger", D(2000, 1, 2), ("p",))
    assert c.approvals == (("stockholders-251c", 600, 501),)


def test_bylaws_art_ii_11_consents_short_of_the_votes_are_refused(quintus: TermsSet) -> None:
    """q's 400 of 1,000 votes: 501 needed. Refused with the clause; nothing kept. (The
    votes are those of every voting class together, none of the preferred outstanding.)"""
    st = common_600_400(quintus)
    with pytest.raises(Rejected) as r:
        apply(st, consent(q="2000-01-02"))
    assert r.value.message == (
        "the consents carry 400 of the 1,000 votes of common, series_a, series_b, series_c, "
        "series_d, series_e, series_f voting together; 501 are needed for stockholders-251c"
    )
    assert (r.value.field, r.value.citation) == ("consents", "DGCL §251(c); DGCL §212(a)")
    assert st.stockholder_consents == [] and st.events_applied == 0


def test_dgcl_228c_a_signature_more_than_sixty_days_after_the_first_is_refused(
    quintus: TermsSet,
) -> None:
    """p 400 signs 1 January 2000, q 400 on 2 March 2000: 31 (January) + 29 (February, a
    leap year) + 1 = 61 days later, more than 60: refused naming q. Signed 1 March (60 days)
    q counts: 400 + 400 = 800 of 1,000 votes, 501 needed."""
    st = state_with(quintus, {"p": {"common": 400}, "q": {"common": 400}, "r": {"common": 200}})
    with pytest.raises(Rejected, match=r"^q signed more than 60 days after the earliest consent"):
        apply(st, consent(date="2000-03-02", p="2000-01-01", q="2000-03-02"))
    assert st.stockholder_consents == []
    apply(st, consent(date="2000-03-01", p="2000-01-01", q="2000-03-01"))
    assert st.stockholder_consents[0].approvals == (("stockholders-251c", 800, 501),)


def test_post_ipo_art_viii_no_written_consent(quintus: TermsSet) -> None:
    """Under the post-IPO certificate the stockholders act only at a meeting."""
    st = common_600_400(quintus, certificate="post-ipo")
    with pytest.raises(Rejected) as r:
        apply(st, consent(p="2000-01-02", q="2000-01-02"))
    assert "may not act by written consent" in r.value.message
    assert r.value.citation is not None and "Post-IPO Art. VIII" in r.value.citation
    assert st.stockholder_consents == []


@pytest.mark.parametrize(
    ("raw", "field", "sentence"),
    [
        (consent(date="2000-01-02", p="2000-01-03"), "consents", "p signed after the consent's"),
        # the state is as of 1 October 1999: a record date before it is past the ledger
        (consent(p="1999-09-30"), "consents", "the consents' record date is 1999-09-30"),
        (consent("no_such_action", p="2000-01-02"), "action", "no_such_action"),
        (consent("declare_dividend", p="2000-01-02"), "action", "needs no approval of the"),
        (consent(ghost="2000-01-02"), "consents", "ghost holds no stock"),
    ],
)
def test_bad_consents_are_one_sentence(
    quintus: TermsSet, raw: dict[str, Any], field: str, sentence: str
) -> None:
    st = common_600_400(quintus)
    with pytest.raises(Rejected) as r:
        apply(st, raw)
    assert sentence in r.value.message and r.value.field == field
    assert st.stockholder_consents == []


SHORT = """\
- {date: 1999-11-03, type: stockholder_consent, id: f-short, action: convert_series_f_by_consent,
   consents: {meridian-growth: 1999-11-01, sandhill-ii: 1999-11-02}}
"""
CARRIES = """\
- {date: 1999-11-03, type: stockholder_consent, id: f-consent, action: convert_series_f_by_consent,
   consents: {northgate-99: 1999-11-01, meridian-growth: 1999-11-02}}
"""


def test_cli_record_a_series_f_consent_and_approvals_lists_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Art. IV.B.3(b)(iii)(B): Series F acts on the written consent of more than half of it.
    Outstanding Series F in the example: northgate-99 1,000,000 + meridian-growth 300,000 +
    sandhill-ii 150,000 = 1,450,000; half is 725,000, so 725,001 are needed. Meridian and
    Sandhill: 450,000, refused, nothing written; Northgate and Meridian: 1,300,000, recorded,
    and `charter approvals --json` lists it under `recorded`."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    before = run_cli(capsys, "history", "--db", db, "--json")[1]
    short = tmp_path / "short.yaml"
    short.write_text(SHORT)
    code, _, err = run_cli(capsys, "record", str(short), "--db", db)
    assert code != 0 and "Traceback" not in err
    assert (
        "consents: the consents carry 450,000 of the 1,450,000 shares of series_f; 725,001 are "
        "needed for consent-3b-iii (Art. IV.B.3(b)(iii)(B))." in " ".join(err.split())
    )
    assert run_cli(capsys, "history", "--db", db, "--json")[1] == before
    good = tmp_path / "good.yaml"
    good.write_text(CARRIES)
    code, out, _ = run_cli(capsys, "record", str(good), "--db", db)
    assert code == 0 and "Recorded 1 event" in out
    code, out, _ = run_cli(
        capsys, "approvals", "--action", "convert_series_f_by_consent", "--db", db, "--json"
    )
    assert code == 0
    [rec] = json.loads(out)["recorded"]
    assert rec["event"] == "f-consent" and rec["record_date"] == "1999-11-01"
    assert rec["consents"] == ["meridian-growth", "northgate-99"]
    assert rec["approvals"] == [{"id": "consent-3b-iii", "for": 1_300_000, "needed": 725_001}]
    code, out, _ = run_cli(capsys, "approvals", "--action", "merger", "--db", db, "--json")
    assert json.loads(out)["recorded"] == []
