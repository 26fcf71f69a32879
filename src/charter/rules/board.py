"""Who elects how many directors: the seats classes elect voting separately (Art. IV.B.5(b)),
the Voting Shift Period's allocation (5(a)), and otherwise all classes voting together; after
the IPO, the board the bylaws fix (Post-IPO Art. VI; Bylaws Art. III §1)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import msgspec

from charter.explain import Trace, interpretation
from charter.numbers import round_half_up
from charter.rules.votes import VotingPower, voting_power
from charter.state.board import directors_in_office
from charter.state.model import State

DIRECTOR_ROUNDING = interpretation(
    id="director-fraction-rounding",
    question=(
        "How is a fraction of the authorized directors 'rounded to the nearest whole number' "
        "when it ends in exactly one half (e.g. three-fourths of 6 = 4.5)?"
    ),
    citation="Art. IV.B.5(a)(ii)",
    quote=(
        "that number of directors equal to three-fourths (3/4ths) of the then-authorized "
        "directors (rounded to the nearest whole number)"
    ),
    readings={
        "half-up": "a half rounds up (4.5 -> 5)",
        "half-down": "a half rounds down (4.5 -> 4), leaving the seat to the common",
    },
    default="half-up",
    argument=(
        "Rounding a half up is the ordinary arithmetic meaning of 'rounded to the nearest whole "
        "number', and the certificate rounds its other halves the same way (whole shares on "
        "conversion, Art. IV.B.3(h)); nothing in 5(a) suggests favouring the common at a tie."
    ),
)


class Seats(msgspec.Struct, frozen=True):
    """`seats` directors elected by the holders of `group` voting as one class."""

    group: list[str]
    seats: int
    citation: str


class Board(msgspec.Struct, frozen=True):
    authorized: int
    directors_basis: str
    certificate: str
    voting_shift_period: bool
    seats: list[Seats]
    notes: list[str] = msgspec.field(default_factory=list)
    trace: Trace = msgspec.field(default_factory=Trace)


def board_size(state: State, directors: int | None) -> tuple[int, str]:
    """The whole board (Bylaws Art. III §1): `--directors N` when given (a hypothesis), else
    the number last fixed on the ledger (`board_size`), else the number of directors among
    the stakeholders."""
    if directors is not None:
        return directors, "--directors"
    fixed = state.board_size
    if fixed is not None:
        rules = state.terms.bylaws.board
        source = ", ".join(x for x in (fixed.event, rules.size_citation or rules.citation) if x)
        return fixed.directors, f"fixed by the {fixed.by} on {fixed.date.isoformat()} ({source})"
    return len(directors_in_office(state)), "stakeholders with the relation director"


def nearest_directors(x: Fraction, settings: Mapping[str, str] | None, trace: Trace) -> int:
    """A fraction of the directors to the nearest whole number (Art. IV.B.5(a)(ii))."""
    if x.denominator == 2 and trace.read(DIRECTOR_ROUNDING, settings) == "half-down":
        return math.ceil(x - Fraction(1, 2))
    return round_half_up(x)


def board_composition(
    state: State,
    directors: int,
    directors_basis: str,
    settings: Mapping[str, str] | None = None,
    vp: VotingPower | None = None,
) -> Board:
    """Who elects how many of `directors` authorized directors, as of the state's date."""
    cert = state.certificate
    rules = cert.voting
    vp = vp or voting_power(state, settings)
    trace = Trace()
    trace.steps.extend(vp.trace.steps)
    trace.interpretations.update(vp.trace.interpretations)
    for c in vp.trace.citations:
        trace.cite(c)
    notes: list[str] = []
    everyone = [c.id for c in cert.classes if c.votes is not None]
    shift = rules.voting_shift_period
    seats: list[Seats] = []
    n = directors
    if vp.voting_shift_period and shift is not None:
        if n < shift.min_authorized_directors:
            notes.append(
                f"during the Voting Shift Period the authorized directors must be set at no "
                f"fewer than {shift.min_authorized_directors} ({shift.citation}); computed for "
                f"{shift.min_authorized_directors}, not {n}"
            )
            n = shift.min_authorized_directors
        for share in shift.group_seats:
            if share.fraction is not None:
                count = nearest_directors(share.fraction * n, settings, trace)
                trace.step(
                    f"{share.fraction} of {n} directors, rounded to the nearest whole number",
                    share.citation,
                    exact=share.fraction * n,
                    seats=count,
                )
            else:
                count = share.seats or 0
            seats.append(Seats(list(share.group), count, share.citation))
        rest = n - sum(s.seats for s in seats)
        if rest < 0:
            notes.append(f"the separate seats exceed the {n} authorized directors")
            rest = 0
        seats.append(Seats(list(shift.remaining_to), rest, shift.citation))
    else:
        for fixed in rules.director_seats:
            if any(vp.classes.get(c) for c in fixed.group):
                seats.append(Seats(list(fixed.group), fixed.seats, fixed.citation))
            else:
                notes.append(
                    f"no shares of {', '.join(fixed.group)} are outstanding to elect the "
                    f"seat of {fixed.citation}"
                )
        rest = max(n - sum(s.seats for s in seats), 0)
        cite = rules.citation
        if not rules.director_seats and shift is None:  # the board as the bylaws fix it
            cite = "; ".join(
                c for c in (cert.directors_number_citation, state.terms.bylaws.board.citation) if c
            )
        seats.append(Seats(everyone, rest, cite))
    for s in seats:
        trace.step(f"{', '.join(s.group)} elect {s.seats}", s.citation)
    return Board(n, directors_basis, cert.id, vp.voting_shift_period, seats, notes, trace)


def board_json(b: Board) -> dict[str, object]:
    return {
        "certificate": b.certificate,
        "authorized_directors": b.authorized,
        "directors_basis": b.directors_basis,
        "voting_shift_period": b.voting_shift_period,
        "seats": [{"group": s.group, "seats": s.seats, "citation": s.citation} for s in b.seats],
        "notes": b.notes,
        "interpretations": list(b.trace.interpretations),
        "readings": dict(b.trace.interpretations),
        "citations": list(b.trace.citations),
    }
