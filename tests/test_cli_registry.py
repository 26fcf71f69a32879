"""The command registry (cli/__init__.py): `charter --help` and `charter COMMAND --help` import
only what showing help needs (issue 15), every summary is its command's own, and the help
shows words, never Python types."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys

import pytest

from charter.cli import COMMANDS, build
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

HEAVY = (
    "sqlalchemy",
    "fastapi",
    "uvicorn",
    "alembic",
    "numpy",
    "matplotlib",
    "reportlab",
    "jsonschema",
    "openpyxl",
)
"""Libraries that only some commands need: the database, the web, the charts, the PDFs, the
OCF schemas, the workbooks."""
MODELS = (
    "charter.terms.model",
    "charter.ledger.events",
    "charter.state.model",
    "charter.service",
    "typer._adapters",
)
"""The core a command works with (the terms' and events' pydantic models, the state, the
database session) and the pydantic validators Typer builds for the options' values: never
needed to show help."""

PROBE = """
import json, sys
runs, heavy, models = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
from charter.cli import main
for args in runs:
    sys.argv = ["charter", *args]
    try:
        main()
    except SystemExit:
        pass
# a module `deferred` names but nothing has read from yet is not loaded
loaded = [m for m, mod in list(sys.modules.items()) if type(mod).__name__ != "_LazyModule"]
print(json.dumps(sorted(m for m in loaded if m.split(".")[0] in heavy or m in models)))
"""


def loaded_after(*runs: list[str], core: tuple[str, ...] = MODELS) -> list[str]:
    """The heavy libraries and `core` modules a fresh interpreter has loaded after running
    `charter ARGS` for each ARGS of `runs`, one after the other."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(runs), json.dumps(HEAVY), json.dumps(core)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    ).stdout
    return list(json.loads(out.splitlines()[-1]))


def test_help_imports_no_core_database_web_or_chart_library() -> None:
    """`charter --help` lists the commands from the registry without importing their modules,
    so neither the models nor SQLAlchemy, FastAPI, NumPy, matplotlib or reportlab is loaded."""
    assert loaded_after(["--help"]) == []


def test_each_command_help_imports_no_core_database_web_or_chart_library() -> None:
    """`charter COMMAND --help` imports the command's module, which names the core modules it
    runs through `deferred`: showing its options (for every command and subcommand, in one
    process) loads none of the heavy libraries, and not even the terms, the events or the
    state (issue 15: help answers at once)."""
    runs = [[name, "--help"] for name in COMMANDS]
    runs += [[name, sub, "--help"] for name in COMMANDS for sub in subcommands(name)]
    assert loaded_after(*runs) == []


def test_a_query_on_a_file_imports_no_database_web_or_chart_library() -> None:
    """A query on `--ledger FILE` reads the file without a database and prints without the
    web stack, the chart libraries or the PDF writer (the README's tour, in one process)."""
    ledger = ["--ledger", str(ROOT / "examples" / "quintus.yaml")]
    runs = [
        ["captable", *ledger],
        ["history", *ledger],
        ["waterfall", *ledger, "--exit", "60000000", "--explain"],
        ["conversion-prices", *ledger],
        ["votes", *ledger],
        ["meeting", "plan", *ledger, "--kind", "annual", "--date", "2000-03-15"],
        ["approvals", *ledger, "--action", "create_senior_or_parity_security"],
        ["rofr", "status", *ledger],
        ["certificates", *ledger],
    ]
    assert [m for m in loaded_after(*runs) if m not in MODELS] == []


def test_a_ledger_without_meetings_or_consents_never_loads_their_rules() -> None:
    """The replay decides a recorded meeting or written consent by the rules of the tally
    and the consents, which import those of approvals, meetings and votes (charter.replay,
    `deferred`). The example ledger records neither, so its cap table, history and
    conversion prices load none of them (issue 15: about 35 ms of every tour command)."""
    ledger = ["--ledger", str(ROOT / "examples" / "quintus.yaml")]
    runs = [["captable", *ledger], ["history", *ledger], ["conversion-prices", *ledger]]
    decisions = ("charter.rules.tally", "charter.rules.consents", "charter.rules.approvals")
    assert loaded_after(*runs, core=decisions) == []


def test_listing_the_readings_imports_only_the_modules_that_declare_them() -> None:
    """`charter interpretations` imports the rule and state modules that declare a reading,
    not the valuation (NumPy, SciPy), which declares none; the listing is the whole registry
    all the same (39 readings, as docs/interpretations.md lists them)."""
    assert loaded_after(["interpretations"], core=("scipy", "charter.rules.valuation")) == []
    from charter.explain import all_interpretations, render_markdown

    assert render_markdown() == (ROOT / "docs" / "interpretations.md").read_text("utf-8")
    assert len(all_interpretations()) == len(
        {line for line in render_markdown().splitlines() if line.startswith("## ")}
    )


def subcommands(name: str) -> list[str]:
    return list(getattr(build(name), "commands", {}))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_registry_summary_is_the_commands_own(name: str) -> None:
    """The summary `charter --help` shows without importing a command is the first sentence
    of that command's own help (its docstring), so the two cannot drift apart."""
    help_text = " ".join((build(name).help or "").split())
    assert help_text.startswith(COMMANDS[name].summary.rstrip(".")), help_text


def every_command_help(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name in COMMANDS:
        for args in [[name], *([name, sub] for sub in subcommands(name))]:
            code, out, _ = run_cli(capsys, *args, "--help")
            assert code == 0
            shown[" ".join(args)] = out
    return shown


PYTHON_LEFTOVERS = re.compile(r"<[a-z][^>]*>|\bx\s*[<>]=?|[<>]=?\s*x\b")
"""A Python type (`<bool>`, `<list[str]>`, `<int range>`) or a range as Typer writes it
(`[x>=1]`, `[1<=x<=64]`)."""


def test_help_shows_placeholders_not_python_types(capsys: pytest.CaptureFixture[str]) -> None:
    """No option or argument is shown with a Python type or range: flags show nothing, values
    a word (FILE, URL, DATE, NAME=CHOICE), bounds words (`[at least 1]`, `[1 to 64]`)."""
    for args, out in every_command_help(capsys).items():
        assert not PYTHON_LEFTOVERS.search(out), (args, out)
    _, out, _ = run_cli(capsys, "board", "--help")
    assert "[at least 1]" in " ".join(out.split())
    _, out, _ = run_cli(capsys, "captable", "--help")
    for shown in ("--ledger FILE", "--db URL", "--company ID", "--as-of DATE"):
        assert shown in out
    assert re.search(r"--json\s+Machine-readable", out)  # a flag: it takes no value


def test_help_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """Help is plain text (no panels), wrapped to the terminal: 80 columns when piped."""
    for args, out in every_command_help(capsys).items():
        assert max(map(len, out.splitlines())) <= 80, args


def test_roles_in_users_help_are_the_roles() -> None:
    """`charter users add --help` names the roles without importing the accounts module."""
    from charter.server.accounts import ROLES

    help_text = build("users").commands["add"].params  # type: ignore[attr-defined]
    role = next(p for p in help_text if p.name == "role")
    assert all(r in role.help for r in ROLES)


COMMON = ("--ledger", "--db", "--company", "--as-of", "--json", "--reading")


def test_common_options_are_declared_once() -> None:
    """--ledger, --db, --company, --as-of, --json and --reading are declared in cli/common.py
    only; every command uses those declarations (and so the same help text)."""
    declared: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src" / "charter" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "Option"
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in COMMON:
                        declared.setdefault(str(arg.value), []).append(path.name)
    assert {opt: files for opt, files in declared.items() if files != ["common.py"]} == {}


def test_token_days_in_users_help_are_the_accounts_own() -> None:
    """`charter users token create --help` states the default and the longest life of a token
    without importing the accounts module: the figures it states are the module's."""
    from charter.server.accounts import MAX_TOKEN_DAYS, TOKEN_DAYS

    tokens = build("users").commands["token"]  # type: ignore[attr-defined]
    days = next(p for p in tokens.commands["create"].params if p.name == "days")
    assert f"default {TOKEN_DAYS}; 1 to {MAX_TOKEN_DAYS}" in days.help


def test_approvals_help_lists_the_actions_of_the_loaded_terms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`charter approvals --help` reads the action ids from the built-in files without building
    the terms' models: they are the ids of the terms as loaded and checked."""
    from charter.terms.loader import builtin_names, load_builtin

    _, out, _ = run_cli(capsys, "approvals", "--help")
    shown = " ".join(out.split())
    for name in builtin_names():
        terms = load_builtin(name)
        for cert in terms.certificates:
            ids = ", ".join(a.id for a in cert.actions)
            assert f"ACTION under the {cert.title} of {terms.company}: {ids}." in shown
