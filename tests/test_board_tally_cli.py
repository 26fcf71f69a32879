"""`charter board-meeting plan` and `charter board-tally` on the example ledger, whose
stakeholders include four directors (r.ashworth, d.okafor, e.whitford, g.hollis): quorum and
the act of the board (Bylaws Art. III §7-§8), and bad minutes as one sentence each."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from charter.rules.board_meetings import board_meeting_plan
from charter.terms.model import TermsSet
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLE

BALLOTS = """\
date: 1999-10-15
present: [{present}]
items: [budget]
ballots:
{ballots}
"""


def minutes(tmp_path: Path, present: list[str], ballots: list[tuple[str, str, str]]) -> Path:
    f = tmp_path / "minutes.yaml"
    f.write_text(
        BALLOTS.format(
            present=", ".join(present),
            ballots="\n".join(f"  - {{director: {d}, item: {i}, vote: {v}}}" for d, i, v in ballots)
            or "  []",
        )
    )
    return f


def board_tally(capsys: pytest.CaptureFixture[str], f: Path) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(capsys, "board-tally", str(f), "--ledger", str(EXAMPLE), "--json")
    return code, (json.loads(out) if code == 0 else {}), err


THREE = ["r.ashworth", "d.okafor", "e.whitford"]


def test_bylaws_art_iii_8_board_tally_majority_of_those_present(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Whole board 4: quorum more than 4/2 = 2, i.e. 3. Three present: the act needs more
    than 3/2 = 1.5, i.e. 2. Two for and one against: passed, by exactly the line."""
    f = minutes(
        tmp_path,
        THREE,
        [
            ("r.ashworth", "budget", "for"),
            ("d.okafor", "budget", "for"),
            ("e.whitford", "budget", "against"),
        ],
    )
    code, data, err = board_tally(capsys, f)
    assert code == 0, err
    assert data["whole_board"] == 4
    assert data["quorum"] == {"needed": 3, "present": 3, "met": True}
    [item] = data["items"]
    assert item == {
        "id": "budget",
        "present": 3,
        "for": 2,
        "against": 1,
        "abstain_or_not_voting": 0,
        "needed": 2,
        "passed": True,
    }
    assert "Bylaws Art. III §8" in data["citations"]


def test_bylaws_art_iii_8_one_for_and_an_abstention_is_not_the_act_of_the_board(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Three present, one for, one abstains, one silent: 1 < 2 needed, failed; the abstainer
    and the silent director count as present (3 - 1 - 0 = 2 not for or against)."""
    f = minutes(
        tmp_path, THREE, [("r.ashworth", "budget", "for"), ("d.okafor", "budget", "abstain")]
    )
    code, data, _ = board_tally(capsys, f)
    [item] = data["items"]
    assert code == 0 and item["passed"] is False
    assert (item["for"], item["abstain_or_not_voting"], item["needed"]) == (1, 2, 2)


def test_bylaws_art_iii_8_two_of_four_is_no_quorum(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two of four present: 2 is not more than half of 4, no quorum; unanimity of those two
    does not make an act of the board."""
    f = minutes(
        tmp_path,
        ["r.ashworth", "d.okafor"],
        [("r.ashworth", "budget", "for"), ("d.okafor", "budget", "for")],
    )
    code, data, _ = board_tally(capsys, f)
    assert code == 0
    assert data["quorum"] == {"needed": 3, "present": 2, "met": False}
    assert data["items"][0]["passed"] is False


@pytest.mark.parametrize(
    ("present", "ballots", "sentence"),
    [
        (
            THREE,
            [("r.ashworth", "budget", "for"), ("r.ashworth", "budget", "against")],
            "ballots.1: r.ashworth votes twice on budget.",
        ),
        ([*THREE, "s.chen"], [], "present: s.chen is not a director."),
        (
            THREE,
            [("nobody", "budget", "for")],
            "budget: nobody votes on budget but is not a director.",
        ),
        (
            THREE,
            [("g.hollis", "budget", "for")],
            "budget: g.hollis votes on budget but is not present.",
        ),
        (THREE, [("r.ashworth", "dinner", "for")], "ballots.0: dinner is not one of the items."),
        ([*THREE, "d.okafor"], [], "present: d.okafor is listed twice."),
    ],
)
def test_board_tally_bad_minutes_one_sentence_exit_1(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    present: list[str],
    ballots: list[tuple[str, str, str]],
    sentence: str,
) -> None:
    f = minutes(tmp_path, present, ballots)
    code, out, err = run_cli(capsys, "board-tally", str(f), "--ledger", str(EXAMPLE), "--json")
    assert code == 1
    assert err.strip() == f"{f}: {sentence}"
    assert out == ""


def test_board_tally_vote_not_for_against_or_abstain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = minutes(tmp_path, THREE, [("r.ashworth", "budget", "maybe")])
    code, out, err = run_cli(capsys, "board-tally", str(f), "--ledger", str(EXAMPLE))
    assert code == 1 and out == ""
    assert f"{f}: ballots.0.vote: Input should be 'for', 'against' or 'abstain'." in err
    assert "Traceback" not in err


def test_bylaws_art_iii_7_board_meeting_plan_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`charter board-meeting plan`: 1 March 2000 10:00 (a leap year): mail by 28 February,
    in person by 28 February 10:00; four directors: quorum 3."""
    code, out, err = run_cli(
        capsys,
        "board-meeting",
        "plan",
        "--at",
        "2000-03-01T10:00",
        "--ledger",
        str(EXAMPLE),
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["notice_by_mail_by"], data["notice_in_person_by"]) == (
        "2000-02-28",
        "2000-02-28T10:00:00",
    )
    assert (data["whole_board"], data["quorum"]) == (4, 3)
    assert data["citations"] == ["Bylaws Art. III §7", "Bylaws Art. III §8"]


def test_bylaws_art_iii_7_citation_is_read_from_the_terms(quintus: TermsSet) -> None:
    """The plan cites whatever the bylaws data names for special meetings, not a string in the
    rule: give the data another citation and the plan follows it."""
    board = quintus.bylaws.board.model_copy(update={"special_meetings_citation": "By-law 7"})
    bylaws = quintus.bylaws.model_copy(update={"board": board})
    p = board_meeting_plan(bylaws, dt.datetime(2000, 3, 1, 10), 5)
    assert p.citations[0] == "By-law 7"


def test_bylaws_art_iii_11_committee_citation_from_the_terms(
    capsys: pytest.CaptureFixture[str], quintus: TermsSet
) -> None:
    code, out, err = run_cli(
        capsys, "approvals", "--action", "declare_dividend", "--ledger", str(EXAMPLE)
    )
    assert code == 0, err
    assert f"({quintus.bylaws.board.committee_citation})." in " ".join(out.split())
