"""The query forms' mistakes in the page (issue 16, issue 13 §3): the sentence beside its
field, in the page's words, with the values typed, the navigation and a 4xx; the history's
filters; the IPO page's position of a holder of common; the waterfall's deemed liquidation;
one's own password."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.server.accounts import Accounts
from tests.web_support import PASSWORD, QUINTUS, TEST_HASHER, World, hidden, sign_in

C = f"/c/{QUINTUS}"

# page, query, the field beside which the sentence stands, the sentence, a value kept
MISTAKES = [
    ("waterfall", "exit=&to=200000000.00", "exit", "Give an amount such as 1250000.00.", None),
    ("waterfall", "exit=abc", "exit", "'abc' is not a decimal amount such as 1250000.00.",
     'value="abc"'),
    ("waterfall", "exit=1000000&event=change_of_control", "voting_power_disposed",
     "A change_of_control is deemed a liquidation only if more than 0.5 of the voting power "
     "is disposed of: say what fraction is (Art. IV.B.2(c)).", 'value="1000000"'),
    ("waterfall", "exit=1000000&event=ipo", "event", "'ipo' is not a liquidation", None),
    ("meetings", "action=adverse_change_one_series", "series",
     "adverse_change_one_series concerns one series: name the series", None),
    ("meetings", "kind=special&date=2000-03-15", "purpose",
     "The notice of a special meeting must state its purposes (Bylaws Art. II §6).",
     'value="2000-03-15"'),
    ("captable", "as_of=1900-01-01", "as_of",
     "1900-01-01 is before the company's first event (1994-02-01).", 'value="1900-01-01"'),
    ("terms", "clause=Art.+XX", "clause", "No term in force cites 'Art. XX'.", 'value="Art. XX"'),
    ("ipo", "price=&gross=40000000.00", "price", "Give an amount such as 12.00.",
     'value="40000000.00"'),
    ("ipo", "price=0", "price", "'0' must be more than zero.", None),
    ("dividend", "amount=-1", "amount", "-1 is negative; an amount cannot be.", 'value="-1"'),
    ("holder", "holder=nobody", "holder", "There is no such stakeholder.", None),
    ("history", "type=nothing", "type", "'nothing' is not a type of event in this ledger.", None),
    ("conversion-prices", "as_of=1900-01-01", "as_of", "is before the company's first event",
     None),
    ("rofr", "as_of=someday", "as_of", "'someday' is not a date in the form YYYY-MM-DD.", None),
    ("certificates", "as_of=1900-01-01", "as_of", "is before the company's first event", None),
    ("votes", "as_of=1900-01-01", "as_of", "is before the company's first event", None),
    ("", "as_of=1900-01-01", "as_of", "is before the company's first event", None),
]  # fmt: skip


def beside(page: str, name: str) -> str:
    """The text shown beside field `name` (web/forms.py, templates/_form.html)."""
    found = re.findall(rf'<span class="field-error" id="error-{name}"[^>]*>([^<]*)</span>', page)
    return " ".join(html.unescape(s) for s in found)


@pytest.mark.parametrize(
    ("page", "query", "field", "sentence", "kept"),
    MISTAKES,
    ids=[f"{m[0] or 'overview'}-{m[2]}-{i}" for i, m in enumerate(MISTAKES)],
)
def test_a_query_forms_mistake_stands_beside_its_field(
    client: TestClient, page: str, query: str, field: str, sentence: str, kept: str | None
) -> None:
    """The page comes back (422 or 404, never 'That did not work') with the sentence beside
    the field it is about, no CLI option named (`--series`, `--as-of`), the values as typed
    and the company's navigation."""
    assert sign_in(client, "admin") == 303
    r = client.get(f"{C}/{page}?{query}")
    assert r.status_code in (404, 422), r.text
    assert "That did not work" not in r.text
    assert sentence in beside(r.text, field), r.text
    assert not re.search(r"--[a-z]", beside(r.text, field))
    assert 'nav class="side"' in r.text and 'aria-current="page"' in r.text
    if kept:
        assert kept in r.text


def test_a_page_without_a_form_for_the_mistake_keeps_the_navigation(client: TestClient) -> None:
    """A parameter the form does not show (directors below 1) is refused on the error page,
    which keeps the company's navigation."""
    assert sign_in(client, "admin") == 303
    r = client.get(f"{C}/votes?directors=0")
    assert r.status_code == 422
    assert 'nav class="side"' in r.text and "directors" in r.text


def test_history_filters_by_holder_class_and_type(client: TestClient) -> None:
    """Filters are GET parameters kept in the form; every event shown is of the type asked
    and names the holder and the class asked. Ashworth's founder's common was transferred in
    part to her family trust (400,000 to ashworth-trust, tests/test_web_browser.py), so a
    transfer naming both r.ashworth and common is listed."""
    assert sign_in(client, "admin") == 303
    r = client.get(f"{C}/history?holder=r.ashworth&class=common&type=transfer")
    assert r.status_code == 200
    types = re.findall(r'<tr data-type="([a-z_]+)">', r.text)
    assert types and set(types) == {"transfer"}
    assert '<option value="r.ashworth" selected>' in r.text
    assert "<option selected>transfer</option>" in r.text
    assert "<option selected>common</option>" in r.text
    everything = re.findall(r'<tr data-type="', client.get(f"{C}/history").text)
    assert len(types) < len(everything)


def test_a_stockholder_filters_only_its_own_events(client: TestClient) -> None:
    """A stockholder has no holder filter (it sees its own events only) and may not ask for
    another holder's: the sentence about a field the page does not show stands at the end of
    its form."""
    assert sign_in(client, "ashworth") == 303
    r = client.get(f"{C}/history")
    assert 'name="holder"' not in r.text
    r = client.get(f"{C}/history?holder=d.okafor")
    assert r.status_code == 422
    assert beside(r.text, "holder") == ""  # no such field: said at the end of the form
    assert "'d.okafor' is not a holder you may see." in html.unescape(
        r.text.split('id="form-errors"')[1]
    )


def test_art_iv_b_3b_ipo_page_shows_a_common_holders_position_after_the_offering(
    client: TestClient,
) -> None:
    """Ashworth holds 2,100,000 common and no preferred. At $12.00 and $40,000,000 gross the
    offering sells 40,000,000 / 12 = 3,333,333.33, so 3,333,333 whole shares; it is qualified
    (Art. IV.B.3(b)(i)) and every series converts one for one: the common outstanding after is
    6,317,500 common + 8,850,000 A + 800,000 B + 2,900,000 C + 1,400,000 D + 2,890,000 E +
    1,450,000 F + 3,333,333 sold = 27,940,833, of which her 2,100,000 are
    2,100,000 / 27,940,833 = 7.51588...% = 7.5159%."""
    assert sign_in(client, "ashworth") == 303
    r = client.get(f"{C}/ipo")
    assert r.status_code == 200
    assert 'id="ipo-position-after">2,100,000<' in r.text
    assert "27,940,833" in r.text and "3,333,333" in r.text
    assert 'id="ipo-position-percent">7.5159%<' in r.text


def test_art_iv_b_2c_waterfall_page_takes_a_deemed_liquidation(client: TestClient) -> None:
    """The exit selector offers the certificate's deemed liquidations (Art. IV.B.2(c)); a
    sale of assets is one, and the page says so and links its JSON with the event."""
    assert sign_in(client, "admin") == 303
    r = client.get(f"{C}/waterfall?exit=60000000&event=sale_of_assets")
    assert r.status_code == 200
    assert '<option value="sale_of_assets" selected>' in r.text
    assert "waterfall?exit=60000000.00&amp;event=sale_of_assets" in r.text
    assert "deemed a liquidation" in r.text


# --- one's own password ---------------------------------------------------------------------


def _password_form(client: TestClient, path: str = "/account/password") -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.text


def test_a_member_changes_its_own_password_with_the_current_one(
    client: TestClient, world: World
) -> None:
    """Each mistake stands beside its field (a wrong current password, a short or unchanged
    new one, two that differ) and nothing changes; then the change signs the browser in
    again with the new password, and the old one no longer opens a session."""
    assert sign_in(client, "counsel") == 303
    page = _password_form(client)
    csrf = hidden(page, "csrf")
    r = client.post(
        "/account/password",
        data={"current": "wrong password", "new": "short", "again": "shorter", "csrf": csrf},
    )
    assert r.status_code == 422
    assert beside(r.text, "current") == "This is not your current password."
    assert beside(r.text, "new") == "A password must have at least 8 characters."
    assert beside(r.text, "again") == "The two new passwords differ."
    r = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a new passphrase", "again": "a new passphrase",
              "csrf": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert client.get(f"{C}/captable").status_code == 200  # signed in again
    client.cookies.clear()
    assert sign_in(client, "counsel") == 401
    assert sign_in(client, "counsel", "a new passphrase") == 303


def test_a_password_made_for_a_user_is_replaced_at_its_first_sign_in(
    client: TestClient, world: World, store: Store
) -> None:
    """A password generated for the user (`charter users add` without --password, or an
    administrator's `charter users password`) opens no page until the user chooses its own:
    every page sends it to the form, which then lets it through."""
    accounts = Accounts(store, TEST_HASHER)
    accounts.set_password("director", "made-for-you-1", chosen=False)
    r = client.get("/login")
    r = client.post(
        "/login",
        data={"login": "director", "password": "made-for-you-1", "csrf": hidden(r.text, "csrf"),
              "next": f"{C}/votes"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert r.headers["location"].startswith("/account/password?next=")
    for path in (f"{C}/captable", "/account", "/"):
        assert client.get(path, follow_redirects=False).headers["location"] == "/account/password"
    page = _password_form(client, r.headers["location"])
    assert 'id="password-made"' in page
    r = client.post(
        "/account/password",
        data={"current": "made-for-you-1", "new": "my own passphrase",
              "again": "my own passphrase", "csrf": hidden(page, "csrf"),
              "next": hidden(page, "next")},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"{C}/votes"
    assert client.get(f"{C}/votes").status_code == 200
    assert not accounts.user("director").must_choose_password
