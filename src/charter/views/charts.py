"""Charts as SVG markup drawn on the server: grouped bars (ownership by class or by holder)
and lines over an axis (conversion prices over time, a payout curve). The figures shown are
the strings of the rule output the tables print, written beside the marks; floats are only
coordinates. Every text is escaped (and shown, charter.printable); each chart has a <title>
and <desc> for screen readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

from charter import printable

PALETTE = ("#2f6fca", "#d9822b", "#3f9c5a", "#b54a8c", "#7b61c4", "#c9a227", "#2aa3a3", "#8c5a3c")
WIDTH = 760
FONT = 13


def _t(text: object) -> str:
    """A text of the chart: escaped, its control and bidirectional formatting characters
    shown as their escapes (charter.printable)."""
    return escape(printable.shown(str(text)), quote=True)


def _head(title: str, desc: str, height: float, ident: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="{WIDTH}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" id="{ident}">',
        f'<title id="{ident}-t">{_t(title)}</title><desc id="{ident}-d">{_t(desc)}</desc>',
        '<rect width="100%" height="100%" fill="#fff"/>',
        f'<text x="0" y="{FONT + 3}" font-size="{FONT + 2}" font-weight="600" fill="#1d2330">'
        f"{_t(title)}</text>",
    ]


def _legend(series: Sequence[str], y: float) -> tuple[list[str], float]:
    """A key of the series' colours, in rows across the chart; and the y below it."""
    parts, x = [], 0.0
    for i, name in enumerate(series):
        advance = 30 + 7.5 * len(name)
        if x and x + advance > WIDTH:
            x, y = 0.0, y + 20
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{x + 17:.1f}" y="{y:.1f}" fill="#1d2330">{_t(name)}</text>')
        x += advance
    return parts, y + 10


def _short(label: str, room: int) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"


def bar_chart(
    ident: str,
    title: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str]]],
    unit: str = "%",
    scale: float = 100.0,
) -> str:
    """Grouped horizontal bars: a row per label, a bar per series, each figure (a decimal
    string, as the table prints it) written at the end of its bar and kept in `data-value`;
    the bars measured against `scale` (a whole, 100%), gridlines at its quarters."""
    label_w, bar_h, gap = 230, 12, 12
    room = WIDTH - label_w - 90
    values = [float(v) for _, vs in rows for v in vs]
    top_value = max([scale, *values])
    row_h = bar_h * len(series) + gap
    key, top = _legend(series, 38)
    top += 16
    height = top + row_h * len(rows) + 8
    grid = []
    for q in range(5):
        x = label_w + room * q / 4
        grid.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#eaecf0"/>'
            f'<text x="{x:.1f}" y="{top - 7}" text-anchor="middle" font-size="{FONT - 2}" '
            f'fill="#667085">{_t(f"{top_value * q / 4:g}{unit}")}</text>'
        )
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s} {v}{unit}" for s, v in zip(series, vs, strict=True))
        for label, vs in rows
    )
    parts = _head(title, desc, height, ident) + key + grid
    for r, (label, vs) in enumerate(rows):
        y = top + r * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * len(series) / 2 + 4:.1f}" '
            f'text-anchor="end" fill="#1d2330"><title>{_t(label)}</title>{_t(_short(label, 30))}'
            "</text>"
        )
        for i, (name, v) in enumerate(zip(series, vs, strict=True)):
            w = max(float(v) / top_value * room, 0.0)
            by = y + i * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{by:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[i % len(PALETTE)]}" data-label="{_t(label)}" '
                f'data-series="{_t(name)}" data-value="{_t(v)}">'
                f"<title>{_t(label)}: {_t(name)} {_t(v)}{_t(unit)}</title></rect>"
            )
            parts.append(
                f'<text x="{label_w + w + 5:.1f}" y="{by + bar_h - 2:.1f}" font-size="{FONT - 1}" '
                f'fill="#475467">{_t(v)}{_t(unit)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    ident: str,
    title: str,
    axes: tuple[str, str],
    lines: Mapping[str, Sequence[tuple[float, float, str]]],
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    marks: Sequence[tuple[float, str]] = (),
) -> str:
    """Lines over an x axis: each line's points (x, y, the figure shown for the point, kept
    in `data-value`), the axes' titles, ticks and labels, dashed marks (breakpoints)."""
    key, top = _legend(list(lines), 38)
    top += 12
    left, right, bottom = 70, 30, 52
    height = top + 340
    xs = [x for pts in lines.values() for x, _, _ in pts] + [x for x, _ in x_ticks]
    ys = [y for pts in lines.values() for _, y, _ in pts] + [y for y, _ in y_ticks]
    x0, x1 = min(xs, default=0.0), max(xs, default=1.0)
    y1 = max(ys, default=1.0) or 1.0
    span = (x1 - x0) or 1.0

    def px(x: float) -> float:
        return left + (x - x0) / span * (WIDTH - left - right)

    def py(y: float) -> float:
        return height - bottom - y / y1 * (height - top - bottom)

    desc = "; ".join(f"{name}: " + ", ".join(p[2] for p in pts) for name, pts in lines.items())
    parts = _head(title, desc, height, ident) + key
    base = py(0)
    parts += [
        f'<line x1="{left}" y1="{base:.1f}" x2="{WIDTH - right}" y2="{base:.1f}" stroke="#1d2330"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base:.1f}" stroke="#1d2330"/>',
        f'<text x="{(left + WIDTH - right) / 2:.0f}" y="{height - 8}" text-anchor="middle" '
        f'fill="#475467">{_t(axes[0])}</text>',
        f'<text x="14" y="{(top + base) / 2:.0f}" text-anchor="middle" fill="#475467" '
        f'transform="rotate(-90 14 {(top + base) / 2:.0f})">{_t(axes[1])}</text>',
    ]
    for x, label in x_ticks:
        parts.append(
            f'<text x="{px(x):.1f}" y="{base + 18:.1f}" text-anchor="middle" '
            f'font-size="{FONT - 1}" fill="#475467">{_t(label)}</text>'
        )
    for y, label in y_ticks:
        parts.append(
            f'<line x1="{left}" y1="{py(y):.1f}" x2="{WIDTH - right}" y2="{py(y):.1f}" '
            f'stroke="#eaecf0"/><text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end" '
            f'font-size="{FONT - 1}" fill="#475467">{_t(label)}</text>'
        )
    for x, label in marks:
        parts.append(
            f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{base:.1f}" '
            f'stroke="#98a2b3" stroke-dasharray="4 3"><title>{_t(label)}</title></line>'
        )
    for i, (name, pts) in enumerate(lines.items()):
        color = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y, _ in pts)
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{path}" '
            f'data-series="{_t(name)}"><title>{_t(name)}</title></polyline>'
        )
        for x, y, shown in pts:
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}" '
                f'data-series="{_t(name)}" data-value="{_t(shown)}">'
                f"<title>{_t(name)}: {_t(shown)}</title></circle>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def step_lines(
    starts: Mapping[str, tuple[dt.date, str]],
    changes: Mapping[str, Sequence[tuple[dt.date, str]]],
    end: dt.date,
) -> dict[str, list[tuple[float, float, str]]]:
    """Values that hold until they change (a conversion price from its series' first issue
    until each adjustment), as a line's points: a step at each change, held to `end`."""
    out: dict[str, list[tuple[float, float, str]]] = {}
    for name, (day, value) in starts.items():
        pts = [(float(day.toordinal()), float(value), value)]
        for when, new in changes.get(name, ()):
            pts.append((float(when.toordinal()), pts[-1][1], pts[-1][2]))
            pts.append((float(when.toordinal()), float(new), new))
        if float(end.toordinal()) > pts[-1][0]:
            pts.append((float(end.toordinal()), pts[-1][1], pts[-1][2]))
        out[name] = pts
    return out


def date_ticks(first: dt.date, last: dt.date, count: int = 6) -> list[tuple[float, str]]:
    """Ticks along a date axis, labelled YYYY-MM."""
    span = max((last - first).days, 1)
    days = [first + dt.timedelta(days=round(span * i / (count - 1))) for i in range(count)]
    return [(float(d.toordinal()), d.strftime("%Y-%m")) for d in days]


def value_ticks(top: float, count: int = 5) -> list[tuple[float, str]]:
    """Ticks from zero to a round number at or above `top`."""
    step = max(top, 1e-9) / (count - 1)
    magnitude = 10 ** len(str(int(step))) / 10 if step >= 1 else 0.1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    return [(step * i, f"{step * i:,.2f}") for i in range(count)]
