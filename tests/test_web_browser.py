"""In a real browser (Playwright driving Debian's Chromium, kept off the network): sign in,
page through the cap table, and as a stockholder see only one's own row; counsel records a
consent through its form. Screenshots go to out/screenshots/."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from charter.ledger.fileformat import read_ledger
from charter.ledger.store import Store
from tests.web_support import EXAMPLE, PASSWORD, QUINTUS, ROOT, populate

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "out" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """`charter serve` in its own process over a fresh SQLite database at `db`."""
    store = Store(str(db))
    populate(store)
    store.engine.dispose()
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "charter"),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",  # one: uvicorn's supervisor restarts slow-starting workers forever
            "1",  # on a loaded machine (tests/security/live_server.py)
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine starts the workers slowly
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else "server died"
            assert time.monotonic() < deadline, "the server did not start in 300 s"
            try:
                httpx.get(f"{base}/login", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the tests that only read."""
    with serving(tmp_path_factory.mktemp("browser") / "charter.db") as base:
        yield base


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[str]:
    """A server of its own for a test that records (the others' figures stay as they are)."""
    with serving(tmp_path / "charter.db") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "apt-get install -y chromium (the CI script does)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


CSP_VIOLATIONS: list[str] = []  # what Chromium refused under the Content-Security-Policy


def watch_csp(page: Page) -> Page:
    page.on(
        "console",
        lambda m: CSP_VIOLATIONS.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page


def sign_in(browser: Browser, base: str, login: str) -> Page:
    page = watch_csp(browser.new_page(viewport={"width": 1280, "height": 900}))
    page.goto(f"{base}/c/{QUINTUS}/captable?per=10")
    assert "/login" in page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/c/{QUINTUS}/captable?per=10")
    return page


def shoot(page: Page, name: str) -> None:
    """A screenshot, once the page has run without anything refused by the CSP."""
    assert CSP_VIOLATIONS == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def holders(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#holders tbody tr[data-holder]", "rows => rows.map(r => r.dataset.holder)"
    )


def test_administrator_pages_through_the_cap_table(server: str, browser: Browser) -> None:
    """25 holders with shares in the example, 10 a page: pages of 10, 10 and 5, none twice;
    the chart is drawn with one bar per class (7 classes in Art. IV.A and IV.B)."""
    page = sign_in(browser, server, "admin")
    assert page.locator("#class-chart g.bar").count() == 7
    # figures are right-aligned in every grid (a rule of higher specificity once undid it)
    align = "e => getComputedStyle(e).textAlign"
    assert page.eval_on_selector("#class-table td.num", align) == "right"
    page.hover("#class-chart g.bar[data-class=common]")
    assert "outstanding 6,317,500" in page.inner_text(".chart-tip")
    shoot(page, "admin-captable-page-1")
    seen = holders(page)
    assert page.inner_text("#page-label") == "Page 1 of 3"
    for n in (2, 3):
        page.click("a[rel=next]")
        page.wait_for_url(f"**page={n}")
        assert page.inner_text("#page-label") == f"Page {n} of 3"
        seen += holders(page)
    shoot(page, "admin-captable-page-3")
    assert len(seen) == len(set(seen)) == 25
    page.click("a.sort >> text=Common Stock")  # by common, ascending then descending
    page.click("a.sort >> text=Common Stock")
    assert holders(page)[0] == "r.ashworth"  # 2,100,000: the largest common holding
    page.close()


def test_stockholder_sees_only_own_row(server: str, browser: Browser) -> None:
    """Ashworth: 2,500,000 founder's common - 400,000 to her trust = 2,100,000."""
    page = sign_in(browser, server, "ashworth")
    assert holders(page) == ["r.ashworth"]
    row = page.inner_text("#holders tbody tr[data-holder='r.ashworth']")
    assert "2,100,000" in row
    assert page.locator("a[rel=next]").count() == 0
    shoot(page, "stockholder-captable")
    page.goto(f"{server}/c/other-co/captable")
    assert "is open to this account" in page.inner_text("main")
    page.close()


def sign_in_to(browser: Browser, base: str, login: str, path: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base}{path}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def slide_to(page: Page, dollars: int) -> None:
    """Move the range input as a user's drag does: set its value and fire `input`."""
    page.eval_on_selector(
        "#wf-slider",
        "(s, v) => { s.value = String(v); s.dispatchEvent(new Event('input', {bubbles: true})); }",
        dollars,
    )


def amounts(page: Page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "#wf-holders tbody tr[data-holder]",
            "rows => rows.map(r => [r.dataset.holder,"
            " r.querySelector('.amount').textContent.replaceAll(',', '')])",
        )
    )


def class_amounts(page: Page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "#wf-classes tbody tr[data-class]",
            "rows => rows.map(r => [r.dataset.class,"
            " r.querySelector('.amount').textContent.replaceAll(',', '')])",
        )
    )


def test_art_iv_b_2_waterfall_slider_moves_numbers_and_chart(server: str, browser: Browser) -> None:
    """Sliding the exit value from 60,000,000 to 0 and to 150,000,000: at 0 every holder
    receives 0.00 (nothing to distribute, Art. IV.B.2(a)); at 150,000,000 the holders'
    amounts add up to 150,000,000.00 to the cent (the contract of the waterfall JSON); the
    red marker of the chart moves right as the exit value grows."""
    page = sign_in_to(browser, server, "admin", f"/c/{QUINTUS}/waterfall")
    page.wait_for_selector("#wf-chart[data-ready=true]")
    assert page.locator("#wf-chart polyline.series").count() == 7  # one line per class
    assert page.locator("#wf-chart g.breakpoint").count() >= 1
    assert page.locator("#wf-breakpoints tbody tr").count() >= 1
    shoot(page, "admin-waterfall-60m")
    before = amounts(page)
    marker_before = float(page.get_attribute("#wf-marker line", "x1") or "nan")

    slide_to(page, 0)
    expect(page.locator("#wf-at")).to_have_text("0.00")
    at_zero = amounts(page)
    assert at_zero and set(at_zero.values()) == {"0.00"}
    marker_zero = float(page.get_attribute("#wf-marker line", "x1") or "nan")
    assert marker_zero < marker_before

    slide_to(page, 150_000_000)
    expect(page.locator("#wf-at")).to_have_text("150,000,000.00")
    high = amounts(page)
    assert high != before
    cents = sum(int(a.replace(".", "")) for a in high.values())
    assert cents == 150_000_000_00
    assert float(page.get_attribute("#wf-marker line", "x1") or "nan") > marker_before
    assert page.input_value("#wf-exit") == "150000000.00"
    shoot(page, "admin-waterfall-150m")
    page.close()


def test_stockholder_waterfall_shows_only_own_row(server: str, browser: Browser) -> None:
    """Ashworth's waterfall page: one holder row, hers, before and after sliding; the chart
    draws her own line beside the classes'. At 0 she receives 0.00."""
    page = sign_in_to(browser, server, "ashworth", f"/c/{QUINTUS}/waterfall")
    page.wait_for_selector("#wf-chart[data-ready=true]")
    assert list(amounts(page)) == ["r.ashworth"]
    # her payout has a panel and a scale of its own (issue 16: on the classes' scale it lay
    # flat near zero): its highest point is at the top of that panel (y = 14, the margin)
    assert page.locator("#wf-chart polyline[data-series='you (r.ashworth)']").count() == 0
    own = page.get_attribute("#wf-you polyline[data-series='you (r.ashworth)']", "points")
    assert own and min(float(p.split(",")[1]) for p in own.split()) == 14.0
    shoot(page, "stockholder-waterfall")
    slide_to(page, 0)
    expect(page.locator("#wf-at")).to_have_text("0.00")
    assert amounts(page) == {"r.ashworth": "0.00"}
    slide_to(page, 90_000_000)
    expect(page.locator("#wf-at")).to_have_text("90,000,000.00")
    assert list(amounts(page)) == ["r.ashworth"]
    assert "d.okafor" not in page.content()
    page.goto(f"{server}/c/{QUINTUS}/votes")
    assert "administrators, counsel and directors" in page.inner_text("main")
    page.close()


def test_officer_pages_render(server: str, browser: Browser) -> None:
    """Votes and board, meetings and approvals, the ROFR queue and certificates open for
    counsel, each with its table."""
    page = sign_in_to(browser, server, "counsel", f"/c/{QUINTUS}/votes")
    assert page.locator("#votes tbody tr[data-holder]").count() > 1
    shoot(page, "counsel-votes")
    page.goto(f"{server}/c/{QUINTUS}/meetings?kind=annual&date=2000-03-15&action=merger")
    assert page.locator("#plan").count() == 1
    assert page.locator("#approvals li").count() >= 1
    shoot(page, "counsel-meetings")
    page.goto(f"{server}/c/{QUINTUS}/rofr")
    assert page.locator("#rofr").count() == 1
    shoot(page, "counsel-rofr")
    page.goto(f"{server}/c/{QUINTUS}/certificates")
    assert page.locator("#certificates tbody tr[data-number]").count() > 1
    shoot(page, "counsel-certificates")
    page.close()


def test_art_iv_b_3_ipo_simulator_and_conversion_prices_pages(
    server: str, browser: Browser
) -> None:
    """The administrator simulates an offering: at $12.00 and $40,000,000 gross it is
    qualified (Art. IV.B.3(b)(i): not less than $40,000,000), Hollis's 120,000 Series A
    become 120,000 common with a Cash Amount of 120,000 x $0.925 = $111,000.00; one cent less
    gross and it is not. The conversion-price page lists the six series of preferred with
    their original issue prices (Series A $1.00) and the notices table."""
    page = sign_in_to(browser, server, "admin", f"/c/{QUINTUS}/ipo")
    assert "A qualified offering" in page.inner_text("#ipo-verdict")
    row = page.inner_text("#ipo-holders tr[data-holder='g.hollis'][data-class='series_a']")
    assert "120,000" in row and "111,000.00" in row
    shoot(page, "admin-ipo")
    page.fill("input[name=gross]", "39999999.99")
    page.click("#ipo-form button[type=submit]")
    page.wait_for_url("**gross=39999999.99**")
    assert "less than 40000000.00" in page.inner_text("#ipo-reasons")
    shoot(page, "admin-ipo-not-qualified")
    page.goto(f"{server}/c/{QUINTUS}/conversion-prices")
    assert page.locator("#prices tbody tr[data-class]").count() == 6
    assert "1.000000" in page.inner_text("#prices tr[data-class='series_a']")
    assert page.locator("#notices").count() == 1
    shoot(page, "admin-conversion-prices")
    page.close()


def test_art_iv_b_3b_iii_b_counsel_records_a_series_f_consent_through_the_form(
    own_server: str, browser: Browser
) -> None:
    """Counsel ticks Series F and the consents of Meridian (300,000) and Sandhill (150,000):
    450,000 of the 1,450,000 outstanding is not more than half (more than 725,000 needed,
    Art. IV.B.3(b)(iii)(B)), so the page refuses it with the clause and keeps the ticks.
    With Northgate's 1,000,000 ticked too it is recorded, and the cap table shows Series F
    converted one for one at its unadjusted $8.25: Series F 0, common 6,317,500 + 1,450,000
    = 7,767,500."""
    page = sign_in_to(browser, own_server, "counsel", f"/c/{QUINTUS}/consents")
    form = page.locator("#convert-election")
    form.locator("input[name=date]").fill("1999-11-01")
    form.locator("input[name=classes][value=series_f]").check()
    for holder in ("meridian-growth", "sandhill-ii"):
        form.locator(f"input[name=consents][value='{holder}']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#record-errors")
    refused = page.inner_text("#record-errors")
    assert "the consents cover 450,000 of the 1,450,000 outstanding shares of series_f" in refused
    # the batch's one event follows the example's events, numbered from 1
    assert refused.startswith(f"event {len(read_ledger(EXAMPLE).entries) + 1}: consents: ")
    assert "(725,001 shares) is needed (Art. IV.B.3(b)(iii)(B))" in refused
    assert form.locator("input[name=consents][value='sandhill-ii']").is_checked()
    shoot(page, "counsel-consent-refused")

    form.locator("input[name=consents][value='northgate-99']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#recorded-now")
    assert "(convert_election)" in page.inner_text("#recorded-now")
    assert page.locator("#recorded tr[data-type=convert_election]").count() == 1
    shoot(page, "counsel-consent-recorded")

    page.goto(f"{own_server}/c/{QUINTUS}/captable")
    classes = dict(
        page.eval_on_selector_all(
            "#class-table tbody tr",
            "rows => rows.map(r => [r.dataset.class, r.cells[2].textContent])",
        )
    )
    assert classes["series_f"] == "0"
    assert classes["common"] == "7,767,500"
    page.close()


def test_art_iv_b_2_waterfall_page_evaluates_the_exact_curve_as_the_server_does(
    server: str, browser: Browser
) -> None:
    """The explorer evaluates `charter waterfall` in the browser from the exact curve the page
    was sent (no request as the slider moves): at 20 exit values (0, the top of the range, a
    cent either side of breakpoints of Art. IV.B.2's preferences and caps, and values between)
    every figure (each class's amount, per share, shares and route; each holder's amount and
    amount per class, in cents by largest remainder; the choices) equals the server's
    `/waterfall` JSON for that exit value; and typing each value in the box (or sliding to it,
    for every other whole-dollar value) shows the server's figures in the holders' and the
    classes' tables and moves the chart's marker to it, with no request to the server."""
    page = sign_in_to(browser, server, "admin", f"/c/{QUINTUS}/waterfall?to=200000000")
    page.wait_for_selector("#wf-chart[data-ready=true]")
    api = f"{server}/api/companies/{QUINTUS}"
    curve = page.request.get(f"{api}/curve?from=0&to=200000000&holders=false").json()
    cents = sorted({round(float(b["exit"]) * 100) for b in curve["breakpoints"]})
    values = {0, 200_000_000_00, 60_000_000_00, 123_456_789_01}
    for c in cents:
        values.update({c - 1, c, c + 1})
    values = set(sorted(values)[:: max(1, len(values) // 20)][:20])
    values.update([1, 99_999_999_99][: 20 - len(values)])
    assert len(values) == 20
    theirs = {}
    for v in sorted(values):
        exit_ = f"{v // 100}.{v % 100:02d}"
        theirs[v] = page.request.get(f"{api}/waterfall?exit={exit_}").json()
        mine = page.evaluate(
            "v => CharterWaterfall.evaluate("
            "JSON.parse(document.getElementById('wf-curve').textContent),"
            " CharterWaterfall.exitValue(v))",
            exit_,
        )
        for key in ("exit_value", "classes", "holders", "converted", "exercised"):
            assert mine[key] == theirs[v][key], (exit_, key)
    # the page itself, as a person uses it: each value typed (or, in whole dollars, slid to)
    # updates every holder's and class's figure and moves the chart's marker, asking nothing
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for i, v in enumerate(sorted(values)):
        exit_ = f"{v // 100}.{v % 100:02d}"
        if v % 100 == 0 and i % 2:
            slide_to(page, v // 100)
        else:
            page.eval_on_selector(
                "#wf-exit",
                "(b, v) => { b.value = v; b.dispatchEvent(new Event('change')); }",
                exit_,
            )
        expect(page.locator("#wf-at")).to_have_text(f"{Decimal(exit_):,.2f}")
        assert amounts(page) == {h: x["amount"] for h, x in theirs[v]["holders"].items()}, exit_
        assert class_amounts(page) == {c: x["amount"] for c, x in theirs[v]["classes"].items()}, (
            exit_
        )
        marker = float(page.get_attribute("#wf-marker line", "x1") or "nan")
        # the chart's x: 900 wide, 70 to the left of the plot and 170 to its right (the legend)
        assert abs(marker - (70 + v / 200_000_000_00 * 660)) < 0.06, exit_
    page.wait_for_timeout(300)
    assert [u for u in requests if "/api/" in u] == []  # neither slider nor box asked
    page.on("request", lambda r: None)
    requests.clear()
    slide_to(page, 150_000_000)
    page.wait_for_function("document.getElementById('wf-at').textContent === '150,000,000.00'")
    page.wait_for_timeout(300)
    assert [u for u in requests if "/api/" in u] == []  # the slider asked the server nothing
    theirs = page.request.get(f"{api}/waterfall?exit=150000000.00").json()
    assert amounts(page) == {h: v["amount"] for h, v in theirs["holders"].items()}
    page.close()


# Every page, as an administrator and as a stockholder, at the two widths issue 16 names: the
# page body never scrolls sideways (a wide table scrolls inside its own box) and the CSP
# refuses nothing. The screenshots are out/screenshots/{role}-{width}-{page}.png.
WIDTHS = (1024, 1366)
PAGES: dict[str, list[tuple[str, str]]] = {
    "admin": [
        ("account", "/account"),
        ("password", "/account/password"),
        ("overview", f"/c/{QUINTUS}/"),
        ("captable", f"/c/{QUINTUS}/captable"),
        ("history", f"/c/{QUINTUS}/history"),
        ("history-filtered", f"/c/{QUINTUS}/history?type=transfer"),
        ("terms", f"/c/{QUINTUS}/terms?clause=Art.%20IV.B.2"),
        ("holder", f"/c/{QUINTUS}/holder?holder=r.ashworth"),
        ("waterfall", f"/c/{QUINTUS}/waterfall"),
        ("waterfall-error", f"/c/{QUINTUS}/waterfall?exit=&to=200000000.00"),
        ("ipo", f"/c/{QUINTUS}/ipo"),
        ("ipo-error", f"/c/{QUINTUS}/ipo?price=twelve"),
        ("dividend", f"/c/{QUINTUS}/dividend"),
        ("conversion-prices", f"/c/{QUINTUS}/conversion-prices"),
        ("votes", f"/c/{QUINTUS}/votes"),
        ("meetings", f"/c/{QUINTUS}/meetings?kind=annual&date=2000-03-15&action=merger"),
        ("meetings-error", f"/c/{QUINTUS}/meetings?action=adverse_change_one_series"),
        ("consents", f"/c/{QUINTUS}/consents"),
        ("entry", f"/c/{QUINTUS}/entry"),
        ("rofr", f"/c/{QUINTUS}/rofr"),
        ("certificates", f"/c/{QUINTUS}/certificates"),
        ("scenario", f"/c/{QUINTUS}/scenario"),
        ("value", f"/c/{QUINTUS}/value?equity=60000000"),
        ("value-error", f"/c/{QUINTUS}/value?equity=60000000&volatility=-1"),
        ("members", f"/c/{QUINTUS}/members"),
        ("history-filtered-holder", f"/c/{QUINTUS}/history?holder=r.ashworth&class=common"),
        ("captable-asof-error", f"/c/{QUINTUS}/captable?as_of=1900-01-01"),
    ],
    "ashworth": [
        ("account", "/account"),
        ("overview", f"/c/{QUINTUS}/"),
        ("captable", f"/c/{QUINTUS}/captable"),
        ("history", f"/c/{QUINTUS}/history"),
        ("history-error", f"/c/{QUINTUS}/history?holder=d.okafor"),
        ("terms", f"/c/{QUINTUS}/terms?clause=Art.%20IV.B.2"),
        ("holder", f"/c/{QUINTUS}/holder"),
        ("waterfall", f"/c/{QUINTUS}/waterfall"),
        ("ipo", f"/c/{QUINTUS}/ipo"),
        ("dividend", f"/c/{QUINTUS}/dividend"),
        ("conversion-prices", f"/c/{QUINTUS}/conversion-prices"),
        ("certificates", f"/c/{QUINTUS}/certificates"),
    ],
}


@pytest.mark.parametrize("login", sorted(PAGES))
def test_every_page_fits_at_1024_and_1366_px(server: str, browser: Browser, login: str) -> None:
    """Each page of the role's navigation (and its query forms' error states) at 1024 and
    1366 px: `document.documentElement.scrollWidth <= clientWidth` (no sideways scroll of the
    page), nothing refused by the CSP, a screenshot of each to look at."""
    role = "admin" if login == "admin" else "stockholder"
    page = watch_csp(sign_in_to(browser, server, login, "/account"))
    overflowing: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in PAGES[login]:
            page.goto(f"{server}{path}")
            page.wait_for_load_state("load")
            if page.locator("#wf-chart").count():
                page.wait_for_selector("#wf-chart[data-ready=true]")
            sizes = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if sizes[0] > sizes[1]:
                overflowing.append(f"{name} at {width} px: {sizes[0]} > {sizes[1]}")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{role}-{width}-{name}.png"), full_page=True)
    page.close()
    assert CSP_VIOLATIONS == []
    assert not overflowing, "\n".join(overflowing)
