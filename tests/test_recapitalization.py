"""Art. IV.B.3(f): a recapitalization of the Common Stock; the preferred thereafter receive on
conversion what a holder of the Common deliverable on conversion would have received.

The Quintus restated certificate with one more class for the purpose, Class B Common
(2,500,000 authorized). 1,000,000 Common (founder), 1,000,000 Series A at $1.00 (f1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import pytest

from charter.errors import CharterError
from charter.replay import initial_state, replay
from charter.rules.ipo import ipo_json, simulate_ipo
from charter.rules.notices import record_date_notices
from charter.state.adjusted_terms import adjusted_terms
from charter.state.model import State
from charter.terms.loader import load_builtin
from charter.terms.model import StockClass, TermsSet
from tests.ledgers.builder import entries, issue, stakeholders


def with_class_b() -> TermsSet:
    quintus = load_builtin("quintus")
    cert = quintus.certificates[0]
    class_b = StockClass(
        id="class_b_common",
        name="Class B Common Stock",
        kind="common",
        authorized=2_500_000,
        par_value=Fraction(1, 1000),
        citation="test",
    )
    cert = cert.model_copy(
        update={
            "classes": [*cert.classes, class_b],
            "total_authorized": cert.total_authorized + class_b.authorized,
        }
    )
    return quintus.model_copy(update={"certificates": [cert, *quintus.certificates[1:]]})


def run(raw: Iterable[Mapping[str, Any]]) -> State:
    terms = with_class_b()
    return replay(terms, [], entries(raw), state=initial_state(terms, stakeholders()))


BASE = [
    issue("2000-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("2000-02-01", "f1", "series_a", 1_000_000, "1.00"),
]
RECAP = {"date": "2000-03-01", "type": "recapitalization", "id": "recap",
         "into": {"common": "2:1", "class_b_common": "1:1"}}  # fmt: skip
ELECTION = {"date": "2000-04-01", "type": "convert_election", "id": "elect",
            "classes": ["series_a", "series_b", "series_c", "series_d"], "consents": ["f1"]}  # fmt: skip


def test_art_iv_b_3f_common_recapitalized_into_common_and_class_b() -> None:
    """Each share of Common becomes 2 Common and 1 Class B: the founder holds 2,000,000 Common
    and 1,000,000 Class B. The "appropriate adjustment" of the Conversion Price: as for a
    2:1 split, $1.00 / 2 = $0.50 (ratio 2), and each share of Common delivered on conversion
    comes with the 1/2 share of Class B that a share of Common now stands for."""
    s = run([*BASE, RECAP])
    assert s.held("founder", "common") == 2_000_000
    assert s.held("founder", "class_b_common") == 1_000_000
    assert s.conversion_price("series_a") == Fraction(1, 2)
    [change] = s.price_history["series_a"]
    assert (change.kind, change.event, change.citation) == (
        "recapitalization",
        "recap",
        "Art. IV.B.3(f)",
    )
    assert s.conversion_extras == {"class_b_common": Fraction(1, 2)}


def test_art_iv_b_3f_conversion_after_it_receives_what_the_common_received() -> None:
    """f1's 1,000,000 Series A, converted after the recapitalization, would before it have
    been 1,000,000 Common, which became 2,000,000 Common and 1,000,000 Class B: f1 receives
    1,000,000 x 1.00 / 0.50 = 2,000,000 Common and 2,000,000 x 1/2 = 1,000,000 Class B, and
    its Cash Amount, 1,000,000 x $0.925 = $925,000 (the Series A was not split)."""
    s = run([*BASE, RECAP, ELECTION])
    assert s.held("f1", "common") == 2_000_000
    assert s.held("f1", "class_b_common") == 1_000_000
    assert s.cash_paid["f1"]["series_a"] == 925_000
    assert s.outstanding["class_b_common"] == 1_000_000 + 1_000_000  # the founder's and f1's


def test_art_iv_b_4_notice_of_the_record_for_a_recapitalization() -> None:
    """The recapitalization distributes Class B to the holders of Common on its record date,
    2000-03-31, declared 2000-03-01: f1, the preferred holder, must be mailed notice 20 days
    before, by 2000-03-11."""
    [n] = record_date_notices(run([*BASE, dict(RECAP, record_date="2000-03-31")]))
    assert (n.kind, n.mail_by, n.to) == ("recapitalization", dt.date(2000, 3, 11), ["f1"])


def test_art_iv_b_3f_ipo_simulation_shows_the_class_b() -> None:
    """The Series E Price, "adjusted to reflect ... recapitalization", is $8.30 / 2; the IPO
    simulation lists the Class B that comes with f1's Common: 1,000,000."""
    s = run([*BASE, RECAP])
    price = adjusted_terms(s).of("series_e").protection_price
    assert price is not None and price.value == Fraction("4.15")
    assert price.explain() == "$8.30, as adjusted for the 2:1 recapitalization of 2000-03-01: $4.15"
    data = ipo_json(simulate_ipo(s, Fraction(16), Fraction(60_000_000)))
    f1 = data["holders"]["f1"]["series_a"]  # type: ignore[index]
    assert (f1["common"], f1["also"]) == (2_000_000, {"class_b_common": 1_000_000})


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ({"common": "2:1"}, "record it as a split"),
        ({"class_b_common": "1:1"}, "must leave each share of it some common"),
        ({"common": "1:1", "class_c": "1:1"}, "class 'class_c' does not exist"),
        (
            {"common": "1:1", "class_b_common": "3:1"},
            "would make 3,000,000 outstanding, beyond the 2,500,000 authorized",
        ),
    ],
    ids=["split", "no-common", "unknown-class", "beyond-authorized"],
)
def test_art_iv_b_3f_recapitalization_refused(into: dict[str, str], message: str) -> None:
    with pytest.raises(CharterError, match=message):
        run([*BASE, dict(RECAP, into=into)])
