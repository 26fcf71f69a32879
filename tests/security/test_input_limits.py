"""Issue 17 §3: input that costs the server. Each attack is performed (against a real
server on SQLite and PostgreSQL where the store matters, and through the CLI's readers of
files) and asserted to fail with a short sentence: never a 500, never a long echo, nothing
written, the connection still usable."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from charter.errors import MAX_MESSAGE, CharterError, excerpt
from charter.inputs import load_text
from tests.cli_helpers import run_cli
from tests.security.live_server import Live, live  # noqa: F401
from tests.web_support import EXAMPLE, PASSWORD, QUINTUS, hidden

# The "billion laughs": nine levels of ten aliases, 10**9 copies of "lol" once expanded.
LAUGHS = "\n".join(
    ['a0: &a0 "lol"']
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    + ["events: *a9"]
)
EVENTS = f"/api/companies/{QUINTUS}/events"
ISSUE = {"date": "1999-12-01", "type": "issue", "holder": "r.ashworth", "class": "common",
         "shares": 1000, "price": "0.10"}  # fmt: skip


def signed_in(server: Live, login: str = "admin") -> tuple[httpx.Client, str]:
    """A browser signed in, and the CSRF token of its history page."""
    c = server.client()
    assert server.sign_in(c, login, PASSWORD).status_code == 303
    page = c.get(f"/c/{QUINTUS}/history")
    return c, hidden(page.text, "csrf")


def last_sequence(server: Live) -> int:
    return server.store.last_sequence(server.store.company(QUINTUS))


def test_billion_laughs_in_a_form_is_refused_in_a_short_sentence(live: Live) -> None:  # noqa: F811
    """The 523-byte form of the issue made a 152 MB page. Now: 422, the sentence about
    aliases, a page of ordinary size, nothing written."""
    assert len(LAUGHS) < 600
    c, csrf = signed_in(live)
    before = last_sequence(live)
    r = c.post(f"/c/{QUINTUS}/history", data={"events": LAUGHS, "csrf": csrf})
    assert r.status_code == 422
    assert "aliases are not accepted" in r.text
    assert len(r.content) < 100_000
    assert last_sequence(live) == before


@pytest.mark.parametrize(
    ("date", "reason"),
    [("1999-02-30", "day is out of range for month"), ("2000-13-01", "month must be in 1..12")],
)
def test_an_impossible_date_in_a_yaml_form_is_a_422_and_the_connection_lives(
    live: Live,  # noqa: F811
    date: str,
    reason: str,
) -> None:
    c, csrf = signed_in(live)
    text = f"- {{date: {date}, type: issue, holder: r.ashworth, class: common, shares: 1}}"
    r = c.post(f"/c/{QUINTUS}/history", data={"events": text, "csrf": csrf})
    assert r.status_code == 422
    assert f"events: is not valid YAML or JSON (line 1): '{date}' cannot be read ({reason})" in (
        r.text.replace("&#39;", "'")
    )
    assert c.get(f"/c/{QUINTUS}/captable").status_code == 200  # the same connection


def test_a_lone_surrogate_in_json_is_a_422_and_the_connection_lives(live: Live) -> None:  # noqa: F811
    """`"\\ud800"` is valid JSON but no character: the database and the response would both
    fail on it. 422 with the sentence, nothing written, the next request answered."""
    c = live.client(**live.world.auth("admin"))
    before = last_sequence(live)
    body = (
        '{"events": [{"date": "1999-12-01", "type": "issue", "holder": "r.ashworth", '
        '"class": "common", "shares": 1000, "price": "0.10", "note": "\\ud800"}]}'
    )
    r = c.post(EVENTS, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "holds a lone surrogate" in r.json()["detail"]
    assert last_sequence(live) == before
    assert c.get(f"/api/companies/{QUINTUS}/captable").status_code == 200
    paired = body.replace("\\ud800", "\\ud83d\\ude00")  # a pair is a character: accepted
    assert (
        c.post(EVENTS, content=paired, headers={"content-type": "application/json"}).status_code
        == 201
    )


def test_unknown_fields_deep_nesting_and_long_values_are_refused_briefly(live: Live) -> None:  # noqa: F811
    c = live.client(**live.world.auth("admin"))
    before = last_sequence(live)
    extra = c.post(EVENTS, json={"events": [ISSUE], "dry_run": True})
    assert extra.status_code == 422
    assert extra.json()["detail"] == "dry_run: is not a field of this request."
    deep = c.post(EVENTS, content="[" * 100_000, headers={"content-type": "application/json"})
    assert deep.status_code == 422 and "nests too deeply" in deep.json()["detail"]
    long = c.post(EVENTS, json={"events": [{**ISSUE, "type": "x" * 500_000}]})
    assert long.status_code == 422 and len(long.content) < 2 * MAX_MESSAGE + 1000
    assert last_sequence(live) == before


def test_a_price_with_forty_decimals_is_refused(live: Live) -> None:  # noqa: F811
    """The bound (docs/ledger-additions.md): 10 places after the point, 15 digits before."""
    c = live.client(**live.world.auth("admin"))
    price = "0." + "1234567890" * 4
    r = c.post(EVENTS, json={"events": [{**ISSUE, "price": price}]})
    assert r.status_code == 422
    assert "has more than 10 decimal places" in r.json()["detail"]
    huge = c.post(EVENTS, json={"events": [{**ISSUE, "price": "1" + "0" * 15}]})
    assert huge.status_code == 422 and "digits before the point" in huge.json()["detail"]
    ok = c.post(EVENTS, json={"events": [{**ISSUE, "price": "0.1234567891"}]})
    assert ok.status_code == 201, ok.text


def test_every_file_reader_refuses_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ledgers, terms files, ballots for `tally` and consents for `consent`: each read by
    the one safe reader, each refusing the billion laughs with a sentence naming the file."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(LAUGHS, encoding="utf-8")
    runs = [
        ("load", str(bomb), "--db", str(tmp_path / "x.db")),
        ("tally", str(bomb), "--ledger", str(EXAMPLE)),
        ("consent", "--action", "amend_bylaws", "--consents", str(bomb), "--ledger", str(EXAMPLE)),
        ("board-tally", str(bomb), "--ledger", str(EXAMPLE)),
    ]
    for args in runs:
        code, out, err = run_cli(capsys, *args)
        assert code != 0, args
        assert "aliases are not accepted" in out + err, args
        assert "Traceback" not in out + err
        assert len(out + err) < 2_000
    terms = tmp_path / "terms.yaml"
    terms.write_text(LAUGHS, encoding="utf-8")
    from charter.terms.loader import load_terms_file

    with pytest.raises(CharterError, match="aliases are not accepted"):
        load_terms_file(terms)


def test_an_error_quotes_an_excerpt_of_a_value() -> None:
    """`excerpt` cuts a value to 60 characters and says how long it was; every problem's
    parts are cut at MAX_MESSAGE characters whatever a message quoted."""
    assert excerpt("abc") == "'abc'"
    cut = excerpt("x" * 10_000)
    assert cut.startswith("'xxx") and cut.endswith("(10,000 characters)") and len(cut) < 90
    with pytest.raises(CharterError) as e:
        load_text(f"a: !!int {'9' * 100_000}", field="f")
    assert len(str(e.value)) < MAX_MESSAGE + 100


def test_every_json_body_of_the_api_refuses_unknown_fields(tmp_path: Path) -> None:
    """Issue 17 §3: an unknown top-level field used to be ignored silently. Every JSON body
    the API takes (those of this issue and any added later) is a model that forbids extra
    fields, as its OpenAPI schema says (`additionalProperties: false`)."""
    from charter.web.app import create_app

    schema = create_app(str(tmp_path / "charter.db")).openapi()
    bodies = [
        (path, op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        for path, ops in schema["paths"].items()
        for op in ops.values()
        if "application/json" in op.get("requestBody", {}).get("content", {})
    ]
    assert len(bodies) >= 5  # events, votes and consents, members (add, role), tokens
    for path, ref in bodies:
        model = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert model.get("additionalProperties") is False, path
