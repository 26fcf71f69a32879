"""Issue 17 §4: stored cross-site scripting and markup. A holder's name (a ledger is typed
by people) and an id of a terms file end up in pages, script blocks and PDFs; each attack
is performed and asserted to fail."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.ledger.store import Store
from charter.service import load_ledger
from charter.terms.loader import load_terms_file
from charter.web.app import create_app
from charter.web.security import script_json
from tests.cli_helpers import run_cli
from tests.web_support import EXAMPLE, QUINTUS, hidden, populate

BREAKOUT = '</script><script>alert("name")</script><!--'
IMG = '<img src="/etc/hostname"/>'
CERTIFICATE = "5"  # of redwood-iii in the example ledger


def hostile_ledger(tmp: Path, name: str) -> Path:
    """The example ledger with redwood-iii (holder of certificate 5) named `name`."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'name: "Redwood Capital Ventures III, L.P."', f"name: {json.dumps(name)}"
    )
    path = tmp / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_script_json_cannot_close_its_block_and_reads_back(value: Any) -> None:
    """For any JSON value: no `<`, `>`, `&`, U+2028 or U+2029 in what goes inside the
    `<script>` block (so no `</script>` nor `<!--`), and JSON.parse (json.loads) gives the
    value back."""
    text = str(script_json(value))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


@pytest.fixture
def hostile_client(tmp_path: Path) -> TestClient:
    """A server over a database whose redwood-iii is named to break out of a script block."""
    store = Store(str(tmp_path / "charter.db"))
    store.create_schema()
    world = populate(store)
    doc = hostile_ledger(tmp_path, BREAKOUT)
    load_ledger(store, doc, "hostile")
    from charter.server.accounts import Accounts
    from tests.web_support import TEST_HASHER

    accounts = Accounts(store, TEST_HASHER)
    accounts.grant_role(accounts.user("admin"), store.company("hostile"), "administrator")
    client = TestClient(create_app(world.url))
    client.headers["Authorization"] = f"Bearer {world.tokens['admin']}"
    return client


def test_a_holder_name_does_not_break_out_of_the_waterfall_script_block(
    hostile_client: TestClient,
) -> None:
    """The attack of issue 17 §4: the name closed the JSON `<script>` block of the waterfall
    page and ran. Now the block holds it escaped, once, and reads back as the name."""
    form = hostile_client.get("/login")
    hostile_client.post(
        "/login",
        data={
            "login": "admin",
            "password": "correct horse battery",
            "csrf": hidden(form.text, "csrf"),
        },
    )
    page = hostile_client.get("/c/hostile/waterfall")
    assert page.status_code == 200
    block = re.search(
        r'<script type="application/json" id="wf-config">(.*?)</script>', page.text, re.S
    )
    assert block is not None
    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["names"]["redwood-iii"] == BREAKOUT
    assert "<script>alert" not in page.text  # nowhere else unescaped either


def test_every_answer_carries_the_security_headers(hostile_client: TestClient) -> None:
    """Pages, the API, static files, errors and refusals alike: a CSP with no inline script
    and no framing, X-Frame-Options, nosniff and a Referrer-Policy."""
    for path in ("/login", f"/c/{QUINTUS}/captable", "/api/companies", "/static/charter.js",
                 "/nowhere", "/api/companies/nobody/captable"):  # fmt: skip
        r = hostile_client.get(path, follow_redirects=False)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin", path


def test_no_template_has_an_inline_script() -> None:
    """The CSP forbids inline scripts: every `<script>` of the templates is a static file or
    a JSON data block."""
    templates = Path(__file__).resolve().parents[2] / "src" / "charter" / "web" / "templates"
    for t in templates.glob("*.html"):
        for tag in re.findall(r"<script[^>]*>", t.read_text(encoding="utf-8")):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (t.name, tag)
        assert not re.search(r"<[a-zA-Z][^>{]*\son[a-z]+=", t.read_text(encoding="utf-8")), t.name


@pytest.mark.parametrize("name", [IMG, "<b>unclosed & <i>odd", BREAKOUT])
def test_a_holder_name_is_printed_not_read_as_pdf_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The certificate PDF used to fail (500) on a name with markup, and to embed a file of
    the server for `<img src=...>`. Now the PDF is made and holds no image."""
    ledger = hostile_ledger(tmp_path, name)
    pdf = tmp_path / "c.pdf"
    code, out, err = run_cli(
        capsys, "certificate", CERTIFICATE, "--ledger", str(ledger), "--pdf", str(pdf)
    )
    assert code == 0, out + err
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data


@pytest.mark.parametrize("bad", ["Series</script>", "série-a", "a b", "UPPER"])
def test_an_id_in_a_terms_file_is_made_of_safe_characters(tmp_path: Path, bad: str) -> None:
    """Ids in terms files are [a-z0-9._-] (like the ledger's): a class id with markup is
    refused with the field's path, before it reaches any page."""
    source = Path(__file__).resolve().parents[2] / "examples" / "venture-terms.yaml"
    text = source.read_text(encoding="utf-8")
    first = re.search(r"^\s*- id: (\S+)", text, re.M)
    assert first is not None
    (tmp_path / "venture-bylaws.yaml").write_text(
        (source.parent / "venture-bylaws.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    terms = tmp_path / "venture-terms.yaml"
    terms.write_text(
        text.replace(f"- id: {first.group(1)}", f"- id: {json.dumps(bad)}", 1), encoding="utf-8"
    )
    with pytest.raises(CharterError, match=r"\.id: String should match pattern"):
        load_terms_file(terms)
