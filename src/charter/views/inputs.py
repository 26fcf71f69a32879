"""What a person types, read the same way on every surface (a CLI option, a form field, a
query parameter): dates, amounts of money, prices, fractions. Each mistake is one sentence
naming the option or field."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from charter.errors import CharterError, Problem
from charter.numbers import NumberError, parse_decimal


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise CharterError(
            [Problem(f"{value!r} is not a date in the form YYYY-MM-DD", field=option)]
        ) from e


def parse_amount(value: str, option: str) -> Fraction:
    """A non-negative amount of money written as a decimal, at most to the cent; an empty
    one is a mistake (never a silent default)."""
    if not value.strip():
        raise CharterError([Problem("give an amount such as 1250000.00", field=option)])
    try:
        amount = parse_decimal(value.replace(",", "").replace("_", ""), option)
    except NumberError as e:
        raise CharterError(
            [Problem(f"{value!r} is not a decimal amount such as 1250000.00", field=option)]
        ) from e
    if amount < 0:
        raise CharterError([Problem(f"{value} is negative; an amount cannot be", field=option)])
    if (amount * 100).denominator != 1:
        raise CharterError(
            [Problem(f"{value} has fractions of a cent; give it to the cent", field=option)]
        )
    return amount


def offering_amount(value: str, option: str, zero_ok: bool = False) -> Fraction:
    """A price or amount of the offering: a decimal, more than zero (or, with `zero_ok`, not
    negative: the funds legally available may be nil)."""
    if not value.strip():
        raise CharterError([Problem("give an amount such as 12.00", field=option)])
    try:
        x = parse_decimal(value, option)
    except NumberError as e:
        raise CharterError([Problem(str(e), field=option)]) from e
    if x < 0 or (not zero_ok and x == 0):
        least = "zero or more" if zero_ok else "more than zero"
        raise CharterError([Problem(f"{value!r} must be {least}", field=option)])
    return x


def voting_power_fraction(value: str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        x = parse_decimal(value, "--voting-power-disposed")
    except NumberError as e:
        raise CharterError([Problem(str(e), field="--voting-power-disposed")]) from e
    if not 0 <= x <= 1:
        raise CharterError(
            [Problem(f"{value} is not a fraction between 0 and 1", field="--voting-power-disposed")]
        )
    return x
