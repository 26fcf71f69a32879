"""Payout curves: the exact payout of every class and holder as a function of the exit value.

Between two breakpoints the holders' choices do not change and every payout is affine in the
exit value, so the curve is its breakpoints (exact fractions) and the distribution just right
of each and just left of the next. A breakpoint is where a preference tier fills, a cap is
reached (Art. IV.B.2(a)-(b)), or a choice flips (Art. IV.B.3(a); an option crossing its
strike). Those of a fixed set of choices are computed in closed form, with the distribution
itself as an affine function of the exit value between them (`Line`), from which every gain
weighed while building is read; a flip is the exact root of the affine gain of the
decision-maker that changes its mind.

Nothing is evaluated holder by holder while building: the company is read by class (its
shares, as converted with each holder's rounding, 3(h); its grants by exercise price; a
group's holders as voting blocks by holding; what is owed per class), and each holder's part
is taken from its class's exactly at the end (`holder_amounts`). For each set of conversions
the curve weighs, the grants exercised in answer are swept once over the range (`Answers`);
the holders' choices are then followed over those steps (`_piece`).

Evaluating the curve at millions of exit values is vectorised with NumPy over the exact
breakpoints (floats there are chart and sweep coordinates, never a legal figure); evaluating
it exactly at one value gives the same Fractions as `waterfall`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace

from charter.errors import CharterError, Problem
from charter.numbers import decimal_str as per_share_str
from charter.numbers import money as money_str
from charter.rules.waterfall import (
    Bucket,
    Company,
    Group,
    Profile,
    Seat,
    Split,
    Tier,
    add_to,
    choices,
    distribute,
    election_passes,
    holder_amounts,
    participants,
    respond,
    tiers,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class Segment(msgspec.Struct, frozen=True):
    """An open interval of exit values with one set of choices; `low` and `high` are the
    distribution at its ends under those choices (affine in between)."""

    lo: Fraction
    hi: Fraction
    profile: Profile
    low: Split
    high: Split


class Curve(msgspec.Struct):
    company: Company
    start: Fraction
    end: Fraction
    segments: list[Segment]
    points: dict[Fraction, tuple[Profile, Split]]  # the waterfall at each breakpoint

    @property
    def breakpoints(self) -> list[Fraction]:
        """Exit values strictly inside the range where a slope changes or a choice flips."""
        return [s.lo for s in self.segments[1:]]

    def split_at(self, exit_value: Fraction) -> tuple[Profile, Split]:
        """The exact distribution at one exit value (equal to `waterfall`'s)."""
        if exit_value in self.points:
            return self.points[exit_value]
        for s in self.segments:
            if s.lo < exit_value < s.hi:
                t = (exit_value - s.lo) / (s.hi - s.lo)
                return s.profile, interpolate(s.low, s.high, t)
        raise CharterError(
            [Problem(f"{exit_value} is outside the curve's range", field="exit value")]
        )

    def classes(self) -> list[str]:
        return [
            s.id
            for s in self.company.seats
            if s.shares or any(b.class_id == s.id for b in self.company.buckets)
        ]

    def evaluate(self, exits: npt.NDArray[np.float64]) -> dict[str, npt.NDArray[np.float64]]:
        """Payout per class at many exit values at once (float coordinates for sweeps and
        charts), by locating each value among the exact breakpoints. NumPy is imported here,
        by the one use that needs it, so that the exact curve does not wait for it."""
        import numpy as np

        los = np.array([float(s.lo) for s in self.segments])
        widths = np.array([float(s.hi - s.lo) for s in self.segments])
        idx = np.clip(np.searchsorted(los, exits, side="right") - 1, 0, len(los) - 1)
        t = (exits - los[idx]) / widths[idx]
        out: dict[str, npt.NDArray[np.float64]] = {}
        for c in self.classes():
            a = np.array([float(s.low.total(c)) for s in self.segments])
            b = np.array([float(s.high.total(c)) for s in self.segments])
            out[c] = a[idx] + (b[idx] - a[idx]) * t
        return out


def interpolate(a: Split, b: Split, t: Fraction) -> Split:
    """The distribution a fraction t of the way from a to b (both under one profile)."""

    def mix(x: dict[str, Fraction], y: dict[str, Fraction]) -> dict[str, Fraction]:
        zero = Fraction(0)
        return {k: x.get(k, zero) + (y.get(k, zero) - x.get(k, zero)) * t for k in x | y}

    return Split(
        proceeds=a.proceeds + (b.proceeds - a.proceeds) * t,
        preference=mix(a.preference, b.preference),
        cash=mix(a.cash, b.cash),
        participation=mix(a.participation, b.participation),
        level=a.level + (b.level - a.level) * t,
        shortfall={},
        capped=a.capped,
        unallocated=a.unallocated + (b.unallocated - a.unallocated) * t,
        owed=mix(a.owed, b.owed),
    )


_ZERO = Fraction(0)


class Phase(msgspec.Struct, frozen=True):
    """One piece of a `Line`, from the exit value `start` on: each class receives what was
    paid it in full before (`fixed`) and, if it is `moving`, weight x (level + (e - start) /
    divisor) besides: a claim of a rank paid ratably (weight the claim, divisor the rank's
    total, 2(a)) or a participant as converted (weight its units, divisor the units still
    rising, level the common level at `start`, 2(b))."""

    start: Fraction
    divisor: Fraction | int
    level: Fraction
    fixed: Mapping[str, Fraction]
    moving: Mapping[str, Fraction | int]


class Line(msgspec.Struct):
    """The distribution under fixed choices as a function of the exit value e: affine between
    its kinks, each where a rank of claims is paid in full (2(a)) or a class reaches its cap
    (2(b)), `causes[i]` saying which of kinks[i]; `phases[i]` is the piece from kinks[i - 1]
    to kinks[i]. It is `distribute`'s arithmetic solved for e, so its values are the same
    fractions; a class's payout on a piece is put as a + b e when first asked for."""

    kinks: list[Fraction]
    causes: list[Tier | Seat]
    phases: list[Phase]
    _affine: dict[tuple[int, str], tuple[Fraction, Fraction]] = msgspec.field(default_factory=dict)

    def inside(self, x: Fraction, y: Fraction) -> list[Fraction]:
        """The kinks strictly between x and y."""
        return self.kinks[bisect_right(self.kinks, x) : bisect_left(self.kinks, y)]

    def total(self, class_id: str, exit_value: Fraction) -> Fraction:
        """What the class receives in all (`distribute(...).total`)."""
        return self.totals([class_id], exit_value)[0]

    def totals(self, class_ids: Iterable[str], exit_value: Fraction) -> list[Fraction]:
        """What each of the classes receives in all, at one exit value."""
        i = bisect_left(self.kinks, exit_value)
        out = []
        for class_id in class_ids:
            found = self._affine.get((i, class_id))
            if found is None:
                p = self.phases[i]
                base, weight = p.fixed.get(class_id, _ZERO), p.moving.get(class_id)
                if weight is None:
                    found = (base, _ZERO)
                else:
                    slope = Fraction(weight, p.divisor)
                    found = (base + weight * p.level - slope * p.start, slope)
                self._affine[(i, class_id)] = found
            a, b = found
            out.append(a + b * exit_value)
        return out


def line(co: Company, profile: Profile) -> Line:
    """The distribution under `profile` as a function of the exit value (see `Line`): the
    proceeds are the exit value plus the exercise prices; the ranks of claims fill in order,
    each ratably to its claims (2(a)); then the common level rises, each capped class
    stopping at its cap, in the order of their caps per share (2(b); `fill`)."""
    kinks: list[Fraction] = []
    causes: list[Tier | Seat] = []
    phases: list[Phase] = []
    fixed: dict[str, Fraction] = {}  # what each class has been paid in full so far
    paid: dict[str, Fraction] = {}  # of it, liquidation preferences
    at = -co.strikes(profile)  # the exit value where the phase begins
    for t in tiers(co, profile):
        total = t.total
        moving: dict[str, Fraction | int] = {
            c.class_id: c.amount for c in t.claims if c.kind != "owed" and total
        }
        phases.append(Phase(at, total, _ZERO, dict(fixed), moving))
        for c in t.claims:
            if c.kind != "owed":
                add_to(fixed, c.class_id, c.amount)
            if c.kind == "preference":
                add_to(paid, c.class_id, c.amount)
        at += total
        kinks.append(at)
        causes.append(t)
    people = [p for p in participants(co, profile, paid) if p.units]
    rising = {p.class_id: p.units for p in people}
    units = sum(rising.values())
    level = _ZERO
    for p in sorted(
        (p for p in people if p.headroom is not None),
        key=lambda p: (p.headroom or _ZERO) / p.units,
    ):
        assert p.headroom is not None
        phases.append(Phase(at, units, level, dict(fixed), dict(rising)))
        stop = p.headroom / p.units
        at += (stop - level) * units
        level = stop
        units -= p.units
        del rising[p.class_id]
        add_to(fixed, p.class_id, p.headroom)
        kinks.append(at)
        causes.append(co.seat(p.class_id))
    phases.append(Phase(at, units or 1, level, fixed, rising))
    return Line(kinks, causes, phases)


def kink_reasons(co: Company, profile: Profile) -> list[tuple[Fraction, str]]:
    """Exit values where the distribution under fixed choices changes slope, each with why:
    a rank of claims paid in full (2(a)) or a class reaching its cap (2(b))."""
    found = line(co, profile)
    return [
        (x, _capped(c) if isinstance(c, Seat) else _filled(co, c))
        for x, c in zip(found.kinks, found.causes, strict=True)
    ]


def _filled(co: Company, tier: Tier) -> str:
    """The sentence of a rank paid in full, naming its claims and their clauses."""
    what = []
    for c in tier.claims:
        if c.kind == "owed":
            what.append(
                f"the Cash Amounts owed to former holders of {c.class_id} ({co.owed_citation})"
            )
            continue
        seat = co.seat(c.class_id)
        if c.kind == "preference":
            what.append(f"the {seat.name} liquidation preference ({seat.liquidation_citation})")
        else:
            what.append(f"the {seat.name} Cash Amount ({seat.conversion_citation})")
    return f"rank {tier.key[0]} is paid in full: " + "; ".join(what)


def _capped(seat: Seat) -> str:
    cap = _price(seat.cap or Fraction(0))
    return f"{seat.name} reaches its cap of {cap} a share ({seat.participation_citation})"


def _price(x: Fraction) -> str:
    """A price in a sentence: in cents when it is whole cents, else exact (`$12.375`)."""
    return "$" + (money_str(x) if (x * 100).denominator == 1 else per_share_str(x))


class Known:
    """What one curve's construction asks again and again, computed once per question: the
    distribution of a set of choices as a function of the exit value (`Line`), and a group's
    voting blocks (each is a pure function of the company and its arguments); and what is
    read from them: a class's payout, a share's."""

    def __init__(self, co: Company) -> None:
        self.co = co
        self._lines: dict[Profile, Line] = {}
        self._blocks: dict[
            tuple[str, frozenset[int]], tuple[list[tuple[tuple[tuple[str, int], ...], int]], int]
        ] = {}

    def line(self, profile: Profile) -> Line:
        found = self._lines.get(profile)
        if found is None:
            found = self._lines[profile] = line(self.co, profile)
        return found

    def total(self, profile: Profile, class_id: str, exit_value: Fraction) -> Fraction:
        """What the class receives in all (`distribute(...).total`)."""
        return self.line(profile).total(class_id, exit_value)

    def per_share(
        self, profile: Profile, seats: Sequence[Seat], exit_value: Fraction
    ) -> list[Fraction]:
        """What one share of each of the classes receives (`per_share_value`)."""
        totals = self.line(profile).totals([s.id for s in seats], exit_value)
        ns = [self.co.shares(s, profile) for s in seats]
        return [t / n if n else _ZERO for t, n in zip(totals, ns, strict=True)]

    def blocks(
        self, group: Group, profile: Profile
    ) -> tuple[list[tuple[tuple[tuple[str, int], ...], int]], int]:
        """The group's voting blocks (`vote_blocks`) as (holding, shares), and their total."""
        co = self.co
        key = (
            group.id,
            frozenset(i for i in profile.exercised if co.buckets[i].class_id in group.classes),
        )
        if key not in self._blocks:
            single, several = co.vote_blocks(group, profile)
            blocks = [(((c, 1),), n) for c, n in single.items()] + [
                (holding, sum(n for _, n in holding) * count) for holding, count in several.items()
            ]
            self._blocks[key] = (blocks, sum(n for _, n in blocks))
        return self._blocks[key]


def _marginal_buckets(co: Company, profile: Profile) -> Iterator[Bucket]:
    """Per class, the dearest grants exercised and the cheapest not: the ones whose choice
    flips first as the exit value moves (a cheaper grant is in the money whenever a dearer
    one is)."""
    for cls in sorted({b.class_id for b in co.buckets}):
        mine = [b for b in co.buckets if b.class_id == cls]
        ex = [b for b in mine if b.index in profile.exercised]
        out = [b for b in mine if b.index not in profile.exercised]
        if ex:
            yield ex[-1]
        if out:
            yield out[0]


def _root(x: Fraction, y: Fraction, gx: Fraction, gy: Fraction) -> Fraction | None:
    """Where an affine gain (gx at x, gy at y) crosses zero within (x, y], if it does."""
    if gx == gy:
        return None
    r = x + (0 - gx) * (y - x) / (gy - gx)
    return r if x < r <= y else None


def _gains_right(gx: Fraction | int, gy: Fraction | int) -> bool:
    """Whether an affine gain (gx at x, gy further right) is positive just right of x."""
    return gx > 0 or (gx == 0 and gy > 0)


class Steps(msgspec.Struct):
    """The grants' answer (`respond`) to one set of conversions, swept as far as asked:
    `profiles[i]` on the open interval (bounds[i], bounds[i + 1]), `at` the answer at each
    bound, `cuts` every bound after the first and every kink of each step's choices (where a
    payout under those conversions may bend); `ahead` the answer just right of the last
    bound, while the sweep has not reached the end."""

    bounds: list[Fraction]
    profiles: list[Profile]
    at: dict[Fraction, Profile]
    cuts: list[Fraction]
    ahead: Profile | None

    def right_of(self, x: Fraction) -> Profile:
        return self.profiles[min(bisect_right(self.bounds, x), len(self.profiles)) - 1]

    def answer(self, x: Fraction) -> Profile:
        return self.at[x] if x in self.at else self.right_of(x)

    def next_cut(self, x: Fraction) -> Fraction:
        return self.cuts[bisect_right(self.cuts, x)]


class Answers:
    """The options and warrants exercised in answer to each set of conversions, as steps over
    the range: a grant's choice flips where its exercise gain crosses zero, found exactly on
    the affine pieces between the kinks (the cheapest grants of a class first, Art. IV.B.2;
    `respond`). Each set of conversions the curve asks about is swept as far as it is asked."""

    def __init__(self, co: Company, known: Known, start: Fraction, end: Fraction) -> None:
        self.co, self.known, self.start, self.end = co, known, start, end
        self._steps: dict[Profile, Steps] = {}
        self.sweeping: set[Profile] = set()

    def steps(self, conversions: Profile, upto: Fraction) -> Steps:
        """The steps of `conversions`, swept past `upto` (or to the end)."""
        found = self._steps.get(conversions)
        if found is not None and (found.bounds[-1] > upto or found.ahead is None):
            return found
        self.sweeping.add(conversions)
        try:
            if found is None:
                at = respond(self.co, conversions, self.start)
                found = self._steps[conversions] = Steps([self.start], [], {self.start: at}, [], at)
            for _ in range(16 * len(self.co.buckets) + 64):
                if found.bounds[-1] > upto or found.ahead is None:
                    return found
                self._advance(conversions, found)
        finally:
            self.sweeping.discard(conversions)
        raise CharterError([Problem("the grants' choices along the curve do not settle")])

    def _advance(self, conversions: Profile, steps: Steps) -> None:
        """One more step: to where a grant's choice next flips, or to the end."""
        co, x, prof = self.co, steps.bounds[-1], steps.ahead
        assert prof is not None
        y, flips = self._first_flip(prof, x)
        after = replace(prof, exercised=prof.exercised ^ {b.index for b in flips})
        if y == x:  # the answer just right of x is not the one at x
            steps.ahead = after
            steps.at[x] = respond(co, conversions, x)
            return
        steps.profiles.append(prof)
        steps.cuts += [*self.known.line(prof).inside(x, y), y]
        steps.bounds.append(y)
        # at its root a grant's gain is nil: it is not exercised there, coming in or going out
        if len(flips) > 1:
            steps.at[y] = respond(co, conversions, y)
        else:
            steps.at[y] = after if flips and flips[0].index in prof.exercised else prof
        steps.ahead = None if y == self.end else after

    def _first_flip(self, prof: Profile, x: Fraction) -> tuple[Fraction, list[Bucket]]:
        """The first exit value after x (or x itself) where a marginal grant's choice flips,
        and the grants that flip there (none: the end of the range)."""
        best, flips = self.end, []
        # the grants not exercised first: their roots are near, and bound the others' search
        for b in sorted(_marginal_buckets(self.co, prof), key=lambda b: b.index in prof.exercised):
            r = self._gain_root(prof, b, x, best)
            if r is not None and r < best:
                best, flips = r, [b]
            elif r is not None and r == best:
                flips.append(b)
        return best, flips

    def _gain_root(self, prof: Profile, b: Bucket, x: Fraction, limit: Fraction) -> Fraction | None:
        """Where, up to `limit`, the grants of `b` would choose otherwise than in `prof`,
        walking the affine pieces of their gain from x: exercised while the gain is
        positive."""
        inside = b.index in prof.exercised
        on = replace(prof, exercised=prof.exercised | {b.index})
        line, seat = self.known.line(on), self.co.seat(b.class_id)
        n = self.co.shares(seat, on)  # the grants' own shares among them

        def gain(e: Fraction) -> Fraction:  # `exercise_gain`, the others' choices held
            return b.gain(line.total(seat.id, e) / n)

        p0, g0 = x, gain(x)
        for p1 in [*line.inside(x, limit), limit]:
            g1 = gain(p1)
            if _gains_right(g0, g1) != inside:
                return p0
            if (g1 > 0) != inside:
                r = _root(p0, p1, g0, g1)
                return p1 if r is None else r
            p0, g0 = p1, g1
        return None


class _Answered(dict[tuple[frozenset[str], frozenset[str], Fraction], Profile]):
    """`respond`'s memo answered from the swept steps, within the range (see `build`)."""

    def __init__(self, answers: Answers) -> None:
        super().__init__()
        self.answers = answers

    def get(  # type: ignore[override]
        self, key: tuple[frozenset[str], frozenset[str], Fraction], default: None = None
    ) -> Profile | None:
        converted, elected, x = key
        conversions = Profile(converted, elected)
        a = self.answers
        if a.start <= x <= a.end and conversions not in a.sweeping:
            return a.steps(conversions, x).answer(x)
        return super().get(key, default)


def _conversions(profile: Profile) -> Profile:
    return Profile(profile.converted, profile.elected)


def _deciders(co: Company, profile: Profile) -> tuple[list[Seat], list[Group]]:
    """The classes whose holders may convert, and the groups that may elect."""
    seats = [s for s in co.seats if s.decision == "holder" and co.shares(s, profile)]
    return seats, list(co.groups)


def _toggled(conversions: Profile, seats: list[Seat], groups: list[Group]) -> list[Profile]:
    out = [conversions]
    out += [replace(conversions, converted=conversions.converted ^ {s.id}) for s in seats]
    out += [replace(conversions, elected=conversions.elected ^ {g.id}) for g in groups]
    return out


def _check(
    co: Company, profile: Profile, answers: Answers, x: Fraction, y: Fraction
) -> tuple[bool, Fraction | None]:
    """On (x, y], where every payout under `profile`'s conversions and the neighbouring ones
    is affine: whether `profile` is the holders' choice just right of x, and the first exit
    value where a decision-maker would choose otherwise (Art. IV.B.3(a))."""
    conv, known = _conversions(profile), answers.known
    seats, groups = _deciders(co, profile)
    pieces = {c: answers.steps(c, y).right_of(x) for c in _toggled(conv, seats, groups)}
    valid, first = True, None
    for s in seats:
        on = pieces[replace(conv, converted=conv.converted | {s.id})]
        off = pieces[replace(conv, converted=conv.converted - {s.id})]
        gx = known.total(on, s.id, x) - known.total(off, s.id, x)
        gy = known.total(on, s.id, y) - known.total(off, s.id, y)
        valid = valid and _gains_right(gx, gy) == (s.id in profile.converted)
        r = _root(x, y, gx, gy)
        if r is not None and (first is None or r < first):
            first = r
    for g in groups:
        on = pieces[replace(conv, elected=conv.elected | {g.id})]
        off = pieces[replace(conv, elected=conv.elected - {g.id})]
        right, r = _group_flip(known, g, profile, on, off, x, y)
        valid = valid and right
        if r is not None and (first is None or r < first):
            first = r
    return valid, first


def _group_flip(
    known: Known,
    g: Group,
    profile: Profile,
    on: Profile,
    off: Profile,
    x: Fraction,
    y: Fraction,
) -> tuple[bool, Fraction | None]:
    """Whether the group's vote just right of x is `profile`'s, and the first exit value in
    (x, y] where it would come out otherwise: each holder votes all its shares of the group
    for the election when it gains by it (Art. IV.B.3(a); `election_votes`)."""
    seats = [known.co.seat(c) for c in g.classes]
    deltas = []
    for e in (x, y):
        pairs = zip(known.per_share(on, seats, e), known.per_share(off, seats, e), strict=True)
        deltas.append({s.id: a - b for s, (a, b) in zip(seats, pairs, strict=True)})
    den = math.lcm(1, *(d.denominator for ds in deltas for d in ds.values()))
    ix, iy = ({c: d.numerator * (den // d.denominator) for c, d in ds.items()} for ds in deltas)
    blocks, total = known.blocks(g, profile)
    wanted = g.id in profile.elected
    values = [*ix.values(), *iy.values()]
    if all(v > 0 for v in values) or all(v < 0 for v in values):  # all gain, or none does
        return election_passes(total if values[0] > 0 else 0, total, g) == wanted, None
    yes = 0
    events: list[tuple[Fraction, int]] = []
    for holding, shares in blocks:
        gx = sum(n * ix[c] for c, n in holding)
        gy = sum(n * iy[c] for c, n in holding)
        right = _gains_right(gx, gy)  # voting for just right of x
        if right:
            yes += shares
        if (gx > 0 > gy) or (gx < 0 < gy) or (gy == 0 and gx > 0):
            events.append((x + Fraction(-gx, gy - gx) * (y - x), -shares if right else shares))
    valid = election_passes(yes, total, g) == wanted
    for r, change in sorted(events):
        yes += change
        if election_passes(yes, total, g) != wanted:
            return valid, r
    return valid, None


def _piece(
    co: Company, answers: Answers, profile: Profile, x: Fraction
) -> tuple[Profile, Fraction, bool]:
    """The holders' choices just right of x and how far they hold with every payout affine:
    to the next cut of the grants' answers to them, or to the first exit value where a
    decision-maker would choose otherwise; and whether the choices may differ at that end
    (elsewhere every gain keeps its sign there, so they are the same). A decision weighs the
    payouts under the neighbouring conversions too, which bend at their own cuts: the gains
    are followed across those (`_check` on each stretch where all of them are affine) without
    ending the piece, unless an answer to a neighbour changes there."""
    probe = answers.end
    for _ in range(64):
        conv = _conversions(profile)
        profile = answers.steps(conv, x).right_of(x)
        seats, groups = _deciders(co, profile)
        toggled = _toggled(conv, seats, groups)
        end = answers.steps(conv, x).next_cut(x)
        a = x
        while True:
            y = min(answers.steps(c, a).next_cut(a) for c in toggled)
            valid, flip = _check(co, profile, answers, a, y)
            if not valid:
                break
            if flip is not None:
                return profile, flip, True
            # at y itself the choices may change only where an answer does
            moves = any(
                answers.steps(c, y).answer(y) != answers.steps(c, y).right_of(a) for c in toggled
            )
            if moves or y == end:
                return profile, y, moves
            a = y
        if a > x:  # the choices just right of a are others: the piece ends there
            return profile, a, False
        probe = (x + min(probe, y)) / 2
        profile = choices(co, probe, profile)
    raise CharterError([Problem(f"the holders' choices just above {money_str(x)} do not settle")])


def build(co: Company, start: Fraction, end: Fraction) -> Curve:
    """The whole curve from `start` to `end`.

    The grants' answers to each set of conversions are swept once (`Answers`); then the
    holders' choices are followed from `start`, each piece ending where a payout under them
    may bend, where an answer to a neighbouring set of conversions changes, or where a
    decision flips (the exact root of its affine gain, followed across the bends of the
    payouts it weighs).
    While building, `respond` is answered from the sweep, so `choices` at each breakpoint
    weighs the same answers without searching again."""
    if start < 0 or end <= start:
        raise CharterError(
            [Problem("the range must satisfy 0 <= --from < --to", field="--from/--to")]
        )
    known = Known(co)
    answers = Answers(co, known, start, end)
    plain = co.memo_respond
    co.memo_respond = _Answered(answers)
    try:
        segments: list[Segment] = []
        points: dict[Fraction, tuple[Profile, Split]] = {}
        x = start
        at = choices(co, x)
        points[x] = (at, distribute(co, at, x))
        while x < end:
            profile, y, moves = _piece(co, answers, at, x)
            segments.append(
                Segment(x, y, profile, distribute(co, profile, x), distribute(co, profile, y))
            )
            at = choices(co, y, profile) if moves else profile
            points[y] = (at, distribute(co, at, y))
            x = y
    finally:
        co.memo_respond = plain
    return Curve(co, start, end, _merge(known, segments, points), points)


def _merge(
    known: Known, segments: list[Segment], points: dict[Fraction, tuple[Profile, Split]]
) -> list[Segment]:
    """Join neighbours that are one straight piece with the same choices (no breakpoint)."""
    out: list[Segment] = []
    for s in segments:
        if out and _straight(known, out[-1], s, points[s.lo]):
            p = out[-1]
            out[-1] = Segment(p.lo, s.hi, p.profile, p.low, s.high)
            del points[s.lo]
            continue
        out.append(s)
    return out


def _straight(known: Known, p: Segment, s: Segment, at: tuple[Profile, Split]) -> bool:
    """Whether `s` continues `p` under the same choices, through the point between them, with
    every class's payout (and the common level) at the same slope (so, away from the kinks
    of those choices)."""
    if p.profile != s.profile or at[0] != s.profile:
        return False
    if s.lo not in known.line(s.profile).kinks:
        return True
    if not (_totals_equal(p.high, s.low) and _totals_equal(at[1], s.low)):
        return False
    dp, ds = p.hi - p.lo, s.hi - s.lo
    if (p.high.level - p.low.level) * ds != (s.high.level - s.low.level) * dp:
        return False
    keys = {k for x in (p.low, s.high) for k in (*x.preference, *x.cash, *x.participation)}
    return all(
        (p.high.total(k) - p.low.total(k)) * ds == (s.high.total(k) - s.low.total(k)) * dp
        for k in keys
    )


def _totals_equal(a: Split, b: Split) -> bool:
    keys = (
        set(a.preference)
        | set(b.preference)
        | set(a.cash)
        | set(b.cash)
        | set(a.participation)
        | set(b.participation)
    )
    return all(a.total(k) == b.total(k) for k in keys) and a.level == b.level


def _exact(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _changes(co: Company, a: Profile, b: Profile) -> list[str]:
    """What the holders choose otherwise from `a` to `b`: classes converting (named, with the
    clause) and grants exercised (by id, with their exercise price)."""
    out = []
    for s in co.seats:
        if a.converts(s) != b.converts(s):
            verb = "converts" if b.converts(s) else "stops converting"
            out.append(f"{s.name} {verb} ({s.conversion_citation})")
    for i in sorted(a.exercised ^ b.exercised):
        bucket = co.buckets[i]
        ids = ", ".join(g for g, _, _ in bucket.grants)
        verb = "exercised" if i in b.exercised else "not exercised"
        out.append(f"{ids} {verb} (exercise price {_price(bucket.strike)} a share)")
    return out


def _why(co: Company, before: Segment, after: Segment) -> list[str]:
    """Why the curve bends at the start of `after`: the choices that change, else the rank
    paid in full or the cap reached there."""
    found = _changes(co, before.profile, after.profile)
    if found:
        return found
    for profile in (before.profile, after.profile):
        found += [why for k, why in kink_reasons(co, profile) if k == after.lo and why not in found]
    return found or ["a slope changes"]


def curve_json(curve: Curve, holders: bool = True) -> dict[str, object]:
    """The curve for scripts: exact breakpoints and the payouts at each (left limit where the
    curve jumps), per class and per holder."""
    co = curve.company
    classes = curve.classes()
    rows: list[tuple[Fraction, Split, Profile, str]] = []
    breakpoints = []
    for i, s in enumerate(curve.segments):
        if i == 0:
            p0, sp0 = curve.points[s.lo]
            rows.append((s.lo, sp0, p0, "at"))
        else:
            prev = curve.segments[i - 1]
            at_profile, at_split = curve.points[s.lo]
            jump = not _totals_equal(prev.high, at_split)
            if jump:
                rows.append((s.lo, prev.high, prev.profile, "left"))
            rows.append((s.lo, at_split, at_profile, "at"))
            why = _why(co, prev, s)
            breakpoints.append(
                {"exit": per_share_str(s.lo), "exact": _exact(s.lo), "changes": why, "jump": jump}
            )
    last = curve.segments[-1]
    pe, spe = curve.points[last.hi]
    rows.append((last.hi, spe, pe, "at"))
    out: dict[str, object] = {
        "from": money_str(curve.start),
        "to": money_str(curve.end),
        "as_of": co.as_of.isoformat() if co.as_of else None,
        "breakpoints": breakpoints,
        "classes": {
            c: [
                {"exit": per_share_str(x), "side": side, "amount": money_str(sp.total(c))}
                for x, sp, _, side in rows
            ]
            for c in classes
        },
        "segments": [
            {
                "from": per_share_str(s.lo),
                "to": per_share_str(s.hi),
                "converted": sorted(x.id for x in co.seats if s.profile.converts(x)),
                "exercised": sorted(
                    g for i in s.profile.exercised for g, _, _ in co.buckets[i].grants
                ),
            }
            for s in curve.segments
        ],
        "interpretations": sorted(co.trace_readings),
        "readings": dict(sorted(co.trace_readings.items())),
    }
    if holders:
        per: dict[str, list[dict[str, str]]] = {}
        for x, sp, prof, side in rows:
            nums, den = holder_amounts(co, prof, sp)
            by: dict[str, Fraction] = {}
            for (h, _), n in nums.items():
                by[h] = by.get(h, Fraction(0)) + Fraction(n, den)
            for h, v in by.items():
                per.setdefault(h, []).append(
                    {"exit": per_share_str(x), "side": side, "amount": money_str(v)}
                )
        out["holders"] = dict(sorted(per.items()))
    return out
