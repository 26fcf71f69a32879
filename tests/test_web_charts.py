"""The charts drawn on the server (views/charts.py): ownership by class and by holder on the
cap table page, the conversion prices over time; their figures are the tables' figures."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient

from charter.rules.captable import captable, captable_json
from charter.service import open_session
from charter.views.charts import bar_chart, step_lines
from tests.conftest import ROOT
from tests.web_support import QUINTUS, sign_in


def test_class_totals_by_hand_for_the_venture_example() -> None:
    """Northwind (examples/venture.yaml): common 4,000,000 + 2,000,000; Series A 4,000,000,
    B 2,000,000, C 2,000,000, each converting 1:1; options 600,000 + 300,000 + 100,000 over
    common; plan of 1,500,000, so 500,000 unallocated.
    As converted: 6,000,000 + 4,000,000 + 2,000,000 + 2,000,000 = 14,000,000.
    Fully diluted with the pool: 14,000,000 + 1,000,000 + 500,000 = 15,500,000.
    Common: 6,000,000 / 14,000,000 = 42.857142...% -> 42.8571;
            (6,000,000 + 1,000,000) / 15,500,000 = 45.161290...% -> 45.1613.
    Series A: 4/14 = 28.571428...% -> 28.5714; 4/15.5 = 25.806451...% -> 25.8065."""
    data = captable_json(captable(open_session(ROOT / "examples" / "venture.yaml").state()))
    totals = data["class_totals"]
    assert totals["common"] == {  # type: ignore[index]
        "as_converted": 6_000_000,
        "fully_diluted": 7_000_000,
        "outstanding_pct": "42.8571",
        "fully_diluted_pct": "45.1613",
    }
    assert totals["series_a"]["fully_diluted_pct"] == "25.8065"  # type: ignore[index]
    assert totals["series_a"]["outstanding_pct"] == "28.5714"  # type: ignore[index]
    # independently: the classes' counts add up to the cap table's totals
    assert sum(t["as_converted"] for t in totals.values()) == data["totals"]["as_converted"]  # type: ignore[attr-defined,index]
    assert (
        sum(t["fully_diluted"] for t in totals.values()) + data["totals"]["unallocated_pool"]  # type: ignore[attr-defined,index]
        == data["totals"]["fully_diluted_with_pool"]  # type: ignore[index]
    )


def _bars(svg: str) -> dict[tuple[str, str], str]:
    return {
        (html.unescape(label), series): value
        for label, series, value in re.findall(
            r'data-label="([^"]*)" data-series="([^"]*)" data-value="([^"]*)"', svg
        )
    }


def test_the_ownership_charts_show_the_tables_figures(client: TestClient) -> None:
    """Each class's and each listed holder's bars carry the percentages its table row shows."""
    sign_in(client, "counsel")
    page = client.get(f"/c/{QUINTUS}/captable", params={"per": 500}).text
    by_class = _bars(page.split('id="ownership-by-class"')[1].split("</figure>")[0])
    by_holder = _bars(page.split('id="ownership-by-holder"')[1].split("</figure>")[0])
    rows = re.findall(
        r'<tr data-class="([^"]+)">.*?<td class="num">([^<]*)</td><td class="num">([^<]*)</td></tr>',
        page,
    )
    assert len(rows) == 7
    names = {"common": "Common Stock", "series_a": "Series A Preferred Stock"}
    for cid, out, fd in rows:
        if cid in names:
            assert by_class[(names[cid], "Outstanding")] == out
            assert by_class[(names[cid], "Fully diluted")] == fd
    assert len(by_class) == 14
    holder_rows = re.findall(
        r'<tr data-holder="[^"]+"><td>([^<]*)</td>.*?<td class="num">([^<]*)</td>'
        r'<td class="num">([^<]*)</td></tr>',
        page,
    )
    table = {html.unescape(n): (o, f) for n, o, f in holder_rows}
    assert len(by_holder) == 24  # the 12 largest, two bars each
    for (name, series), value in by_holder.items():
        assert value == table[name][0 if series == "Outstanding" else 1]


def test_chart_text_is_escaped_and_titled() -> None:
    svg = bar_chart("c", "Ownership <by> holder", ["Outstanding"], [('<script>"x"', ["1.5"])])
    assert "<script>" not in svg and "&lt;script&gt;&quot;x&quot;" in svg
    assert '<title id="c-t">Ownership &lt;by&gt; holder</title>' in svg
    assert 'aria-labelledby="c-t c-d"' in svg


def test_prices_hold_until_they_change() -> None:
    """A price of 1.00 from 1999-01-01, 0.95 from 1999-06-01, held to 1999-12-31: a step."""
    day = dt.date
    lines = step_lines(
        {"s": (day(1999, 1, 1), "1.00")}, {"s": [(day(1999, 6, 1), "0.95")]}, day(1999, 12, 31)
    )
    o = lambda d: float(d.toordinal())  # noqa: E731
    assert lines["s"] == [
        (o(day(1999, 1, 1)), 1.0, "1.00"),
        (o(day(1999, 6, 1)), 1.0, "1.00"),
        (o(day(1999, 6, 1)), 0.95, "0.95"),
        (o(day(1999, 12, 31)), 0.95, "0.95"),
    ]


def test_the_price_chart_shows_the_tables_prices(client: TestClient) -> None:
    """Each series' line carries the original issue price and every price of its history, as
    the table prints them."""
    sign_in(client, "counsel")
    page = client.get(f"/c/{QUINTUS}/conversion-prices").text
    chart = page.split('id="price-over-time"')[1].split("</figure>")[0]
    prices = re.findall(
        r'<tr data-class="([^"]+)"><td>.*?</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>',
        page,
    )
    assert prices
    for series, original, current in prices:
        shown = set(re.findall(rf'data-series="{series}" data-value="([^"]*)"', chart))
        assert {original, current} <= shown
