"""`charter value` (issue 14 §3): the option-pricing method on the exact breakpoints, worked by
hand for a two-class company and checked against an independent Monte Carlo over the full
waterfall; the backsolve; PWERM worked by hand on Quintus; bad input one sentence each.

Floats are allowed here (an estimate, not a legal figure), so the assertions have tolerances:
the hand computations carry N(.) to six places (about $1 on $2,000,000)."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from charter.errors import CharterError
from charter.rules import valuation as v
from charter.rules.waterfall import company, per_share_value, waterfall
from charter.service import open_session
from charter.state.model import State
from charter.terms.loader import load_terms_file
from tests.builders import state_with
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

F = Fraction
QUINTUS = str(ROOT / "examples" / "quintus.yaml")


@pytest.fixture(scope="module")
def two_class() -> State:
    """Northwind's terms (examples/venture-terms.yaml) with two classes held: common 1,000,000
    (founder) and Series A 1,000,000 (fund), 1x $1.00 non-participating, convertible 1:1."""
    terms = load_terms_file(ROOT / "examples" / "venture-terms.yaml")
    return state_with(terms, {"founder": {"common": 1_000_000}, "fund": {"series_a": 1_000_000}})


@pytest.fixture(scope="module")
def quintus() -> State:
    return open_session(Path(QUINTUS)).state()


def test_opm_two_class_company_by_hand(two_class: State) -> None:
    """Payout of Series A: X below $1,000,000 (its preference); $1,000,000 up to $2,000,000;
    X/2 above, where converting (X/2 per share x 1,000,000... X/2 in all) beats the
    preference. So A = C(0) - C(1M) + 1/2 C(2M), common = C(1M) - 1/2 C(2M): breakpoints
    1,000,000 and 2,000,000.

    S = 2,000,000, T = 1, sigma = 0.5, r = 0.05; e^-0.05 = 0.951229, r + sigma^2/2 = 0.175.
    K = 1,000,000: d1 = (ln 2 + 0.175)/0.5 = (0.693147 + 0.175)/0.5 = 1.736294,
      d2 = 1.236294; N(d1) = 0.958744, N(d2) = 0.891825;
      C = 2,000,000 x 0.958744 - 1,000,000 x 0.951229 x 0.891825
        = 1,917,488 - 848,330 = 1,069,158.
    K = 2,000,000: d1 = 0.175/0.5 = 0.35, d2 = -0.15; N(d1) = 0.636831, N(d2) = 0.440382;
      C = 2,000,000 x 0.636831 - 2,000,000 x 0.951229 x 0.440382
        = 1,273,662 - 837,810 = 435,852.
    A = 2,000,000 - 1,069,158 + 217,926 = 1,148,768 ($1.148768 a share);
    common = 1,069,158 - 217,926 = 851,232 ($0.851232 a share); together 2,000,000."""
    co = company(two_class)
    p = v.payoffs(co)
    assert p.breakpoints == [F(1_000_000), F(2_000_000)]
    r = v.value(co, p, v.market(F(2_000_000), F(1), F("0.5"), F("0.05")), F("0.2"))
    by = {c.class_id: c for c in r.classes}
    assert abs(by["series_a"].value - 1_148_768) < 3
    assert abs(by["common"].value - 851_232) < 3
    assert abs(by["common"].per_share - 0.851232) < 3e-6
    # the discount for lack of marketability applies to the common per share: x 0.8
    assert abs(r.common_after_dlom - 0.851232 * 0.8) < 3e-6


def monte_carlo(
    state: State, s: float, t: float, sigma: float, r: float, n: int, seed: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Mean and standard error of the discounted value per share of each class, the full
    waterfall (`rules.waterfall.waterfall`, not the curve) at each of n lognormal exit
    values X_T = S exp((r - sigma^2/2) T + sigma sqrt(T) Z), rounded to the cent."""
    co = company(state)
    z = np.random.default_rng(seed).standard_normal(n)
    exits = s * np.exp((r - sigma**2 / 2) * t + sigma * math.sqrt(t) * z)
    samples: dict[str, list[float]] = {seat.id: [] for seat in co.seats if seat.shares}
    for x in exits:
        w = waterfall(state, F(round(float(x) * 100), 100), co=co)
        for seat in co.seats:
            if seat.shares:
                samples[seat.id].append(float(per_share_value(co, w.profile, w.split, seat)))
    grow = math.exp(-r * t)
    mean = {c: grow * float(np.mean(a)) for c, a in samples.items()}
    se = {c: grow * float(np.std(a, ddof=1)) / math.sqrt(n) for c, a in samples.items()}
    return mean, se


@pytest.mark.parametrize(
    ("which", "equity", "n"), [("two_class", 2_000_000, 4000), ("quintus", 60_000_000, 600)]
)
def test_opm_agrees_with_a_monte_carlo_over_the_full_waterfall(
    which: str, equity: int, n: int, request: pytest.FixtureRequest
) -> None:
    """An independent implementation: a seeded Monte Carlo over the lognormal exit value,
    the whole waterfall at each sample (choices, preferences, caps, conversions, options),
    agrees with the OPM on the curve within 4 standard errors, class by class."""
    state: State = request.getfixturevalue(which)
    co = company(state)
    r = v.value(co, v.payoffs(co), v.market(F(equity), F(2), F("0.6"), F("0.04")))
    mean, se = monte_carlo(state, equity, 2.0, 0.6, 0.04, n, seed=14)
    for c in r.classes:
        assert abs(c.per_share - mean[c.class_id]) <= 4 * se[c.class_id] + 1e-9, c


def test_opm_values_add_up_to_the_equity_value(quintus: State) -> None:
    """Every dollar of the exit goes to someone (the grants net of their exercise prices), so
    the values add up to S = 60,000,000 for any term and volatility."""
    co = company(quintus)
    p = v.payoffs(co)
    grid = v.opm(p, 60e6, np.array([0.5, 3.0, 8.0]), np.array([0.2, 0.6, 1.5]), 0.04)
    weights = np.array([p.shares[c] if what == "per_share" else 1 for c, what in p.rows])
    assert np.allclose(grid @ weights, 60e6, rtol=1e-9)


def test_backsolve_gives_back_the_issue_price(quintus: State) -> None:
    """Series F's Original Issue Price is $8.25 (Art. IV.B, the terms); the equity value the
    backsolve finds, valued again, makes a Series F share worth $8.25."""
    co = company(quintus)
    p = v.payoffs(co)
    price = v.issue_price(quintus, "series_f")
    assert price == F("8.25")
    s = v.backsolve(p, "series_f", price, 3.0, 0.6, 0.04, 1e12)
    again = v.value(co, p, v.Market(s, 3.0, 0.6, 0.04))
    f = next(c for c in again.classes if c.class_id == "series_f")
    assert abs(f.per_share - 8.25) < 1e-6


def test_backsolve_without_a_solution_in_range_is_one_sentence(two_class: State) -> None:
    """Series A ($1.00) is worth at most about $1 a share at S = $100: no solution up to it."""
    co = company(two_class)
    with pytest.raises(CharterError) as e:
        v.backsolve(v.payoffs(co), "series_a", F(1), 1.0, 0.5, 0.05, 100.0)
    assert "no equity value from $1 to $100 makes a share of series_a worth" in str(e.value)


def test_pwerm_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/pwerm.yaml on Quintus, valued on 2025-01-01, every scenario on 2029-01-01:
    1,461 days = 4 years (365.25 a year); e^(-0.04 x 4) = e^-0.16 = 0.852144.
    IPO at $10.00, gross $50,000,000 (qualified: at least $40,000,000, firm commitment):
    common $10.00; Series F converts at 11.00/10.00 = 1.1 common a share (3(b)(iii)): $11.00.
    Sale at $11,962,500 = Series F's preference 8.25 x 1,450,000: Series F $8.25, common 0.
    Dissolution at $5,000,000 < that preference: all to Series F, 5,000,000/1,450,000 =
    $3.448276 a share, common 0.
    Common: 0.5 x 10.00 x 0.852144 = 4.260720; after a 25% DLOM: 3.195540.
    Series F: (0.5 x 11.00 + 0.3 x 8.25 + 0.2 x 3.448276) x 0.852144
            = (5.5 + 2.475 + 0.689655) x 0.852144 = 8.664655 x 0.852144 = 7.383536."""
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--pwerm", str(ROOT / "examples" / "pwerm.yaml"),
        "--rate", "0.04", "--as-of", "2025-01-01", "--dlom", "0.25", "--json",
    )  # fmt: skip
    assert code == 0, err
    d = json.loads(out)
    assert d["note"] == "breakpoints exact; values estimated with floats"
    assert abs(float(d["common_per_share"]) - 4.260720) < 2e-4
    assert abs(float(d["common_per_share_after_dlom"]) - 3.195540) < 2e-4
    assert abs(float(d["classes"]["series_f"]["per_share"]) - 7.383536) < 2e-4
    assert d["scenarios"][0]["per_share"]["series_f"] == "11.000000"
    assert d["scenarios"][0]["years"] == 4.0


def test_cli_opm_and_backsolve(capsys: pytest.CaptureFixture[str]) -> None:
    """The command as a user runs it: values, the exact breakpoints, the note; the backsolve's
    equity value makes Series F worth its issue price."""
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--equity", "60000000", "--term", "3",
        "--volatility", "0.60", "--rate", "0.04", "--dlom", "0.25",
    )  # fmt: skip
    assert code == 0, err
    assert "breakpoints exact; values estimated with floats" in out
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--backsolve", "series_f", "--term", "3",
        "--volatility", "0.60", "--rate", "0.04", "--json",
    )  # fmt: skip
    assert code == 0, err
    d = json.loads(out)
    assert d["backsolve"]["issue_price"] == "8.25"
    assert d["classes"]["series_f"]["per_share"] == "8.2500"
    assert "11962500" in d["breakpoints"]


BAD = [
    (["--equity", "60000000", "--term", "3", "--volatility", "0", "--rate", "0.04"],
     "--volatility: the volatility must be above zero."),
    (["--equity", "60000000", "--term", "-1", "--volatility", "0.6", "--rate", "0.04"],
     "--term: the term must be above zero (in years)."),
    (["--equity", "60000000", "--term", "3", "--volatility", "0.6", "--rate", "0.04",
      "--dlom", "1"], "--dlom: the discount must be at least 0 and below 1 (0.25 is 25%)."),
    (["--backsolve", "series_f", "--term", "3", "--volatility", "0.6", "--rate", "0.04",
      "--up-to", "1000000"],
     "--backsolve: no equity value from $1 to $1,000,000 makes a share of series_f worth its "
     "issue price $8.2500"),
    (["--backsolve", "common", "--term", "3", "--volatility", "0.6", "--rate", "0.04"],
     "--backsolve: common has no Original Issue Price in the terms to solve for."),
    (["--equity", "60000000", "--term", "three", "--volatility", "0.6", "--rate", "0.04"],
     "--term: 'three' is not a decimal number such as 0.60."),
]  # fmt: skip


@pytest.mark.parametrize(("args", "sentence"), BAD)
def test_bad_input_is_one_sentence(
    args: list[str], sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "value", "--ledger", QUINTUS, *args)
    assert code != 0
    assert sentence in err
    assert "Traceback" not in err and out == ""


def test_probabilities_must_add_up_to_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0.5 + 0.3 = 0.8: one sentence naming the file; a binary float is refused too."""
    f = tmp_path / "s.yaml"
    f.write_text(
        "scenarios:\n"
        "  - {kind: sale, probability: '0.5', date: 2030-01-01, value: '1000000'}\n"
        "  - {kind: dissolution, probability: '0.3', date: 2030-01-01, value: '0'}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--pwerm", str(f), "--rate", "0.04"
    )
    assert code != 0 and out == ""
    assert f"{f}: scenarios: the probabilities add up to 0.8, not 1." in err
    f.write_text(
        "scenarios:\n  - {kind: sale, probability: 1.0, date: 2030-01-01, value: '1'}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--pwerm", str(f), "--rate", "0.04"
    )
    assert code != 0 and "binary float" in err


@pytest.mark.parametrize("which", ["two_class", "quintus"])
def test_past_the_horizon_the_last_segment_goes_on(
    which: str, request: pytest.FixtureRequest
) -> None:
    """The OPM extends the curve's last segment to infinity; the full waterfall at three times
    the horizon agrees with that straight line, class by class (per share)."""
    state: State = request.getfixturevalue(which)
    co = company(state)
    p = v.payoffs(co)
    far = 3 * v.horizon(co)
    w = waterfall(state, F(math.ceil(far)), co=co)
    for i, (cls, what) in enumerate(p.rows):
        if what != "per_share":
            continue
        slope = (p.right[i, -1] - p.left[i, -1]) / p.widths[-1]
        line = p.left[i, -1] + slope * (math.ceil(far) - p.starts[-1])
        exact = float(per_share_value(co, w.profile, w.split, co.seat(cls)))
        assert line == pytest.approx(exact, rel=1e-9), cls


ESTIMATES = {
    "valuation.py": "value per share: an estimate (OPM, backsolve, PWERM), issue 14 §3",
    "curve.py": "chart and sweep coordinates of the exact curve (`Curve.evaluate`)",
}


def test_floats_only_where_an_estimate_or_a_chart_allows_them() -> None:
    """DESIGN.md principle 2: binary floats never touch a legal figure. In the rules, `float`
    and NumPy appear only in the modules listed above, each with its reason."""
    import ast

    using = set()
    for path in (ROOT / "src" / "charter" / "rules").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = isinstance(node, ast.Name) and node.id == "float"
            numpy = isinstance(node, ast.Import | ast.ImportFrom) and any(
                (getattr(node, "module", None) or a.name).split(".")[0] in {"numpy", "scipy"}
                for a in node.names
            )
            if named or numpy:
                using.add(path.name)
    assert using <= set(ESTIMATES), using - set(ESTIMATES)
    assert "valuation.py" in using


def test_every_mistake_of_a_scenarios_file_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each mistake named by scenario and field, all at once; nothing is valued."""
    f = tmp_path / "s.yaml"
    f.write_text(
        "scenarios:\n"
        "  - {kind: merger, probability: '1', date: 2030-01-01, value: '1'}\n"
        "  - {kind: ipo, probability: '2', date: 1990-01-01, price: '0', gross: 'x'}\n"
        "  - {kind: sale, probability: '0.5', date: 'soon', value: '1.001', colour: red}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        capsys, "value", "--ledger", QUINTUS, "--pwerm", str(f), "--rate", "0.04",
        "--as-of", "2025-01-01",
    )  # fmt: skip
    assert code == 1 and out == ""
    for sentence in (
        "scenario 1: kind: 'merger' is not one of ipo, sale, dissolution.",
        "scenario 2: gross: gross 'x' is not a decimal number.",
        "scenario 2: probability: must be from 0 to 1.",
        "scenario 2: date: 1990-01-01 is before the valuation date 2025-01-01.",
        "scenario 2: price: must be more than zero.",
        "scenario 3: unknown key 'colour';",
        "scenario 3: date: 'soon' is not a date in the form YYYY-MM-DD.",
    ):
        assert f"{f}: {sentence}" in err, (sentence, err)
