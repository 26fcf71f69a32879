"""Issue 16, one way of naming: what a table command prints names a class by its name in the
certificate (`Series A Preferred Stock`, never `series_a`), and a holder by name with the id
a command takes beside it in parentheses (`Daniel Okafor (d.okafor)`); an action by its
sentence. A raw class id is allowed only where it is shown for typing: in parentheses."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from charter.ledger_file import read_ledger_file
from tests.cli_helpers import run_cli
from tests.test_cli_widths import COMMANDS, LEDGER, rendered

NAMED = [
    *COMMANDS,
    ["tally", "examples/ballots/tally.yaml"],
]


def class_ids() -> dict[str, str]:
    """Quintus's classes whose id is not a word of English (`series_a`, not `common`, which
    the sentences use as a word): id -> name."""
    state = read_ledger_file(Path(LEDGER)).state()
    return {c.id: c.name for c in state.certificate.classes if "_" in c.id}


@pytest.mark.parametrize("args", NAMED, ids=lambda a: a[0])
def test_tables_name_classes_by_name_not_id(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    text = rendered(capsys, args, None)
    for cid in class_ids():
        bare = re.compile(rf"(?<![\w(.-]){re.escape(cid)}(?![\w).-])")
        found = [line for line in text.splitlines() if bare.search(line)]
        assert not found, (cid, found[:3])


def test_tally_says_the_action_and_who_approves_by_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """examples/ballots/tally.yaml amends the bylaws (an action of the terms): the line says
    the action's sentence, the approval names the classes, and the director elected is named
    with the id a command takes."""
    from charter.cli import tally

    screen = io.StringIO()  # the module's console (bound when first imported, maybe patched)
    monkeypatch.setattr(tally, "console", Console(file=screen, width=200, color_system=None))
    code, _, err = run_cli(capsys, "tally", "examples/ballots/tally.yaml", "--ledger", LEDGER)
    assert code == 0, err
    text = " ".join(screen.getvalue().split())
    assert (
        "amend-bylaws (Adopt, amend or repeal bylaws, by the board or by the stockholders)" in text
    )
    assert "the holders of Common Stock, Series A Preferred Stock," in text
    assert "elected Daniel Okafor (d.okafor)" in text
    assert "amend_bylaws" not in text
