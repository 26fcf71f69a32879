"""The waterfall explorer's data (views/explorer.py): the exact curve as pieces whose end
values, interpolated, give every holder's exact amount per class at any exit value, as
`charter waterfall` computes it (Art. IV.B.2). The browser's evaluation of the same pieces is
checked against the server in tests/test_web_browser.py."""

from __future__ import annotations

import random
from fractions import Fraction

from charter.rules.curve import build
from charter.rules.waterfall import company, waterfall
from charter.service import open_session
from charter.views.explorer import explorer_json
from tests.conftest import ROOT


def value(piece: dict, pair: list[str], x: Fraction) -> Fraction:  # type: ignore[type-arg]
    a, b = (Fraction(s) for s in pair)
    lo, hi = Fraction(piece["lo"]), Fraction(piece["hi"])
    return a if lo == hi else a + (b - a) * (x - lo) / (hi - lo)


def test_art_iv_b_2_explorer_pieces_give_each_holders_exact_amount() -> None:
    """At 200 random exit values (whole cents) and at every breakpoint in whole cents of the example's curve
    from 0 to 200,000,000, interpolating the piece that holds the value gives each holder's
    exact amount per class (before rounding to cents) and each class's amount, equal to the
    waterfall's own exact figures at that value."""
    st = open_session(ROOT / "examples" / "quintus.yaml").state()
    co = company(st)
    top = Fraction(200_000_000)
    data = explorer_json(build(co, Fraction(0), top))
    rng = random.Random(15)
    values = [Fraction(rng.randrange(0, int(top) * 100), 100) for _ in range(200)]
    values += [
        Fraction(p["lo"]) for p in data["points"] if (Fraction(p["lo"]) * 100).denominator == 1
    ]
    for x in values:
        pieces = [p for p in data["points"] if Fraction(p["lo"]) == x] or [
            s for s in data["spans"] if Fraction(s["lo"]) < x < Fraction(s["hi"])
        ]
        assert len(pieces) == 1, x
        piece = pieces[0]
        w = waterfall(st, x, co=co)
        exact = {(h, c): Fraction(n, w.denominator) for (h, c), n in w.numerators.items()}
        mine = {(h, c): value(piece, [a, b], x) for h, c, a, b in piece["holders"]}
        assert mine == exact, x
        for c, v in piece["classes"].items():
            assert value(piece, v["at"], x) == w.split.total(c), (x, c)
