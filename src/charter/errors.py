"""Errors are values with locations, meant for people (DESIGN.md principle 5)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

EXCERPT = 60  # characters of an input value an error quotes
MAX_MESSAGE = 1_000  # characters of any part of a problem (a list of choices fits)


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """`value` quoted as in Python (`'abc'`), cut to about `limit` characters with its
    length said: an error never echoes more of an input than this (issue 17 §3: a message
    that printed a value YAML had expanded made a 152 MB page)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, str | bytes | list | dict | tuple) else len(text)
    return f"{text[:limit]}… ({size:,} {'characters' if isinstance(value, str) else 'long'})"


# Problems and CharterError are dataclasses, not msgspec Structs like charter's other records:
# an exception cannot be a Struct, and a Problem cuts its own long fields when it is made.
@dataclass(frozen=True)
class Problem:
    """One mistake: where it is, which field, what is wrong, and the clause it breaks.

    Every text part is bounded (MAX_MESSAGE): whatever a message quoted from an input, the
    sentence stays short."""

    message: str
    file: str | None = None
    line: int | None = None
    index: int | None = None
    event_id: str | None = None
    field: str | None = None
    citation: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and len(value) > MAX_MESSAGE:
                object.__setattr__(self, f.name, f"{value[:MAX_MESSAGE]}… (cut)")

    def sentence(self) -> str:
        where: list[str] = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.index is not None:
            where.append(f"event {self.index}" + (f" ({self.event_id})" if self.event_id else ""))
        elif self.event_id:
            where.append(f"event {self.event_id}")
        if self.field:
            where.append(self.field)
        text = self.message.rstrip(".")
        if self.citation:
            text += f" ({self.citation})"
        return (": ".join(where) + ": " if where else "") + text + "."


@dataclass
class CharterError(Exception):
    """One or more problems; nothing was written."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.sentence() for p in self.problems)


def fail(message: str, **where: object) -> CharterError:
    """A one-problem error, for raising: `raise fail("...", field="shares")`."""
    return CharterError([Problem(message, **where)])  # type: ignore[arg-type]
