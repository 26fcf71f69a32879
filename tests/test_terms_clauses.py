"""The documents' numbering read from their headings (charter.terms.clauses), and every
citation of the terms resolved to the passage it names, beside its figures (views/terms.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from charter.terms.clauses import document_text, outline, references, roman_value
from charter.terms.loader import load_terms_file
from charter.terms.model import TermsSet
from charter.views.terms import marked, spellings, terms_outline
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

RESTATED = "001_10bd734e579d0ca0.txt"
BYLAWS = "002_5ceec09fb73addda.txt"
needs_seeds = pytest.mark.skipif(
    document_text(RESTATED) is None, reason="the seed documents are not beside the checkout"
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_roman_numerals() -> None:
    assert [roman_value(r) for r in ("i", "iv", "IX", "xi", "h", "")] == [1, 4, 9, 11, None, None]


def test_citations_name_their_document_and_clause() -> None:
    """A citation part names the bylaws, a statute or the certificate in force, and a range
    `(C)-(D)` runs to its last clause."""
    refs = references("Art. IV.B.3(d)(i)(C)-(D); Bylaws Art. VIII §1(b); DGCL §170")
    assert [(r.document, r.key, r.through) for r in refs] == [
        ("certificate", ("IV", "B", "3", "d", "i", "C"), ("IV", "B", "3", "d", "i", "D")),
        ("bylaws", ("VIII", "1", "b"), None),
        ("statute", (), None),
    ]
    assert references("Post-IPO Art. VIII")[0].key == ("VIII",)
    assert references("Bylaws II §3")[0].key == ("II", "3")  # the venture example's spelling


@needs_seeds
def test_the_headings_of_the_restated_certificate() -> None:
    """Read from the text (Exhibit 3.1): IV.B.3(d)(ii) has the exclusions (A)-(K); "(i)
    Reservation of Stock" after "(h) No Fractional Shares" is the letter (i), not a roman
    numeral; "(i) (A) If the corporation shall issue" opens two clauses on one line; the
    wrapped "Section 2." (end of IV.B.2(c)) and "(iv) for any transaction" (Art. IX) are
    text, not headings."""
    text = document_text(RESTATED)
    assert text is not None
    doc = outline(text)
    labels = [c.label for c in doc.clauses]
    exclusions = [f"Art. IV.B.3(d)(ii)({x})" for x in "ABCDEFGHIJK"]
    assert all(x in labels for x in exclusions)
    assert "Art. IV.B.3(i)" in labels and "Art. IV.B.3(h)(i)" not in labels
    assert labels.index("Art. IV.B.3(d)(i)") + 1 == labels.index("Art. IV.B.3(d)(i)(A)")
    assert not any(" §" in label for label in labels)
    assert "Art. IX(iv)" not in labels
    reservation = doc.find(("IV", "B", "3", "i"))
    assert reservation is not None
    assert doc.text(reservation.start, reservation.end).startswith(
        "(i) Reservation of Stock Issuable Upon Conversion."
    )
    titles = {c.label: doc.title(c) for c in doc.clauses}
    assert titles["Art. IV.B.3"] == "Conversion"  # "3. Conversion. The holders of ..."
    assert titles["Art. IV.B.1"] == "Dividend Provisions"  # "1. Dividend Provisions." alone
    assert titles["Art. IV.B.3(a)"] == "Right to Convert"
    assert titles["Art. IV.B.1(a)"] == ""  # "(a) The holders of Series A ..." is no title
    warrant = doc.find(("IV", "B", "3", "d", "ii", "I"))
    assert warrant is not None
    assert "192,262" in doc.text(warrant.start, warrant.end)


@needs_seeds
def test_the_sections_of_the_bylaws() -> None:
    """Exhibit 3.4: Art. II has Sections 1-11; Art. VIII §1 has (a)-(j)."""
    text = document_text(BYLAWS)
    assert text is not None
    doc = outline(text)
    labels = [c.label for c in doc.clauses]
    art = doc.find(("VIII",))
    assert art is not None and doc.title(art) == "Right of first refusal"
    assert [x for x in labels if x.startswith("Art. II §")] == [
        f"Art. II §{n}" for n in range(1, 12)
    ]
    assert [x for x in labels if x.startswith("Art. VIII §1(")] == [
        f"Art. VIII §1({x})" for x in "abcdefghij"
    ]


def _terms_sets(quintus: TermsSet) -> list[TermsSet]:
    return [quintus, load_terms_file(ROOT / "examples" / "venture-terms.yaml")]


@needs_seeds
def test_every_citation_resolves_to_a_passage_holding_its_figures(quintus: TermsSet) -> None:
    """For each certificate of Quintus with the bylaws, every citation of the terms (other than
    the statute's) resolves to a passage of the document, found from the headings; a clause
    written inline (IV.B.2(a)(i), inside 2(a)) resolves to the clause that holds it, whose text
    shows its marker; and each figure the text spells somewhere (a share count, a price, a
    percentage) is spelled in the passage its citation names."""
    checked = 0
    for cert in quintus.certificates:
        for doc in terms_outline(cert, quintus.bylaws):
            if doc["role"] == "statute":
                continue
            assert doc["has_text"], doc["document"]
            whole = _flat(document_text(doc["document"]) or "")
            for art in doc["articles"]:
                for entry in art["clauses"]:
                    text = entry["passage"]
                    assert text is not None, entry["citation"]
                    if not entry["exact"]:
                        last = re.findall(r"\(([A-Za-z]+)\)$", entry["citation"])
                        assert last and f"({last[0]})" in text, entry["citation"]
                    for f in entry["figures"]:
                        for s in spellings(f["figure"], f["amount"]):
                            if s in whole:
                                assert s in _flat(text), (entry["citation"], f)
                                checked += 1
    assert checked > 40  # the prices, counts and percentages are there to check


def test_the_venture_terms_read_by_their_citations(quintus: TermsSet) -> None:
    """The made-up venture company has no document text: its terms are still grouped by
    article in the document's numbering, every citation read, no passage invented."""
    venture = _terms_sets(quintus)[1]
    docs = terms_outline(venture.certificates[0], venture.bylaws)
    assert [d["role"] for d in docs] == ["certificate", "bylaws", "statute"]
    assert not any(d["has_text"] for d in docs)
    bylaws = docs[1]
    assert [a["label"] for a in bylaws["articles"]][:2] == ["Art. II", "Art. III"]
    sections = [e["label"] for e in bylaws["articles"][0]["clauses"]]
    assert sections[-2:] == ["Art. II §10", "Art. II §11"]  # in numeric order
    assert all(e["passage"] is None for d in docs for a in d["articles"] for e in a["clauses"])


def test_a_document_name_is_never_a_path() -> None:
    assert document_text("../README.md") is None
    assert document_text(str(Path("/etc/passwd"))) is None


def test_figures_spelled_as_the_documents_write_them() -> None:
    """9100000 shares is "9,100,000"; $40,000,000, $1.00 and $0.925 in dollars; 0.60 also
    "60%"; one share or director is not looked for."""
    assert spellings("9100000", False) == ["9,100,000"]
    assert spellings("40000000", True) == ["$40,000,000"]
    assert spellings("0.925", True) == ["$0.925"]
    assert spellings("0.60", True) == ["$0.60", "60%"]
    assert spellings("1", True) == ["$1.00"]
    assert spellings("1", False) == spellings("1/2", True) == spellings("yes", True) == []
    text = "at least 60% of the Series E, or $0.60 a share"
    pieces = marked(text, ["60%", "$0.60"])
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, m in pieces if m] == ["60%", "$0.60"]


def test_terms_show_prints_clauses_not_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    """`charter terms show` lists the clauses with their figures, never a YAML anchor; with a
    clause, the words of the document too (the Series B warrant of IV.B.3(d)(ii)(I): 192,262
    shares, issued 16 August 1996)."""
    ledger = str(ROOT / "examples" / "quintus.yaml")
    code, out, _ = run_cli(capsys, "terms", "show", "--ledger", ledger)
    assert code == 0
    assert "&id" not in out and "*id" not in out
    assert "  Art. IV.B.3(d)(ii)(I)\n" in out
    assert "total authorized 59,055,000" in out
    code, out, _ = run_cli(capsys, "terms", "show", "Art. IV.B.3(d)(ii)(I)", "--ledger", ledger)
    assert code == 0
    if document_text(RESTATED) is not None:
        assert "| (I) warrants issued August 16, 1996 to purchase 192,262" in out
    assert "shares 192,262" in out
