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
