"""The conversion price of every series with its history (Art. IV.B.3(d)), as the state's
replay computed it: each change with its date, event, A, B, C, old and new price and clause,
and the adjustment carried forward under one cent (3(d)(i)(B))."""

from __future__ import annotations

from fractions import Fraction

import msgspec

from charter.explain import Trace, declared
from charter.numbers import per_share
from charter.state.adjusted_terms import issue_price
from charter.state.model import PriceChange, State


class SeriesPrice(msgspec.Struct, frozen=True):
    class_id: str
    issue_price: Fraction  # the Original Issue Price, as adjusted
    conversion_price: Fraction
    ratio: Fraction
    history: list[PriceChange]
    carried_forward: Fraction


class ConversionPrices(msgspec.Struct):
    series: list[SeriesPrice] = msgspec.field(default_factory=list)
    trace: Trace = msgspec.field(default_factory=Trace)


def conversion_prices(state: State) -> ConversionPrices:
    """Every convertible series' price in force as of the state's date."""
    out = ConversionPrices()
    bk = state.antidilution_book
    for c in state.certificate.preferred:
        oip = issue_price(state, c)
        price = state.conversion_price(c.id)
        if oip is None or price is None:
            continue
        carried = bk.prices.carried_total(c.id) if bk is not None else Fraction(0)
        history = state.price_history.get(c.id, [])
        out.series.append(
            SeriesPrice(c.id, oip, price, state.conversion_ratio(c.id), history, carried)
        )
        for h in history:
            out.trace.cite(h.citation)
    relied = bk.relied if bk is not None else {}
    for key in sorted(relied):
        out.trace.read(declared(key), {key: relied[key]})
    return out


def conversion_prices_json(result: ConversionPrices) -> dict[str, object]:
    """The shape of `charter conversion-prices --json` (spec/cli-contract.md)."""

    def figure(x: Fraction | None) -> str | None:
        return None if x is None else per_share(x)

    data: dict[str, object] = {
        s.class_id: {
            "original_issue_price": per_share(s.issue_price),
            "conversion_price": per_share(s.conversion_price),
            "ratio": per_share(s.ratio),
            "history": [
                {
                    "date": h.date.isoformat(),
                    "event": h.event,
                    "from": per_share(h.old),
                    "to": per_share(h.new),
                    "citation": h.citation,
                    "kind": h.kind,
                    "a": figure(h.a),
                    "b": figure(h.b),
                    "c": figure(h.c),
                    "carried_forward": per_share(h.carried_forward),
                }
                for h in s.history
            ],
            "carried_forward": per_share(s.carried_forward),
        }
        for s in result.series
    }
    return data
