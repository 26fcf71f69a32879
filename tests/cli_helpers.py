"""Running the `charter` command in-process, as a user would from the shell."""

from __future__ import annotations

import sys

import pytest

from charter.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `charter ARGS`."""
    old = sys.argv
    sys.argv = ["charter", *args]
    code = 0
    try:
        main()
    except SystemExit as e:
        code = int(e.code or 0)
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err
