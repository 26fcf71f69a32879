"""Figures and names as a person reads them (issue 16): amounts with thousands separators,
prices at the precision that matters, percentages of a total, and one way of naming a class
and a holder. The JSON keeps the contract's plain strings (spec/cli-contract.md); these are
for the human output only."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from charter.numbers import decimal_str, money

if TYPE_CHECKING:
    from charter.state.model import State


def figure(x: Fraction | int | str) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)


def grouped(text: str) -> str:
    """`5319903.41` → `5,319,903.41` (the whole part grouped by thousands)."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, places = body.partition(".")
    return f"{sign}{int(whole):,}{dot}{places}"


def amount(x: Fraction | int | str) -> str:
    """Money: two decimals, thousands separated (`60,000,000.00`)."""
    return grouped(money(figure(x)))


def price(x: Fraction | int | str) -> str:
    """A price or a per-share figure at the precision that matters: exact when it terminates
    (never fewer than two decimals: `1.00`, `0.05`, `0.0125`), else six decimals."""
    text = decimal_str(figure(x))
    whole, _, places = text.partition(".")
    return grouped(f"{whole}.{places.ljust(2, '0')}")


def percent(part: Fraction | int | str, whole: Fraction | int | str) -> str:
    """`part` as a percentage of `whole`, two decimals (`12.34%`); blank for a zero whole."""
    w = figure(whole)
    return "" if not w else f"{money(100 * figure(part) / w)}%"


def holder_name(state: State, holder: str) -> str:
    """A holder as every table names one: the name, with the id a command takes."""
    who = state.stakeholders.get(holder)
    return f"{who.name} ({holder})" if who is not None and who.name != holder else holder


def class_name(state: State, class_id: str) -> str:
    """A class or series as every table names one: its name in the certificate."""
    return state.class_name(class_id)
