"""`charter interpretations`: the readings of the text the engine offers, and their defaults."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from charter.cli.common import JsonOpt, print_json
from charter.cli.tables import show
from charter.explain import all_interpretations, render_markdown


def interpretations(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print docs/interpretations.md.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Every point where the documents admit more than one reading (DESIGN.md principle 4)."""
    items = all_interpretations()
    if markdown:
        typer.echo(render_markdown(), nl=False)
    elif json_out:
        print_json(
            {
                i.id: {
                    "question": i.question,
                    "citation": i.citation,
                    "readings": dict(i.readings),
                    "default": i.default,
                }
                for i in items
            }
        )
    else:
        table = Table(
            "reading", "question", "clause", "choices (default first)", title="Readings of the text"
        )
        for i in items:
            choices = [i.default, *(c for c in i.readings if c != i.default)]
            table.add_row(i.id, i.question, i.citation, ", ".join(choices))
        show(table)
