"""The `meeting_result` ledger event: the ballots of a stockholder meeting, decided on replay
by the rule of `charter tally` (Bylaws Art. II §2, §7-§10), kept in the state and listed by
`charter meeting results`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from charter.ledger.fileformat import parse_event
from charter.replay import apply_entry
from charter.rules.tally import recorded_meetings
from charter.state.model import State
from charter.state.rejection import Rejected
from charter.terms.model import TermsSet
from tests.builders import state_with
from tests.cli_helpers import run_cli

HOLD = {"p": {"common": 500}, "q": {"common": 300}, "r": {"common": 200}}


def meeting(*ballots: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"date": "2000-03-15", "type": "meeting_result", "id": "annual-2000",
            "items": [{"id": "plan"}, {"id": "board", "kind": "election", "seats": 1}],
            "ballots": list(ballots), **more}  # fmt: skip


def apply(st: State, raw: dict[str, Any]) -> None:
    entry, problems = parse_event(raw, 0)
    assert not problems and entry is not None, problems
    apply_entry(st, entry)


def test_bylaws_art_ii_8_9_meeting_recorded_with_quorum_and_items(quintus: TermsSet) -> None:
    """Common only, one vote a share: p 500 for, q 300 against: 800 of 1,000 votes present, a
    quorum (50% is 500, §8). A majority of the 800 present is more than 400: 401 (§9); 500
    passes. One seat: p's 500 for x, q's 300 for y: x elected by plurality (§2)."""
    st = state_with(quintus, HOLD)
    apply(
        st,
        meeting(
            {"holder": "p", "item": "plan", "vote": "for"},
            {"holder": "q", "item": "plan", "vote": "against"},
            {"holder": "p", "item": "board", "candidates": ["x"]},
            {"holder": "q", "item": "board", "candidates": ["y"]},
        ),
    )
    [m] = recorded_meetings(st)
    assert (m["event"], m["date"], m["kind"]) == ("annual-2000", "2000-03-15", "annual")
    assert m["quorum"] | {"needed": 500, "present": 800, "met": True} == m["quorum"]
    plan, board = m["items"]
    assert (plan["for"], plan["against"], plan["needed"], plan["passed"]) == (500, 300, 401, True)
    assert (board["elected"], board["passed"]) == (["x"], True)


def test_bylaws_art_ii_8_a_meeting_without_quorum_is_recorded_deciding_nothing(
    quintus: TermsSet,
) -> None:
    """q alone: 300 of 1,000 votes present, below the 500 of a quorum (§8): recorded,
    nothing passes."""
    st = state_with(quintus, HOLD)
    apply(st, meeting({"holder": "q", "item": "plan", "vote": "for"}))
    [m] = recorded_meetings(st)
    assert m["quorum"] | {"needed": 500, "present": 300, "met": False} == m["quorum"]
    assert m["items"][0]["passed"] is False


@pytest.mark.parametrize(
    ("raw", "field", "sentence"),
    [
        (meeting({"holder": "ghost", "item": "plan", "vote": "for"}), "ballots.0",
         "ghost holds no stock entitled to vote on plan"),
        (meeting({"holder": "p", "item": "nope", "vote": "for"}), "ballots.0",
         "'nope' is not an item of the meeting"),
        (meeting({"holder": "p", "item": "plan", "vote": "for"}, kind="special",
                 noticed=["board"]), "items.0", "'plan' was not among the purposes stated"),
        # Art. VI §5: 60 days before 2000-03-15 is 2000-01-15 (31 - 15 + 29 + 15 = 60), 10 days
        # before it 2000-03-05
        (meeting(record_date="2000-03-16"), "record_date",
         "is not between 2000-01-15 and 2000-03-05"),
        (meeting(record_date="2000-03-06"), "record_date",
         "is not between 2000-01-15 and 2000-03-05"),
        (meeting(record_date="2000-01-14"), "record_date",
         "is not between 2000-01-15 and 2000-03-05"),
        # the state is as of 1 October 1999
        (meeting(record_date="1999-09-30", date="1999-11-15"), "record_date",
         "already records events to 1999-10-01"),
    ],
)  # fmt: skip
def test_bad_meetings_are_one_sentence_and_nothing_kept(
    quintus: TermsSet, raw: dict[str, Any], field: str, sentence: str
) -> None:
    st = state_with(quintus, HOLD)
    with pytest.raises(Rejected) as r:
        apply(st, raw)
    assert sentence in r.value.message and r.value.field == field
    assert st.meeting_results == []


MEETING = """\
- date: 1999-11-15
  type: meeting_result
  id: special-1999
  kind: special
  noticed: [plan]
  items: [{id: plan}]
  ballots:
    - {holder: r.ashworth, item: plan, vote: for}
"""


def test_cli_record_a_meeting_and_list_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Recorded through `charter record`, listed by `charter meeting results --json` with the
    tally's own shape; a ballot of a stranger is refused, nothing written."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(MEETING.replace("r.ashworth", "nobody"))
    code, _, err = run_cli(capsys, "record", str(bad), "--db", db)
    assert code != 0 and "nobody holds no stock entitled to vote on plan" in err
    assert json.loads(run_cli(capsys, "meeting", "results", "--db", db, "--json")[1]) == []
    good = tmp_path / "good.yaml"
    good.write_text(MEETING)
    assert run_cli(capsys, "record", str(good), "--db", db)[0] == 0
    code, out, _ = run_cli(capsys, "meeting", "results", "--db", db, "--json")
    [m] = json.loads(out)
    assert (m["event"], m["kind"], [i["id"] for i in m["items"]]) == (
        "special-1999",
        "special",
        ["plan"],
    )
    code, out, _ = run_cli(capsys, "meeting", "results", "--db", db)
    assert code == 0 and "1999-11-15 special meeting special-1999" in out
