"""/docs in a real browser: Swagger UI draws the API from the package's own files under a
policy that allows no other host and no inline script (issue 16: works offline)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser

from tests.test_web_browser import FLAGS, SHOTS, browser, server  # noqa: F401 (fixtures)


def test_docs_page_draws_the_api_under_the_strict_policy(server: str, browser: Browser) -> None:  # noqa: F811
    policy = httpx.get(f"{server}/docs").headers["content-security-policy"]
    assert "cdn" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    refused: list[str] = []
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.goto(f"{server}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    assert "charter" in page.inner_text(".swagger-ui .info .title").lower()
    page.wait_for_selector(".opblock", timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs-1024.png"))
    assert refused == []
    page.close()
