"""Reading and writing `charter-ledger/1` files (spec/ledger-format.md).

Parsing collects every mistake, each with its file, line, event index and id, and field, so
that a file with five mistakes gets five sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import msgspec
import yaml
from pydantic import ValidationError

from charter.errors import CharterError, Problem, excerpt
from charter.inputs import dump_yaml, load_text
from charter.ledger.events import (
    EVENT_MODEL,
    EVENT_MODELS,
    EVENT_TYPES,
    AnyEvent,
    Company,
    Stakeholder,
    event_to_dict,
)

FORMAT = "charter-ledger/1"
TOP_LEVEL = ("format", "company", "stakeholders", "events")


class Entry(msgspec.Struct, frozen=True):
    """An event with where it came from (file and line, or the API call)."""

    index: int
    event: AnyEvent
    line: int | None = None
    source: str | None = None

    def where(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "line": self.line,
            "index": self.index,
            "event_id": self.event.id,
        }


class LedgerDoc(msgspec.Struct, frozen=True):
    company: Company
    stakeholders: list[Stakeholder]
    entries: list[Entry]


def _node_lines(node: yaml.Node) -> tuple[int, dict[str, int]]:
    """The line of a mapping node and of each of its keys."""
    keys: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode):
                keys[str(k.value)] = k.start_mark.line + 1
    return node.start_mark.line + 1, keys


def _describe(err: dict[str, Any], etype: str) -> tuple[str | None, str]:
    loc = [str(p) for p in err["loc"]]
    # a tagged union's tag and a model validator's wrapper are not fields a person wrote
    loc = [p for p in loc if p not in ("schedule", "note") and not p.startswith("function-")]
    fld = ".".join(loc) or None
    kind = err["type"]
    if kind == "missing":
        return fld, f"is required for a {etype} event"
    if kind == "extra_forbidden":
        return fld, f"is not a field of a {etype} event"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if kind == "string_pattern_mismatch":
        msg = "must be made of a-z, 0-9, '.', '_' and '-' only"
    return fld, msg


def parse_event(
    raw: Any,
    index: int,
    line: int | None = None,
    source: str | None = None,
    key_lines: dict[str, int] | None = None,
) -> tuple[Entry | None, list[Problem]]:
    """Validate one event mapping; return it, or the problems found in it."""
    where = {"file": source, "line": line, "index": index}
    if not isinstance(raw, dict):
        return None, [Problem("an event must be a mapping of fields", **where)]  # type: ignore[arg-type]
    eid = raw.get("id") if isinstance(raw.get("id"), str) else None
    etype = raw.get("type")
    if etype not in EVENT_TYPES:
        what = "has no type" if etype is None else f"has unknown type {excerpt(etype)}"
        return None, [
            Problem(
                f"{what}; the types are {', '.join(EVENT_TYPES)}",
                event_id=eid,
                field="type",
                **where,  # type: ignore[arg-type]
            )
        ]
    try:
        # validated by its type's own model: a file builds the validators of the types it uses
        event = cast("AnyEvent", EVENT_MODEL[etype].model_validate(raw))
    except ValidationError as e:
        problems = []
        for err in e.errors():
            fld, msg = _describe(dict(err), str(etype))
            fline = (key_lines or {}).get((fld or "").split(".")[0], line)
            problems.append(
                Problem(msg, file=source, line=fline, index=index, event_id=eid, field=fld)
            )
        return None, problems
    return Entry(index=index, event=event, line=line, source=source), []


class Positions(msgspec.Struct, frozen=True):
    """Line numbers of a ledger text's top-level keys, stakeholders and events (and of each
    event's keys), found only when there is a problem to report."""

    top: dict[str, int]
    holders: list[int]
    events: list[tuple[int, dict[str, int]]]


def locate(text: str) -> Positions:
    root = yaml.compose(text, Loader=_Loader)
    if not isinstance(root, yaml.MappingNode):
        return Positions({}, [], [])
    _, top = _node_lines(root)
    nodes = {str(k.value): v for k, v in root.value}

    def items(key: str) -> list[yaml.Node]:
        node = nodes.get(key)
        return list(node.value) if isinstance(node, yaml.SequenceNode) else []

    holders = [n.start_mark.line + 1 for n in items("stakeholders")]
    evs = [_node_lines(n) for n in items("events")]
    return Positions(top, holders, evs)


def with_lines(problems: list[Problem], text: str, source: str) -> list[Problem]:
    """The problems, each event's given the line where the event starts (or its field)."""
    pos = locate(text)
    out = []
    for p in problems:
        if (
            p.file == source
            and p.line is None
            and p.index is not None
            and p.index < len(pos.events)
        ):
            line, keys = pos.events[p.index]
            p = replace(p, line=keys.get((p.field or "").split(".")[0], line))
        out.append(p)
    return out


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # composing (line numbers) only


def parse_ledger_text(text: str, source: str = "<ledger>") -> LedgerDoc:
    """Parse a ledger (YAML or JSON), or raise every problem found in it, with its line."""
    data = load_text(text, source)
    try:
        return _build(data, source)
    except CharterError as e:
        raise CharterError(with_lines(e.problems, text, source)) from None


def _build(data: Any, source: str) -> LedgerDoc:
    if not isinstance(data, dict):
        raise CharterError(
            [
                Problem(
                    "a ledger must be a mapping with format, company, stakeholders and events",
                    file=source,
                )
            ]
        )
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_LEVEL:
            problems.append(
                Problem(
                    f"unknown top-level key {excerpt(key)}; expected {', '.join(TOP_LEVEL)}",
                    file=source,
                )
            )
    if data.get("format") != FORMAT:
        problems.append(
            Problem(
                f"format must be {FORMAT!r}, not {excerpt(data.get('format'))}",
                file=source,
                field="format",
            )
        )
    company: Company | None = None
    try:
        company = Company.model_validate(data.get("company"))
    except ValidationError as e:
        for err in e.errors():
            fld = ".".join(["company", *(str(p) for p in err["loc"])])
            problems.append(Problem(str(err["msg"]), file=source, field=fld))

    stakeholders: list[Stakeholder] = []
    raw_holders = data.get("stakeholders") or []
    seen: set[str] = set()
    if not isinstance(raw_holders, list):
        problems.append(Problem("stakeholders must be a list", file=source, field="stakeholders"))
        raw_holders = []
    for i, raw in enumerate(raw_holders):
        try:
            s = Stakeholder.model_validate(raw)
        except ValidationError as e:
            for err in e.errors():
                fld = ".".join(["stakeholders", str(i), *(str(p) for p in err["loc"])])
                problems.append(Problem(str(err["msg"]), file=source, field=fld))
            continue
        if s.id in seen:
            problems.append(
                Problem(
                    f"stakeholder {i}: id {excerpt(s.id)} is used twice", file=source, field="id"
                )
            )
        seen.add(s.id)
        stakeholders.append(s)

    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        problems.append(Problem("events must be a list", file=source, field="events"))
        raw_events = []
    entries: list[Entry] = []
    for i, raw in enumerate(raw_events):
        entry, errs = parse_event(raw, i, None, source)
        problems.extend(errs)
        if entry is not None:
            entries.append(entry)
    if problems or company is None:
        raise CharterError(problems)
    return LedgerDoc(company=company, stakeholders=stakeholders, entries=entries)


def read_ledger(path: Path) -> LedgerDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise CharterError([Problem(f"cannot read the ledger: {reason}", file=str(path))]) from e
    return parse_ledger_text(text, str(path))


_FIRST = ("date", "type", "id")
_DATE_FIELDS = {
    name
    for model in EVENT_MODELS
    for name, f in model.model_fields.items()
    if f.annotation in (dt.date, dt.date | None, "dt.date", "dt.date | None")
}


def _for_yaml(event: dict[str, Any]) -> dict[str, Any]:
    """An event as a person writes it: date, type and id first; dates as YAML dates."""
    out = {k: event[k] for k in _FIRST if k in event}
    out.update((k, v) for k, v in event.items() if k not in _FIRST)
    for k, v in out.items():
        if k in _DATE_FIELDS and isinstance(v, str):
            out[k] = dt.date.fromisoformat(v)
    return out


def dump_ledger(doc: LedgerDoc) -> str:
    """The ledger as a `charter-ledger/1` YAML file."""
    data = {
        "format": FORMAT,
        "company": doc.company.model_dump(mode="json"),
        "stakeholders": [
            s.model_dump(mode="json", exclude_defaults=True) for s in doc.stakeholders
        ],
        "events": [_for_yaml(event_to_dict(e.event)) for e in doc.entries],
    }
    return dump_yaml(data)
