"""Exact numbers at the edges (DESIGN.md principle 2).

Inside the rules every amount and ratio is a `fractions.Fraction`; here they are read from
decimal strings and written back as decimal strings. Binary floats are refused on entry.
Rounding happens once, at the edge, by one of the named rules below.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, PlainSerializer

from charter.errors import excerpt

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_RATIO = re.compile(r"^(\d+):(\d+)$")
K = TypeVar("K")


MAX_DECIMALS = 10  # places after the point of an amount or a price (docs/ledger-additions.md)
MAX_WHOLE_DIGITS = 15  # digits before it: up to 999 trillion


class NumberError(ValueError):
    """A value that is not an exact decimal number (or ratio) as the formats require."""


def within_precision(d: Decimal, what: str) -> Decimal:
    """`d` if it has at most MAX_DECIMALS significant places after the point and
    MAX_WHOLE_DIGITS before it. The documents state prices to four places and amounts to the
    cent; a price written to 40 places is a mistake, and its denominator (10**40) would be
    carried through every later anti-dilution computation, each product longer than the
    last (issue 17 §3)."""
    if not d.is_finite():
        raise NumberError(f"{what} {excerpt(str(d))} is not a number")
    if d.is_zero():
        return d
    exponent = d.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise NumberError(
            f"{what} {excerpt(str(d))} has more than {MAX_DECIMALS} decimal places; write it "
            f"to at most {MAX_DECIMALS}"
        )
    if d.adjusted() >= MAX_WHOLE_DIGITS:
        raise NumberError(
            f"{what} {excerpt(str(d))} has more than {MAX_WHOLE_DIGITS} digits before the point"
        )
    return d


def parse_decimal(value: Any, what: str = "amount") -> Fraction:
    """Read a decimal string (or an int) exactly; refuse floats, which cannot hold cents."""
    if isinstance(value, bool):
        raise NumberError(f"{what} must be a decimal string, not {excerpt(value)}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(within_precision(Decimal(value), what))
    if isinstance(value, Decimal):
        return Fraction(within_precision(value, what))
    if isinstance(value, float):
        raise NumberError(
            f"{what} {excerpt(value)} is a binary float; write it as a quoted decimal string "
            f'such as "{value}"'
        )
    if isinstance(value, str) and len(value) <= 200 and _DECIMAL.match(value.strip()):
        return Fraction(within_precision(Decimal(value.strip()), what))
    raise NumberError(f"{what} {excerpt(value)} is not a decimal number")


def parse_ratio(value: Any) -> Fraction:
    """Read a ratio written "N:D" (new:old), e.g. "2:1" doubles the count."""
    if isinstance(value, str):
        m = _RATIO.match(value.strip())
        if m and int(m.group(2)) > 0 and int(m.group(1)) > 0:
            return Fraction(int(m.group(1)), int(m.group(2)))
    raise NumberError(
        f'ratio {excerpt(value)} must be written "N:D" with positive integers, e.g. "2:1"'
    )


def round_half_up(x: Fraction) -> int:
    """Nearest integer, halves away from zero (for non-negative x: up)."""
    return round_half_up_ratio(x.numerator, x.denominator)


def round_half_up_ratio(n: int, d: int) -> int:
    """round_half_up of n / d (d non-zero, the two need not be in lowest terms).

    floor((2n + d) / 2d) on the integers, with no Fraction arithmetic: this runs for every
    share and price rounded."""
    if d < 0:
        n, d = -n, -d
    if n >= 0:
        return (2 * n + d) // (2 * d)
    return -((d - 2 * n) // (2 * d))


def nearest_whole_share(x: Fraction, half_up: bool = True) -> int:
    """Whole shares, rounded to the nearest (Art. IV.B.3(h)); an exact half up, or down when
    `half_up` is False (the reading conversion-exact-half)."""
    if not half_up and (2 * x).denominator == 1 and x.denominator == 2:
        return round_half_up(x) - 1
    return round_half_up(x)


def to_decimal_str(x: Fraction, places: int) -> str:
    """Exact decimal string with `places` decimals, rounding half up only in the last place."""
    scaled = round_half_up(x * 10**places)
    sign = "-" if scaled < 0 else ""
    scaled = abs(scaled)
    if places == 0:
        return f"{sign}{scaled}"
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def money(x: Fraction) -> str:
    """Money at the edge: exactly two decimals (cli-contract.md)."""
    return to_decimal_str(x, 2)


def per_share(x: Fraction) -> str:
    """A per-share figure or a conversion price: six decimals (cli-contract.md)."""
    return to_decimal_str(x, 6)


def decimal_str(x: Fraction) -> str:
    """The shortest exact decimal string of x when it terminates, else six decimals."""
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return per_share(x)
    places = 0
    while (x * 10**places).denominator != 1:
        places += 1
    return to_decimal_str(x, places)


def allocate_cents(amounts: Mapping[K, Fraction], total: Fraction) -> dict[K, Fraction]:
    """Round each amount to cents by largest remainder so the cents add up to `total` exactly.

    `total` must itself be a whole number of cents and equal the sum of `amounts`.
    Ties in the remainder go to the key that sorts first, so the result is deterministic.
    """
    cents_total = total * 100
    if cents_total.denominator != 1:
        raise NumberError(f"total {total} is not a whole number of cents")
    denominator = math.lcm(1, *(v.denominator for v in amounts.values()))
    numerators = {k: v.numerator * (denominator // v.denominator) for k, v in amounts.items()}
    cents = allocate_cents_over(numerators, denominator, int(cents_total))
    return {k: Fraction(c, 100) for k, c in cents.items()}


def to_cents(x: Fraction) -> Fraction:
    """To the nearest cent (a half cent up)."""
    return Fraction(round_half_up(x * 100), 100)


def in_cents(amounts: Mapping[K, Fraction]) -> dict[K, Fraction]:
    """Exact amounts in whole cents by largest remainder, adding up to their total rounded to
    the nearest cent."""
    return allocate_cents(amounts, to_cents(sum(amounts.values(), Fraction(0))))


def ratable_cents(owed: Mapping[K, Fraction], funds: Fraction | None) -> dict[K, Fraction]:
    """Funds applied ratably to amounts owed in whole cents: all of them when the funds cover
    the total (or are unlimited, None); else each is paid owed x funds / total, in whole cents
    by largest remainder, adding up to the funds (down to the cent). No amount is paid more
    than it is owed: its exact share is less than a whole number of cents, so its share
    rounded up is not more."""
    total = sum(owed.values(), Fraction(0))
    if funds is None or funds >= total:
        return dict(owed)
    paying = Fraction(math.floor(funds * 100), 100)
    return allocate_cents({k: v * paying / total for k, v in owed.items()}, paying)


def allocate_cents_over(
    numerators: Mapping[K, int], denominator: int, total_cents: int
) -> dict[K, int]:
    """`allocate_cents` over exact amounts numerator/denominator (one common denominator, so
    that large allocations run on integers): whole cents per key, by largest remainder, adding
    up to `total_cents`; ties go to the key that sorts first."""
    floors: dict[K, int] = {}
    remainders: dict[K, int] = {}
    for k, n in numerators.items():
        floors[k], remainders[k] = divmod(n * 100, denominator)
    short = total_cents - sum(floors.values())
    if short > 0:
        order = sorted(remainders, key=remainders.__getitem__, reverse=True)
        last = remainders[order[min(short, len(order)) - 1]]
        above = [k for k in order if remainders[k] > last]
        tied = sorted(k for k in order if remainders[k] == last)  # type: ignore[type-var]
        for k in above + tied[: short - len(above)]:
            floors[k] += 1
    return floors


def _money_in(value: Any) -> Fraction:
    return parse_decimal(value)


Amount = Annotated[
    Fraction,
    BeforeValidator(_money_in),
    PlainSerializer(decimal_str, return_type=str),
]
"""A pydantic field holding an exact amount, read from and written as a decimal string."""


def _fraction_in(value: Any) -> Fraction:
    if isinstance(value, str) and "/" in value:
        n, _, d = value.partition("/")
        try:
            return Fraction(int(n), int(d))
        except (ValueError, ZeroDivisionError):
            raise NumberError(
                f"fraction {excerpt(value)} must be written N/D with whole numbers, D not 0"
            ) from None
    return parse_decimal(value, "fraction")


def _fraction_out(x: Fraction) -> str:
    return str(x) if x.denominator != 1 else str(x.numerator)


Share = Annotated[
    Fraction,
    BeforeValidator(_fraction_in),
    PlainSerializer(_fraction_out, return_type=str),
]
"""A proportion (a threshold such as 3/4 or "0.75"), exact."""
