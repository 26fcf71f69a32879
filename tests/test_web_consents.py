"""Counsel and directors record votes and consents — the ledger events naming who voted or
consented (convert_election, rofr_waive, adopt_plan, board_size,
board_approval, stockholder_consent, meeting_result) — and nothing else; an administrator
records everything; a stockholder nothing. Through the API and the pages; another
company's ledger is not even found; bad input is a 4xx with a sentence, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from tests.web_support import OTHER, QUINTUS, World, hidden, sign_in

API = f"/api/companies/{QUINTUS}"
PAGE = f"/c/{QUINTUS}/consents"
DAY = "1999-11-01"  # the day after the example's last event (1999-10-31)

# Art. IV.B.3(b)(iii)(B): Series F converts on the written consent of more than half of it.
# Outstanding Series F (examples/quintus.yaml, 16 July 1999): northgate-99 1,000,000 +
# meridian-growth 300,000 + sandhill-ii 150,000 = 1,450,000; more than half is more than
# 725,000 shares, i.e. at least 725,001.
SERIES_F_BY_NORTHGATE = {
    "date": DAY,
    "type": "convert_election",
    "id": "f-consent",
    "classes": ["series_f"],
    "consents": ["northgate-99"],
}
ISSUE = {
    "date": DAY,
    "type": "issue",
    "holder": "r.ashworth",
    "class": "common",
    "shares": 1000,
    "price": "0.10",
}
DIVIDEND = {"date": DAY, "type": "dividend", "kind": "cash", "per_share": {"common": "0.01"}}
# Ashworth (2,100,000 common) gives notice of a transfer of 1,000 to Okafor (Bylaws Art. VIII
# §1(a)); an administrator records notices.
NOTICE = {
    "date": DAY,
    "type": "rofr_notice",
    "id": "rofr-2000-01",
    "holder": "r.ashworth",
    "class": "common",
    "shares": 1000,
    "price": "2.00",
    "transferee": "d.okafor",
}


def last(store: Store, slug: str = QUINTUS) -> int:
    return store.last_sequence(store.company(slug))


def outstanding(client: TestClient, world: World) -> dict[str, int]:
    data = client.get(f"{API}/captable", headers=world.auth("admin")).json()
    return {c: v["outstanding"] for c, v in data["classes"].items()}


def record(client: TestClient, world: World, login: str, *events: dict[str, Any]) -> Any:
    return client.post(
        f"{API}/votes-and-consents", json={"events": list(events)}, headers=world.auth(login)
    )


# --- the API --------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["counsel", "director", "admin"])
def test_art_iv_b_3b_iii_b_series_f_consent_recorded_through_the_api(
    client: TestClient, world: World, store: Store, login: str
) -> None:
    """Northgate's 1,000,000 of the 1,450,000 Series F is more than half: the consent
    converts all Series F into common at its Conversion Price, the original $8.25 (no
    dilutive issuance after the Series F Purchase Date in the example), one common share
    each: common outstanding 6,317,500 + 1,450,000 = 7,767,500; Series F 0."""
    before = last(store)
    r = record(client, world, login, SERIES_F_BY_NORTHGATE)
    assert r.status_code == 201, r.text
    assert r.json()["appended"] == [before + 1]
    after = outstanding(client, world)
    assert after["series_f"] == 0
    assert after["common"] == 7_767_500
    history = client.get(f"{API}/history", headers=world.auth(login)).json()
    assert history[-1] == {"sequence": before + 1, **SERIES_F_BY_NORTHGATE}


def test_art_iv_b_3b_iii_b_consents_short_of_more_than_half_are_refused(
    client: TestClient, world: World, store: Store
) -> None:
    """Meridian 300,000 + Sandhill 150,000 = 450,000 of 1,450,000: not more than 725,000.
    Refused with the clause (422), nothing written."""
    before = last(store)
    short = {**SERIES_F_BY_NORTHGATE, "consents": ["meridian-growth", "sandhill-ii"]}
    r = record(client, world, "counsel", short)
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == (
        f"api:counsel: event {before + 1} (f-consent): consents: the consents cover 450,000 of the "
        "1,450,000 outstanding shares of series_f voting as one class; more than 1/2 of them "
        "(725,001 shares) is needed (Art. IV.B.3(b)(iii)(B))."
    )
    assert body["errors"][0]["citation"] == "Art. IV.B.3(b)(iii)(B)"
    assert last(store) == before


def test_bylaws_viii_1g_director_records_the_boards_waiver(
    client: TestClient, world: World, store: Store
) -> None:
    """The administrator records Ashworth's notice; a director records the board's waiver
    through the events API (the same rule at every door), first without the board's
    resolution (refused: §1(g) "upon duly authorized action of its Board", nothing written),
    then with it; the notice is then waived."""
    assert client.post(f"{API}/events", json={"events": [NOTICE]}, headers=world.auth("admin"))
    waiver = {"date": DAY, "type": "rofr_waive", "notice": "rofr-2000-01", "by": "board"}
    r = client.post(f"{API}/events", json={"events": [waiver]}, headers=world.auth("director"))
    assert r.status_code == 422, r.text
    assert "board_approval" in r.text and "§1(g)" in r.text
    resolution = {"date": DAY, "type": "board_approval", "id": "waive-1",
                  "approves": ["rofr-waiver:rofr-2000-01"]}  # fmt: skip
    waiver["board_approval"] = "waive-1"
    r = client.post(
        f"{API}/events", json={"events": [resolution, waiver]}, headers=world.auth("director")
    )
    assert r.status_code == 201, r.text
    rofr = client.get(f"{API}/rofr", headers=world.auth("counsel")).json()
    notice = next(n for n in rofr["notices"] if n["id"] == "rofr-2000-01")
    assert notice["waived_by"] == "board"


@pytest.mark.parametrize("login", ["counsel", "director"])
@pytest.mark.parametrize(
    ("batch", "refused"),
    [
        ([ISSUE], "the batch's event 1 (issue) is"),
        ([DIVIDEND], "the batch's event 1 (dividend) is"),
        ([NOTICE], "the batch's event 1 (rofr_notice) is"),
        (
            [SERIES_F_BY_NORTHGATE, ISSUE, DIVIDEND],
            "the batch's events 2 (issue), 3 (dividend) are",
        ),
    ],
)
def test_counsel_and_directors_record_nothing_but_votes_and_consents(
    client: TestClient,
    world: World,
    store: Store,
    login: str,
    batch: list[dict[str, Any]],
    refused: str,
) -> None:
    """Any other kind of event, alone or in a batch with a consent: 403, one sentence, and
    nothing written (not even the consent)."""
    before = last(store)
    r = client.post(f"{API}/events", json={"events": batch}, headers=world.auth(login))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == (
        f"events: {login} of {QUINTUS} records votes and consents only (convert_election, "
        f"rofr_waive, adopt_plan, board_size, board_approval, stockholder_consent, meeting_result); "
        f"{refused} for an administrator to record."
    )
    assert last(store) == before


@pytest.mark.parametrize("login", ["ashworth", "okafor"])
def test_a_stockholder_records_nothing(
    client: TestClient, world: World, store: Store, login: str
) -> None:
    """Not even a consent it could sign: its own holding is not a say over the ledger."""
    before = last(store)
    sentence = (
        f"a stockholder of {QUINTUS} records nothing; only its administrators record events, "
        "and its counsel and directors votes and consents."
    )
    for r in (
        record(client, world, login, SERIES_F_BY_NORTHGATE),
        client.post(
            f"{API}/events", json={"events": [SERIES_F_BY_NORTHGATE]}, headers=world.auth(login)
        ),
        client.post(f"{API}/events", json={"events": [ISSUE]}, headers=world.auth(login)),
    ):
        assert r.status_code == 403
        assert r.json()["detail"] == sentence
    assert last(store) == before


@pytest.mark.parametrize(
    ("login", "slug"), [("counsel", OTHER), ("director", OTHER), ("other-admin", QUINTUS)]
)
def test_another_companys_ledger_is_not_found(
    client: TestClient, world: World, store: Store, login: str, slug: str
) -> None:
    """Counsel of Quintus recording in the other company, and that company's administrator
    recording in Quintus: the 404 of a company that does not exist, nothing written in
    either ledger."""
    before = (last(store, QUINTUS), last(store, OTHER))
    for path in ("votes-and-consents", "events"):
        r = client.post(
            f"/api/companies/{slug}/{path}",
            json={"events": [SERIES_F_BY_NORTHGATE]},
            headers=world.auth(login),
        )
        assert r.status_code == 404
        assert r.json()["detail"] == f"company: no company {slug!r} is open to this account."
    assert (last(store, QUINTUS), last(store, OTHER)) == before


@pytest.mark.parametrize(
    ("events", "sentence"),
    [
        (
            [ISSUE],
            "events.0: input tag 'issue' found using 'type' does not match any of the expected tags",
        ),
        ([{**SERIES_F_BY_NORTHGATE, "funds_available": 1.5}], "is a binary float"),
        (
            [{k: v for k, v in SERIES_F_BY_NORTHGATE.items() if k != "consents"}],
            "consents: field required",
        ),
        (
            [{**SERIES_F_BY_NORTHGATE, "votes": 3}],
            "votes: is not a field of a convert_election event",
        ),
        ([{**SERIES_F_BY_NORTHGATE, "date": "1999-02-30"}], "date:"),
        (
            [{**SERIES_F_BY_NORTHGATE, "date": "1999-10-01"}],
            "date: is dated 1999-10-01, before the previous event (1999-10-31)",
        ),
        ([{**SERIES_F_BY_NORTHGATE, "classes": ["series_z"]}], "series_z"),
        (
            [{**SERIES_F_BY_NORTHGATE, "classes": []}],
            "classes: an election or consent names the series that convert.",
        ),
        ([{**SERIES_F_BY_NORTHGATE, "consents": ["nobody"]}], "nobody"),
        ([{"date": DAY, "type": "rofr_waive", "notice": "no-such", "by": "board"}], "no-such"),
        ([{"date": DAY, "type": "rofr_waive", "notice": "rofr-1999-02", "by": "mob"}], "by:"),
        (
            [{"date": DAY, "type": "adopt_plan", "id": "plan-1995", "shares": 5}],
            "id: event id 'plan-1995' is already used",
        ),
        ([], "events:"),
    ],
)
def test_bad_votes_and_consents_are_a_4xx_with_a_sentence(
    client: TestClient, world: World, store: Store, events: list[Any], sentence: str
) -> None:
    before = last(store)
    r = record(client, world, "counsel", *events)
    assert r.status_code == 422, r.text
    assert sentence in r.json()["detail"]
    assert last(store) == before


def test_a_session_write_needs_the_csrf_header(client: TestClient, store: Store) -> None:
    """Signed in with a cookie (not a token), the API write needs X-CSRF-Token."""
    sign_in(client, "counsel")
    before = last(store)
    r = client.post(f"{API}/votes-and-consents", json={"events": [SERIES_F_BY_NORTHGATE]})
    assert r.status_code == 403
    assert "the CSRF token is missing or wrong" in r.json()["detail"]
    assert last(store) == before


def test_openapi_documents_the_three_kinds(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/companies/{company}/votes-and-consents"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    items = schema["components"]["schemas"][ref]["properties"]["events"]["items"]
    assert set(items["discriminator"]["mapping"]) == {
        "convert_election",
        "rofr_waive",
        "adopt_plan",
        "board_size",
        "board_approval",
        "stockholder_consent",
        "meeting_result",
    }
    assert {"201", "403", "404", "422"} <= set(op["responses"])


# --- the pages ------------------------------------------------------------------------------


def test_counsel_records_a_consent_through_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """First with Meridian and Sandhill only (450,000 of 1,450,000: refused, the form as it
    was typed), then with Northgate too (1,450,000: recorded)."""
    assert sign_in(client, "counsel") == 303
    page = client.get(PAGE)
    assert page.status_code == 200
    csrf = hidden(page.text, "csrf")
    before = last(store)
    form = {
        "csrf": csrf,
        "date": DAY,
        "classes": ["series_f"],
        "consents": ["meridian-growth", "sandhill-ii"],
    }
    r = client.post(f"{PAGE}/convert-election", data=form)
    assert r.status_code == 422
    assert "the consents cover 450,000 of the 1,450,000 outstanding shares of series_f" in r.text
    assert 'value="sandhill-ii" checked' in r.text  # the form is given back as typed
    assert last(store) == before
    form["consents"] = ["meridian-growth", "sandhill-ii", "northgate-99"]
    r = client.post(f"{PAGE}/convert-election", data=form)
    assert r.status_code == 200
    assert f"Recorded event {before + 1} (convert_election)." in r.text
    assert f'data-sequence="{before + 1}" data-type="convert_election"' in r.text
    assert last(store) == before + 1


def test_director_records_a_plan_and_a_waiver_through_the_forms(
    client: TestClient, world: World, store: Store
) -> None:
    client.post(f"{API}/events", json={"events": [NOTICE]}, headers=world.auth("admin"))
    sign_in(client, "director")
    csrf = hidden(client.get(PAGE).text, "csrf")
    before = last(store)
    plan = {"csrf": csrf, "date": DAY, "id": "plan-1999", "shares": "500000", "board": "1"}
    assert client.post(f"{PAGE}/plan", data=plan).status_code == 200
    resolution = {"date": DAY, "type": "board_approval", "id": "waive-1",
                  "approves": ["rofr-waiver:rofr-2000-01"]}  # fmt: skip
    client.post(f"{API}/events", json={"events": [resolution]}, headers=world.auth("director"))
    waiver = {"csrf": csrf, "date": DAY, "notice": "rofr-2000-01", "by": "board",
              "board_approval": "waive-1"}  # fmt: skip
    assert client.post(f"{PAGE}/rofr-waiver", data=waiver).status_code == 200
    events = client.get(f"{API}/history", headers=world.auth("admin")).json()[-3:]
    del events[1]
    assert events == [
        {
            "sequence": before + 1,
            "date": DAY,
            "type": "adopt_plan",
            "id": "plan-1999",
            "shares": 500000,
            "approvals": [{"by": "board", "date": DAY}],
        },
        {
            "sequence": before + 3,
            "date": DAY,
            "type": "rofr_waive",
            "notice": "rofr-2000-01",
            "by": "board",
            "board_approval": "waive-1",
        },
    ]


def test_director_records_the_number_of_directors_through_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """Bylaws Art. III §1: the board fixes the whole board at 7; the votes API then counts 7
    authorized directors from the ledger. "seven" is refused with a sentence, nothing
    written."""
    sign_in(client, "director")
    csrf = hidden(client.get(PAGE).text, "csrf")
    before = last(store)
    bad = {"csrf": csrf, "date": DAY, "directors": "seven", "by": "board"}
    r = client.post(f"{PAGE}/board-size", data=bad)
    assert r.status_code == 422 and "directors: Input should be a valid integer" in r.text
    assert last(store) == before
    good = dict(bad, directors="7")
    assert client.post(f"{PAGE}/board-size", data=good).status_code == 200
    assert last(store) == before + 1
    board = client.get(f"{API}/board", headers=world.auth("admin")).json()
    assert board["authorized_directors"] == 7
    assert board["directors_basis"].startswith(f"fixed by the board on {DAY}")


def test_director_records_a_boards_written_consent_through_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """Bylaws Art. III §9: the board acts by written consent only if every director signs.
    The example's directors are r.ashworth, d.okafor, e.whitford and g.hollis: three
    signatures are refused naming g.hollis, nothing written; four are recorded."""
    sign_in(client, "director")
    page = client.get(PAGE)
    assert 'value="g.hollis"' in page.text
    csrf = hidden(page.text, "csrf")
    before = last(store)
    form = {"csrf": csrf, "date": DAY, "id": "acq-1", "approves": "acquisition",
            "by": "written_consent", "consents": ["r.ashworth", "d.okafor", "e.whitford"]}  # fmt: skip
    r = client.post(f"{PAGE}/board-approval", data=form)
    assert r.status_code == 422 and "every director signs it; g.hollis did not" in r.text
    assert last(store) == before
    form["consents"] = [*form["consents"], "g.hollis"]
    assert client.post(f"{PAGE}/board-approval", data=form).status_code == 200
    [event] = client.get(f"{API}/history", headers=world.auth("admin")).json()[-1:]
    assert event["type"] == "board_approval" and event["approves"] == ["acquisition"]
    assert last(store) == before + 1


def test_bylaws_art_ii_11_counsel_records_a_stockholders_written_consent_through_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """Art. IV.B.3(b)(iii)(B), acting by written consent (Bylaws Art. II §11): more than half
    of the 1,450,000 Series F, i.e. 725,001 shares. Meridian 300,000 + Sandhill 150,000 =
    450,000: 422 with the clause, the form as typed, nothing written. With Northgate's
    1,000,000 as well (1,450,000): recorded, and the approvals API lists it."""
    assert sign_in(client, "counsel") == 303
    page = client.get(PAGE)
    assert 'id="stockholder-consent"' in page.text
    assert '<option value="convert_series_f_by_consent"' in page.text
    csrf = hidden(page.text, "csrf")
    before = last(store)
    form = {"csrf": csrf, "date": DAY, "id": "f-written", "action": "convert_series_f_by_consent",
            "consents": "meridian-growth 1999-11-01\nsandhill-ii: 1999-11-01\n"}  # fmt: skip
    r = client.post(f"{PAGE}/stockholder-consent", data=form)
    assert r.status_code == 422
    assert (
        "consents: the consents carry 450,000 of the 1,450,000 shares of series_f; 725,001 are "
        "needed for consent-3b-iii (Art. IV.B.3(b)(iii)(B))." in r.text
    )
    assert "sandhill-ii 1999-11-01" in r.text  # the form is given back as typed
    assert last(store) == before
    form["consents"] += "northgate-99 1999-11-01"
    r = client.post(f"{PAGE}/stockholder-consent", data=form)
    assert r.status_code == 200, r.text
    assert f"Recorded event {before + 1} (stockholder_consent)." in r.text
    assert last(store) == before + 1
    approvals = client.get(
        f"{API}/approvals",
        params={"action": "convert_series_f_by_consent"},
        headers=world.auth("counsel"),
    ).json()
    [rec] = approvals["recorded"]
    assert rec["event"] == "f-written"
    assert rec["approvals"] == [{"id": "consent-3b-iii", "for": 1_450_000, "needed": 725_001}]


def test_bylaws_art_ii_11_director_records_a_written_consent_through_the_api(
    client: TestClient, world: World, store: Store
) -> None:
    """The same event through the votes-and-consents API: Northgate alone, 1,000,000 of
    1,450,000 Series F, more than 725,000: 201. A signature dated after the consent: 422."""
    before = last(store)
    late = {"date": DAY, "type": "stockholder_consent", "action": "convert_series_f_by_consent",
            "consents": {"northgate-99": "1999-11-02"}}  # fmt: skip
    r = record(client, world, "director", late)
    assert r.status_code == 422
    assert "northgate-99 signed after the consent's date (1999-11-01)" in r.json()["detail"]
    assert last(store) == before
    r = record(client, world, "director", {**late, "consents": {"northgate-99": DAY}})
    assert r.status_code == 201, r.text
    assert last(store) == before + 1


def test_bylaws_art_ii_8_director_records_a_meeting_through_the_form(
    client: TestClient, world: World, store: Store
) -> None:
    """Only Ashworth attends, with his 2,100,000 common: 2,100,000 votes (NOTICE above; one a
    share, Art. IV.C.4). The votes entitled include the 6,317,500 common's and Series A's
    8,850,000 x 10 = 88,500,000 (Art. IV.B.5(c)) alone, 94,817,500, of which half is
    47,408,750 > 2,100,000: no quorum (Bylaws Art. II §8; reading `bylaw-stock-measure`,
    votes), recorded deciding nothing. Bad YAML and a stranger's ballot: 422, nothing
    written."""
    sign_in(client, "director")
    page = client.get(PAGE)
    assert 'id="meeting-result"' in page.text
    csrf = hidden(page.text, "csrf")
    before = last(store)
    form = {"csrf": csrf, "date": DAY, "id": "annual-1999", "kind": "annual",
            "ballots": "items: [{id: plan}\nballots: []"}  # fmt: skip
    r = client.post(f"{PAGE}/meeting-result", data=form)
    assert r.status_code == 422 and "ballots: is not valid YAML or JSON (line" in r.text
    form["ballots"] = "items: [{id: plan}]\nballots: [{holder: nobody, item: plan, vote: for}]"
    r = client.post(f"{PAGE}/meeting-result", data=form)
    assert r.status_code == 422 and "nobody holds no stock entitled to vote on plan" in r.text
    assert "holder: nobody" in r.text  # the ballots given back as typed
    assert last(store) == before
    form["ballots"] = form["ballots"].replace("nobody", "r.ashworth")
    r = client.post(f"{PAGE}/meeting-result", data=form)
    assert r.status_code == 200, r.text
    assert last(store) == before + 1
    [m] = client.get(f"{API}/meeting-results", headers=world.auth("counsel")).json()
    assert m["event"] == "annual-1999"
    assert (m["quorum"]["present"], m["quorum"]["met"]) == (2_100_000, False)
    assert m["items"][0]["passed"] is False


def test_forms_need_the_csrf_token(client: TestClient, store: Store) -> None:
    sign_in(client, "counsel")
    before = last(store)
    form = {"date": DAY, "classes": ["series_f"], "consents": ["northgate-99"], "csrf": "forged"}
    r = client.post(f"{PAGE}/convert-election", data=form)
    assert r.status_code == 403
    assert "the CSRF token is missing or wrong" in r.text
    assert last(store) == before


def test_counsel_may_not_record_other_events_on_the_history_form(
    client: TestClient, store: Store
) -> None:
    """The history page's form is another door to the ledger: the same rule, a 403 with the
    sentence for an issue, while a consent typed there is recorded."""
    sign_in(client, "counsel")
    csrf = hidden(client.get(f"/c/{QUINTUS}/history").text, "csrf")
    before = last(store)
    issue = '- {date: 1999-11-01, type: issue, holder: r.ashworth, class: common, shares: 1000, price: "0.10"}'
    r = client.post(f"/c/{QUINTUS}/history", data={"events": issue, "csrf": csrf})
    assert r.status_code == 403
    assert "records votes and consents only" in r.text
    assert last(store) == before
    consent = "- {date: 1999-11-01, type: convert_election, classes: [series_f], consents: [northgate-99]}"
    r = client.post(f"/c/{QUINTUS}/history", data={"events": consent, "csrf": csrf})
    assert r.status_code == 200
    assert last(store) == before + 1


def test_a_stockholder_neither_sees_nor_submits_the_forms(client: TestClient, store: Store) -> None:
    sign_in(client, "ashworth")
    overview = client.get(f"/c/{QUINTUS}/")
    assert f'href="/c/{QUINTUS}/consents"' not in overview.text
    assert client.get(PAGE).status_code == 403
    csrf = hidden(overview.text, "csrf")
    before = last(store)
    form = {"date": DAY, "classes": ["series_f"], "consents": ["northgate-99"], "csrf": csrf}
    r = client.post(f"{PAGE}/convert-election", data=form)
    assert r.status_code == 403
    assert f"a stockholder of {QUINTUS} records nothing" in r.text
    assert last(store) == before


def test_counsel_cannot_submit_the_forms_of_another_company(
    client: TestClient, store: Store
) -> None:
    sign_in(client, "counsel")
    csrf = hidden(client.get(PAGE).text, "csrf")
    before = last(store, OTHER)
    form = {"date": DAY, "classes": ["series_f"], "consents": ["northgate-99"], "csrf": csrf}
    r = client.post(f"/c/{OTHER}/consents/convert-election", data=form)
    assert r.status_code == 404
    assert last(store, OTHER) == before


def test_an_id_longer_than_the_store_keeps_is_a_422(
    client: TestClient, world: World, store: Store
) -> None:
    """The store keeps event ids of up to 100 characters: a longer one is refused before it
    reaches the database, at either door, nothing written."""
    before = last(store)
    long_id = {**SERIES_F_BY_NORTHGATE, "id": "x" * 101}
    r = record(client, world, "counsel", long_id)
    assert r.status_code == 422
    assert "id: string should have at most 100 characters" in r.json()["detail"]
    r = client.post(f"{API}/events", json={"events": [long_id]}, headers=world.auth("counsel"))
    assert r.status_code == 422
    assert "id: String should have at most 100 characters." in r.json()["detail"]  # the CLI's
    assert last(store) == before
