"""Issue 16: /docs works offline. Every script and style the page names is served by the app
itself, the page has no inline script, and the site has an icon."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_page_loads_everything_from_the_app(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for a in assets:
        assert a.startswith("/"), f"{a} is fetched from another host"
        got = client.get(a)
        assert got.status_code == 200 and got.content, a
    assert "<script>" not in html  # every script is a file: a CSP of script-src 'self' holds
    assert 'data-openapi="/openapi.json"' in html
    assert client.get("/openapi.json").status_code == 200


def test_the_site_has_an_icon(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not served
