"""The documents a secretary files (issue 13 §4), rendered and read back: each PDF is turned
into a PNG where pdftoppm exists, and its text (pypdf) holds the names, figures and dates it
must."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
QUINTUS = ROOT / "examples" / "quintus.yaml"

# Added to the example (its last event is 1999-10-31): a record taken for a right (Art.
# IV.B.4), a written consent to amend the bylaws (Bylaws Art. II §11) by Redwood (58,600,000
# votes), Sandhill (52,900,000) and Bayshore (26,600,000): 138,100,000 of 226,977,500, more
# than half (113,488,751 needed); then a dilutive issue of common at $0.50 (Art. IV.B.3(d)).
MORE = """
  - {date: 1999-11-01, type: take_record, record_date: 1999-12-01, right: "the right to subscribe for 10 shares of common for each share held"}
  - {date: 1999-11-03, id: consent-bylaws, type: stockholder_consent, action: amend_bylaws, consents: {redwood-iii: 1999-11-02, sandhill-ii: 1999-11-02, bayshore-ii: 1999-11-03}}
  - {date: 1999-11-04, id: iss-dilutive, type: issue, holder: r.ashworth, class: common, shares: 1000000, price: "0.50"}
"""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("docs") / "quintus.yaml"
    path.write_text(QUINTUS.read_text() + MORE)
    return str(path)


def rendered(capsys: pytest.CaptureFixture[str], tmp: Path, *args: str) -> str:
    """Run `charter document ...`, render the PDF to PNG (when pdftoppm exists), and return
    its text with whitespace collapsed."""
    pdf = tmp / "doc.pdf"
    code, _, err = run_cli(capsys, "document", *args, "--pdf", str(pdf))
    assert code == 0, err
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp / "page")], check=True)
        assert list(tmp.glob("page*.png"))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    return " ".join(text.split())


def test_bylaws_ii_3_notice_of_annual_meeting_with_its_mailing_deadline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """An annual meeting on March 15, 2000: notice no fewer than 10 nor more than 60 days
    before (Bylaws Art. II §3): mailed no earlier than January 15, 2000 (60 days before) and
    no later than March 5, 2000 (10 days before)."""
    text = rendered(
        capsys, tmp_path, "meeting-notice", "--ledger", ledger, "--kind", "annual",
        "--date", "2000-03-15", "--place", "1 Main St, Palo Alto",
    )  # fmt: skip
    assert "Notice of Annual Meeting of Stockholders" in text
    assert "Quintus Corporation" in text and "March 15, 2000" in text
    assert "no earlier than January 15, 2000 and no later than March 5, 2000" in text
    assert "Bylaws Art. II §3" in text


def test_bylaws_ii_7_stockholder_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """Alphabetical by name, with address and shares: Alder Creek Partners IV holds 800,000
    Series D and 400,000 Series E (examples/quintus.yaml)."""
    text = rendered(
        capsys, tmp_path, "stockholder-list", "--ledger", ledger, "--record-date", "1999-10-01"
    )
    assert "List of Stockholders Entitled to Vote" in text
    assert "Alder Creek Partners IV, L.P." in text and "755 Page Mill Road" in text
    assert "800,000" in text and "400,000" in text
    assert text.index("Alder Creek") < text.index("Alice Feldman") < text.index("Bayshore")


def test_bylaws_ii_11_written_consent_with_signature_blocks_and_threshold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """Amending the bylaws needs more than half the voting power (Bylaws Art. II §9; §11 by
    consent): of the 226,977,500 votes before the dilutive issue, more than half is
    226,977,500 / 2 = 113,488,750, so 113,488,751."""
    text = rendered(
        capsys, tmp_path, "stockholder-consent", "--ledger", ledger, "--action", "amend_bylaws",
        "--as-of", "1999-11-03",
        "--resolution", "that Article II of the Bylaws be amended as attached.",
    )  # fmt: skip
    assert "Action by Written Consent of the Stockholders" in text
    assert "RESOLVED, that Article II of the Bylaws be amended as attached." in text
    assert "113,488,751 of 226,977,500" in text
    assert "Redwood" in text and "58,600,000 votes" in text
    assert "DGCL §228" in text


def test_dgcl_228e_notice_to_those_who_did_not_consent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """The consent signed by Redwood, Sandhill and Bayshore: notice goes to every other holder
    with votes on the record date (November 2, 1999, the first signature), e.g. Alder Creek
    and Northgate, and not to the three who signed."""
    text = rendered(capsys, tmp_path, "consent-notice", "--ledger", ledger)
    assert "Notice of Action Taken by Written Consent" in text
    assert "November 3, 1999" in text and "record date November 2, 1999" in text
    assert "Alder Creek Partners IV, L.P." in text
    given_to = text[text.index("This notice is given to") :]
    assert "Redwood" not in given_to.split("Secretary")[0]


def test_bylaws_iii_9_unanimous_written_consent_of_the_board(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """Every stakeholder marked director signs (Bylaws Art. III §9)."""
    text = rendered(
        capsys, tmp_path, "board-consent", "--ledger", ledger, "--date", "1999-11-05",
        "--resolution", "that the officers may open a bank account.",
    )  # fmt: skip
    assert "Unanimous Written Consent of the Board of Directors" in text
    assert "RESOLVED, that the officers may open a bank account." in text
    assert text.count("Director") >= 3


def test_art_iv_b_4_notice_of_a_record_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """A record taken on November 1 for December 1, 1999: the preferred are owed notice at
    least 20 days before the record date (Art. IV.B.4): by November 11, 1999."""
    text = rendered(capsys, tmp_path, "record-date-notice", "--ledger", ledger)
    assert "Notice of Record Date" in text
    assert "December 1, 1999" in text and "mailed by November 11, 1999" in text
    assert "10 shares of common" in text and "Art. IV.B.4" in text


def test_art_iv_b_3d_certificate_of_adjustment_with_a_b_c(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger: str
) -> None:
    """1,000,000 common at $0.50 below Series A's $1.00: C = 1,000,000; B = 0.50 x
    1,000,000 / 1.00 = 500,000; A = the stock outstanding as converted, 24,607,500 (6,317,500
    common and 18,290,000 preferred, each series 1:1), and the options deemed issued "to the
    extent then exercisable" ((E)(1), reading antidilution-unexercisable-options, default
    as-exercisable): on 1999-11-03 the grants' vesting schedules make 1,461,073 of the
    1,743,574 outstanding exercisable (the sum of `charter grants --json`'s `exercisable`,
    a computation of the schedules apart from the anti-dilution book): A = 26,068,573.
    CP2 = 1.00 x (26,068,573 + 500,000) / (26,068,573 + 1,000,000) = 1 - 500,000 /
    27,068,573 = 0.981528 (to six places)."""
    grants = json.loads(
        run_cli(capsys, "grants", "--ledger", ledger, "--as-of", "1999-11-03", "--json")[1]
    )["grants"]
    assert sum(int(g["exercisable"]) for g in grants.values()) == 1_461_073
    text = rendered(
        capsys, tmp_path, "conversion-adjustment", "--ledger", ledger, "--series", "series_a"
    )
    assert "Certificate of Adjustment of the Conversion Price" in text
    assert "A 26,068,573" in text and "B 500,000 shares" in text
    assert "C 1,000,000 shares" in text
    assert "from $1.000000 to $0.981528" in text
    assert "iss-dilutive" in text and "November 4, 1999" in text


def test_a_name_with_markup_is_printed_as_text(tmp_path: Path) -> None:
    """Paragraph markup in a name is escaped: the PDF shows it literally."""
    from charter.interop.documents import Document, render_pdf

    doc = Document("T", "<b>Evil</b> & Co", ["x"], ["<font size=40>big</font>"])
    render_pdf(doc, tmp_path / "e.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "e.pdf").pages)
    assert "<b>Evil</b> & Co" in text and "<font size=40>big</font>" in text
