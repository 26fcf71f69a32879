"""A name is data: printed on a terminal, console markup or an emoji code in it is shown as
written and styles nothing (a `[link=...]` would otherwise make a clickable link of a
stakeholder's name, a `[/]` end someone else's style)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

HOSTILE = "[link=https://evil.example]Alice[/link] [bold]Feldman[/bold] :smile:"


def test_a_hostile_name_prints_as_written(tmp_path: Path) -> None:
    ledger = tmp_path / "hostile.yaml"
    text = (ROOT / "examples" / "quintus.yaml").read_text(encoding="utf-8")
    assert "name: Alice Feldman" in text
    ledger.write_text(text.replace("name: Alice Feldman", f'name: "{HOSTILE}"'), "utf-8")
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color", "FORCE_COLOR": "1"}
    out = subprocess.run(
        [str(Path(sys.executable).parent / "charter"), "captable", "--ledger", str(ledger)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert HOSTILE in out.stdout  # every bracket and colon as written
    assert "\x1b]8;" not in out.stdout  # no terminal hyperlink was made of it


def test_a_name_with_brackets_prints_as_written_to_a_file(tmp_path: Path) -> None:
    """Piped to a file (the copy a lawyer keeps), the cap table printed each name through
    Rich's markup reader: `Alder Creek Partners IV, L.P.` renamed `... [Cayman] L.P.` came out
    as `Alder Creek Partners IV  L.P.` (the bracketed word read as a style and dropped),
    while the terminal showed it whole. The file must hold the name as the ledger writes it,
    every hostile bracket too."""
    text = (ROOT / "examples" / "quintus.yaml").read_text(encoding="utf-8")
    bracketed = "Alder Creek Partners IV [Cayman], L.P."
    alder = 'name: "Alder Creek Partners IV, L.P."'
    assert "name: Alice Feldman" in text and alder in text
    text = text.replace("name: Alice Feldman", f'name: "{HOSTILE}"')
    text = text.replace(alder, f'name: "{bracketed}"')
    ledger = tmp_path / "brackets.yaml"
    ledger.write_text(text, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    out = subprocess.run(
        [str(Path(sys.executable).parent / "charter"), "captable", "--ledger", str(ledger)],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "80"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert f"{bracketed} (alder-iv)" in out.stdout
    assert f"{HOSTILE} (a.feldman)" in out.stdout
