"""The governance commands as a user runs them: JSON per spec/cli-contract.md, and bad input
as one sentence with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from charter.explain import render_markdown
from tests.conftest import EXAMPLE, ROOT


def charter(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from charter.cli import main; sys.argv = ['charter', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--ledger", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_votes_json_has_the_contract_fields() -> None:
    """The example's Series A (8,850,000 shares, 1:1, 10 votes) has 88,500,000 votes."""
    r = charter("votes", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"holders", "classes", "total", "preferred_total", "voting_shift_period"} <= set(data)
    assert data["classes"]["series_a"] == 88_500_000
    assert data["total"] == sum(data["classes"].values())


def test_meeting_plan_json_matches_the_contract_example_dates() -> None:
    """15 March 2000: notice 15 January to 5 March (worked in test_meetings)."""
    r = charter("meeting", "plan", "--kind", "annual", "--date", "2000-03-15", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["notice_window"] == {"first": "2000-01-15", "last": "2000-03-05"}
    assert data["record_date_window"] == {"earliest": "2000-01-15", "latest": "2000-03-05"}
    assert data["list_ready_by"] == "2000-03-05"
    assert data["written_consent_allowed"] is True


def test_unknown_action_exits_non_zero_with_a_sentence() -> None:
    r = charter("approvals", "--action", "buy_a_yacht")
    assert r.returncode == 1
    assert "'buy_a_yacht' is not an action" in r.stderr
    assert "Traceback" not in r.stderr


def test_votes_file_with_a_non_holder(tmp_path: Path) -> None:
    f = tmp_path / "v.yaml"
    f.write_text("for: [nobody]\nagainst: []\n")
    r = charter("approvals", "--action", "merger", "--votes", str(f))
    assert r.returncode == 1
    assert "nobody holds no stock and is not a director" in r.stderr


def test_docs_interpretations_is_current() -> None:
    assert (ROOT / "docs" / "interpretations.md").read_text() == render_markdown()
