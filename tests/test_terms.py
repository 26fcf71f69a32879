"""The Quintus terms as data, checked against the text of the three documents."""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from charter.errors import CharterError
from charter.terms.loader import load_terms_file, resolve_terms
from charter.terms.model import Certificate, TermsSet
from tests.conftest import ROOT


def pre_ipo(t: TermsSet) -> Certificate:
    return t.certificates[0]


def test_art_iv_a_authorized_shares(quintus: TermsSet) -> None:
    """Art. IV.A: 59,055,000 shares: 40,000,000 Common and 19,055,000 Preferred; the six
    series of Art. IV.B add up to the preferred: 9,100,000 + 1,000,000 + 3,000,000 +
    1,455,000 + 3,000,000 + 1,500,000 = 19,055,000."""
    cert = pre_ipo(quintus)
    assert cert.total_authorized == 59_055_000
    assert cert.common.authorized == 40_000_000
    assert sum(c.authorized for c in cert.preferred) == 19_055_000
    assert all(c.par_value == Fraction(1, 1000) for c in cert.classes)


def test_art_iv_b_2a_original_issue_prices(quintus: TermsSet) -> None:
    """Art. IV.B.2(a): $1.00, $1.43, $1.91, $2.75, $4.15 and $8.25 per share; the initial
    conversion price of each series is its original issue price (Art. IV.B.3(a))."""
    cert = pre_ipo(quintus)
    prices = [c.original_issue_price for c in cert.preferred]
    assert prices == [Fraction(x) for x in ("1.00", "1.43", "1.91", "2.75", "4.15", "8.25")]
    assert [c.conversion_price for c in cert.preferred] == prices


def test_art_iv_b_1a_dividend_rates_non_cumulative(quintus: TermsSet) -> None:
    """Art. IV.B.1(a): $0.20, $0.286, $0.382, $0.55, $0.83 and $1.65 per annum, not
    cumulative."""
    cert = pre_ipo(quintus)
    rates = [c.dividend.rate_per_annum for c in cert.preferred if c.dividend]
    assert rates == [Fraction(x) for x in ("0.20", "0.286", "0.382", "0.55", "0.83", "1.65")]
    assert not any(c.dividend.cumulative for c in cert.preferred if c.dividend)


def test_art_iv_b_3a_cash_amounts_and_votes(quintus: TermsSet) -> None:
    """Art. IV.B.3(a): Cash Amounts $0.925, $1.325, $1.765, $2.544 for Series A-D; Art.
    IV.B.5(c): ten votes per common share for Series A, fourteen for B-F."""
    cert = pre_ipo(quintus)
    cash = [
        c.conversion.cash_amount.per_share
        for c in cert.preferred
        if c.conversion and c.conversion.cash_amount
    ]
    assert cash == [Fraction(x) for x in ("0.925", "1.325", "1.765", "2.544")]
    assert [c.votes.per_common_share for c in cert.preferred if c.votes] == [10, 14, 14, 14, 14, 14]


def test_post_ipo_art_iv_and_viii(quintus: TermsSet) -> None:
    """Post-IPO Art. IV: 110,000,000 shares, 100,000,000 Common and 10,000,000 undesignated
    Preferred; Art. VIII: no action by written consent."""
    post = quintus.certificate("post-ipo")
    assert post is not None
    assert (post.total_authorized, post.common.authorized, post.undesignated_preferred) == (
        110_000_000,
        100_000_000,
        10_000_000,
    )
    assert post.voting.stockholder_written_consent is False
    assert quintus.on_qualified_offering == "post-ipo"


def test_bylaws_art_viii_right_of_first_refusal_periods(quintus: TermsSet) -> None:
    """Bylaws Art. VIII §1(b) 30 days, (d) 30 days, (e) 60 days, (i)(1) ends 24 May 2005;
    Art. VI §6: 180 days for holders who acquired on or after adoption (2 September 1999)."""
    r = quintus.bylaws.right_of_first_refusal
    assert r is not None
    assert (r.option_days, r.settlement_days, r.transfer_window_days) == (30, 30, 60)
    assert r.ends_on is not None and r.ends_on.isoformat() == "2005-05-24"
    m = quintus.bylaws.market_standoff
    assert (
        m is not None
        and m.days == 180
        and m.applies_to_acquired_on_or_after.isoformat() == "1999-09-02"
    )


def test_every_block_of_the_terms_cites_its_clause() -> None:
    """Every mapping in the Quintus data that holds a figure carries a `citation`."""
    data_dir = ROOT / "src" / "charter" / "terms" / "data" / "quintus"
    missing: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            values = [v for v in node.values() if not isinstance(v, dict | list)]
            cites_each = all(isinstance(v, str) and v.startswith(CLAUSE_PREFIXES) for v in values)
            if "citation" not in node and values and not cites_each and where.count("/") > 1:
                missing.append(where)
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    for path in data_dir.glob("*.yaml"):
        if path.name != "index.yaml":
            walk(yaml.safe_load(path.read_text()), path.name)
    assert missing == []


CLAUSE_PREFIXES = ("Art.", "Bylaws", "Post-IPO", "DGCL")
RULE_DIRS = [ROOT / "src" / "charter" / d for d in ("state", "rules")]


@pytest.mark.parametrize(
    "pattern", [r"series_[a-f]\b", r"\b8\.25\b", r"\b1\.43\b", r"Quintus", r"\b0\.75\b"]
)
def test_no_series_name_price_or_percentage_in_rule_code(pattern: str) -> None:
    """Principle 1: the terms are data; rule code names no series, price or percentage
    (docstrings, comments and interpretation declarations may quote the clause)."""
    hits = [
        f"{p.relative_to(ROOT)}: {line.strip()}"
        for d in RULE_DIRS
        for p in d.rglob("*.py")
        for line in code_without_docstrings(p).splitlines()
        if re.search(pattern, line)
    ]
    assert hits == []


class _DropQuotes(ast.NodeTransformer):
    """`interpretation(...)` declarations quote the text they are about: not code."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id == "interpretation":
            return ast.Constant(None)
        return self.generic_visit(node)


def code_without_docstrings(path: Path) -> str:
    tree = _DropQuotes().visit(ast.parse(path.read_text()))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body[0] = ast.Pass()
    return ast.unparse(tree)


def test_a_terms_file_with_a_mistake_gets_a_sentence(tmp_path: Path) -> None:
    src = ROOT / "src" / "charter" / "terms" / "data" / "quintus"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text())
    cert = tmp_path / "restated-1999-08-24.yaml"
    cert.write_text(
        cert.read_text().replace("total_authorized: 59055000", "total_authorized: 59055001")
    )
    with pytest.raises(CharterError, match="classes authorize 59055000 shares in all"):
        load_terms_file(tmp_path / "index.yaml")
    with pytest.raises(CharterError, match="neither a built-in terms set"):
        resolve_terms("no-such-terms")
