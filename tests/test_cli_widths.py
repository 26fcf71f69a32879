"""Issue 16: a figure is never cut. Every table command is rendered on a terminal 60, 80 and
200 columns wide, and piped (plain text); every figure of its --json answer must appear whole
in what a person reads."""

from __future__ import annotations

import importlib
import io
import json
import re
from collections.abc import Iterator

import pytest
from rich.console import Console

from charter.cli import COMMANDS as COMMAND_MODULES
from charter.cli import common
from tests.cli_helpers import run_cli

LEDGER = "examples/quintus.yaml"
COMMANDS = [
    ["captable"],
    ["votes"],
    ["board"],
    ["conversion-prices"],
    ["certificates"],
    ["history"],
    ["dividend", "--amount", "1000000"],
    ["waterfall", "--exit", "60000000"],
    ["ipo", "--price", "15", "--gross", "60000000"],
    ["curve", "--from", "0", "--to", "100000000"],
    ["value", "--equity", "60000000", "--term", "3", "--volatility", "0.60", "--rate", "0.04"],
    ["stockholder-list", "--record-date", "1999-10-31"],
    ["rofr", "status"],
    ["grants"],
]
FIGURE = re.compile(r"^-?\d+(\.\d+)?$")


def figures(data: object) -> Iterator[str]:
    """Every figure in a JSON answer: numbers, and strings that are decimal numbers."""
    if isinstance(data, dict):
        for v in data.values():
            yield from figures(v)
    elif isinstance(data, list):
        for v in data:
            yield from figures(v)
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield str(data)
    elif isinstance(data, str) and FIGURE.match(data):
        yield data


def rendered(capsys: pytest.CaptureFixture[str], args: list[str], width: int | None) -> str:
    """What `charter ARGS` prints on a terminal `width` columns wide (None: piped). The
    command's module is imported first: a module binds the console when first imported, and
    must not keep the one swapped in here."""
    importlib.import_module(f"charter.cli.{COMMAND_MODULES[args[0]].module}")
    screen = io.StringIO()
    old = common.console
    common.console = Console(
        file=screen, width=width or 80, force_terminal=width is not None, color_system=None
    )
    try:
        code, out, err = run_cli(capsys, *args, "--ledger", LEDGER)
    finally:
        common.console = old
    assert code == 0, err
    return screen.getvalue() + out


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_figure_of_a_table_is_printed_whole(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """Issue 16: piped, the text shows figures of the JSON answer; on a terminal 60, 80 and
    200 columns wide, every one of them appears whole (thousands separators aside) and no
    cell ends in an ellipsis."""
    code, out, err = run_cli(capsys, *args, "--ledger", LEDGER, "--json")
    assert code == 0, err
    answer = set(figures(json.loads(out)))
    piped = rendered(capsys, args, None)
    wanted = answer & shown(piped)
    assert wanted, piped
    for width in (60, 80, 200):
        text = rendered(capsys, args, width)
        assert "…" not in text, (width, text)
        missing = sorted(wanted - shown(text))
        assert not missing, (width, missing)


def shown(text: str) -> set[str]:
    """The figures a text shows, thousands separators removed."""
    return set(re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", "")))
