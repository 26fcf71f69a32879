"""The terms page by article and clause, the overview's table of contents, and the documents
served cut at their clauses (web/pages.py over views/terms.py)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from charter.terms.clauses import document_text
from tests.web_support import QUINTUS, sign_in

RESTATED = "001_10bd734e579d0ca0.txt"
needs_seeds = pytest.mark.skipif(
    document_text(RESTATED) is None, reason="the seed documents are not beside the checkout"
)


@needs_seeds
def test_the_terms_page_shows_each_clause_beside_its_figures(client: TestClient) -> None:
    """IV.B.3(d)(ii)(I) (a warrant for 192,262 Series B) appears with its words, the count
    marked, its figures, and a link that opens the document at the clause; no YAML."""
    sign_in(client, "counsel")
    page = client.get(f"/c/{QUINTUS}/terms").text
    m = re.search(
        r'<article class="clause" id="certificate-c-IV-B-3-d-ii-I">(.*?)</article>', page, re.S
    )
    assert m, "no article for IV.B.3(d)(ii)(I)"
    clause = m.group(1)
    assert f'href="/c/{QUINTUS}/documents/{RESTATED}#c-IV-B-3-d-ii-I"' in clause
    assert "<mark>192,262</mark>" in clause
    assert 'shares <strong class="figure">192,262</strong>' in clause
    assert "&amp;id0" not in page and "citation:" not in page
    doc = client.get(f"/c/{QUINTUS}/documents/{RESTATED}").text
    m = re.search(r'<span class="clause" id="c-IV-B-3-d-ii-I">([^<]*)</span>', doc)
    assert m and html.unescape(m.group(1)).strip().startswith("(I) warrants issued August 16, 1996")


def test_the_overview_table_of_contents_links_every_clause_once(client: TestClient) -> None:
    """The overview lists the clauses by article, each a link to its place on the terms page,
    and each link's target is on that page."""
    sign_in(client, "counsel")
    overview = client.get(f"/c/{QUINTUS}/").text
    links = re.findall(rf'href="/c/{QUINTUS}/terms#([^"]+)"', overview)
    assert "certificate-c-IV" in links and "bylaws-t-VIII-1-b" in links
    assert len(links) == len(set(links))
    terms = client.get(f"/c/{QUINTUS}/terms").text
    ids = set(re.findall(r'id="([^"]+)"', terms))
    assert set(links) <= ids


def test_a_clause_asked_for_narrows_the_page(client: TestClient) -> None:
    sign_in(client, "counsel")
    page = client.get(f"/c/{QUINTUS}/terms", params={"clause": "Bylaws Art. VIII"}).text
    assert 'id="bylaws-t-VIII-1-b"' in page and 'id="certificate-c-IV"' not in page
    r = client.get(f"/c/{QUINTUS}/terms", params={"clause": "Art. XL"})
    assert r.status_code == 422
    assert "No term in force cites 'Art. XL'." in html.unescape(r.text)  # beside the field
