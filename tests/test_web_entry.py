"""Data entry on the web for administrators (issue 13 §3): each form checked exactly as
replay checks the event, every mistake beside its field with the values kept, a preview of
the cap table before and after, nothing written until recorded."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from tests.web_support import QUINTUS, World, hidden, sign_in

PAGE = f"/c/{QUINTUS}/entry"
DAY = "1999-11-01"  # the day after the example's last event


def csrf(client: TestClient, form: str = "issue") -> str:
    return hidden(client.get(f"{PAGE}?form={form}").text, "csrf")


def test_issue_form_previews_then_records(client: TestClient, world: World, store: Store) -> None:
    """r.ashworth holds 2,100,000 common (examples/quintus.yaml); 1,000 more at $0.10: the
    preview shows 2,100,000 -> 2,101,000 and common outstanding 6,317,500 -> 6,318,500,
    nothing written; Record writes one event."""
    assert sign_in(client, "admin") == 303
    before = store.last_sequence(store.company(QUINTUS))
    form = {
        "csrf": csrf(client), "date": DAY, "holder": "r.ashworth", "class": "common",
        "shares": "1000", "price": "0.10",
    }  # fmt: skip
    r = client.post(f"{PAGE}/issue", data={**form, "action": "preview"})
    assert r.status_code == 200
    text = " ".join(html.unescape(r.text).split())
    assert '2,100,000</td><td class="num">2,101,000' in text
    assert '6,317,500</td><td class="num">6,318,500' in text
    assert store.last_sequence(store.company(QUINTUS)) == before
    r = client.post(f"{PAGE}/issue", data={**form, "action": "record"})
    assert r.status_code == 200 and f"Recorded event {before + 1}." in r.text
    assert store.last_sequence(store.company(QUINTUS)) == before + 1


def test_transfer_form_shows_each_mistake_beside_its_field(
    client: TestClient, world: World, store: Store
) -> None:
    """A transfer of 9,999,999 common by d.okafor, who holds far less, with no exemption and
    no notice: the sentence sits beside `shares` (or the form's head), the typed values are
    kept, the status is 422 with the page (not an error page), nothing written."""
    sign_in(client, "admin")
    before = store.last_sequence(store.company(QUINTUS))
    r = client.post(
        f"{PAGE}/transfer",
        data={
            "csrf": csrf(client, "transfer"), "date": DAY, "from": "d.okafor",
            "to": "r.ashworth", "class": "common", "shares": "9999999", "action": "record",
        },
    )  # fmt: skip
    assert r.status_code == 422
    assert 'id="error-shares"' in r.text
    assert 'value="9999999"' in r.text  # the value typed is kept
    assert '<option value="d.okafor" selected>' in r.text
    assert "<h1>Record events</h1>" in r.text
    assert store.last_sequence(store.company(QUINTUS)) == before


def test_stakeholder_form_adds_then_needs_edit_to_change(
    client: TestClient, world: World, store: Store
) -> None:
    """A new investor is added; the same id with another name is refused beside the form
    until `edit` is ticked."""
    sign_in(client, "admin")
    token = csrf(client, "stakeholder")
    new = {"csrf": token, "id": "new-fund", "name": "New Fund, L.P.", "action": "record"}
    r = client.post(f"{PAGE}/stakeholder", data=new)
    assert r.status_code == 200 and "Recorded stakeholder new-fund." in r.text
    r = client.post(f"{PAGE}/stakeholder", data={**new, "name": "New Fund II"})
    assert r.status_code == 422 and "mark the entry `edit: true`" in html.unescape(r.text)
    r = client.post(f"{PAGE}/stakeholder", data={**new, "name": "New Fund II", "edit": "1"})
    assert r.status_code == 200
    names = {h.id: h.name for h in store.stakeholders(store.company(QUINTUS))}
    assert names["new-fund"] == "New Fund II"


@pytest.mark.parametrize("login", ["counsel", "director"])
def test_only_administrators_record_through_the_forms(
    client: TestClient, world: World, login: str
) -> None:
    sign_in(client, login)
    assert client.get(PAGE).status_code == 403


def test_a_name_with_markup_is_escaped_in_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """A stakeholder named `<script>` appears in the holder list as text."""
    sign_in(client, "admin")
    client.post(
        f"{PAGE}/stakeholder",
        data={"csrf": csrf(client, "stakeholder"), "id": "x", "name": "<script>alert(1)</script>",
              "action": "record"},
    )  # fmt: skip
    r = client.get(f"{PAGE}?form=issue")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
