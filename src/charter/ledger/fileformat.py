"""Reading and writing `charter-ledger/1` files (spec/ledger-format.md).

Parsing collects every mistake, each with its file, line, event index and id, and field, so
that a file with five mistakes gets five sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from charter.errors import CharterError, Problem
from charter.ledger.events import (
    EVENT_ADAPTER,
    EVENT_TYPES,
    AnyEvent,
    Company,
    Stakeholder,
    event_to_dict,
)

FORMAT = "charter-ledger/1"
TOP_LEVEL = ("format", "company", "stakeholders", "events")


@dataclass(frozen=True)
class Entry:
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


@dataclass(frozen=True)
class LedgerDoc:
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
    # the discriminated union puts the type tag first: drop it
    if loc and loc[0] == etype:
        loc = loc[1:]
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
        what = "has no type" if etype is None else f"has unknown type {etype!r}"
        return None, [
            Problem(
                f"{what}; the types are {', '.join(EVENT_TYPES)}",
                event_id=eid,
                field="type",
                **where,  # type: ignore[arg-type]
            )
        ]
    try:
        event = EVENT_ADAPTER.validate_python(raw)
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


def parse_ledger_text(text: str, source: str = "<ledger>") -> LedgerDoc:
    """Parse a ledger (YAML or JSON), or raise every problem found in it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or "cannot be read"
        raise CharterError(
            [
                Problem(
                    f"is not valid YAML or JSON: {problem}",
                    file=source,
                    line=None if mark is None else mark.line + 1,
                )
            ]
        ) from e
    if not isinstance(data, dict) or root is None:
        raise CharterError(
            [
                Problem(
                    "a ledger must be a mapping with format, company, stakeholders and events",
                    file=source,
                )
            ]
        )
    _, top_lines = _node_lines(root)
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_LEVEL:
            problems.append(
                Problem(
                    f"unknown top-level key {key!r}; expected {', '.join(TOP_LEVEL)}",
                    file=source,
                    line=top_lines.get(str(key)),
                )
            )
    if data.get("format") != FORMAT:
        problems.append(
            Problem(
                f"format must be {FORMAT!r}, not {data.get('format')!r}",
                file=source,
                line=top_lines.get("format"),
                field="format",
            )
        )
    company: Company | None = None
    try:
        company = Company.model_validate(data.get("company"))
    except ValidationError as e:
        for err in e.errors():
            fld = ".".join(["company", *(str(p) for p in err["loc"])])
            problems.append(
                Problem(str(err["msg"]), file=source, line=top_lines.get("company"), field=fld)
            )

    nodes = {str(k.value): v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    stakeholders: list[Stakeholder] = []
    raw_holders = data.get("stakeholders") or []
    holder_nodes = getattr(nodes.get("stakeholders"), "value", [])
    seen: set[str] = set()
    if not isinstance(raw_holders, list):
        problems.append(Problem("stakeholders must be a list", file=source, field="stakeholders"))
        raw_holders = []
    for i, raw in enumerate(raw_holders):
        hline = holder_nodes[i].start_mark.line + 1 if i < len(holder_nodes) else None
        try:
            s = Stakeholder.model_validate(raw)
        except ValidationError as e:
            for err in e.errors():
                fld = ".".join(["stakeholders", str(i), *(str(p) for p in err["loc"])])
                problems.append(Problem(str(err["msg"]), file=source, line=hline, field=fld))
            continue
        if s.id in seen:
            problems.append(
                Problem(
                    f"stakeholder id {s.id!r} is used twice", file=source, line=hline, field="id"
                )
            )
        seen.add(s.id)
        stakeholders.append(s)

    entries: list[Entry] = []
    raw_events = data.get("events") or []
    event_nodes = getattr(nodes.get("events"), "value", [])
    if not isinstance(raw_events, list):
        problems.append(Problem("events must be a list", file=source, field="events"))
        raw_events = []
    for i, raw in enumerate(raw_events):
        line, key_lines = _node_lines(event_nodes[i]) if i < len(event_nodes) else (None, {})
        entry, errs = parse_event(raw, i, line, source, key_lines)
        problems.extend(errs)
        if entry is not None:
            entries.append(entry)
    if problems or company is None:
        raise CharterError(problems)
    return LedgerDoc(company=company, stakeholders=stakeholders, entries=entries)


def read_ledger(path: Path) -> LedgerDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CharterError(
            [Problem(f"cannot read the ledger: {e.strerror}", file=str(path))]
        ) from e
    return parse_ledger_text(text, str(path))


def dump_ledger(doc: LedgerDoc) -> str:
    """The ledger as a `charter-ledger/1` YAML file."""
    data = {
        "format": FORMAT,
        "company": doc.company.model_dump(mode="json"),
        "stakeholders": [
            s.model_dump(mode="json", exclude_defaults=True) for s in doc.stakeholders
        ],
        "events": [event_to_dict(e.event) for e in doc.entries],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
