"""Art. IV.B.3(d)(ii)(D)-(G): the exceptions to "Additional Stock" that need the board's
approval are claimed with a reference to a recorded `board_approval` (Bylaws Art. III §8-§9).

The base company of tests/ledgers/builder.py: 1,000,000 common and 1,000,000 Series A at $1.00
(Purchase Date 2000-02-01); Conversion Price $1.00. `founder` is the only director."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from charter.errors import CharterError
from charter.ledger.store import Store
from charter.service import load_ledger
from charter.state.model import State
from tests.ledgers.builder import BASE, PEOPLE, grant, issue, run


def approval(approves: list[str], aid: str = "bd-1", **kw: object) -> dict[str, object]:
    return {"date": "2000-02-20", "type": "board_approval", "id": aid, "approves": approves, **kw}


VENDOR = issue("2000-03-01", "bank", "common", 500_000, "0.50", id="iss-v",
               exclusion="vendor-or-customer", board_approval="bd-1")  # fmt: skip


def cp(state: State) -> Fraction:
    return state.conversion_prices.get("series_a", Fraction(1))


def test_art_iv_b_3d_ii_e_vendor_issue_approved_by_the_board_is_not_additional_stock() -> None:
    """500,000 common at $0.50 to a vendor, approved by the board at its meeting of
    2000-02-20: excepted by (E), so no adjustment (CP stays $1.00). The same issue as
    Additional Stock would give CP2 = 1.00 x (2,000,000 + 250,000) / (2,000,000 + 500,000)
    = 0.90 (3(d)(i)(A)); the shares still count in A afterwards (1,500,000 common)."""
    s = run([*BASE, approval(["vendor-or-customer"]), VENDOR])
    assert cp(s) == 1 and "series_a" not in s.price_history
    assert s.outstanding["common"] == 1_500_000
    unexcepted = dict(VENDOR)
    del unexcepted["exclusion"], unexcepted["board_approval"]
    assert cp(run([*BASE, unexcepted])) == Fraction(9, 10)


def test_art_iv_b_3d_ii_d_acquisition_by_unanimous_written_consent() -> None:
    """(D): 300,000 common issued for a business acquired, the board approving by the written
    consent of its only director (Bylaws Art. III §9): no adjustment."""
    acquired = issue("2000-03-01", "f2", "common", 300_000, "0.10", exclusion="acquisition",
                     board_approval="bd-1")  # fmt: skip
    s = run(
        [*BASE, approval(["acquisition"], by="written_consent", consents=["founder"]), acquired]
    )
    assert cp(s) == 1


def test_art_iv_b_3d_ii_g_warrant_for_securities_excluded_under_d_to_f() -> None:
    """(G): a warrant for 100,000 common at $0.20 given to a lessor with the lease financing
    the board approved under (F): no adjustment. Without a board approval of one of (D)-(F)
    the claim is refused."""
    w = grant("2000-03-01", "w-lease", "bank", 100_000, "0.20",
              exclusion="rights-to-excluded", board_approval="bd-1")  # fmt: skip
    assert cp(run([*BASE, approval(["lease-financing"]), w])) == 1
    with pytest.raises(CharterError, match="approves employee-plan, not acquisition or"):
        run([*BASE, approval(["employee-plan"]), w])


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [*BASE, {k: v for k, v in VENDOR.items() if k != "board_approval"}],
            r"issue iss-v claims exception vendor-or-customer \(Art. IV.B.3\(d\)\(ii\)\(E\)\), "
            r"but it names no approval of the board: record the board's resolution",
        ),
        ([*BASE, VENDOR], "names board approval 'bd-1', but no board_approval event"),
        (
            [*BASE, approval(["lease-financing"]), VENDOR],
            "board approval bd-1 approves lease-financing, not vendor-or-customer",
        ),
        (
            [*BASE, VENDOR, dict(approval(["vendor-or-customer"]), date="2000-03-01")],
            "no board_approval event with that id is recorded before it",
        ),
    ],
    ids=["no-approval", "unknown-approval", "approves-something-else", "approved-after"],
)
def test_art_iv_b_3d_ii_e_claim_without_the_boards_approval_refused(
    events: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(CharterError, match=message):
        run(events)


def test_bylaws_art_iii_9_written_consent_of_the_board_needs_every_director() -> None:
    """Only `founder` is a director: a consent signed by `f1` (not a director) or by nobody is
    refused; signatures on a meeting's resolution are refused as a mix-up."""
    with pytest.raises(CharterError, match="f1 signed the written consent but is not a director"):
        run([*BASE, approval(["acquisition"], by="written_consent", consents=["f1"])])
    with pytest.raises(CharterError, match="only if every director signs it; founder did not"):
        run([*BASE, approval(["acquisition"], by="written_consent")])
    with pytest.raises(CharterError, match="a resolution adopted at a meeting has none"):
        run([*BASE, approval(["acquisition"], consents=["founder"])])


def test_art_iv_b_3d_ii_e_refused_claim_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "board.yaml"
    doc = {
        "format": "charter-ledger/1",
        "company": {"name": "Board Co", "terms": "quintus"},
        "stakeholders": [{"id": k, "name": k, "relations": v} for k, v in PEOPLE.items()],
        "events": [*BASE, approval(["lease-financing"])],
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    s = load_ledger(store, path)
    before = store.last_sequence(s.company)
    with pytest.raises(CharterError, match="approves lease-financing, not vendor-or-customer"):
        s.append([VENDOR])
    assert store.last_sequence(s.company) == before
