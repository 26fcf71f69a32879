"""Text from an input, as it may be shown. Some code points are not characters but orders to
whatever shows the text: a control character (Unicode's category Cc: C0, DEL, C1) makes a
terminal clear itself, move its cursor, write over a figure, and a workbook cannot hold most
of them; a bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069, the
"Trojan Source" characters of CVE-2021-42574) turns what follows it on its line around, so
that in a viewer that applies it the figure after a name reads backwards. Every input refuses
them (charter.inputs); what was stored before, or written into a database by other hands, is
shown with each one written as its escape (`\\x1b`, `\\u202e`), seen and not obeyed."""

from __future__ import annotations

import re

ORDERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
"""Them, as the ranges of a regular expression's class, but the carriage return."""
CONTROL = re.compile(f"[{ORDERS}]|\r(?!\n)")
"""One of them. Tab and line feed are text, and so is a carriage return that ends a line
(CR LF, as a browser's form writes one)."""
_MAYBE = re.compile(f"[{ORDERS}\r]")
"""A first look, a class alone (a fast scan where CONTROL's alternation is not)."""


def shown(text: str) -> str:
    """`text` with each of them written as its escape."""
    if _MAYBE.search(text) is None:
        return text
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def kind(char: str) -> str:
    """What the code point `char` (one CONTROL matches) is, in words."""
    if "\u202a" <= char <= "\u2069":
        return "a bidirectional formatting character"
    return "a control character"
