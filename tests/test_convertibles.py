"""SAFEs and convertible notes: issued, converted at the next priced round by their terms, and
deemed issued under Art. IV.B.3(d)(i)(E)(2); every figure worked by hand below.

The base company of tests/ledgers/builder.py: 1,000,000 common and 1,000,000 Series A
(Conversion Price $1.00, one common each), so the capital stock as converted is 2,000,000.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pytest

from charter.errors import CharterError
from charter.ledger.fileformat import parse_event
from charter.state.convertibles import Terms, conversion_amount, solve
from tests.ledgers.builder import BASE, run


def safe(date: str, sid: str, amount: str, **kw: Any) -> dict[str, Any]:
    return {
        "date": date,
        "type": "issue_convertible",
        "id": sid,
        "kind": kw.pop("kind", "safe"),
        "holder": kw.pop("holder", "angel"),
        "amount": amount,
        **kw,
    }


def convert(date: str, ids: list[str], cls: str, price: str, **kw: Any) -> dict[str, Any]:
    return {
        "date": date,
        "type": "convert_convertible",
        "convertibles": ids,
        "class": cls,
        "price": price,
        **kw,
    }


TOP_UP = {"date": "2001-05-01", "type": "adopt_plan", "id": "plan-top-up", "shares": 500_000}


def test_post_money_safe_cap_counts_the_pool_top_up_and_the_safes_themselves() -> None:
    """Two post-money SAFEs: safe-1 $400,000 at a $8,000,000 cap, safe-2 $200,000 at a
    $10,000,000 cap; a 500,000-share pool top-up before the round; the round (Series E) at
    $4.15.

    The company capitalization counts the capital stock as converted (2,000,000), the pool
    with its top-up (500,000): base = 2,500,000; and, the caps being post-money, the shares
    both SAFEs convert into. At their caps each SAFE gets amount x C / cap, so

        C = 2,500,000 + (400,000/8,000,000 + 200,000/10,000,000) x C
          = 2,500,000 + 0.07 C,   C = 2,500,000 / 0.93 = 2,688,172.04...

    Cap prices: 8,000,000 / C = 8,000,000 x 0.93 / 2,500,000 = $2.976 and
    10,000,000 x 0.93 / 2,500,000 = $3.72, both below $4.15: both convert at their caps.
    safe-1: 400,000 / 2.976 = 0.05 C = 125,000 / 0.93 = 134,408.60 -> 134,408 (rounded down);
    safe-2: 0.02 C = 50,000 / 0.93 = 53,763.44 -> 53,763. Each owns exactly amount / cap of
    C (5% and 2%): the top-up dilutes the holders before the round, not the SAFEs.

    Without the top-up, base = 2,000,000: with both at their caps C would be 2,000,000 / 0.93
    and safe-2's cap price 10,000,000 x 0.93 / 2,000,000 = $4.65, above $4.15, so safe-2
    converts at the round's price: 200,000 / 4.15 = 4,000,000/83 = 48,192.77 shares. Only
    safe-1 at its cap: C = (2,000,000 + 4,000,000/83) / 0.95 = 3,400,000,000/1,577 =
    2,155,992.39; safe-1 gets 0.05 C = 107,799.62 -> 107,799, at 8,000,000 / C =
    1,577/425 = $3.7106 a share (consistent: $10,000,000 / C = $4.64 > $4.15 for safe-2)."""
    s = run(
        [
            *BASE,
            safe("2000-06-01", "safe-1", "400000", valuation_cap="8000000"),
            safe("2000-07-01", "safe-2", "200000", valuation_cap="10000000", holder="f2"),
            TOP_UP,
            convert("2001-06-01", ["safe-1", "safe-2"], "series_e", "4.15", id="round"),
        ]
    )
    c1, c2 = s.convertibles["safe-1"], s.convertibles["safe-2"]
    assert c1.conversion_price == Fraction(2976, 1000)
    assert c2.conversion_price == Fraction(372, 100)
    assert (c1.shares, c2.shares) == (134_408, 53_763)
    assert s.held("angel", "series_e") == 134_408 and s.held("f2", "series_e") == 53_763
    assert c1.event == "round" and c1.class_id == "series_e"
    without = run(
        [
            *BASE,
            safe("2000-06-01", "safe-1", "400000", valuation_cap="8000000"),
            safe("2000-07-01", "safe-2", "200000", valuation_cap="10000000", holder="f2"),
            convert("2001-06-01", ["safe-1", "safe-2"], "series_e", "4.15"),
        ]
    )
    assert without.convertibles["safe-1"].shares == 107_799
    assert without.convertibles["safe-1"].conversion_price == Fraction(1577, 425)
    assert without.convertibles["safe-2"].conversion_price == Fraction(415, 100)
    assert without.convertibles["safe-2"].shares == 48_192


def test_pre_money_safe_takes_the_better_of_cap_and_discount() -> None:
    """A pre-money SAFE, $500,000, cap $4,000,000, discount 20%; capitalization without the
    SAFE 2,000,000: cap price 4,000,000 / 2,000,000 = $2.00.

    A round at $3.00: discount price 3.00 x 0.80 = $2.40 > $2.00: the cap, 500,000 / 2.00 =
    250,000 shares. A round at $2.40: discount price $1.92 < $2.00: the discount,
    500,000 / 1.92 = 260,416.67 -> 260,416 (down; 260,417 under the reading
    convertible-share-rounding=nearest)."""
    terms = {"basis": "pre-money", "valuation_cap": "4000000", "discount": "0.20"}
    at_3 = run(
        [
            *BASE,
            safe("2000-06-01", "s", "500000", **terms),
            convert("2001-01-01", ["s"], "series_d", "3.00"),
        ]
    )
    assert at_3.convertibles["s"].conversion_price == 2
    assert at_3.convertibles["s"].shares == 250_000
    events = [
        *BASE,
        safe("2000-06-01", "s", "500000", **terms),
        convert("2001-01-01", ["s"], "series_d", "2.40"),
    ]
    at_240 = run(events)
    assert at_240.convertibles["s"].conversion_price == Fraction(192, 100)
    assert at_240.convertibles["s"].shares == 260_416
    nearest = run(events, readings={"convertible-share-rounding": "nearest"})
    assert nearest.convertibles["s"].shares == 260_417


def test_note_with_compound_interest_to_the_conversion_date() -> None:
    """A note: $100,000 principal at 8% compounded annually from 2000-03-01, cap $6,000,000
    pre-money, discount 20%; converts 2002-09-01.

    Two whole years: 100,000 x 1.08^2 = 116,640.00. Then simple on that balance from
    2002-03-01 to 2002-09-01, 184 days (31+30+31+30+31+31): 116,640 x 0.08 x 184/365 =
    1,716,940.80 / 365 = 4,703.9474 -> amount 121,343.9474.
    Cap price 6,000,000 / 2,000,000 = $3.00; discount price 4.00 x 0.80 = $3.20: the cap.
    Shares 121,343.9474 / 3 = 40,447.98 -> 40,447.
    Simple interest instead, 914 days: 100,000 x (1 + 0.08 x 914/365) = 120,032.88."""
    note = safe(
        "2000-03-01",
        "n",
        "100000",
        kind="note",
        interest_rate="0.08",
        interest="compound",
        valuation_cap="6000000",
        discount="0.20",
        maturity="2002-03-01",
    )
    s = run([*BASE, note, convert("2002-09-01", ["n"], "series_d", "4.00")])
    c = s.convertibles["n"]
    expected = Fraction(116_640) * (1 + Fraction(8, 100) * Fraction(184, 365))
    assert c.conversion_amount == expected
    assert round(float(expected), 4) == 121_343.9474
    assert c.conversion_price == 3 and c.shares == 40_447
    simple = dict(note, interest="simple")
    s2 = run([*BASE, simple])
    amount = conversion_amount(s2.convertibles["n"], s2.as_of.replace(year=2002, month=9))  # type: ignore[union-attr]
    assert amount == 100_000 * (1 + Fraction(8, 100) * Fraction(914, 365))


def test_mfn_safe_takes_a_later_safes_terms_when_they_give_more() -> None:
    """safe-m: $100,000, MFN, no cap, no discount (2000-03-01). safe-l: $300,000, post-money
    cap $8,000,000 (2000-04-01). Both convert at $4.15 (base 2,000,000).

    safe-m on the later terms: G = (100,000 + 300,000) / 8,000,000 = 0.05,
    C = 2,000,000 / 0.95 = 2,105,263.16, cap price 8,000,000 / C = $3.80 < $4.15: at the
    cap, 0.0125 C = 25,000 / 0.95 = 26,315.79 -> 26,315, more than on its own terms
    (100,000 / 4.15 = 24,096.39), so it takes them. safe-l: 0.0375 C = 75,000 / 0.95 =
    78,947.37 -> 78,947. An MFN does not reach back: safe-l issued before safe-m changes
    nothing for it."""
    s = run(
        [
            *BASE,
            safe("2000-03-01", "safe-m", "100000", mfn=True),
            safe("2000-04-01", "safe-l", "300000", valuation_cap="8000000", holder="f2"),
            convert("2001-01-01", ["safe-m", "safe-l"], "series_e", "4.15"),
        ]
    )
    m = s.convertibles["safe-m"]
    assert m.terms_of == "safe-l" and m.conversion_price == Fraction(38, 10)
    assert (m.shares, s.convertibles["safe-l"].shares) == (26_315, 78_947)
    earlier = run(
        [
            *BASE,
            safe("2000-03-01", "safe-l", "300000", valuation_cap="8000000", holder="f2"),
            safe("2000-04-01", "safe-m", "100000", mfn=True),
            convert("2001-01-01", ["safe-m", "safe-l"], "series_e", "4.15"),
        ]
    )
    assert earlier.convertibles["safe-m"].terms_of is None
    assert earlier.convertibles["safe-m"].conversion_price == Fraction(415, 100)


def test_solve_agrees_with_every_assignment_checked_by_brute_force() -> None:
    """An independent check of the circular solve: for each way of putting each capped
    instrument at its cap or not, compute C by the fixed point directly and keep the
    assignments that are consistent (at the cap exactly when the cap price is lower); the
    solve's shares must be those of a consistent assignment."""
    base, price = Fraction(2_500_000), Fraction(3)
    items = [
        ("a", "h", Fraction(400_000), Terms(Fraction(8_000_000), "post-money", Fraction(0), "a")),
        (
            "b",
            "h",
            Fraction(900_000),
            Terms(Fraction(30_000_000), "post-money", Fraction(1, 5), "b"),
        ),
        (
            "c",
            "h",
            Fraction(200_000),
            Terms(Fraction(5_000_000), "pre-money", Fraction(1, 10), "c"),
        ),
        ("d", "h", Fraction(100_000), Terms(None, "post-money", Fraction(1, 4), "d")),
    ]
    got = {c.id: c.shares for c in solve(items, base, price)}
    consistent = []
    capped = [i for i in items if i[3].valuation_cap is not None]
    for flags in itertools.product([True, False], repeat=len(capped)):
        at_cap = {i[0] for i, f in zip(capped, flags, strict=True) if f}
        # C = base + sum of shares; shares at a post cap are a/cap x C
        g = sum(
            a / t.valuation_cap for i, _, a, t in items if i in at_cap and t.basis == "post-money"
        )  # type: ignore[operator]
        fixed = Fraction(0)
        for i, _, a, t in items:
            if i in at_cap and t.basis == "pre-money":
                fixed += a * base / t.valuation_cap  # type: ignore[operator]
            elif i not in at_cap:
                fixed += a / (price * (1 - t.discount))
        c = (base + fixed) / (1 - g)
        shares = {}
        ok = True
        for i, _, a, t in items:
            dp = price * (1 - t.discount)
            if t.valuation_cap is None:
                shares[i] = a / dp
                continue
            cp = t.valuation_cap / (c if t.basis == "post-money" else base)
            ok &= (cp <= dp) == (i in at_cap) or cp == dp
            shares[i] = a / (cp if i in at_cap else dp)
        if ok:
            consistent.append(shares)
    assert consistent and got in consistent


def test_e2_a_safe_converting_below_the_conversion_price_adjusts_it_at_conversion() -> None:
    """Default reading antidilution-convertible-instruments=at-conversion. A post-money SAFE
    of $100,000 at a $1,000,000 cap (2000-03-01) converts at a Series E round at $4.15
    (2001-01-01): C = 2,000,000 / (1 - 0.1) = 2,222,222.22, cap price $0.45, shares 0.1 C =
    222,222.22 -> 222,222 Series E (one common each), deemed issued at the conversion for the
    $100,000 paid ((E)(2)): $0.45 a share, below Series A's $1.00.
    A = 1,000,000 common + 1,000,000 Series A = 2,000,000; B = 100,000 / 1.00 = 100,000;
    C = 222,222; CP2 = 1.00 x 2,100,000 / 2,222,222 = 1,050,000 / 1,111,111 = $0.945000.
    Nothing happened at issue: the price was $1.00 until the conversion."""
    events = [
        *BASE,
        safe("2000-03-01", "s", "100000", valuation_cap="1000000", id="s"),
        convert("2001-01-01", ["s"], "series_e", "4.15", id="round"),
    ]
    before = run(events[:3])
    assert "series_a" not in before.conversion_prices
    s = run(events)
    assert s.convertibles["s"].shares == 222_222
    assert s.conversion_prices["series_a"] == Fraction(1_050_000, 1_111_111)
    [h] = s.price_history["series_a"]
    assert (h.a, h.b, h.c, h.event) == (2_000_000, 100_000, 222_222, "round")


def test_e2_at_issue_reading_deems_the_cap_implied_shares_issued_at_issue() -> None:
    """Reading at-issue: on 2000-03-01 the capitalization is 2,000,000, so the $1,000,000 cap
    implies 100,000 x 2,000,000 / 1,000,000 = 200,000 common deemed issued for $100,000 ($0.50):
    A = 2,000,000, B = 100,000, C = 200,000, CP2 = 2,100,000 / 2,200,000 = 21/22 = $0.954545.
    At the conversion Series A converts into 22/21 common a share, so the capitalization is
    1,000,000 + 1,047,619 (1,000,000 x 22/21 = 1,047,619.05, rounded, 3(h)) = 2,047,619;
    C = 2,047,619 / 0.9 = 2,275,132.2 and the SAFE gets 0.1 C = 227,513.2 -> 227,513.
    The 27,513 beyond the 200,000 deemed at issue are deemed issued now for nothing more
    ((E)(3): none for the 200,000). A = 1,000,000 + 200,000 deemed + 1,000,000 x 22/21 =
    47,200,000/21; CP2 = 21/22 x A / (A + 27,513) = 21/22 x 47,200,000 / 47,777,773 =
    495,600,000 / 525,555,503 = $0.943000 (a change of $0.0115, at least a cent: made)."""
    events = [
        *BASE,
        safe("2000-03-01", "s", "100000", valuation_cap="1000000"),
        convert("2001-01-01", ["s"], "series_e", "4.15"),
    ]
    readings = {"antidilution-convertible-instruments": "at-issue"}
    assert run(events[:3], readings=readings).conversion_prices["series_a"] == Fraction(21, 22)
    s = run(events, readings=readings)
    assert s.convertibles["s"].shares == 227_513
    assert s.conversion_prices["series_a"] == Fraction(495_600_000, 525_555_503)
    assert s.price_history["series_a"][-1].c == 27_513


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (convert("2001-01-01", ["nope"], "series_e", "4.15"), "no convertible instrument 'nope'"),
        (convert("2001-01-01", ["s", "s"], "series_e", "4.15"), "named twice"),
        (convert("2001-01-01", ["s"], "series_z", "4.15"), "series_z"),
        (convert("2001-01-01", ["s"], "series_e", "0"), "more than zero"),
        (convert("2001-01-01", ["s"], "series_b", "0.01"), "authorized"),
    ],
)
def test_a_conversion_that_cannot_happen_is_refused_with_a_sentence(
    event: dict[str, Any], words: str
) -> None:
    with pytest.raises(CharterError) as e:
        run([*BASE, safe("2000-03-01", "s", "100000"), event])
    assert words in str(e.value)


def test_a_converted_instrument_does_not_convert_again() -> None:
    events = [
        *BASE,
        safe("2000-03-01", "s", "100000"),
        convert("2001-01-01", ["s"], "series_e", "4.15"),
    ]
    with pytest.raises(CharterError) as e:
        run([*events, convert("2001-02-01", ["s"], "series_e", "4.15")])
    assert "already converted on 2001-01-01" in str(e.value)


def test_a_safe_with_interest_is_refused_when_read() -> None:
    entry, problems = parse_event(safe("2000-03-01", "s", "100000", interest_rate="0.05"), 2)
    assert entry is None
    assert "a SAFE bears no interest and has no maturity: interest_rate" in problems[0].message


# --- at a liquidity event (rules/convertibles.py, the waterfall) ------------------------------


def payouts(state: Any, exit_value: int) -> tuple[dict[str, Any], dict[str, Any]]:
    from charter.rules.waterfall import waterfall, waterfall_json

    data = waterfall_json(waterfall(state, Fraction(exit_value)))
    holders = {h: v["amount"] for h, v in data["holders"].items()}  # type: ignore[union-attr]
    return holders, data.get("convertibles", {})  # type: ignore[return-value]


def test_a_safe_at_a_liquidity_event_gets_the_greater_of_cash_out_and_conversion() -> None:
    """A post-money SAFE, $1,000,000 at a $10,000,000 cap, silent on liquidity (the reading
    convertible-at-liquidity=standard-forms: the greater of the two), on the base company.

    Its conversion: liquidity capitalization 2,000,000 + its own shares, C = 2,000,000 / (1 -
    1,000,000/10,000,000) = 2,222,222.2, shares 0.1 C = 222,222 common.
    Series A converts with its Cash Amount of $0.925 a share (Art. IV.B.3(a)(i)) paid first.

    Exit $30,000,000, converting: $925,000 of Cash Amounts, 29,075,000 among 2,222,222
    common: the SAFE 29,075,000 x 222,222 / 2,222,222 = 2,907,497.38, above its $1,000,000:
    it converts. founder 29,075,000 x 1,000,000 / 2,222,222 = 13,083,751.31; f1 the same plus
    925,000 = 14,008,751.31 (the three add up to 30,000,000.00).

    Exit $10,000,000: converting would give (10,000,000 - 925,000) x 222,222 / 2,222,222 =
    907,499.59, below $1,000,000: cash-out, paid first; the stock shares $9,000,000: Series A
    converts (925,000 + 8,075,000 / 2 = 4,962,500, above its $1,000,000 preference), the
    founder 4,037,500.

    Exit $500,000, below the cash-out amount: the SAFE takes it all, the stock nothing."""
    s = run([*BASE, safe("2000-06-01", "safe-1", "1000000", valuation_cap="10000000")])
    holders, conv = payouts(s, 30_000_000)
    assert holders == {"angel": "2907497.38", "founder": "13083751.31", "f1": "14008751.31"}
    assert conv["safe-1"]["treatment"] == "conversion" and conv["safe-1"]["shares"] == 222_222
    holders, conv = payouts(s, 10_000_000)
    assert holders == {"angel": "1000000.00", "founder": "4037500.00", "f1": "4962500.00"}
    assert conv["safe-1"]["treatment"] == "cash-out"
    holders, conv = payouts(s, 500_000)
    assert holders == {"angel": "500000.00", "founder": "0.00", "f1": "0.00"}
    assert conv["safe-1"]["paid"] == "500000.00"


def test_a_note_at_a_liquidity_event_is_repaid_with_its_interest() -> None:
    """A note, $100,000 at 8% simple from 2000-06-01, a $5,000,000 cap; the exit a year later
    (2001-06-01, 365 days): 100,000 x 1.08 = $108,000, repaid before the stock (a note is a
    debt: the reading's standard forms). The stock shares $9,892,000 of a $10,000,000 exit:
    Series A converts, 925,000 + (9,892,000 - 925,000) / 2 = 5,408,500; founder 4,483,500."""
    note = safe(
        "2000-06-01", "n", "100000", kind="note", interest_rate="0.08", valuation_cap="5000000"
    )
    s = run([*BASE, note], until="2001-06-01")
    holders, conv = payouts(s, 10_000_000)
    assert conv["n"] == {
        "holder": "angel",
        "treatment": "cash-out",
        "cash_out": "108000.00",
        "paid": "108000.00",
        "shares": 0,
    }
    assert holders == {"angel": "108000.00", "founder": "4483500.00", "f1": "5408500.00"}


# --- round trips ------------------------------------------------------------------------------


def test_a_ledger_with_safes_and_notes_loads_exports_and_loads_again(tmp_path: Any) -> None:
    """Load, export, load again: the same events (every field as written: the SAFE's cap and
    MFN flag, the note's rate, compounding and maturity), the same cap table with its
    convertibles section; and the state cached and restored (state/cached.py) holds the
    instruments as replayed."""
    import yaml

    from charter.inputs import dump_yaml
    from charter.ledger.store import Store
    from charter.rules.captable import captable, captable_json
    from charter.service import load_ledger
    from charter.state.cached import restore, snapshot

    people = [{"id": h, "name": h} for h in ("founder", "f1", "angel", "f2")]
    events = [
        *BASE,
        safe("2000-03-01", "safe-1", "250000", valuation_cap="8000000", mfn=True),
        safe(
            "2000-04-01",
            "note-1",
            "100000.50",
            kind="note",
            holder="f2",
            interest_rate="0.06",
            interest="compound",
            compounding="quarterly",
            maturity="2002-04-01",
            valuation_cap="6000000",
            discount="0.15",
            at_liquidity="greater-of",
        ),
        convert("2001-01-01", ["safe-1"], "series_e", "4.15", id="round"),
    ]
    doc = {
        "format": "charter-ledger/1",
        "company": {"name": "Base Co", "terms": "quintus"},
        "stakeholders": people,
        "events": events,
    }
    first = tmp_path / "first.yaml"
    first.write_text(dump_yaml(doc))
    store = Store(":memory:")
    store.create_schema()
    s1 = load_ledger(store, first, "one")
    exported = s1.export()
    second = tmp_path / "second.yaml"
    second.write_text(exported)
    s2 = load_ledger(store, second, "two")
    assert s2.export() == exported
    spelled = [{k: str(v) for k, v in e.items()} for e in yaml.safe_load(exported)["events"]]
    assert spelled == [{k: str(v) for k, v in e.items()} for e in events]
    one = captable_json(captable(s1.state()))
    assert one == captable_json(captable(s2.state()))
    assert set(one["convertibles"]) == {"safe-1", "note-1"}  # type: ignore[arg-type]
    state = s1.state()
    again = restore(snapshot(state), state.terms, state.stakeholders)
    assert again.convertibles == state.convertibles


def test_an_mfn_safe_without_a_cap_converts_at_a_liquidity_event_by_a_later_cap() -> None:
    """safe-m: $1,000,000, MFN, no cap (2000-03-01); safe-l: $100,000, post-money cap
    $10,000,000 (2000-04-01). At a $30,000,000 exit safe-m may take safe-l's cap: both at
    the cap, G = 1,100,000 / 10,000,000 = 0.11, C = 2,000,000 / 0.89 = 2,247,191.01;
    safe-m 0.1 C = 224,719.10 -> 224,719 common, worth (30,000,000 - 925,000 Cash Amounts)
    x 224,719 / (2,000,000 + 224,719 + 22,471 = 2,247,190) = 2,907,500.00, above its $1,000,000: it
    converts (safe-l 0.01 C = 22,471.91 -> 22,471). Without a later cap it could only be
    paid its purchase amount."""
    s = run(
        [
            *BASE,
            safe("2000-03-01", "safe-m", "1000000", mfn=True),
            safe("2000-04-01", "safe-l", "100000", valuation_cap="10000000", holder="f2"),
        ]
    )
    _, conv = payouts(s, 30_000_000)
    assert conv["safe-m"]["treatment"] == "conversion" and conv["safe-m"]["shares"] == 224_719
    assert conv["safe-l"]["shares"] == 22_471
    holders, _ = payouts(s, 30_000_000)
    assert holders["angel"] == "2907500.00"
    alone = run([*BASE, safe("2000-03-01", "safe-m", "1000000", mfn=True)])
    _, conv = payouts(alone, 30_000_000)
    assert conv["safe-m"]["treatment"] == "cash-out"
