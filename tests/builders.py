"""Small states built by hand for the governance tests: holdings put straight into a State,
so each test's figures are worked out from a few lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from charter.ledger.events import Stakeholder
from charter.state.model import State
from charter.terms.model import TermsSet


def state_with(
    terms: TermsSet,
    holdings: dict[str, dict[str, int]],
    certificate: str | None = None,
    directors: Iterable[str] = (),
    as_of: dt.date = dt.date(1999, 10, 1),
    purchased: Iterable[str] = (),
) -> State:
    """`holdings`: holder -> class -> shares. Every holder (and director) gets a stakeholder
    record named after its id with an address; `purchased` series have a Purchase Date."""
    cert = terms.certificate(certificate) if certificate else terms.certificates[0]
    assert cert is not None
    people = {h: Stakeholder(id=h, name=h.title(), address=f"{h} street") for h in holdings}
    for d in directors:
        people[d] = Stakeholder(id=d, name=d.title(), address=f"{d} street", relations=["director"])
    st = State(terms=terms, certificate=cert, stakeholders=people, as_of=as_of)
    for holder, by_class in holdings.items():
        for class_id, shares in by_class.items():
            st.add_shares(holder, class_id, shares)
    for s in purchased:
        st.purchase_dates[s] = dt.date(1999, 1, 1)
    return st
