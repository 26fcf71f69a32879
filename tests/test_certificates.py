"""The certificate register and its legends (Bylaws Art. VI §1-4, Art. VIII §1(j)), the
commands that show it, and refused input (nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from charter.errors import CharterError
from charter.ledger.fileformat import read_ledger
from charter.ledger.store import Store
from charter.rules.certificates import legends, register, register_json
from charter.service import load_ledger, validate_ledger
from charter.state.model import State
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLE
from tests.transfer_helpers import run, transfer

LEDGER = Path(__file__).parent / "ledgers" / "certificates.yaml"


def state_of(path: Path = LEDGER) -> State:
    return validate_ledger(read_ledger(path))[1]


def charter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from charter.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_bylaws_vi_4_transfer_cancels_the_surrendered_and_issues_new_with_remainder() -> None:
    """tr-1: Ashworth surrenders No. 1 (100,000) and transfers 30,000 to Feldman: No. 1 is
    cancelled; No. 4 for 30,000 goes to Feldman and No. 5 for 100,000 - 30,000 = 70,000 back
    to Ashworth."""
    s = state_of()
    certs = s.stock_certificates.certificates
    assert certs["1"].cancelled is not None and certs["1"].cancelled.isoformat() == "1999-09-10"
    assert (certs["4"].holder, certs["4"].shares, certs["4"].origin) == (
        "a.feldman", 30000, "transfer"
    )  # fmt: skip
    assert (certs["5"].holder, certs["5"].shares, certs["5"].origin) == (
        "r.ashworth", 70000, "remainder"
    )  # fmt: skip


def test_bylaws_vi_1_register_matches_the_holdings() -> None:
    """Every holder's outstanding certificates add up to its shares, class by class."""
    s = state_of(EXAMPLE)
    for holder, by in s.holdings.items():
        for class_id, n in by.items():
            assert sum(c.shares for c in s.stock_certificates.of(holder, class_id)) == n


def test_bylaws_vi_4_surrendered_certificate_already_cancelled_is_refused() -> None:
    """No. 1 (seller's 1,000) is cancelled by the first transfer; surrendering it again is
    refused."""
    first = transfer("1999-10-01", to="dir", shares=100, exemption="officer-or-director")
    again = transfer("1999-10-02", to="dir", shares=100, exemption="officer-or-director",
                     certificates=["1"])  # fmt: skip
    with pytest.raises(CharterError) as err:
        run([first, again])
    (problem,) = err.value.problems
    assert "certificate 1 was already cancelled on 1999-10-01" in problem.sentence()


def test_bylaws_vi_4_surrendered_certificate_of_another_holder_is_refused() -> None:
    """No. 2 is other's certificate, not seller's."""
    with pytest.raises(CharterError, match="represents common of other"):
        run([transfer("1999-10-01", to="dir", shares=100, exemption="officer-or-director",
                      certificates=["2"])])  # fmt: skip


def test_bylaws_vi_1_signers_are_one_of_each_group_of_officers() -> None:
    s = state_of()
    assert s.stock_certificates.certificates["3"].signers == [
        ("r.ashworth", "president"),
        ("a.feldman", "secretary"),
    ]


def test_bylaws_vi_1_partly_paid_certificate_states_total_and_paid() -> None:
    """iss-3: 20,000 shares at $0.50 = $10,000.00 to be paid; $4,000.00 paid."""
    s = state_of()
    texts = {lg.id: lg.text for lg in legends(s, s.stock_certificates.certificates["3"])}
    assert "TOTAL CONSIDERATION TO BE PAID: $10,000.00" in texts["partly-paid"]
    assert "AMOUNT PAID THEREON: $4,000.00" in texts["partly-paid"]


def test_bylaws_viii_1j_and_vi_6_legends_while_the_right_is_in_effect() -> None:
    s = state_of()
    ids = [lg.id for lg in legends(s, s.stock_certificates.certificates["4"])]
    assert ids == ["right-of-first-refusal", "market-standoff", "class-rights"]


def test_bylaws_viii_1j_rofr_legend_goes_when_the_right_ends() -> None:
    """As of 24 May 2005 the right has terminated (§1(i)); the stand-off legend stays."""
    s = run([{"date": "2005-05-24", "type": "assert", "class": "common", "outstanding": 2000}])
    ids = [lg.id for lg in legends(s, s.stock_certificates.certificates["1"])]
    assert ids == ["market-standoff", "class-rights"]


def _replace(**more: Any) -> dict[str, Any]:
    return {"date": "1999-10-01", "type": "certificate_replace", "certificate": "1",
            "affidavit": "Sam Seller", **more}  # fmt: skip


def test_bylaws_vi_3_lost_certificate_replaced_on_affidavit() -> None:
    s = run([_replace()])
    old, new = s.stock_certificates.certificates["1"], s.stock_certificates.certificates["5"]
    assert (old.replaced_by, new.replaces, new.shares, new.holder) == ("5", "1", 1000, "seller")


def test_bylaws_vi_3_bond_required_by_the_board() -> None:
    with pytest.raises(CharterError, match="indemnity bond"):
        run([_replace(bond_required=True)])
    assert (
        run([_replace(bond_required=True, bond="2000.00")])
        .stock_certificates.certificates["1"]
        .bond
        == 2000
    )


def test_bylaws_vi_3_cannot_replace_a_cancelled_certificate() -> None:
    with pytest.raises(CharterError, match="already replaced as lost"):
        run([_replace(), _replace(date="1999-10-02")])


def test_conversion_cancels_preferred_and_issues_common_certificates() -> None:
    """300 Series E converted 1:1 (conversion price = original issue price): the Series E
    certificate is cancelled, a 300 common certificate issued."""
    s = run(
        [
            {"date": "1999-09-01", "type": "issue", "holder": "other", "class": "series_e",
             "shares": 300, "price": "4.15"},
            {"date": "1999-09-02", "type": "convert", "holder": "other", "class": "series_e",
             "shares": 300},
        ]
    )  # fmt: skip
    mine = register(s, "other", include_cancelled=True)
    assert [(c.class_id, c.shares, c.outstanding) for c in mine][-2:] == [
        ("series_e", 300, False),
        ("common", 300, True),
    ]


# --- the commands ----------------------------------------------------------------------------


def test_cli_rofr_status_json_contract() -> None:
    """rofr-1999-01 received 3 May 1999: option and settlement through 3 May + 30 = 2 Jun;
    window through 2 Jun + 60 = 1 Aug (28 days to 30 Jun, 31 of Jul, 1 of Aug)."""
    out = charter("rofr", "status", "--ledger", str(EXAMPLE), "--json", "--as-of", "1999-05-20")
    assert out.returncode == 0, out.stderr
    (n,) = json.loads(out.stdout)["notices"]
    keys = ["id", "holder", "class", "shares", "price", "received", "option_expires",
            "settlement_due", "transfer_window_ends", "state"]  # fmt: skip
    assert {k: n[k] for k in keys} == {
        "id": "rofr-1999-01", "holder": "k.nakamura", "class": "common", "shares": 40000,
        "price": "1.50", "received": "1999-05-03", "option_expires": "1999-06-02",
        "settlement_due": "1999-06-02", "transfer_window_ends": "1999-08-01", "state": "open",
    }  # fmt: skip


def test_cli_rofr_notice_then_refused_transfer_writes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert charter("load", str(EXAMPLE), "--db", db).returncode == 0
    ok = charter("rofr", "notice", "--db", db, "--id", "rofr-3", "--holder", "s.chen",
                 "--class", "common", "--shares", "1000", "--price", "3.00",
                 "--transferee", "b.yamamoto", "--date", "1999-11-01", "--json")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    states = {n["id"]: n["state"] for n in json.loads(ok.stdout)["notices"]}
    assert states["rofr-3"] == "open"
    bad = charter("rofr", "exercise", "--db", db, "--notice", "rofr-3", "--shares", "10",
                  "--date", "1999-11-02")  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and "not less than all" in bad.stderr
    assert "Traceback" not in bad.stderr
    status = charter("rofr", "status", "--db", db, "--json")
    (n,) = [n for n in json.loads(status.stdout)["notices"] if n["id"] == "rofr-3"]
    assert n["elected"] == {}


def test_refused_transfer_through_the_store_writes_nothing(store: Store) -> None:
    s = load_ledger(store, EXAMPLE)
    before = store.last_sequence(s.company)
    with pytest.raises(CharterError, match="skips the written notice"):
        s.append([{"date": "1999-11-01", "type": "transfer", "from": "s.chen",
                   "to": "b.yamamoto", "class": "common", "shares": 100}])  # fmt: skip
    assert store.last_sequence(s.company) == before


def test_cli_certificates_json_for_a_holder() -> None:
    out = charter("certificates", "--ledger", str(LEDGER), "--holder", "r.ashworth", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(c["number"], c["shares"]) for c in data["certificates"]] == [("5", 70000)]


def test_cli_certificate_pdf_has_the_legends(tmp_path: Path) -> None:
    pdf = tmp_path / "c3.pdf"
    out = charter("certificate", "3", "--ledger", str(LEDGER), "--pdf", str(pdf))
    assert out.returncode == 0, out.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for words in (
        "No. 3",
        "Nina Desai",
        "TWENTY THOUSAND (20,000)",
        "RIGHT OF FIRST REFUSAL OPTION",
        "180-DAY MARKET STANDOFF",
        "WILL FURNISH WITHOUT CHARGE",
        "TOTAL CONSIDERATION TO BE PAID: $10,000.00",
        "Rebecca Ashworth",
    ):
        assert words in text, words


def test_cli_certificate_unknown_number_is_one_sentence(tmp_path: Path) -> None:
    out = charter("certificate", "99", "--ledger", str(LEDGER), "--pdf", str(tmp_path / "x.pdf"))
    assert out.returncode == 1
    assert out.stderr.strip() == "number: certificate 99 is not on the register."
    assert not (tmp_path / "x.pdf").exists()


# --- signatures: two officers, one of each group, as the office events date them -------------

OFFICES: list[dict[str, Any]] = [
    {"date": "1999-07-01", "type": "office_begins", "holder": "vp", "office": "president"},
    {"date": "1999-08-01", "type": "issue", "holder": "seller", "class": "common",
     "shares": 100, "price": "1.00"},
    {"date": "1999-08-05", "type": "office_begins", "holder": "assignee", "office": "secretary"},
    {"date": "1999-08-10", "type": "issue", "holder": "other", "class": "common",
     "shares": 100, "price": "1.00"},
    {"date": "1999-09-01", "type": "office_ends", "holder": "vp", "office": "president"},
    {"date": "1999-09-10", "type": "issue", "holder": "fund", "class": "common",
     "shares": 100, "price": "1.00"},
]  # fmt: skip


def test_bylaws_vi_1_signers_follow_the_officers_in_office_on_the_issue_date() -> None:
    """Certificate 1 (1 Aug 1999): only the president (vp, from 1 Jul) is in office: one of
    the two signatures, the second group (treasurer, secretary and assistants) unsigned.
    Certificate 2 (10 Aug): vp as president and assignee as secretary (from 5 Aug): signed.
    Certificate 3 (10 Sep): vp left the presidency on 1 Sep: the first group is unsigned."""
    s = run(OFFICES, base=False)
    certs = {c["number"]: c for c in register_json(s)["certificates"]}
    assert certs["1"]["signers"] == [{"holder": "vp", "office": "president"}]
    (w1,) = certs["1"]["warnings"]
    assert "bears 1 of the 2 officers' signatures Bylaws Art. VI §1 requires" in w1
    assert "treasurer or assistant-treasurer or secretary or assistant-secretary" in w1
    assert [x["office"] for x in certs["2"]["signers"]] == ["president", "secretary"]
    assert certs["2"]["warnings"] == []
    assert certs["3"]["signers"] == [{"holder": "assignee", "office": "secretary"}]
    assert "chairman or vice-chairman or president or vice-president" in certs["3"]["warnings"][0]


def test_bylaws_vi_1_charter_certificates_warns_of_unsigned_certificates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With no officer recorded, `charter certificates` and `charter certificate 1` say so
    (the register no longer shows `signers: []` without a word)."""
    ledger = tmp_path / "l.yaml"
    ledger.write_text(
        "format: charter-ledger/1\ncompany: {name: X, terms: quintus}\n"
        "stakeholders: [{id: a, name: A}]\n"
        "events:\n- {date: 1999-08-01, type: issue, holder: a, class: common, shares: 10, "
        "price: '1.00'}\n"
    )
    code, out, _ = run_cli(capsys, "certificates", "--ledger", str(ledger))
    assert code == 0 and "1 of the certificates lack an officer's signature" in out
    code, out, _ = run_cli(capsys, "certificate", "1", "--ledger", str(ledger))
    assert code == 0 and "bears 0 of the 2 officers' signatures" in " ".join(out.split())
