"""The documents themselves: the seed texts a company's terms implement, when they are on
this machine (charter.terms.clauses.document_text)."""

from __future__ import annotations

from charter.terms.model import TermsSet


def documents(terms: TermsSet) -> dict[str, str]:
    """The company's documents: file name -> title (only these names are ever served)."""
    docs = {c.document: c.title for c in terms.certificates}
    docs[terms.bylaws.document] = terms.bylaws.title
    return docs
