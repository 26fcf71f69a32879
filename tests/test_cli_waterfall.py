"""`charter waterfall` as a user runs it: the JSON of cli-contract.md, and bad input as one
sentence with a non-zero exit."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT

CHARTER = str(ROOT / ".venv" / "bin" / "charter")
QUINTUS = str(ROOT / "examples" / "quintus.yaml")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHARTER, *args], capture_output=True, text=True, check=False)


def test_waterfall_json_has_the_contract_fields_and_adds_up() -> None:
    """The fields of cli-contract.md; holders' amounts add up to the exit value to the cent."""
    p = run("waterfall", "--ledger", QUINTUS, "--exit", "60000000", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    for key in (
        "exit_value",
        "as_of",
        "converted",
        "exercised",
        "classes",
        "holders",
        "interpretations",
        "citations",
    ):
        assert key in d
    assert d["exit_value"] == "60000000.00"
    cents = sum(round(float(h["amount"]) * 100) for h in d["holders"].values())
    assert cents == 6_000_000_000
    assert "cash-amount-priority" in d["interpretations"]
    assert set(d["converted"]) == {
        "series_a",
        "series_b",
        "series_c",
        "series_d",
        "series_e",
        "series_f",
    }


def test_explain_prints_the_steps_with_clauses() -> None:
    p = run("waterfall", "--ledger", QUINTUS, "--exit", "20000000", "--explain")
    assert p.returncode == 0, p.stderr
    assert "[Art. IV.B.2(a)]" in p.stdout and "ratably" in p.stdout


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--exit", "-5"], "negative"),
        (["--exit", "ten million"], "not a decimal amount"),
        (["--exit", "10.001"], "fractions of a cent"),
        (["--exit", "10", "--as-of", "1980-01-01"], "before the company's first event"),
        (["--exit", "10", "--reading", "nope=x"], "there is no reading named 'nope'"),
        (["--exit", "10", "--reading", "cash-amount-priority=x"], "is not a choice"),
    ],
)
def test_bad_input_is_one_sentence(args: list[str], sentence: str) -> None:
    p = run("waterfall", "--ledger", QUINTUS, *args)
    assert p.returncode == 1
    assert sentence in p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
