"""Blank-check preferred after the offering (Post-IPO Art. IV): the board designates a series
out of the 10,000,000 authorized undesignated preferred, without a stockholder vote, and the
company may then issue it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from charter.errors import CharterError
from charter.ledger.events import Stakeholder
from charter.replay import initial_state, replay
from charter.rules.captable import captable, captable_json
from charter.state.cached import restore, snapshot
from charter.state.model import State
from charter.terms.loader import load_builtin
from tests.cli_helpers import run_cli
from tests.transfer_helpers import BASE, PEOPLE, entries, ipo, run

# The offering at $10.00 for $50,000,000 is qualified: the post-IPO certificate (100,000,000
# common, 10,000,000 preferred "undesignated") is in force from 15 Feb 2000.
OFFERING = ipo("2000-02-15", requested=False)
BOARD = {"date": "2000-06-01", "type": "board_approval", "id": "b-x",
         "approves": ["designate-series:series_x"]}  # fmt: skip
SERIES_X = {"id": "series_x", "name": "Series X Preferred Stock", "authorized": 1_000_000,
            "par_value": "0.001"}  # fmt: skip


def designate(**series: Any) -> dict[str, Any]:
    return {"date": "2000-06-01", "type": "designate_series", "board_approval": "b-x",
            "series": {**SERIES_X, **series}}  # fmt: skip


def test_post_ipo_art_iv_cap_table_shows_the_authorized_preferred() -> None:
    """After the offering, no series is designated: the cap table shows 10,000,000 shares
    of preferred authorized, none outstanding."""
    data = captable_json(captable(run([OFFERING])))
    assert data["undesignated_preferred"] == {"authorized": 10_000_000,
                                              "citation": "Post-IPO Art. IV"}  # fmt: skip
    assert captable_json(captable(run([])))["undesignated_preferred"] is None


def test_post_ipo_art_iv_board_designates_and_the_company_issues_a_series() -> None:
    """The board designates 1,000,000 Series X; 10,000,000 - 1,000,000 = 9,000,000 remain
    undesignated; the company issues 400,000 Series X to fund at $5.00 without a vote."""
    issue = {"date": "2000-06-02", "type": "issue", "holder": "fund", "class": "series_x",
             "shares": 400_000, "price": "5.00"}  # fmt: skip
    s = run([OFFERING, BOARD, designate(), issue])
    data = captable_json(captable(s))
    assert data["classes"]["series_x"]["authorized"] == 1_000_000
    assert data["classes"]["series_x"]["outstanding"] == 400_000
    assert data["undesignated_preferred"]["authorized"] == 9_000_000
    restored = restore(snapshot(s), s.terms, s.stakeholders)
    assert captable(restored) == captable(s)


@pytest.mark.parametrize(
    ("events", "words"),
    [
        ([BOARD, designate()], "has 0 shares of undesignated preferred"),
        ([OFFERING, BOARD, designate(authorized=10_000_001)],
         "has 10,000,000 shares of undesignated preferred; a series of 10,000,001"),
        ([OFFERING, designate()], "no board_approval event with that id"),
        ([OFFERING, {**BOARD, "approves": ["acquisition"]}, designate()],
         "not designate-series:series_x"),
        ([OFFERING, BOARD, designate(id="common")], "already has a class 'common'"),
        ([OFFERING, BOARD, designate(authorized="many")], "not a class of the terms format: authorized"),
    ],
)  # fmt: skip
def test_post_ipo_art_iv_designation_refused(events: list[dict[str, Any]], words: str) -> None:
    """Before the offering the restated certificate has no undesignated preferred; a series
    larger than the 10,000,000; no resolution of the board, or one for something else; a
    class id already used; terms that are not a class."""
    with pytest.raises(CharterError) as err:
        run(events)
    (problem,) = err.value.problems
    assert words in problem.sentence()


def test_post_ipo_art_iv_charter_captable_lists_the_undesignated_preferred(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`charter captable` after the offering has a row for the 10,000,000 preferred, none of
    it designated or outstanding."""
    ledger = tmp_path / "l.yaml"
    ledger.write_text(
        "format: charter-ledger/1\ncompany: {name: X, terms: quintus}\n"
        "stakeholders: [{id: a, name: A}]\nevents:\n"
        "- {date: 1999-08-01, type: issue, holder: a, class: common, shares: 10, price: '1.00'}\n"
        "- {date: 2000-02-15, type: ipo, price: '10.00', gross_proceeds: '50000000.00'}\n"
    )
    code, out, _ = run_cli(capsys, "captable", "--ledger", str(ledger))
    row = next(line for line in out.splitlines() if line.startswith("Preferred"))
    assert code == 0 and "10,000,000" in row


def test_post_ipo_art_iv_designated_series_resized_not_below_outstanding() -> None:
    """Series X (1,000,000) with 400,000 issued: decreased to 600,000, the 400,000 removed
    resume undesignated status: 9,000,000 + 400,000 = 9,400,000 undesignated; decreasing to
    399,999 (below the 400,000 outstanding) or altering its votes is refused."""
    issue = {"date": "2000-06-02", "type": "issue", "holder": "fund", "class": "series_x",
             "shares": 400_000, "price": "5.00"}  # fmt: skip
    resize = {**designate(), "date": "2000-07-01", "series": {"id": "series_x",
              "authorized": 600_000}}  # fmt: skip
    events = [OFFERING, BOARD, designate(), issue]
    s = run([*events, resize])
    data = captable_json(captable(s))
    assert data["classes"]["series_x"]["authorized"] == 600_000
    assert data["undesignated_preferred"]["authorized"] == 9_400_000
    assert s.certificate.stock_class("series_x").name == "Series X Preferred Stock"
    with pytest.raises(CharterError, match="cannot be decreased to 399,999"):
        run([*events, {**resize, "series": {"id": "series_x", "authorized": 399_999}}])
    votes = {"per_common_share": 2, "citation": "x"}
    with pytest.raises(CharterError, match="not its votes"):
        run([*events, {**resize, "series": {"id": "series_x", "authorized": 600_000,
                                            "votes": votes}}])  # fmt: skip


def test_art_iv_b_certificate_authorizing_fewer_than_outstanding_is_refused() -> None:
    """A restated certificate that authorizes 1,999 common while 2,000 are outstanding (BASE:
    seller 1,000, other 400 + 600) is refused: no class may be decreased below the shares
    outstanding (Art. IV.B; DGCL §242(b)(2)); at 2,000 it is adopted."""
    quintus = load_builtin("quintus")
    first = quintus.certificates[0]

    def smaller(n: int) -> State:
        common = first.common.model_copy(update={"authorized": n})
        cert = first.model_copy(
            update={
                "id": "smaller",
                "classes": [common if c.id == common.id else c for c in first.classes],
                "total_authorized": first.total_authorized - first.common.authorized + n,
            }
        )
        terms = quintus.model_copy(update={"certificates": [*quintus.certificates, cert]})
        start = initial_state(terms, [Stakeholder(**p) for p in PEOPLE])
        adopt = {"date": "1999-09-01", "type": "adopt_terms", "terms": "smaller"}
        return replay(terms, [], entries([*BASE, adopt]), state=start)

    with pytest.raises(CharterError, match="2,000 shares of common are outstanding, beyond the "
                                           "1,999"):  # fmt: skip
        smaller(1_999)
    assert smaller(2_000).certificate.id == "smaller"
