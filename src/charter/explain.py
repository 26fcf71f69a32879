"""Explanations: the trace of a computation, and the registry of readings of the text.

Every result carries a `Trace`: the steps of its derivation, each with its clause and the
figures it used, the citations it relied on, and the interpretation choices it depended on
(DESIGN.md principle 4; OpenFisca's tracer in STYLE.md).

Where the text admits more than one reading, a rule module declares an `Interpretation` with
`interpretation(...)`: the point, the clause, the words quoted, the readings, the default and
the argument for it. `docs/interpretations.md` is rendered from this one registry.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import msgspec

from charter.errors import CharterError, Problem


class Interpretation(msgspec.Struct, frozen=True):
    """A point where the documents admit more than one reading."""

    id: str
    question: str
    citation: str
    quote: str
    readings: Mapping[str, str]  # choice -> what it means
    default: str
    argument: str  # why the default

    def choose(self, settings: Mapping[str, str] | None) -> str:
        return (settings or {}).get(self.id, self.default)


_REGISTRY: dict[str, Interpretation] = {}


def interpretation(
    id: str,
    question: str,
    citation: str,
    quote: str,
    readings: Mapping[str, str],
    default: str,
    argument: str,
) -> Interpretation:
    """Declare (once) a reading of the text that a rule depends on."""
    if default not in readings:
        raise ValueError(f"interpretation {id}: default {default!r} is not one of its readings")
    if id in _REGISTRY:
        raise ValueError(f"interpretation {id} is declared twice")
    item = Interpretation(id, question, citation, quote, dict(readings), default, argument)
    _REGISTRY[id] = item
    return item


@functools.cache
def _import_rule_modules() -> None:
    """Import every rule and state module that declares interpretations (its source calls
    `interpretation(`), once: the walk over the package directories is not repeated on each
    request for a reading. A module that declares none is not imported for the registry's
    sake (the valuation's NumPy and SciPy cost a listing of the readings a third of a
    second)."""
    import charter.rules
    import charter.state

    for pkg in (charter.state, charter.rules):
        for mod in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
            if _declares(mod.name):
                importlib.import_module(mod.name)


def _declares(module: str) -> bool:
    """Whether the module's source declares an interpretation."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return True  # no source to read: import it, as before
    return "interpretation(" in Path(spec.origin).read_text(encoding="utf-8")


def declared(id: str) -> Interpretation:
    """The interpretation `id`: declared by the module of the rule that relied on it (so
    already imported), or else found by importing every rule module."""
    if id not in _REGISTRY:
        _import_rule_modules()
    return _REGISTRY[id]


def all_interpretations() -> list[Interpretation]:
    """Every interpretation declared by the rule and state modules, by id."""
    _import_rule_modules()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def parse_readings(pairs: Iterable[str]) -> dict[str, str]:
    """`--reading NAME=CHOICE` options, checked against the registry (which imports every
    rule module: not done when no reading is given)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    known = {i.id: i for i in all_interpretations()}
    settings: dict[str, str] = {}
    problems: list[Problem] = []
    for pair in pairs:
        name, sep, choice = pair.partition("=")
        if not sep:
            problems.append(Problem(f"{pair!r} must be written NAME=CHOICE", field="--reading"))
            continue
        item = known.get(name)
        if item is None:
            problems.append(
                Problem(
                    f"there is no reading named {name!r}; the readings are {', '.join(known)}",
                    field="--reading",
                )
            )
        elif choice not in item.readings:
            problems.append(
                Problem(
                    f"{choice!r} is not a choice of {name}; the choices are "
                    f"{', '.join(item.readings)}",
                    field="--reading",
                )
            )
        else:
            settings[name] = choice
    if problems:
        raise CharterError(problems)
    return settings


def render_markdown() -> str:
    """docs/interpretations.md, from the registry."""
    out = [
        "# Readings of the text",
        "",
        "Where the documents admit more than one reading, `charter` names the point, quotes the",
        "text, offers the readings as a setting (`--reading NAME=CHOICE`) and reports in each",
        "result which readings it relied on. This page is generated from the registry in the",
        "code (`charter interpretations --markdown`); a test keeps it current.",
        "",
    ]
    for i in all_interpretations():
        out += [f"## `{i.id}`", "", f"**{i.question}** ({i.citation})", ""]
        out += ["> " + line for line in i.quote.strip().splitlines()]
        out += ["", "| choice | reading |", "|---|---|"]
        for choice, meaning in i.readings.items():
            mark = " (default)" if choice == i.default else ""
            out.append(f"| `{choice}`{mark} | {meaning} |")
        out += ["", f"Why the default: {i.argument}", ""]
    return "\n".join(out).rstrip() + "\n"


class Step(msgspec.Struct, frozen=True):
    """One step of a derivation: what was done, under which clause, with which figures."""

    text: str
    citation: str | None = None
    figures: Mapping[str, str] = msgspec.field(default_factory=dict)


class Trace(msgspec.Struct):
    """What a computation did and relied on."""

    steps: list[Step] = msgspec.field(default_factory=list)
    citations: list[str] = msgspec.field(default_factory=list)
    interpretations: dict[str, str] = msgspec.field(default_factory=dict)  # id -> choice used

    def step(self, text: str, citation: str | None = None, **figures: object) -> None:
        self.steps.append(Step(text, citation, {k: str(v) for k, v in figures.items()}))
        self.cite(citation)

    def cite(self, citation: str | None) -> None:
        if citation and citation not in self.citations:
            self.citations.append(citation)

    def read(self, item: Interpretation, settings: Mapping[str, str] | None) -> str:
        """The choice for an interpretation, recorded as relied upon."""
        choice = item.choose(settings)
        self.interpretations[item.id] = choice
        self.cite(item.citation)
        return choice

    def lines(self) -> list[str]:
        out = []
        for n, s in enumerate(self.steps, 1):
            cite = f" [{s.citation}]" if s.citation else ""
            figs = "; ".join(f"{k} = {v}" for k, v in s.figures.items())
            out.append(f"{n}. {s.text}{cite}" + (f" — {figs}" if figs else ""))
        for k, v in self.interpretations.items():
            out.append(f"reading {k} = {v}")
        return out
