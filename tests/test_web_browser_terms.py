"""In a real browser, at 1024 and 1366 px, as an administrator and as a stockholder: the terms
page, the overview's table of contents, a document opened at a clause, the cap table's and the
conversion prices' charts. The body does not scroll sideways on the terms, overview and
document pages, and nothing this file's pages add (table of contents, clauses, charts) runs
past the window anywhere (the tables' own widths are tests/test_web_browser.py's).
Screenshots go to out/screenshots/terms-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from charter.terms.clauses import document_text
from tests.test_web_browser import CSP_VIOLATIONS, SHOTS, browser, server, watch_csp
from tests.test_web_terms import needs_seeds
from tests.web_support import PASSWORD, QUINTUS

__all__ = ["browser", "server"]  # the fixtures, shared with the other browser tests

WIDTHS = (1024, 1366)
RESTATED = "001_10bd734e579d0ca0.txt"
# page, what this file added to it, whether the whole body must fit
PAGES = {
    "overview": ("", "nav.toc", True),
    "terms": ("terms", "nav.toc, article.clause", True),
    "captable": ("captable", "figure.chart.server", False),
    "conversion-prices": ("conversion-prices", "figure.chart.server", False),
}
# a seed document, served only where the seed documents are beside the checkout
DOCUMENT = {"document": (f"documents/{RESTATED}#c-IV-B-3-d-ii-I", "pre.document", True)}
OVERFLOW = """(selector) => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.getBoundingClientRect().right > w + 1)
    .map((e) => e.tagName + "#" + e.id);
}"""


def signed_in(browser: Browser, base: str, login: str, width: int) -> Page:
    page = watch_csp(browser.new_page(viewport={"width": width, "height": 900}))
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("login", ["admin", "ashworth"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_reading_pages_fit_the_window(
    server: str, browser: Browser, login: str, width: int
) -> None:
    page = signed_in(browser, server, login, width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {**PAGES, **(DOCUMENT if document_text(RESTATED) is not None else {})}
    for name, (path, added, whole) in pages.items():
        page.goto(f"{server}/c/{QUINTUS}/{path}")
        page.wait_for_load_state()
        assert page.locator(added).count() > 0, name
        assert page.evaluate(OVERFLOW, added) == [], (name, width)
        if whole:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (name, width, scroll)
        page.screenshot(path=str(SHOTS / f"terms-{name}-{login}-{width}.png"))
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS
    page.close()


@needs_seeds
def test_a_clause_link_opens_the_document_at_the_clause(server: str, browser: Browser) -> None:
    """From the terms page, the number of IV.B.3(d)(ii)(I) opens the document scrolled to it,
    the clause marked as the target."""
    page = signed_in(browser, server, "counsel", 1366)
    page.goto(f"{server}/c/{QUINTUS}/terms")
    page.click(f'a[href$="{RESTATED}#c-IV-B-3-d-ii-I"]')
    page.wait_for_load_state()
    target = page.locator("#c-IV-B-3-d-ii-I")
    assert target.evaluate("(e) => e.matches(':target')")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    assert "192,262" in target.inner_text()
    page.close()
