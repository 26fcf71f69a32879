"""The documents themselves: the seed texts a company's terms implement, when they are on
this machine ($CHARTER_DOCUMENTS, else ../shared/seeds beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

from charter.terms.model import TermsSet

ROOT = Path(__file__).resolve().parents[3]


def document_dirs() -> list[Path]:
    env = os.environ.get("CHARTER_DOCUMENTS")
    dirs = [Path(env)] if env else []
    return [*dirs, ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds"]


def documents(terms: TermsSet) -> dict[str, str]:
    """The company's documents: file name -> title (only these names are ever served)."""
    docs = {c.document: c.title for c in terms.certificates}
    docs[terms.bylaws.document] = terms.bylaws.title
    return docs


def document_text(name: str) -> str | None:
    for d in document_dirs():
        path = d / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None
