"""The readings of the conversion clauses that were only noted before (docs/interpretations.md):
an exact half share under Art. IV.B.3(h), the Cash Amounts in cents under 3(c), and the
fractions of the other classes after a recapitalization under 3(f). Each test works both
choices by hand."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from charter.replay import initial_state, replay
from charter.rules.captable import as_converted
from charter.rules.ipo import simulate_ipo
from charter.state.voting import holding_votes
from tests.ledgers.builder import entries, issue, stakeholders
from tests.test_recapitalization import ELECTION, with_class_b
from tests.transfer_helpers import ipo, run

# fund holds 100 Series A (BASE) and buys 1 more at $1.00 (the Conversion Price: not
# dilutive); a 1:2 combination of the Common doubles the Series A Conversion Price to $2.00
# (3(d)(iv)), so a share converts into $1.00 / $2.00 = 1/2 common.
HALF = [
    {"date": "1999-09-01", "type": "issue", "holder": "fund", "class": "series_a", "shares": 1,
     "price": "1.00"},
    {"date": "1999-09-02", "type": "split", "class": "common", "ratio": "1:2"},
]  # fmt: skip
CONVERT = {"date": "1999-09-03", "type": "convert_election", "consents": ["fund"],
           "classes": ["series_a", "series_b", "series_c", "series_d"]}  # fmt: skip


def test_art_iv_b_3h_exact_half_rounds_up_or_down() -> None:
    """101 x 1/2 = 50.5 common. Default (up): 51 common on conversion (fund, holding every
    Series A, elects it, 3(a)(i)), 51 as converted on the
    cap table, 51 x 10 = 510 votes; under conversion-exact-half=down: 50, 50, 500."""
    up = run(HALF)
    assert (as_converted(up, "series_a"), holding_votes(up, {"series_a": 101})) == (51, 510)
    assert run([*HALF, CONVERT]).held("fund", "common") == 51
    readings = {"conversion-exact-half": "down"}
    down = run(HALF, readings=readings)
    assert (as_converted(down, "series_a"), holding_votes(down, {"series_a": 101})) == (50, 500)
    assert run([*HALF, CONVERT], readings=readings).held("fund", "common") == 50


# Three more holders of one Series A each (at $1.00): at a qualified offering every Series A
# converts with its Cash Amount of $0.925 a share (3(a)(i)).
ONE_EACH = [
    {"date": "1999-09-01", "type": "issue", "holder": h, "class": "series_a", "shares": 1,
     "price": "1.00"}
    for h in ("other", "seller", "buyer")
]  # fmt: skip


def test_art_iv_b_3c_cash_amounts_in_cents_by_largest_remainder_or_each_rounded() -> None:
    """Due: fund 100 x $0.925 = $92.50; other, seller, buyer 1 x $0.925 = 92.5 cents each.
    Exact total $95.275, rounded $95.28. Largest remainder (default): floors 9,250 + 3 x 92 =
    9,526 cents, 2 cents to the two first of the three tied halves (buyer, other): buyer and
    other $0.93, seller $0.92, total $95.28. Each rounded: $0.93 each, total $95.29."""
    events = [*ONE_EACH, ipo("2000-02-15", requested=False)]

    def paid(s: Any) -> dict[str, Fraction]:
        return {h: by["series_a"] for h, by in s.cash_paid.items()}

    cents = Fraction(1, 100)
    assert paid(run(events)) == {"fund": Fraction(9250, 100), "buyer": 93 * cents,
                                 "other": 93 * cents, "seller": 92 * cents}  # fmt: skip
    each = run(events, readings={"cash-amount-cents": "each-rounded"})
    assert paid(each) == {"fund": Fraction(9250, 100), "buyer": 93 * cents,
                          "other": 93 * cents, "seller": 93 * cents}  # fmt: skip
    sim = simulate_ipo(run(ONE_EACH), Fraction(10), Fraction(50_000_000))
    assert sim.trace.interpretations["cash-amount-cents"] == "largest-remainder"


def test_art_iv_b_3f_other_classes_rounded_nearest_or_down() -> None:
    """Each Common becomes 2 Common and 1/3 Class B: a Common delivered on conversion comes
    with 1/3 / 2 = 1/6 Class B. f1's 1,000,001 Series A convert at $1.00 / $0.50 = 2 into
    2,000,002 Common and 2,000,002 / 6 = 333,333 4/6 Class B: 333,334 under the default
    (as-split-nearest), 333,333 under as-split-down."""
    terms = with_class_b()
    raw = [
        issue("2000-01-01", "founder", "common", 1_000_000, "0.001"),
        issue("2000-02-01", "f1", "series_a", 1_000_001, "1.00"),
        {"date": "2000-03-01", "type": "recapitalization", "id": "recap",
         "into": {"common": "2:1", "class_b_common": "1:3"}},
        ELECTION,
    ]  # fmt: skip

    def class_b(readings: dict[str, str]) -> tuple[int, int]:
        start = initial_state(terms, stakeholders(), readings)
        s = replay(terms, [], entries(raw), state=start)
        return s.held("f1", "common"), s.held("f1", "class_b_common")

    assert class_b({}) == (2_000_002, 333_334)
    assert class_b({"recapitalization-adjustment": "as-split-down"}) == (2_000_002, 333_333)
