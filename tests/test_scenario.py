"""`charter scenario`: a Series G modelled on the Quintus example without recording it (issue
14 §2), every figure worked by hand from the example ledger and the Restated Certificate.

Today (examples/quintus.yaml, as of 1999-10-31), by hand from its events:
- common outstanding 6,317,500; preferred A 8,850,000, B 800,000, C 2,900,000,
  D 1,400,000, E 2,890,000, F 1,450,000 = 18,290,000, all at a ratio of one (no adjustment
  yet); outstanding 24,607,500.
- options and warrants outstanding: opt-1995-01 300,000 - 150,000 exercised = 150,000;
  opt-1995-02 200,000 - 80,000 = 120,000; opt-1995-03 150,000 - 87,500 expired - 62,500
  exercised = 0; opt-1995-04 50,000; opt-1996-01 120,000; opt-1996-02 30,000;
  wt-1996-04-17 5,000 - 5,000 = 0; wt-1996-08-16 192,262 (Series B, one common each);
  opt-1997-01 100,000 - 50,000 - 20,000 - the rest expired = 0; opt-1997-02 100,000;
  wt-1997-11-10 a/b/c 132,525 + 132,525 + 66,262 = 331,312; opt-1998-01 250,000;
  opt-1999-01 50,000; wt-1999-08-19 300,000; opt-1999-02 50,000. Sum 1,743,574.
- fully diluted (every outstanding option and warrant counted, as `charter captable` counts
  it): 6,317,500 + 18,290,000 + 1,743,574 = 26,351,074.
- A of 3(d)(i)(A) at the Series G closing (1999-12-01), under the default reading
  antidilution-unexercisable-options (as-exercisable): the options count as far as their
  vesting schedules make them exercisable then, 1,472,947 of the 1,743,574 (the sum of
  `charter grants --as-of 1999-12-01`'s `exercisable`, the schedules computed apart from the
  anti-dilution book): A = 24,607,500 + 1,472,947 = 26,080,447.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from charter.numbers import money, per_share, round_half_up
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

QUINTUS = str(ROOT / "examples" / "quintus.yaml")

SERIES_G = """\
stakeholders:
  - {id: granite-vc, name: "Granite Ventures I, L.P."}
terms:
  classes:
    - id: series_g
      name: Series G Preferred Stock
      kind: preferred
      authorized: 2000000
      par_value: "0.001"
      citation: Art. IV.B (scenario)
      original_issue_price: "6.00"
      liquidation: {tier: 1, preference_per_share: "6.00", plus_dividends: none, citation: Art. IV.B.2(a)}
      conversion: {holder_option: true, citation: Art. IV.B.3(a)}
      votes: {per_common_share: 1, citation: Art. IV.B.5(c)}
events:
  - {id: iss-g-1, date: 1999-12-01, type: issue, holder: granite-vc, class: series_g, shares: 2000000, price: "6.00"}
"""

FULLY_DILUTED = 26_351_074
A = 26_080_447
CP2_F = (Fraction("8.25") * A + Fraction("6.00") * 2_000_000) / (A + 2_000_000)


def scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *args: str
) -> tuple[int, str, str]:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return run_cli(capsys, "scenario", str(path), "--ledger", QUINTUS, *args)


def report(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = scenario(capsys, tmp_path, text, "--json", *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_series_g_adjusts_series_f_by_the_weighted_average_of_3_d_i_A(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Art. IV.B.3(d)(i)(A): CP2 = CP1 x (A + B) / (A + C). 2,000,000 Series G at $6.00 convert
    into 2,000,000 common (ratio one), so C = 2,000,000 at $6.00 a share: below Series F's
    $8.25 only (E is $4.15). A = 26,080,447 (module docstring); B = 12,000,000 / 8.25 =
    1,454,545.4545...; CP2 = 8.25 x (26,080,447 + 1,454,545.45...) / 28,080,447
    = (215,163,687.75 + 12,000,000) / 28,080,447 = 227,163,687.75 / 28,080,447 = 8.089746
    to the millionth. Series A-E keep their prices; Series G is new at its issue price."""
    r = report(capsys, tmp_path, SERIES_G)
    f = r["conversion_prices"]["series_f"]
    assert f["before"] == "8.250000"
    assert Fraction(22716368775, 2808044700) == CP2_F
    assert f["after"] == per_share(CP2_F) == "8.089746"
    (change,) = f["changes"]
    assert change["a"] == "26080447.000000"
    exercisable = json.loads(
        run_cli(capsys, "grants", "--ledger", QUINTUS, "--as-of", "1999-12-01", "--json")[1]
    )["grants"]
    assert sum(int(g["exercisable"]) for g in exercisable.values()) == 1_472_947
    assert change["b"] == per_share(Fraction(12_000_000) / Fraction("8.25")) == "1454545.454545"
    assert change["c"] == "2000000.000000"
    assert change["citation"] == "Art. IV.B.3(d)(i)(A)"
    for series, price in (
        ("series_a", "1.000000"),
        ("series_b", "1.430000"),
        ("series_c", "1.910000"),
        ("series_d", "2.750000"),
        ("series_e", "4.150000"),
    ):
        assert r["conversion_prices"][series] == {"before": price, "after": price, "changes": []}
    assert r["conversion_prices"]["series_g"]["before"] is None
    assert r["conversion_prices"]["series_g"]["after"] == "6.000000"


def test_pro_forma_cap_table_counts_series_f_at_its_new_ratio_per_holder_3_h(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Outstanding: 24,607,500 + 2,000,000 = 26,607,500. Series F now converts at
    8.25 / CP2 each, each holder's aggregate rounded to the nearest share (3(h)):
    northgate-99 1,000,000 -> 1,019,810; meridian-growth 300,000 -> 305,943; sandhill-ii
    150,000 -> 152,971 (8.25 / 8.0897461... = 1.0198099...; computed below from CP2 by the
    formula); 1,478,724 in all. Fully diluted (every outstanding option, as `charter
    captable` counts it): 26,351,074 - 1,450,000 + 1,478,724 + 2,000,000 = 28,379,798;
    granite-vc 2,000,000 / 28,379,798 = 7.0472...%."""
    r = report(capsys, tmp_path, SERIES_G)
    before, after = r["captable"]["before"], r["captable"]["after"]
    assert (before["outstanding"], before["fully_diluted"]) == (24_607_500, FULLY_DILUTED)
    assert after["outstanding"] == 26_607_500
    ratio = Fraction("8.25") / CP2_F
    by_hand = {
        h: round_half_up(n * ratio)
        for h, n in (
            ("northgate-99", 1_000_000),
            ("meridian-growth", 300_000),
            ("sandhill-ii", 150_000),
        )
    }
    assert by_hand == {
        "northgate-99": 1_019_810,
        "meridian-growth": 305_943,
        "sandhill-ii": 152_971,
    }
    assert after["classes"]["series_f"]["as_converted"] == sum(by_hand.values()) == 1_478_724
    assert after["fully_diluted"] == FULLY_DILUTED - 1_450_000 + 1_478_724 + 2_000_000 == 28_379_798
    gain = {
        h: after["holders"][h]["fully_diluted"] - before["holders"][h]["fully_diluted"]
        for h in by_hand
    }
    assert gain == {"northgate-99": 19_810, "meridian-growth": 5_943, "sandhill-ii": 2_971}
    g = after["holders"]["granite-vc"]
    assert g["fully_diluted"] == 2_000_000
    assert g["percent_fully_diluted"] == "7.0473"  # 200,000,000 / 28,379,798 = 7.04727...
    assert after["classes"]["series_g"]["percent_outstanding"] == "7.5167"  # 2 / 26.6075 M
    # headroom: Series G's 2,000,000 authorized are all issued
    assert r["headroom"]["after"]["series_g"]["headroom"] == 0
    assert "series_g" not in r["headroom"]["before"]


def test_series_g_on_parity_needs_the_6_a_ii_vote_of_three_quarters_of_the_preferred(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A Series G of liquidation tier 1 is senior to Series A-E (tier 2) and on parity with F
    (tier 1), and it votes and converts: Art. IV.B.6(a)(ii) asks
    at least 75% of the voting power of Series A-F, votes per share (5(c)): A 8,850,000 x 10
    = 88,500,000; B 800,000 x 14 = 11,200,000; C 2,900,000 x 14 = 40,600,000; D 1,400,000 x
    14 = 19,600,000; E 2,890,000 x 14 = 40,460,000; F 1,450,000 x 14 = 20,300,000; in all
    220,660,000, of which 75% is 165,495,000. northgate-99 alone (1,000,000 F x 14 =
    14,000,000) does not carry it; every preferred holder together (220,660,000) does. The
    2,000,000 new preferred exceed the undesignated preferred (none before the IPO): an
    amendment under 6(a)(i) with the DGCL §242(b) votes."""
    alone = report(capsys, tmp_path, SERIES_G + "consents: [northgate-99]\n")
    by_action = {a["action"]: a for a in alone["approvals"]}
    senior = by_action["create_senior_or_parity_security"]
    p6a = next(a for a in senior["approvals"] if a["id"] == "protective-6a")
    assert (p6a["eligible"], p6a["needed"], p6a["for"], p6a["met"]) == (
        220_660_000,
        165_495_000,
        14_000_000,
        False,
    )
    assert senior["carried"] is False
    amend = by_action["change_authorized_preferred"]
    assert {a["id"] for a in amend["approvals"]} >= {"stockholders-242b1", "class-242b2"}
    held = alone["captable"]["before"]["holders"]
    preferred = sorted(h for h in _preferred_holders() if held.get(h, {}).get("outstanding"))
    every = report(capsys, tmp_path, SERIES_G + f"consents: [{', '.join(preferred)}]\n")
    senior = next(
        a for a in every["approvals"] if a["action"] == "create_senior_or_parity_security"
    )
    p6a = next(a for a in senior["approvals"] if a["id"] == "protective-6a")
    assert (p6a["for"], p6a["met"], senior["carried"]) == (220_660_000, True, True)


def _preferred_holders() -> set[str]:
    """Holders of preferred in the example, read from its issue and transfer events."""
    import yaml

    events = yaml.safe_load(Path(QUINTUS).read_text(encoding="utf-8"))["events"]
    out = set()
    for e in events:
        if str(e.get("class", "")).startswith("series_"):
            out.add(e.get("holder") or e.get("to"))
        for d in e.get("distribution", []) or []:
            out.add(d["holder"])
    return {h for h in out if h}


def test_waterfall_at_an_exit_moves_every_holder_and_series_g_takes_its_1x_preference(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """At an exit of $60,000,000 Series G (1x, non-participating, tier 1: Art. IV.B.2(a) as the
    scenario writes it) takes its preference, 2,000,000 x $6.00 = $12,000,000, rather than
    converting (as converted it would hold 2,000,000 of 28.4M: about $4.2M). The exit is the
    same before and after, so the changes of every holder add up to zero."""
    r = report(capsys, tmp_path, SERIES_G, "--exit", "60000000")
    (x,) = r["exits"]
    assert x["exit_value"] == "60000000.00"
    assert x["holders"]["granite-vc"] == {
        "before": "0.00",
        "after": "12000000.00",
        "change": "12000000.00",
    }
    total = sum(Fraction(v["change"]) for v in x["holders"].values())
    assert total == 0
    assert money(sum(Fraction(v["after"]) for v in x["holders"].values())) == "60000000.00"


def test_pre_money_with_the_pool_top_up_in_it_implies_the_price_exactly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Pre-money $40,000,000 with a 1,000,000-share pool top-up counted in it: price =
    40,000,000 / (26,351,074 + 1,000,000) = 40,000,000 / 27,351,074 = 1.4624654... (27,351,074 x 1.4624 = 39,998,210.6; the 1,789.4 left is 0.0000654 more); without
    the top-up in the pre-money: 40,000,000 / 26,351,074 = 1.5179647... (26,351,074 x 1.5179 = 39,998,295.2; 1,704.8 left is 0.0000647). A plan adopted in the
    scenario asks for the approvals of 3(d)(ii)(B)."""
    plan = "  - {id: plan-2000, date: 1999-11-15, type: adopt_plan, shares: 1000000}\n"
    text = SERIES_G.replace("events:\n", "events:\n" + plan) + 'pre_money: "40000000"\n'
    with_top_up = report(capsys, tmp_path, text + "pool_top_up_in_pre_money: true\n")
    assert with_top_up["implied_price"] == per_share(Fraction(40_000_000, 27_351_074))
    assert with_top_up["implied_price"] == "1.462465"
    without = report(capsys, tmp_path, text)
    assert without["implied_price"] == per_share(Fraction(40_000_000, 26_351_074)) == "1.517965"
    assert "adopt_employee_plan" in {a["action"] for a in without["approvals"]}


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "base: &b {x: 1}\nterms: *b\n",
            "scenario.yaml:1: YAML anchors and aliases are not accepted in a scenario.",
        ),
        (
            "pricing: 1\n",
            "scenario.yaml: unknown key 'pricing'; expected stakeholders, terms, events, consents, pre_money, pool_top_up_in_pre_money.",
        ),
        (
            "events:\n  - {date: 1999-12-01, type: issue, holder: x, class: common, shares: 1}\n",
            "scenario.yaml: event 0: price: is required for a issue event.",
        ),
        (
            "consents: [nobody]\n",
            "scenario.yaml: consents.0: 'nobody' holds no stock today, so cannot consent.",
        ),
        (
            "terms: {classes: [{id: series_f, name: F, kind: preferred, authorized: 1, par_value: '0.001', citation: x}]}\n",
            "scenario.yaml: terms.classes.0.id: Restated Certificate of Incorporation (24 August 1999) already has a class 'series_f'.",
        ),
        (
            "stakeholders: [{id: northgate-99, name: N}]\n",
            "scenario.yaml: stakeholders.0.id: 'northgate-99' is already a stakeholder of the company.",
        ),
        (
            "pre_money: 1.5\n",
            'scenario.yaml: pre_money: the pre-money 1.5 is a binary float; write it as a quoted decimal string such as "1.5".',
        ),
        (
            "events:\n  - {date: 1999-12-01, type: issue, holder: ghost, class: common, shares: 1, price: '1'}\n",
            "scenario.yaml: event 0: holder:",
        ),
    ],
)
def test_bad_scenario_is_one_sentence_naming_the_file_key_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, sentence: str
) -> None:
    """Every mistake: one sentence with the file, the key (or event) and the field; non-zero
    exit; no traceback."""
    code, out, err = scenario(capsys, tmp_path, text, "--json")
    assert code == 1 and out == ""
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert first.endswith(sentence) or sentence in first, err


def test_record_writes_the_scenario_s_events_all_or_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--record appends the events as one batch checked against the ledger: a scenario whose
    second event issues to a holder who does not exist writes neither; the good one writes
    both; a scenario with a new series is refused (no pre-IPO event adds a series to the
    certificate in force), as is --record with --ledger FILE."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    history = run_cli(capsys, "history", "--db", db, "--json")[1]
    one = "  - {date: 1999-12-01, type: issue, holder: s.chen, class: common, shares: 1000, price: '1.00'}\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text("events:\n" + one + one.replace("s.chen", "ghost"))
    code, _, err = run_cli(capsys, "scenario", str(bad), "--db", db, "--record")
    assert code == 1 and "event 1" in err and "Traceback" not in err
    assert run_cli(capsys, "history", "--db", db, "--json")[1] == history
    good = tmp_path / "good.yaml"
    good.write_text("events:\n" + one + one.replace("1999-12-01", "1999-12-02"))
    code, out, err = run_cli(capsys, "scenario", str(good), "--db", db, "--record")
    assert code == 0, err
    assert "Recorded 2 events" in out
    cap = json.loads(run_cli(capsys, "captable", "--db", db, "--json")[1])
    assert cap["classes"]["common"]["outstanding"] == 6_317_500 + 2_000
    g = tmp_path / "g.yaml"
    g.write_text(SERIES_G)
    after = run_cli(capsys, "history", "--db", db, "--json")[1]
    code, _, err = run_cli(capsys, "scenario", str(g), "--db", db, "--record")
    assert code == 1 and "cannot be recorded" in err and len(err.strip().splitlines()) == 1
    assert run_cli(capsys, "history", "--db", db, "--json")[1] == after
    code, _, err = run_cli(capsys, "scenario", str(good), "--ledger", QUINTUS, "--record")
    assert code == 1 and "--record needs a database" in err


def test_json_has_the_shape_documented_in_docs_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The keys of docs/scenario.md's example are those `--json` prints, at every level the
    example spells out."""
    text = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    documented = json.loads(text.split("```json\n")[1].split("```")[0])
    r = report(capsys, tmp_path, SERIES_G + "consents: [northgate-99]\n", "--exit", "60000000")
    assert set(r) == set(documented)
    before = r["captable"]["before"]
    assert set(before) == set(documented["captable"]["before"])
    assert set(before["classes"]["series_f"]) == set(
        documented["captable"]["before"]["classes"]["series_f"]
    )
    assert set(before["holders"]["northgate-99"]) == set(
        documented["captable"]["before"]["holders"]["northgate-99"]
    )
    f, doc_f = r["conversion_prices"]["series_f"], documented["conversion_prices"]["series_f"]
    assert set(f) == set(doc_f) and set(f["changes"][0]) == set(doc_f["changes"][0])
    assert set(r["headroom"]["before"]["common"]) == set(documented["headroom"]["before"]["common"])
    assert set(r["exits"][0]) == set(documented["exits"][0])
    assert {"action", "why", "carried", "approvals", "met"} <= set(r["approvals"][0])


def test_6_a_ii_asks_no_vote_for_a_series_junior_in_every_respect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Art. IV.B.6(a)(ii) reaches a series "having a preference over or on parity with" Series
    A-F "with respect to voting, dividends, conversion, redemption or upon liquidation". A
    series without votes, dividend preference, conversion or redemption, paid in liquidation
    after every series (tier 3; the Restated Certificate puts F at tier 1, A-E at 2), has none: no 6(a)(ii) vote; its 1,000 authorized shares
    are still new preferred (6(a)(i), DGCL §242(b)). With votes added it is on parity with
    respect to voting."""
    junior = (
        "terms:\n  classes:\n    - {id: series_z, name: Z, kind: preferred, authorized: 1000,"
        " par_value: '0.001', citation: x, liquidation: {tier: 3, preference_per_share: '1.00',"
        " plus_dividends: none, citation: x}}\n"
    )
    actions = [a["action"] for a in report(capsys, tmp_path, junior)["approvals"]]
    assert actions == ["change_authorized_preferred"]
    voting = junior.replace("}}\n", "}, votes: {per_common_share: 1, citation: x}}\n")
    (senior, _) = report(capsys, tmp_path, voting)["approvals"]
    assert senior["action"] == "create_senior_or_parity_security"
    assert senior["why"].endswith("with respect to voting")
