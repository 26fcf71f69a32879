"""Errors are values with locations, meant for people (DESIGN.md principle 5)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is, which field, what is wrong, and the clause it breaks."""

    message: str
    file: str | None = None
    line: int | None = None
    index: int | None = None
    event_id: str | None = None
    field: str | None = None
    citation: str | None = None

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
