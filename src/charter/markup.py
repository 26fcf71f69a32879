"""Text printed through reportlab's Paragraph markup (the certificate, the documents)."""

from __future__ import annotations

from html import escape

from charter.printable import shown


def markup_text(value: str) -> str:
    """`value` as plain text inside reportlab's Paragraph markup: `&`, `<` and `>` escaped,
    so that a name such as `<img src="/etc/x.png"/>` is printed, never read as a tag (which
    could embed a file of the server in the PDF, or fail on a broken tag; issue 17 §4).

    `html.escape` without quotes escapes exactly those three, as `xml.sax.saxutils.escape`
    does, without importing `urllib.request` and `ssl` (about 5 ms of a command). A control
    character is printed as its escape (charter.printable), not as a box."""
    return escape(shown(value), quote=False)
