"""A control character in a text is an order to whatever prints it, not a character: a holder
named `"Alice\\e[2J\\e]0;pwned\\aFeldman\\rX"` (YAML's escapes) cleared the terminal, retitled
its window and, with its carriage return, wrote `X` over the start of the cap table's line;
`\\e[1A` and a column count would have written over another line's figures. The same name
made `--xlsx` fail with an internal error (a workbook cannot hold it) that echoed it raw.

Every input refuses one with a sentence naming where: a file (ledger, terms, ballots), an API
body, a form's fields (every append), an OCF package's file, a spreadsheet. Tab, line feed
and the CR LF that ends a line in a browser's form are text and pass."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from charter.cli.common import DataConsole
from charter.errors import CharterError
from charter.inputs import check_data, load_text
from charter.ledger.store import Store, stakeholders
from charter.service import load_ledger, open_session
from tests.cli_helpers import run_cli
from tests.conftest import ROOT
from tests.security.live_server import Live, live  # noqa: F401
from tests.web_support import QUINTUS, sign_in

HOSTILE = "Alice\\e[2J\\e]0;pwned\\aFeldman\\rX"  # as a YAML double-quoted string writes it
EXAMPLE = ROOT / "examples" / "quintus.yaml"
EVENTS = f"/api/companies/{QUINTUS}/events"


def refused(text: str) -> bool:
    try:
        check_data({"name": text})
    except CharterError:
        return True
    return False


def test_every_control_character_is_refused_but_tab_and_line_feed() -> None:
    """The independent definition: Unicode's category Cc (C0, DEL, C1: 65 code points). Each
    is refused in a name, but tab and line feed; a carriage return only where it ends a line
    (CR LF)."""
    controls = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"]
    assert len(controls) == 65
    for ch in controls:
        assert refused(f"a{ch}b") == (ch not in "\t\n"), repr(ch)
    assert not refused("line one\r\nline two")
    assert refused("line one\r\n\rline two")


BIDI = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def test_the_bidirectional_overrides_are_refused_and_the_marks_pass() -> None:
    """The embeddings, overrides and isolates (Unicode's bidirectional class LRE, RLE, PDF,
    LRO, RLO, LRI, RLI, FSI, PDI: nine) turn what follows them on a line around: a name
    holding U+202E before a cap table's figure would make `250,000` read `000,052`. The
    marks (LRM, RLM) and the joiners that Hebrew, Arabic and emoji need pass."""
    classes = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
    assert {unicodedata.bidirectional(ch) for ch in BIDI} == classes and len(BIDI) == 9
    for ch in BIDI:
        assert refused(f"Alice{ch}Feldman"), repr(ch)
    for ok in ("\u200e", "\u200f", "\u200d", "\u200c", "שרה כהן", "سارة"):
        assert not refused(f"a{ok}b"), repr(ok)


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=BIDI)))
def test_text_without_control_characters_passes(text: str) -> None:
    assert not refused(text)


def test_a_ledger_naming_a_holder_with_escapes_is_refused_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing of the cap table is printed; the sentence names the file and the field, and
    quotes the name with its escapes shown (no escape reaches the terminal)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "name: Alice Feldman" in text
    ledger = tmp_path / "escapes.yaml"
    ledger.write_text(text.replace("name: Alice Feldman", f'name: "{HOSTILE}"'), "utf-8")
    code, out, err = run_cli(capsys, "captable", "--ledger", str(ledger))
    assert code == 1 and out == ""
    assert "stakeholders[" in err and "].name" in err and "U+001B" in err
    assert "\x1b" not in err and "\r" not in err and "Traceback" not in err
    assert str(ledger) in err


def test_a_key_with_a_control_character_is_named_escaped() -> None:
    with pytest.raises(CharterError) as e:
        load_text('events:\n  - "k\\e[2J": 1\n', "l.yaml")
    message = e.value.problems[0].sentence()
    assert "\x1b" not in message and "'k\\x1b[2J'" in message


def test_an_append_from_a_form_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """A form's fields reach the ledger as a batch of dicts, not through a file or JSON
    body: the append itself refuses the text."""
    db = tmp_path / "c.db"
    store = Store(str(db))
    store.create_schema()
    session = load_ledger(store, EXAMPLE)
    before = len(session.entries())
    note = {"date": "1999-12-01", "type": "assert", "class": "common", "outstanding": 6_317_500}
    with pytest.raises(CharterError) as e:
        session.append([{**note, "note": "approved\x1b[1A\x1b[20C9,999,999"}], source="form")
    assert "U+001B" in e.value.problems[0].message
    assert len(open_session(None, str(db), session.company.slug).entries()) == before
    session.append([{**note, "note": "approved\r\nat the meeting"}], source="form")
    assert len(open_session(None, str(db), session.company.slug).entries()) == before + 1


def test_an_api_body_is_a_422_and_writes_nothing(live: Live) -> None:  # noqa: F811
    c = live.client(**live.world.auth("admin"))
    store = live.store
    before = store.last_sequence(store.company(QUINTUS))
    issue = {"date": "1999-12-01", "type": "issue", "holder": "r.ashworth", "class": "common",
             "shares": 1000, "price": "0.10"}  # fmt: skip
    # OSC 52: a terminal that honours it puts the text on the reader's clipboard
    body = json.dumps({"events": [{**issue, "note": "\u001b]52;c;cm0gLXJmIH4=\u0007"}]})
    r = c.post(EVENTS, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "U+001B" in r.json()["detail"]
    assert store.last_sequence(store.company(QUINTUS)) == before


def test_a_spreadsheet_cell_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "l.csv"
    sheet.write_text(
        "date,type,holder,class,shares,price\n2019-01-15,issue,Bob\x1b[2J,common,1000,0.01\n"
    )
    code, _, err = run_cli(
        capsys, "import", "--sheet", str(sheet), "--terms",
        str(ROOT / "examples" / "venture-terms.yaml"), "--to", str(tmp_path / "o"),
        "--db", str(tmp_path / "c.db"), "--name", "M",
    )  # fmt: skip
    assert code == 1 and "U+001B" in err and "\x1b" not in err
    assert not (tmp_path / "c.db").exists()


def test_a_name_written_into_the_database_by_other_hands_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a database already holds (stored before inputs refused it, or written there by
    other hands) is shown, not obeyed: the cap table prints the escape as text, on the
    terminal's path and the file's, and the workbook, the CSV and the certificate's PDF hold it
    as text."""
    db = tmp_path / "c.db"
    store = Store(str(db))
    store.create_schema()
    session = load_ledger(store, EXAMPLE)
    hostile = "Alice\x1b[1A\x1b[20C9,999,999\rFeldman"
    with store.engine.begin() as conn:
        row = conn.execute(
            select(stakeholders.c.data).where(stakeholders.c.id == "a.feldman")
        ).one()
        conn.execute(
            update(stakeholders)
            .where(stakeholders.c.id == "a.feldman")
            .values(data={**row.data, "name": hostile})
        )
    args = ("captable", "--db", str(db), "--company", session.company.slug)
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    code, _, err = run_cli(capsys, *args, "--xlsx", str(tmp_path / "t.xlsx"),
                           "--csv", str(tmp_path / "t.csv"))  # fmt: skip
    assert code == 0, err
    shown = "Alice\\x1b[1A\\x1b[20C9,999,999\\rFeldman"
    for text in (out, (tmp_path / "t-holders.csv").read_text(encoding="utf-8")):
        assert shown in text and "\x1b" not in text and "\r" not in text
    cells = [c.value for row in load_workbook(tmp_path / "t.xlsx")["Holders"].iter_rows()
             for c in row]  # fmt: skip
    assert shown in cells
    code, out, err = run_cli(capsys, "certificates", *args[1:], "--json")
    assert code == 0, err
    (number,) = [c["number"] for c in json.loads(out)["certificates"]
                 if c["holder"] == "a.feldman" and c["status"] == "outstanding"]  # fmt: skip
    pdf = tmp_path / "c.pdf"
    code, _, err = run_cli(capsys, "certificate", number, *args[1:], "--pdf", str(pdf))
    assert code == 0, err
    face = PdfReader(pdf).pages[0].extract_text()
    assert shown in face.replace("\n", " ") and "\x1b" not in face
    terminal = DataConsole(
        file=io.StringIO(), force_terminal=True, width=200, markup=False, highlight=False
    )
    terminal.print(hostile)
    printed = terminal.file.getvalue()
    assert shown in printed and "\x1b[1A" not in printed and "\r" not in printed


def test_a_page_shows_a_stored_name_escaped(client: TestClient, store: Store) -> None:
    """The web's pages print every value through one place (Jinja's `finalize`): a name the
    database already holds with an escape and an override is shown as text; the page's own
    markup and its JSON blocks are untouched."""
    hostile = "Alice\x1b[2J\u202eFeldman"
    company = store.company(QUINTUS)
    with store.engine.begin() as conn:
        row = conn.execute(
            select(stakeholders.c.data).where(
                stakeholders.c.company_id == company.id, stakeholders.c.id == "a.feldman"
            )
        ).one()
        conn.execute(
            update(stakeholders)
            .where(stakeholders.c.company_id == company.id, stakeholders.c.id == "a.feldman")
            .values(data={**row.data, "name": hostile})
        )
    assert sign_in(client, "admin") == 303
    page = client.get(f"/c/{QUINTUS}/captable?sort=name&per=100")
    assert page.status_code == 200
    assert "Alice\\x1b[2J\\u202eFeldman" in page.text
    assert "\x1b" not in page.text and "\u202e" not in page.text
    assert '<script type="application/json" id="class-chart-data">' in page.text


@pytest.mark.parametrize(
    "text",
    ['a: "Alice\u202eFeldman"', "a: Alice\u2066Feldman", '{"a": "x\x9b2Jy"}', '{"a": "x\x7fy"}'],
)
def test_one_written_as_itself_is_found_as_an_escaped_one_is(text: str) -> None:
    """The reader walks a text's data only when the text could hold one: a backslash (an
    escape) or one written as itself (YAML takes the bidirectional characters as they are,
    JSON DEL and C1 too)."""
    assert "\\" not in text
    with pytest.raises(CharterError):
        load_text(text, "t.yaml")
