"""Who takes part in checking a company's records: charter's models, and nothing an installed
package adds."""

from __future__ import annotations

import os


def no_pydantic_plugins() -> None:
    """pydantic, when it builds its first validator, loads every plugin that any installed
    package declares (its `pydantic` entry points), and a plugin sees every validation, and
    can change its outcome: here, of the company's ledger and terms. The record of a
    company's ownership is checked by charter's models alone unless asked otherwise:
    `PYDANTIC_DISABLE_PLUGINS` (pydantic's own setting) is `__all__` in charter's processes
    (the command; the web application, from its import on) unless it is set; set it to an empty string to let
    plugins load. It also spares each command reading every installed package's entry
    points (about 1% of its time)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
