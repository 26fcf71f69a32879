"""`charter curve --from A --to B`: payout per class and holder against the exit value, with
its exact breakpoints, as JSON, an SVG or a PNG chart (float coordinates only in the chart)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    ReadingOpt,
    console,
    deferred,
    parse_amount,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.errors import CharterError, Problem
from charter.explain import parse_readings
from charter.interop.tables import class_names, curve_sheets
from charter.numbers import money
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import curve as curve_rules
    from charter.rules import waterfall as waterfall_rules
    from charter.rules.curve import Curve
else:
    curve_rules = deferred("charter.rules.curve")
    waterfall_rules = deferred("charter.rules.waterfall")

X_AXIS = "exit value, $ millions (dashed lines: breakpoints)"
Y_AXIS = "paid to the class, $ millions"


def chart_lines(curve: Curve) -> dict[str, list[tuple[float, float]]]:
    """Each class's payout as chart coordinates: both ends of every segment (so jumps show)."""
    out: dict[str, list[tuple[float, float]]] = {}
    for c in curve.classes():
        pts: list[tuple[float, float]] = []
        for s in curve.segments:
            pts.append((float(s.lo), float(s.low.total(c))))
            pts.append((float(s.hi), float(s.high.total(c))))
        out[c] = pts
    return out


def svg_chart(curve: Curve, title: str, names: dict[str, str]) -> str:
    """The payout per class against the exit value, breakpoints dashed (views/charts.py, the
    web's chart code)."""
    from charter.views.charts import line_chart

    lines = chart_lines(curve)
    x0, x1 = float(curve.start), float(curve.end)
    ymax = max((y for pts in lines.values() for _, y in pts), default=1.0) or 1.0
    return (
        line_chart(
            "curve",
            title,
            (X_AXIS, Y_AXIS),
            {names.get(c, c): [(x, y, f"{y:,.2f}") for x, y in pts] for c, pts in lines.items()},
            [(x0 + (x1 - x0) * i / 5, f"{(x0 + (x1 - x0) * i / 5) / 1e6:,.1f}") for i in range(6)],
            [(ymax * i / 5, f"{ymax * i / 5 / 1e6:,.1f}") for i in range(6)],
            [(float(b), money(b)) for b in curve.breakpoints],
        )
        + "\n"
    )


def png_chart(curve: Curve, title: str, names: dict[str, str], path: Path) -> None:
    """The same chart as a PNG, drawn with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=110)
    for c, pts in chart_lines(curve).items():
        ax.plot([x for x, _ in pts], [y for _, y in pts], label=names.get(c, c), linewidth=2)
    for b in curve.breakpoints:
        ax.axvline(float(b), color="#bbbbbb", linestyle="--", linewidth=0.8)
    ax.set_title(title.replace("$", r"\$"))  # a dollar sign, not matplotlib's mathtext
    ax.xaxis.set_major_formatter(lambda x, _: f"{x / 1e6:,.1f}")
    ax.yaxis.set_major_formatter(lambda y, _: f"{y / 1e6:,.1f}")
    ax.set_xlabel(X_AXIS.replace("$", r"\$"))
    ax.set_ylabel(Y_AXIS.replace("$", r"\$"))
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def curve(
    start: Annotated[str, typer.Option("--from", help="Lowest exit value.")],
    end: Annotated[str, typer.Option("--to", help="Highest exit value.")],
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    svg: Annotated[Path | None, typer.Option("--svg", help="Write the chart as SVG.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write the chart as PNG.")] = None,
    reading: ReadingOpt = None,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """Payout per class and per holder as a function of the exit value, with breakpoints."""
    lo, hi = parse_amount(start, "--from"), parse_amount(end, "--to")
    if hi <= lo:
        raise CharterError([Problem(f"--to {end} must be above --from {start}", field="--to")])
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    co = waterfall_rules.company(state, settings)
    result = curve_rules.build(co, lo, hi)
    title = (
        f"{s.company.name}: payout per class for an exit of ${figures.amount(lo)} "
        f"to ${figures.amount(hi)}"
    )
    names = {c: figures.class_name(state, c) for c in result.classes()}
    if svg is not None:
        svg.write_text(svg_chart(result, title, names), encoding="utf-8")
    if png is not None:
        png_chart(result, title, names, png)
    if json_out:
        print_json(curve_rules.curve_json(result))
        return
    if xlsx or csv:
        names = {h.id: h.name for h in s.stakeholders()}
        sheets = curve_sheets(curve_rules.curve_json(result), names, class_names(state.certificate))
        write_out(sheets, xlsx, csv)
        return
    data = curve_rules.curve_json(result, holders=False)
    table = Table("exit value", "exact", "what changes", title=title)
    for b in data["breakpoints"]:  # type: ignore[attr-defined]
        table.add_row(figures.amount(b["exit"]), b["exact"], "; ".join(b["changes"]))
    show(table)
    for path in (svg, png):
        if path is not None:
            console.print(f"Chart written to {path}")
