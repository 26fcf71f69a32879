"""Payout curves: the exact payout of every class and holder as a function of the exit value.

Between two breakpoints the holders' choices do not change and every payout is affine in the
exit value, so the curve is its breakpoints (exact fractions) and the distribution just right
of each and just left of the next. A breakpoint is where a preference tier fills, a cap is
reached (Art. IV.B.2(a)-(b)), or a choice flips (Art. IV.B.3(a); an option crossing its
strike). Those of a fixed set of choices are computed in closed form; a flip is the exact root
of the affine gain of the decision-maker that changes its mind.

Evaluating the curve at millions of exit values is vectorised with NumPy over the exact
breakpoints (floats there are chart and sweep coordinates, never a legal figure); evaluating
it exactly at one value gives the same Fractions as `waterfall`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from charter.errors import CharterError, Problem
from charter.numbers import decimal_str as per_share_str
from charter.numbers import money as money_str
from charter.rules.waterfall import (
    Bucket,
    Company,
    Profile,
    Split,
    choices,
    distribute,
    election_passes,
    exercise_gain,
    holder_amounts,
    participants,
    per_share_value,
    respond,
    tiers,
)


@dataclass(frozen=True)
class Segment:
    """An open interval of exit values with one set of choices; `low` and `high` are the
    distribution at its ends under those choices (affine in between)."""

    lo: Fraction
    hi: Fraction
    profile: Profile
    low: Split
    high: Split


@dataclass
class Curve:
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
        charts), by locating each value among the exact breakpoints."""
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


def kinks(co: Company, profile: Profile) -> list[Fraction]:
    """Exit values where the distribution under fixed choices changes slope: each rank of
    preferences filled (2(a)) and each cap reached (2(b))."""
    offset = co.strikes(profile)
    out = []
    filled = Fraction(0)
    paid: dict[str, Fraction] = {}
    for t in tiers(co, profile):
        filled += t.total
        out.append(filled - offset)
        for c in t.claims:
            if c.kind == "preference":
                paid[c.class_id] = paid.get(c.class_id, Fraction(0)) + c.amount
    people = participants(co, profile, paid)
    units = sum(p.units for p in people)
    level = spent = Fraction(0)
    for p in sorted(
        (p for p in people if p.headroom is not None and p.units),
        key=lambda p: (p.headroom or Fraction(0)) / p.units,
    ):
        assert p.headroom is not None
        stop = p.headroom / p.units
        spent += (stop - level) * units
        level = stop
        units -= p.units
        out.append(filled + spent - offset)
    return out


class Known:
    """What one curve's construction asks again and again, computed once per question: the
    kinks of a set of choices, and a grant's gain from exercising at an exit value (each is
    a pure function of the company and its arguments)."""

    def __init__(self, co: Company) -> None:
        self.co = co
        self._kinks: dict[Profile, list[Fraction]] = {}
        self._gains: dict[tuple[Profile, int, Fraction], Fraction] = {}

    def kinks(self, profile: Profile) -> list[Fraction]:
        if profile not in self._kinks:
            self._kinks[profile] = kinks(self.co, profile)
        return self._kinks[profile]

    def exercise_gain(self, profile: Profile, bucket: Bucket, exit_value: Fraction) -> Fraction:
        key = (profile, bucket.index, exit_value)
        if key not in self._gains:
            self._gains[key] = exercise_gain(self.co, profile, bucket, exit_value)
        return self._gains[key]


def _neighbours(co: Company, profile: Profile) -> Iterator[Profile]:
    """The profiles one decision away that can flip first."""
    for s in co.seats:
        if s.decision == "holder":
            yield replace(profile, converted=profile.converted ^ {s.id})
    for g in co.groups:
        yield replace(profile, elected=profile.elected ^ {g.id})
    for b in _marginal_buckets(co, profile):
        yield replace(profile, exercised=profile.exercised ^ {b.index})


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


def _group_flip(
    co: Company, profile: Profile, x: Fraction, y: Fraction, answers: dict[Profile, Profile]
) -> Fraction | None:
    """The first exit value in (x, y] where a group's vote would come out otherwise."""
    best: Fraction | None = None
    for g in co.groups:
        on = answers[replace(profile, elected=profile.elected | {g.id})]
        off = answers[replace(profile, elected=profile.elected - {g.id})]
        deltas = []
        for e in (x, y):
            s_on, s_off = distribute(co, on, e), distribute(co, off, e)
            deltas.append(
                {
                    c: per_share_value(co, on, s_on, co.seat(c))
                    - per_share_value(co, off, s_off, co.seat(c))
                    for c in g.classes
                }
            )
        single, several = co.vote_blocks(g, profile)
        blocks = [(((c, 1),), n) for c, n in single.items()] + [
            (holding, sum(n for _, n in holding) * count) for holding, count in several.items()
        ]
        total = sum(shares for _, shares in blocks)
        events: list[tuple[Fraction, int]] = []
        yes = 0
        for holding, shares in blocks:
            gx = sum((n * deltas[0][c] for c, n in holding), Fraction(0))
            gy = sum((n * deltas[1][c] for c, n in holding), Fraction(0))
            right = gx > 0 or (gx == 0 and gy > 0)  # voting for just right of x
            if right:
                yes += shares
            if gx != gy:
                r = x + (0 - gx) * (y - x) / (gy - gx)
                if x < r < y or (r == y and gy <= 0 and right):
                    events.append((r, -shares if right else shares))
        wanted = g.id in profile.elected
        for r, change in sorted(events):
            yes += change
            if election_passes(yes, total, g) != wanted:
                best = r if best is None else min(best, r)
                break
    return best


def _choice_pairs(co: Company, profile: Profile) -> list[tuple[Profile, Profile]]:
    """For each conversion decision, the choices with it taken and not (others as they are)."""
    pairs = []
    for s in co.seats:
        if s.decision == "holder" and co.shares(s, profile):
            pairs.append(
                (
                    replace(profile, converted=profile.converted | {s.id}),
                    replace(profile, converted=profile.converted - {s.id}),
                )
            )
    for g in co.groups:
        pairs.append(
            (
                replace(profile, elected=profile.elected | {g.id}),
                replace(profile, elected=profile.elected - {g.id}),
            )
        )
    return pairs


def _grant_roots(known: Known, profile: Profile, x: Fraction, y: Fraction) -> list[Fraction]:
    """Where a marginal grant's gain from exercising crosses zero in (x, y]."""
    out = []
    for b in _marginal_buckets(known.co, profile):
        without = replace(profile, exercised=profile.exercised - {b.index})
        gain = known.exercise_gain
        r = _root(x, y, gain(without, b, x), gain(without, b, y))
        if r is not None:
            out.append(r)
    return out


def _next_point(known: Known, profile: Profile, x: Fraction, end: Fraction) -> Fraction:
    """The next exit value after x where the curve may bend or a choice may flip.

    Each conversion decision is weighed with the options answering it; the answers are found
    just right of x and the interval is cut where an answer would change, so that every gain
    is affine on (x, y]."""
    co = known.co
    y = end
    for p in (profile, *_neighbours(co, profile)):
        for k in known.kinks(p):
            if x < k < y:
                y = k
    y = min([y, *_grant_roots(known, profile, x, y)])
    answers: dict[Profile, Profile] = {}
    for _ in range(64):
        mid = (x + y) / 2
        answers = {p: respond(co, p, mid) for pair in _choice_pairs(co, profile) for p in pair}
        cut = y
        for ans in set(answers.values()):
            for k in known.kinks(ans):
                if x < k < cut:
                    cut = k
            cut = min([cut, *_grant_roots(known, ans, x, cut)])
        if cut == y:
            break
        y = cut
    candidates = [y]
    for s in co.seats:
        if s.decision == "holder" and co.shares(s, profile):
            on = answers[replace(profile, converted=profile.converted | {s.id})]
            off = answers[replace(profile, converted=profile.converted - {s.id})]
            gx = distribute(co, on, x).total(s.id) - distribute(co, off, x).total(s.id)
            gy = distribute(co, on, y).total(s.id) - distribute(co, off, y).total(s.id)
            r = _root(x, y, gx, gy)
            if r is not None:
                candidates.append(r)
    g = _group_flip(co, profile, x, y, answers)
    if g is not None:
        candidates.append(g)
    return min(candidates)


def build(co: Company, start: Fraction, end: Fraction) -> Curve:
    """The whole curve from `start` to `end`."""
    if start < 0 or end <= start:
        raise CharterError(
            [Problem("the range must satisfy 0 <= --from < --to", field="--from/--to")]
        )
    segments: list[Segment] = []
    points: dict[Fraction, tuple[Profile, Split]] = {}
    known = Known(co)
    x = start
    profile = choices(co, x)
    points[x] = (profile, distribute(co, profile, x))
    while x < end:
        y = _next_point(known, profile, x, end)
        for _ in range(20):  # the choices just right of x
            mid = (x + y) / 2
            right = choices(co, mid, profile)
            if right == profile:
                break
            profile = right
            y = _next_point(known, profile, x, end)
        segments.append(
            Segment(x, y, profile, distribute(co, profile, x), distribute(co, profile, y))
        )
        at = choices(co, y, profile)
        points[y] = (at, distribute(co, at, y))
        x = y
    return Curve(co, start, end, _merge(segments, points), points)


def _merge(segments: list[Segment], points: dict[Fraction, tuple[Profile, Split]]) -> list[Segment]:
    """Join neighbours that are one straight piece with the same choices (no breakpoint)."""
    out: list[Segment] = []
    for s in segments:
        if out:
            p = out[-1]
            t = (s.hi - p.lo) / (p.hi - p.lo)
            same = (
                p.profile == s.profile
                and points[s.lo][0] == s.profile
                and _totals_equal(interpolate(p.low, p.high, t), s.high)
                and _totals_equal(p.high, s.low)
                and _totals_equal(points[s.lo][1], s.low)
            )
            if same:
                out[-1] = Segment(p.lo, s.hi, p.profile, p.low, s.high)
                del points[s.lo]
                continue
        out.append(s)
    return out


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
    out = []
    for s in co.seats:
        if a.converts(s) != b.converts(s):
            out.append(f"{s.id} {'converts' if b.converts(s) else 'stops converting'}")
    for i in sorted(a.exercised ^ b.exercised):
        ids = ", ".join(g for g, _, _ in co.buckets[i].grants)
        out.append(f"{ids} {'exercised' if i in b.exercised else 'not exercised'}")
    return out


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
            why = _changes(co, prev.profile, s.profile) or [
                "a slope changes: a rank of preferences is filled or a cap is reached"
            ]
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
