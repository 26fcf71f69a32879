"""A recapitalization of the Common Stock (`recapitalization`, Art. IV.B.3(f)): each share of
Common becomes some Common and shares of other classes. "Provision shall be made so that the
holders of [the preferred] shall thereafter be entitled to receive upon conversion ... the
number of shares of stock or other securities or property ... to which a holder of Common
Stock deliverable upon conversion would have been entitled on such recapitalization", with
"appropriate adjustment ... (including adjustment of the Conversion Price then in effect ...)
... as nearly equivalent as may be practicable".

Read as: the Common's part moves the Conversion Prices as a split of the Common would
(`antidilution.apply_recapitalization`), and every share of Common delivered on a later
conversion comes with the other classes' shares that a share of Common received
(`State.conversion_extras`, rounded on the holder's aggregate as 3(h) rounds the Common).
"""

from __future__ import annotations

from fractions import Fraction

from charter.ledger.events import Recapitalization, Split
from charter.numbers import nearest_whole_share, parse_ratio
from charter.state import antidilution, holdings
from charter.state.model import State
from charter.state.record_dates import note_record
from charter.state.rejection import Rejected


def _citation(state: State) -> str | None:
    ad = state.certificate.antidilution
    return ad.recapitalization_citation if ad is not None else None


def _as_split(state: State, e: Recapitalization) -> Split:
    common = state.certificate.common.id
    return Split.model_validate(
        {
            "date": e.date,
            "id": e.id,
            "type": "split",
            "class": common,
            "ratio": e.into[common],
            "record_date": e.record_date,
        }
    )


def _others(state: State, e: Recapitalization) -> dict[str, Fraction]:
    common = state.certificate.common.id
    return {k: parse_ratio(v) for k, v in e.into.items() if k != common}


def _received(state: State, ratio: Fraction) -> dict[str, int]:
    """Each holder's shares of a class received for its Common, rounded per holder."""
    common = state.certificate.common.id
    return {
        h: nearest_whole_share(by[common] * ratio)
        for h, by in sorted(state.holdings.items())
        if common in by
    }


def check_recapitalization(state: State, e: Recapitalization) -> None:
    """The Common remains (the preferred convert into it) and something else is received
    (else it is a split or combination, which 3(f) leaves to 3(d)(iii)-(iv)); the classes
    exist and have the room."""
    common = state.certificate.common.id
    cite = _citation(state)
    for k in e.into:
        holdings.require_class(state, k, "into")
    if common not in e.into or not parse_ratio(e.into[common]):
        raise Rejected(
            f"the preferred convert into {common}, so a recapitalization must leave each share "
            f"of it some {common} (name {common} in into); one that does away with it is a new "
            "certificate (adopt_terms)",
            "into",
            cite,
        )
    others = _others(state, e)
    if not others:
        raise Rejected(
            f"a recapitalization of the {common} into {common} alone is a subdivision or "
            "combination, which 3(f) leaves to 3(d)(iii)-(iv): record it as a split",
            "into",
            cite,
        )
    for k, ratio in others.items():
        if not ratio:
            raise Rejected(f"each share of {common} must receive some {k}", "into", cite)
        holdings.require_authorized(state, k, sum(_received(state, ratio).values()), "into")
    holdings.check_split(state, _as_split(state, e))


def apply_recapitalization(state: State, e: Recapitalization) -> None:
    """The holders of Common receive the other classes (rounded per holder) and their Common
    is split; the record taken for it is one the preferred must be told of (Art. IV.B.4: a
    record "for the purpose of determining the holders ... entitled to receive any ... other
    distribution")."""
    common = state.certificate.common.id
    common_ratio = parse_ratio(e.into[common])
    others = _others(state, e)
    note_record(
        state,
        e.date,
        antidilution.label(e, state),
        "recapitalization",
        e.record_date or e.date,
        {common: common_ratio, **others},
    )
    for k, ratio in others.items():
        for h, n in _received(state, ratio).items():
            if n:
                state.add_shares(h, k, n)
                state.purchase_dates.setdefault(k, e.date)
    extras = {k: v / common_ratio for k, v in state.conversion_extras.items()}
    for k, ratio in others.items():
        extras[k] = extras.get(k, Fraction(0)) + ratio / common_ratio
    state.conversion_extras = extras
    if common_ratio != 1:
        holdings.apply_split(state, _as_split(state, e))
    antidilution.apply_recapitalization(state, e, common_ratio)
