"""One view of the terms "as adjusted" (DESIGN.md principle 7): the per-share figures of
Art. IV.B.1(a), 2(a), 2(b), 3(a) and 3(b)(ii)-(iii) after the ledger's splits, combinations,
stock dividends and recapitalizations, read by every rule from `adjusted_terms(state)`.

Worked by hand on Quintus with small holdings issued at the original issue prices (every
conversion ratio 1 before the splits)."""

from __future__ import annotations

import ast
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.rules.dividends import dividend
from charter.rules.ipo import ipo_json, simulate_ipo
from charter.rules.waterfall import waterfall, waterfall_json
from charter.state.adjusted_terms import adjusted_terms
from charter.state.model import State
from tests.conftest import ROOT
from tests.quintus_tables import state_of

F = Fraction

# --- the guard: no rule or state code reads a raw per-share figure -----------------------

# The fields of the terms that hold a per-share figure the text says is "as adjusted" (and
# the Cash Amount, whose following a split is a reading): outside the terms layer and
# state/adjusted_terms.py, only the adjusted view may be read.
RAW_PER_SHARE = {
    "original_issue_price",
    "preference_per_share",
    "cap_per_share",
    "rate_per_annum",
    "cash_amount",
    "ipo_price_protection",
}
GUARDED = [ROOT / "src" / "charter" / d for d in ("rules", "state")]
ALLOWED = {ROOT / "src" / "charter" / "state" / "adjusted_terms.py"}


def raw_reads(source: str) -> list[str]:
    """Attribute reads of a raw per-share field of the terms in a module's source."""
    return [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in RAW_PER_SHARE
    ]


def test_principle_7_no_rule_reads_a_raw_per_share_figure() -> None:
    hits = [
        f"{p.relative_to(ROOT)} {hit}"
        for d in GUARDED
        for p in sorted(d.rglob("*.py"))
        if p not in ALLOWED
        for hit in raw_reads(p.read_text(encoding="utf-8"))
    ]
    assert hits == []


@pytest.mark.parametrize(
    "line",
    [
        "c.liquidation.preference_per_share",
        "part.cap_per_share * n",
        "c.dividend.rate_per_annum",
        "conv.cash_amount.per_share",
        "c.conversion.ipo_price_protection.price",
        "c.original_issue_price / 2",
    ],
)
def test_principle_7_the_guard_catches_a_raw_read(line: str) -> None:
    """The guard would fail on the reads that let the defects of issue 11 §1 happen."""
    assert raw_reads(f"x = {line}\n") != []


# --- hand-worked: a 2:1 split of Series E in a liquidation --------------------------------

E_AND_COMMON = {"c1": {"common": 1_000_000}, "he": {"series_e": 1_000_000}}
SPLIT_E = {"date": "2000-06-01", "type": "split", "class": "series_e", "ratio": "2:1"}


@pytest.mark.parametrize(
    ("exit_value", "series_e", "common"),
    [(10_000_000, 7_075_000, 2_925_000), (18_000_000, 10_375_000, 7_625_000)],
)
def test_art_iv_b_2a_2b_split_of_series_e_leaves_its_claim_unchanged(
    exit_value: int, series_e: int, common: int
) -> None:
    """1,000,000 Series E and 1,000,000 Common; Series E split 2:1 (he holds 2,000,000).
    As adjusted: preference $4.15 / 2 = $2.075 a share (x 2,000,000 = $4,150,000, as before);
    common per share 2.075 / 4.15 = 1/2 (1,000,000 as converted, as before); cap
    $10.375 / 2 = $5.1875 a share ($10,375,000 in all, as before).
    Exit $10,000,000: preference 4,150,000; the rest 5,850,000 shared by 2,000,000 as
    converted, 2.925 each: Series E 4,150,000 + 2,925,000 = 7,075,000 (3.5375 a share, under
    the cap), Common 2,925,000; converting would give Series E 5,000,000: it does not.
    Exit $18,000,000: 4,150,000 + 13,850,000 / 2 = 11,075,000 passes the cap: Series E
    10,375,000, Common 7,625,000; converting would give 9,000,000: it does not.
    (Reading the raw $4.15 and $10.375 per share would give Series E 9,150,000 and
    11,075,000.)"""
    before = waterfall(state_of("quintus", E_AND_COMMON), F(exit_value))
    after = waterfall(state_of("quintus", E_AND_COMMON, [SPLIT_E]), F(exit_value))
    for w in (before, after):
        assert w.split.total("series_e") == series_e
        assert w.split.total("common") == common
    lines = waterfall_json(after)["trace"]
    assert any(
        "liquidation preference $4.15, as adjusted for the 2:1 split of 2000-06-01: $2.075" in x
        for x in lines  # type: ignore[union-attr]
    )
    assert any("participation cap $10.375, as adjusted for the 2:1 split" in x for x in lines)  # type: ignore[union-attr]


def test_art_iv_b_2a_figure_explains_itself() -> None:
    """The view says what adjusted each figure: $4.15 / 2 = $2.075; a later 1:4 combination
    makes it $2.075 x 4 = $8.30."""
    combine = {"date": "2000-07-01", "type": "split", "class": "series_e", "ratio": "1:4"}
    s = state_of("quintus", E_AND_COMMON, [SPLIT_E, combine])
    pref = adjusted_terms(s).of("series_e").preference
    assert pref is not None and pref.value == F("8.30")
    assert pref.explain() == (
        "$4.15, as adjusted for the 2:1 split of 2000-06-01 and the 1:4 combination of "
        "2000-07-01: $8.30"
    )


# --- hand-worked: a 2:1 split of Series A, the waterfall and `charter ipo` agree -----------

A_AND_COMMON = {"c1": {"common": 1_000_000}, "ha": {"series_a": 1_000_000}}
SPLIT_A = {"date": "2000-06-01", "type": "split", "class": "series_a", "ratio": "2:1"}


@pytest.mark.parametrize(
    ("reading", "cash"),
    [(None, 925_000), ("as-written", 1_850_000)],
)
def test_art_iv_b_3a_series_a_cash_amount_after_a_split_same_in_waterfall_and_ipo(
    reading: str | None, cash: int
) -> None:
    """Series A split 2:1: ha holds 2,000,000 shares, each converting into
    ($1.00 / 2) / $1.00 = 1/2 common (1,000,000 in all).
    cash-amount-splits = as-adjusted (default): $0.925 / 2 = $0.4625 a share, 925,000 in all,
    what 1,000,000 shares were due before the split. as-written: $0.925 x 2,000,000 =
    1,850,000.
    Waterfall at $10,000,000: the Series A converts (its preference is only $1,000,000): the
    Cash Amount ranks first (no Series F), then 1,000,000 + 1,000,000 common share the rest:
    as-adjusted 9,075,000 / 2 = 4,537,500, Series A 925,000 + 4,537,500 = 5,462,500.
    `charter ipo` at $16.00 on the same ledger owes the same Cash Amount."""
    settings = {} if reading is None else {"cash-amount-splits": reading}
    s = state_of("quintus", A_AND_COMMON, [SPLIT_A])
    s.readings.update(settings)
    w = waterfall(s, F(10_000_000), settings)
    assert w.split.cash["series_a"] == cash
    ipo = ipo_json(simulate_ipo(s, F(16), F(60_000_000)))
    assert ipo["cash"]["due"] == f"{cash}.00"  # type: ignore[index]
    assert ipo["holders"]["ha"]["series_a"]["common"] == 1_000_000  # type: ignore[index]
    if reading is None:
        assert w.split.total("series_a") == 5_462_500
        assert w.trace.interpretations["cash-amount-splits"] == "as-adjusted"


# --- the property: a split changes nobody's money ----------------------------------------

CLASSES = ["common", "series_a", "series_c", "series_e", "series_f"]
RATIOS = ["2:1", "3:1", "1:2", "3:2", "1:4", "5:4"]
# at most 250,000 a holder: two holders of Series F split 3:1 make 1,500,000 shares, its
# authorized number (Art. IV.B); a split beyond it is refused (replay), not a case here
thousands = st.integers(min_value=1, max_value=250).map(lambda n: n * 1_000)


@st.composite
def companies(draw: st.DrawFn) -> dict[str, dict[str, int]]:
    """Each class held by one or two holders, in thousands (so that every split and every
    conversion after it comes to whole shares: no 3(h) rounding to allow for)."""
    out: dict[str, dict[str, int]] = {}
    for c in CLASSES:
        for h in draw(st.sets(st.sampled_from(["h1", "h2", "h3"]), min_size=1, max_size=2)):
            out.setdefault(h, {})[c] = draw(thousands)
    return out


def _split(class_id: str, ratio: str) -> dict[str, str]:
    return {"date": "2000-06-01", "type": "split", "class": class_id, "ratio": ratio}


def _by_holder(amounts: dict[str, dict[str, Fraction]]) -> dict[str, Fraction]:
    return {h: sum(by.values(), F(0)) for h, by in amounts.items()}


def _dividend_by_holder(s: State, amount: Fraction) -> dict[str, Fraction]:
    r = dividend(s, amount)
    out: dict[str, Fraction] = {}
    for h, by in s.holdings.items():
        for c, n in by.items():
            if c in r.classes and r.shares[c]:
                out[h] = out.get(h, F(0)) + r.classes[c] * n / r.shares[c]
    return out


def _ipo_by_holder(s: State, price: Fraction) -> dict[str, Fraction]:
    """What each holder has after the offering: its common (held and received) at the
    offering price, and its Cash Amounts."""
    r = simulate_ipo(s, price, F(60_000_000))
    out: dict[str, Fraction] = {}
    for h, by in s.holdings.items():
        if "common" in by:
            out[h] = by["common"] * price
    for x in r.conversions.holders:
        out[x.holder] = out.get(x.holder, F(0)) + x.common * price + x.cash_due
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    holdings=companies(),
    class_id=st.sampled_from(CLASSES),
    ratio=st.sampled_from(RATIOS),
    exit_cents=st.integers(min_value=0, max_value=12_000_000_000),
    declared_cents=st.integers(min_value=1, max_value=2_000_000_000),
    price_cents=st.integers(min_value=100, max_value=2_000),
)
def test_property_a_split_pays_every_holder_what_it_was_paid_before(
    holdings: dict[str, dict[str, int]],
    class_id: str,
    ratio: str,
    exit_cents: int,
    declared_cents: int,
    price_cents: int,
) -> None:
    """Art. IV.B.1(a), 2(a)-(b), 3(a)-(b), 3(d)(iii)-(iv): a split or combination of any
    class at any ratio changes no holder's waterfall, dividend or offering (the offering
    price of the Common divided by the Common's ratio; common received rounded by 3(h), so
    within one share's price)."""
    before = state_of("quintus", holdings)
    after = state_of("quintus", holdings, [_split(class_id, ratio)])
    exit_value = F(exit_cents, 100)
    assert _by_holder(waterfall(after, exit_value).holders) == _by_holder(
        waterfall(before, exit_value).holders
    )
    declared = F(declared_cents, 100)
    assert _dividend_by_holder(after, declared) == _dividend_by_holder(before, declared)
    price = F(price_cents, 100)
    r = F(ratio.split(":")[0]) / F(ratio.split(":")[1]) if class_id == "common" else F(1)
    got, had = _ipo_by_holder(after, price / r), _ipo_by_holder(before, price)
    assert got.keys() == had.keys()
    for h in had:
        assert abs(got[h] - had[h]) <= max(price, price / r), h
