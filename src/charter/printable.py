"""Text from an input, as it may be shown. A control character (Unicode's category Cc: C0,
DEL, C1) is not a character but an order to whatever shows it: a terminal clears itself,
moves its cursor, writes over a figure; a workbook cannot hold most of them. Every input
refuses them (charter.inputs); what was stored before, or written into a database by other
hands, is shown with each one written as its escape (`\\x1b`), seen and not obeyed."""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""A control character but tab and line feed, and a carriage return that ends a line (CR LF,
as a browser's form writes one)."""


def shown(text: str) -> str:
    """`text` with each control character written as its escape."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
