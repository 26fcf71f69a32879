"""Art. IV.B.2(c): the transactions deemed a liquidation, named by the waterfall. The text gives
the holders no election to treat one otherwise, so there is none to make.

A company of 1,000,000 common (founder) and 100,000 Series F at $8.25 (f2): the Series F
preference is 100,000 x $8.25 = $825,000 (Art. IV.B.2(a)). An exit of $500,000 is less: all of
it goes to the Series F, whatever the kind of exit that is a liquidation."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from charter.errors import CharterError
from charter.rules.deemed_liquidation import exit_event
from charter.rules.waterfall import waterfall, waterfall_json
from charter.state.model import State
from tests.ledgers.builder import PEOPLE, issue, run

EVENTS = [
    issue("1999-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("1999-05-01", "f2", "series_f", 100_000, "8.25"),
]


def state() -> State:
    return run(EVENTS)


@pytest.mark.parametrize(
    ("kind", "extra", "deemed", "citation"),
    [
        ("liquidation", {}, False, "Art. IV.B.2(a)"),
        ("merger", {}, True, "Art. IV.B.2(c)"),
        ("sale_of_assets", {}, True, "Art. IV.B.2(c)"),
        ("change_of_control", {"voting_power_disposed": Fraction("0.51")}, True, "Art. IV.B.2(c)"),
    ],
)
def test_art_iv_b_2c_deemed_liquidation_named_by_the_waterfall(
    kind: str, extra: dict[str, Fraction], deemed: bool, citation: str
) -> None:
    """Each is a liquidation (or deemed one): Series F takes all $500,000, the common nothing;
    the waterfall names the kind and the clause."""
    s = state()
    data = waterfall_json(waterfall(s, Fraction(500_000), event=exit_event(s, kind, **extra)))  # type: ignore[arg-type]
    assert data["event"] == {"kind": kind, "deemed": deemed, "citation": citation}
    assert data["holders"]["f2"]["amount"] == "500000.00"  # type: ignore[index]
    assert "founder" not in data["holders"] or data["holders"]["founder"]["amount"] == "0.00"  # type: ignore[index, operator]


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("merger", {"counterparty": "wholly_owned_subsidiary"},
         "a merger with a wholly owned subsidiary is not deemed a liquidation"),
        ("merger", {"counterparty": "parent"}, "a merger with a parent is not deemed"),
        ("change_of_control", {"voting_power_disposed": Fraction(1, 2)},
         "disposing of 0.5 of the voting power is not more than 0.5"),
        ("change_of_control", {}, "voting-power-disposed: a change_of_control is deemed a liquidation only if more than 0.5 of the voting power is disposed of: say what fraction is"),
        ("ipo", {}, "'ipo' is not a liquidation or a transaction deemed one"),
    ],
    ids=["subsidiary", "parent", "exactly-half", "no-fraction", "unknown"],
)  # fmt: skip
def test_art_iv_b_2c_not_deemed_a_liquidation(
    kind: str, extra: dict[str, object], message: str
) -> None:
    """'other than a wholly-owned subsidiary or parent corporation'; 'more than 50% of the
    voting power': exactly half is not more."""
    with pytest.raises(CharterError, match=message) as e:
        exit_event(state(), kind, **extra)  # type: ignore[arg-type]
    [problem] = e.value.problems
    assert problem.citation == "Art. IV.B.2(c)"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "charter"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)


def test_cli_waterfall_deemed_liquidation(tmp_path: Path) -> None:
    path = tmp_path / "exit.yaml"
    doc = {
        "format": "charter-ledger/1",
        "company": {"name": "Exit Co", "terms": "quintus"},
        "stakeholders": [{"id": k, "name": k, "relations": v} for k, v in PEOPLE.items()],
        "events": EVENTS,
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    ledger = ("--ledger", str(path), "--exit", "500000")
    out = _cli("waterfall", *ledger, "--event", "sale_of_assets", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["event"]["kind"] == "sale_of_assets"
    text = _cli("waterfall", *ledger, "--event", "merger")
    assert "deemed a liquidation (Art. IV.B.2(c))" in text.stdout
    bad = _cli("waterfall", *ledger, "--event", "change_of_control", "--voting-power-disposed", "2")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "between 0 and 1" in bad.stderr
