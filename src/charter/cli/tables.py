"""Printing a table so that no figure is ever cut.

Every table command builds a Rich `Table` and prints it with `show`. A column whose cells are
all figures (shares, amounts, prices, percentages) is right-aligned and never narrower than
its longest figure; other columns (names, clauses, sentences) wrap. When stdout is not a
terminal (a file, a pipe), the table is printed as plain text aligned in columns at its full
width, so nothing depends on the width of a terminal that is not there."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text

from charter.cli import common
from charter.printable import shown

FIGURE = re.compile(r"^[-−(]?[$]?[\d,]*\d(\.\d+)?%?\)?( ?[×x%])?$|^[-—–]$")
"""A cell that is a figure: `1,900,000`, `$5,319,903.41`, `0.0125`, `12.5%`, `(3)`, `2×`, or
a dash for none."""


def plain(cell: object) -> str:
    """The text of a cell as it is printed, without styles: a cell is data, and the console
    reads no markup in it (charter.cli.common), so a name written `Fund [Cayman] L.P.` is
    that name, on a terminal and in a file alike; a control character is shown as its
    escape (charter.printable)."""
    return shown(cell.plain if isinstance(cell, Text) else str(cell))


def cells(table: Table) -> list[list[str]]:
    """Each column's cells, as plain text."""
    return [[plain(c) for c in column._cells] for column in table.columns]


WORD = 14
"""The narrowest a column of names may become: a word up to this long is never split."""


def least_width(column: list[str]) -> int:
    """The narrowest a column of words may become: no word with a figure in it is split, and
    no other word up to WORD long."""
    words = [w for c in column for w in c.split()]
    return max(
        min(WORD, max((len(w) for w in words), default=1)),
        max((len(w) for w in words if any(ch.isdigit() for ch in w)), default=1),
    )


def is_figures(column: list[str]) -> bool:
    """Whether a column holds figures only (blank cells allowed, at least one figure)."""
    filled = [c for c in column if c.strip()]
    return bool(filled) and all(FIGURE.match(c.strip()) for c in filled)


def show(table: Table) -> None:
    """Print `table` whole: figures right-aligned at full width, names wrapped; plain aligned
    text when stdout is not a terminal."""
    columns = cells(table)
    figures = [is_figures(c) for c in columns]
    console = common.console
    if not console.is_terminal:
        console.file.write(plain_text(table, columns, figures))
        return
    natural = [
        width([plain(c.header), *body]) for c, body in zip(table.columns, columns, strict=True)
    ]
    least = [
        n if f else min(n, least_width([plain(c.header), *body]))
        for c, body, n, f in zip(table.columns, columns, natural, figures, strict=True)
    ]
    overhead = table._extra_width + 2 * len(table.columns)
    widths = fit(natural, least, console.width - overhead)
    for column, w, figure in zip(table.columns, widths, figures, strict=True):
        column.width = w
        if figure:
            column.justify = "right"
            column.no_wrap = True
        else:
            column.overflow = "fold"
    screen = console.width
    console.width = max(screen, sum(widths) + overhead)  # wider than the screen: lines wrap
    try:
        console.print(table, crop=False)
    finally:
        console.width = screen


def width(column: list[str]) -> int:
    """The widest line of a column."""
    return max((len(line) for cell in column for line in cell.splitlines()), default=0)


def fit(natural: list[int], least: list[int], room: int) -> list[int]:
    """Each column's width: its natural width if all fit in `room`; otherwise each column at
    least `least` (a figure's least is its natural width), the room left shared among the
    columns that wrap in proportion to what they would still take."""
    if sum(natural) <= room:
        return natural
    spare = room - sum(least)
    wants = [n - m for n, m in zip(natural, least, strict=True)]
    if spare <= 0 or not sum(wants):
        return least
    return [m + spare * w // sum(wants) for m, w in zip(least, wants, strict=True)]


def plain_text(table: Table, columns: list[list[str]], figures: list[bool]) -> str:
    """The table as lines of text: a title, a header, a rule, the rows; two spaces between
    columns; figures right-aligned; nothing cut."""
    headers = [plain(c.header) for c in table.columns]
    widths = [width([h, *body]) for h, body in zip(headers, columns, strict=True)]

    def row(values: list[str]) -> list[str]:
        split = [v.splitlines() or [""] for v in values]
        height = max(len(s) for s in split)
        lines = []
        for i in range(height):
            parts = [
                (s[i] if i < len(s) else "").rjust(w)
                if f
                else (s[i] if i < len(s) else "").ljust(w)
                for s, w, f in zip(split, widths, figures, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
        return lines

    out: list[str] = []
    if table.title:
        out.append(plain(table.title))
    out += row(headers)
    out.append("  ".join("-" * w for w in widths))
    for r in range(table.row_count):
        out += row([c[r] for c in columns])
        if r in end_sections(table):
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n\n"


def end_sections(table: Table) -> set[int]:
    """The rows after which the table draws a line (a totals row follows)."""
    return {i for i, r in enumerate(table.rows) if r.end_section}


def add_total(table: Table, *cells: str) -> None:
    """A totals row, under a line, when the table has rows to total."""
    if table.rows:
        table.rows[-1].end_section = True
        table.add_row(*cells)
