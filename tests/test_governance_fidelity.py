"""The governance findings of the fidelity reviews (issues 11 §5 and 18 items 1-5, 11, 14):
written consents measured against all the stock outstanding (Bylaws Art. II §11; DGCL §228),
quorum (Art. II §8) and the vote standard of each question (§9), record dates (Art. VI §5),
committees (Art. III §11), the removal of directors (Art. III §14; DGCL §141(k)), the plan
windows of Art. IV.B.3(d)(ii)(B), amending the right of first refusal (Art. VIII §1(g)), and
the actions of Art. IV.B.6(a)(iii), (b), (c)(ii), (d)(ii) and (e)(ii). Every figure is worked by
hand in the docstring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.ledger.fileformat import parse_event
from charter.replay import apply_entry
from charter.rules.approvals import (
    ApprovalsResult,
    Votes,
    action_ids,
    evaluate,
    required_approvals,
)
from charter.rules.consents import stockholder_consent
from charter.rules.tally import TallyInput, tally
from charter.state.model import State
from charter.state.rejection import Rejected
from charter.terms.loader import load_builtin, load_terms_file
from charter.terms.model import TermsSet
from tests.builders import state_with
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

D = dt.date
DIRECTORS = ["d1", "d2", "d3", "d4", "d5"]


def one(r: ApprovalsResult, approval_id: str):  # type: ignore[no-untyped-def]
    return next(a for a in r.approvals if a.id == approval_id)


def at_meeting(st: State, action: str, votes: Votes, series: str | None = None) -> ApprovalsResult:
    return evaluate(st, required_approvals(st, action, series), votes, DIRECTORS, 5)


def apply(st: State, raw: dict[str, Any]) -> None:
    entry, problems = parse_event(raw, 0)
    assert not problems and entry is not None, problems
    apply_entry(st, entry)


def common(quintus: TermsSet, **shares: int) -> State:
    return state_with(quintus, {h: {"common": n} for h, n in shares.items()}, directors=DIRECTORS)


# --- 11 §5: a written consent is measured against all the stock outstanding ------------------


def test_bylaws_art_ii_11_bylaw_consent_of_a_quarter_of_the_votes_is_not_enough(
    quintus: TermsSet,
) -> None:
    """Common p 250, q 750: 1,000 votes outstanding. A consent "signed by the holders of
    outstanding stock having not less than the minimum number of votes that would be
    necessary ... at a meeting at which all shares entitled to vote thereon were present and
    voted" (§11): the bylaws' vote is a majority of the stock present (§9), with all present
    more than 1,000 / 2 = 500, so 501. p's 250 fall short (the old rule measured p against
    the 250 that signed and found 126 needed); q's 750 carry it."""
    st = common(quintus, p=250, q=750)
    short = stockholder_consent(st, "amend_bylaws", {"p": D(1999, 10, 1)})
    a = one(short.result, "stockholders-bylaws")
    assert (a.for_, a.eligible, a.needed, a.met) == (250, 1000, 501, False)
    assert short.result.met is False
    enough = stockholder_consent(st, "amend_bylaws", {"q": D(1999, 10, 1)})
    assert one(enough.result, "stockholders-bylaws").met is True and enough.result.met is True


def test_bylaws_art_ii_11_recorded_bylaw_consent_short_of_half_is_refused(
    quintus: TermsSet,
) -> None:
    """The same consent recorded as a `stockholder_consent` event: p's 250 of 1,000 votes,
    501 needed: refused with the clause, nothing kept."""
    st = common(quintus, p=250, q=750)
    raw = {"date": "1999-10-02", "type": "stockholder_consent", "id": "sc",
           "action": "amend_bylaws", "consents": {"p": "1999-10-01"}}  # fmt: skip
    with pytest.raises(Rejected) as r:
        apply(st, raw)
    assert "250 of the 1,000 votes" in r.value.message and "501 are needed" in r.value.message
    assert st.stockholder_consents == []


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=5),
    signers=st.sets(st.integers(min_value=0, max_value=4)),
)
def test_bylaws_art_ii_11_every_consent_is_measured_one_way(
    quintus: TermsSet, shares: list[int], signers: set[int]
) -> None:
    """Brute force: holders h0..hn of common (one vote a share) and Series A (10 votes a
    share, Art. IV.B.5(c)); a consent to amend the bylaws and one to amend the certificate
    both need more than half of all the votes (Bylaws Art. II §9 with all present; DGCL
    §242(b)(1)), whoever signs. Counted here by hand from the shares, not by the rule."""
    holdings = {f"h{i}": {"common": n, "series_a": n % 3} for i, n in enumerate(shares) if n}
    if not holdings:
        return
    stt = state_with(quintus, holdings)
    signed = {h: D(1999, 10, 1) for h in holdings if int(h[1:]) in signers}
    if not signed:
        return
    total = sum(c["common"] + 10 * c["series_a"] for c in holdings.values())
    yes = sum(holdings[h]["common"] + 10 * holdings[h]["series_a"] for h in signed)
    for action, approval in (
        ("amend_bylaws", "stockholders-bylaws"),
        ("amend_certificate", "stockholders-242b1"),
    ):
        a = one(stockholder_consent(stt, action, signed).result, approval)
        assert (a.eligible, a.needed, a.for_) == (total, total // 2 + 1, yes)
        assert a.met is (2 * yes > total)


# --- every action of every terms set through consent, approvals and tally ---------------------


def terms_sets() -> list[TermsSet]:
    return [load_builtin("quintus"), load_terms_file(ROOT / "examples" / "venture-terms.yaml")]


def every_action() -> list[tuple[str, str, str]]:
    out = []
    for terms in terms_sets():
        for cert in terms.certificates:
            ids = [a.id for a in cert.actions]
            ids += [a for p in cert.protective_provisions for a in p.actions if a not in ids]
            out += [(terms.id, cert.id, a) for a in ids]
    return out


@pytest.mark.parametrize(("terms_id", "cert_id", "action"), every_action())
def test_every_action_goes_through_consent_approvals_and_tally(
    terms_id: str, cert_id: str, action: str
) -> None:
    """Each action id of each terms set (Quintus before and after the IPO; the Northwind
    example) passes through `approvals` (with and without votes), `consent` and a meeting's
    `tally` with a result or a sentence, never an internal error."""
    terms = next(t for t in terms_sets() if t.id == terms_id)
    cert = terms.certificate(cert_id)
    assert cert is not None
    holdings = {f"h-{c.id}": {c.id: 100} for c in cert.classes}
    stt = state_with(terms, holdings, certificate=cert_id, directors=DIRECTORS)
    series = next((c.id for c in cert.classes if c.kind == "preferred"), cert.common.id)
    everyone = list(holdings)
    try:
        r = required_approvals(stt, action, series)
    except CharterError as e:  # an action of the provisions only: one sentence
        assert "is not an action" in str(e)
        return
    assert evaluate(stt, r, None, DIRECTORS, 5).met is None
    met = evaluate(stt, r, Votes([*everyone, *DIRECTORS]), DIRECTORS, 5)
    assert isinstance(met.met, bool)
    try:
        c = stockholder_consent(stt, action, dict.fromkeys(everyone, D(1999, 10, 1)), series)
        assert isinstance(c.result.met, bool)
    except CharterError as e:
        assert str(e)
    data = TallyInput.model_validate(
        {
            "date": "1999-10-20",
            "items": [{"id": "q", "action": action, "series": series}],
            "ballots": [{"holder": h, "item": "q", "vote": "for"} for h in everyone],
        }
    )
    try:
        t = tally(stt, data, "meeting.yaml")
        assert isinstance(t.items[0].passed, bool)
    except CharterError as e:
        assert "needs no vote of the stockholders" in str(e) or "not an action" in str(e)


def test_cli_consent_to_amend_the_bylaws_no_longer_crashes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The README's tour: `charter consent --action amend_bylaws` crashed with KeyError
    'board'. redwood-iii signs: 58,600,000 of the example's 226,977,500 votes (charter votes
    of examples/quintus.yaml); more than half is 113,488,751: not met, with the figures."""
    f = tmp_path / "consents.yaml"
    f.write_text("redwood-iii: 1999-10-31\n")
    code, out, err = run_cli(
        capsys,
        "consent",
        "--action",
        "amend_bylaws",
        "--consents",
        str(f),
        "--ledger",
        str(ROOT / "examples" / "quintus.yaml"),
    )
    assert code == 0, err
    flat = " ".join(out.split())
    assert "58,600,000 of 226,977,500" in flat and "113,488,751 needed: NOT met" in flat


# --- 18.1 quorum, 18.2 the vote standard of each question -----------------------------------


def test_bylaws_art_ii_8_approvals_at_a_meeting_need_a_quorum(quintus: TermsSet) -> None:
    """Common p 1,000, q 1,500, r 2,500: 5,000 votes. A quorum is 50% of them, 2,500 (§8).
    p alone for: 1,000 present, no quorum: nothing decided, though p is all who came. p for
    and q abstaining: 2,500 present, a quorum; a majority of the stock present is more than
    1,250, 1,251 (§9): p's 1,000 fail. p and q for: 2,500 of 2,500: met."""
    stt = common(quintus, p=1000, q=1500, r=2500)
    alone = at_meeting(stt, "amend_bylaws", Votes(["p"]))
    assert alone.quorum is not None
    assert (alone.quorum.needed, alone.quorum.present, alone.quorum.met) == (2500, 1000, False)
    assert one(alone, "stockholders-bylaws").met is False
    quorate = at_meeting(stt, "amend_bylaws", Votes(["p"], abstain=["q"]))
    a = one(quorate, "stockholders-bylaws")
    assert (a.eligible, a.needed, a.for_, a.met) == (2500, 1251, 1000, False)
    both = one(at_meeting(stt, "amend_bylaws", Votes(["p", "q"])), "stockholders-bylaws")
    assert both.met is True


def meeting(item: dict[str, Any], *ballots: tuple[str, str]) -> dict[str, Any]:
    return {"date": "1999-10-20", "type": "meeting_result", "id": "special",
            "items": [item], "ballots": [{"holder": h, "item": item["id"], "vote": v}
                                         for h, v in ballots]}  # fmt: skip


def test_bylaws_art_ii_9_a_merger_at_a_meeting_needs_a_majority_of_the_outstanding(
    quintus: TermsSet,
) -> None:
    """Common p 2,000, q 1,000, r 2,000: 5,000 votes. p for, q against: 3,000 present, a
    quorum (2,500). The bylaws' majority of the stock present (more than 1,500) would pass
    it; but DGCL §251(c) requires "a majority of the outstanding stock", which §9 yields to:
    more than 2,500, 2,501. p's 2,000 fail. No preferred is outstanding, so 6(b) is not
    asked. The same ballots as a plain question pass (2,000 >= 1,501)."""
    stt = common(quintus, p=2000, q=1000, r=2000)
    apply(stt, meeting({"id": "m", "action": "merger"}, ("p", "for"), ("q", "against")))
    [m] = stt.meeting_results
    [item] = m.outcome["items"]
    assert item["action"] == "merger" and item["passed"] is False
    [a] = item["approvals"]
    assert (a["id"], a["eligible"], a["needed"], a["for"]) == (
        "stockholders-251c",
        5000,
        2501,
        2000,
    )
    stt = common(quintus, p=2000, q=1000, r=2000)
    apply(stt, meeting({"id": "plain"}, ("p", "for"), ("q", "against")))
    [plain] = stt.meeting_results[0].outcome["items"]
    assert (plain["needed"], plain["passed"]) == (1501, True)


def test_bylaws_art_ii_9_tally_and_approvals_agree_on_an_amendment(quintus: TermsSet) -> None:
    """Series A p 30 (300 votes), q 10 (100), common c 600: 1,000 votes. An amendment of the
    participation of Series E/F names no E or F outstanding, so 6(d)/(e) are not asked;
    DGCL §242(b)(1): more than 500 of all 1,000. p and c for: 900: passes at a meeting, as
    `approvals` says for the same votes; p alone: 300: both fail."""
    stt = state_with(quintus, {"p": {"series_a": 30}, "q": {"series_a": 10}, "c": {"common": 600}})
    for voters, expected in ((["p", "c"], True), (["p"], False)):
        data = TallyInput.model_validate(
            {
                "date": "1999-10-20",
                "items": [{"id": "x", "action": "amend_participation"}],
                "ballots": [{"holder": h, "item": "x", "vote": "for"} for h in voters]
                + [{"holder": "q", "item": "x", "vote": "against"}],
            }
        )
        t = tally(stt, data, "m.yaml")
        ap = at_meeting(stt, "amend_participation", Votes(voters, ["q"])).stockholders_part()
        assert t.items[0].passed is expected and ap.met is expected
        tallied = t.items[0].decided
        assert tallied is not None
        assert [(a.id, a.for_, a.needed) for a in tallied.approvals] == [
            (a.id, a.for_, a.needed) for a in ap.approvals
        ]


# --- 18.3 record dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record_date", "paid", "sentence"),
    [
        # 1999-10-01 declared: a record date of 1999-09-30 precedes it (DGCL §213(a))
        ("1999-09-30", None, "precedes the resolution fixing it (1999-10-01)"),
        # paid 2000-04-01, record 1999-10-01: 183 days (30 + 30 + 31 + 31 + 29 + 31 + 1)
        ("1999-10-01", "2000-04-01", "183 days before payment (2000-04-01)"),
        # paid 1999-12-01, record 1999-10-01: 61 days (30 + 31), one more than 60
        ("1999-10-01", "1999-12-01", "61 days before payment (1999-12-01)"),
    ],
)
def test_bylaws_art_vi_5_dividend_record_dates_are_checked(
    quintus: TermsSet, record_date: str, paid: str | None, sentence: str
) -> None:
    stt = common(quintus, p=10)
    raw = {"date": "1999-10-01", "type": "dividend", "kind": "cash",
           "per_share": {"common": "0.10"}, "record_date": record_date, "paid_date": paid}  # fmt: skip
    with pytest.raises(Rejected) as r:
        apply(stt, raw)
    assert sentence in r.value.message and r.value.field == "record_date"
    assert stt.dividends == []


def test_bylaws_art_vi_5_dividend_record_date_sixty_days_before_payment(quintus: TermsSet) -> None:
    """Record 1999-10-01, paid 1999-11-30: 30 + 30 = 60 days, at the limit: accepted."""
    stt = common(quintus, p=10)
    apply(stt, {"date": "1999-10-01", "type": "dividend", "kind": "cash",
                "per_share": {"common": "0.10"}, "record_date": "1999-10-01",
                "paid_date": "1999-11-30"})  # fmt: skip
    assert len(stt.dividends) == 1


def test_bylaws_art_vi_5_tally_record_date_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A meeting on 2000-03-15 with the record date 100 days before (1999-12-06: 15 + 29 +
    31 + 25 = 100) or 5 days before (2000-03-10): both outside 10-60 days (2000-01-15 to
    2000-03-05); one sentence each, exit 1."""
    f = tmp_path / "m.yaml"
    f.write_text("date: 2000-03-15\nitems: [{id: x}]\nballots: []\n")
    ledger = str(ROOT / "examples" / "quintus.yaml")
    for rd in ("1999-12-06", "2000-03-10"):
        code, _, err = run_cli(capsys, "tally", str(f), "--record-date", rd, "--ledger", ledger)
        assert code == 1 and "is not between 2000-01-15 and 2000-03-05" in " ".join(err.split())


# --- 18.4 committees ------------------------------------------------------------------------


AMENDMENTS = [
    "change_authorized_preferred",
    "adverse_change_preferred",
    "adverse_change_one_series",
    "amend_protective_provisions",
    "amend_participation",
    "amend_series_e_auto_conversion",
    "amend_series_f_auto_conversion",
    "amend_certificate",
]


@pytest.mark.parametrize("action", AMENDMENTS)
def test_bylaws_art_iii_11_no_committee_amends_the_certificate(
    quintus: TermsSet, action: str
) -> None:
    """ "No such committee shall have the power or authority in reference to amending the
    certificate of incorporation": every one of these actions amends it."""
    stt = state_with(quintus, {"p": {"series_b": 1}}, directors=DIRECTORS)
    r = required_approvals(stt, action, "series_b")
    assert r.committee == "may not (amend_certificate)"


def test_bylaws_art_iii_11_every_amendment_is_marked_as_one(quintus: TermsSet) -> None:
    """Independently of the `acts` the committee rule reads: every action whose approvals
    include the DGCL §242 vote of an amendment is marked as amending the certificate."""
    for cert in quintus.certificates:
        for a in cert.actions:
            if any("§242" in r.citation for r in a.approvals):
                assert "amend_certificate" in a.acts, (cert.id, a.id)


def test_bylaws_art_iii_11_and_2_whole_board_and_directors_in_office_not_a_committee(
    quintus: TermsSet,
) -> None:
    """Designating a committee needs "a majority of the whole board" (§11), filling a vacancy
    "a majority of the directors then in office" (§2): not a committee. A dividend or an
    issue of stock only if the resolution expressly so provides."""
    stt = state_with(quintus, {"p": {"common": 1}}, directors=DIRECTORS)
    assert required_approvals(stt, "designate_committee").committee == (
        "may not (the bylaws give it to a majority of the whole board)"
    )
    assert required_approvals(stt, "fill_vacancy").committee == (
        "may not (the bylaws give it to a majority of the directors in office)"
    )
    assert required_approvals(stt, "declare_dividend").committee.startswith("only if")


# --- 11 §5 removal of directors --------------------------------------------------------------


def test_art_iv_b_5a_each_seat_group_removes_its_director_in_the_voting_shift_period(
    quintus: TermsSet,
) -> None:
    """Series A 10 shares (10 votes each: 100), Series C 5 (14 each: 70), common 1,000:
    the preferred's 170 of 1,170 votes are not more than half: a Voting Shift Period (5(a)).
    The Series A director is elected by A and B voting as a class (5(a)(ii)): removed by them,
    100 votes, more than half 51. Common elects the rest (5(a)(iii)): 1,000, 501. Series C
    its seat: 70, 36."""
    stt = state_with(quintus, {"a": {"series_a": 10}, "c": {"series_c": 5}, "x": {"common": 1000}})
    for series, group, eligible, need in (
        ("series_a", ["series_a", "series_b"], 100, 51),
        ("common", ["common"], 1000, 501),
        ("series_c", ["series_c"], 70, 36),
    ):
        r = evaluate(stt, required_approvals(stt, "remove_director", series), None, [], 5)
        a = one(r, "stockholders-141k")
        assert (a.group, a.eligible, a.needed) == (group, eligible, need), series


def test_art_iv_b_5b_outside_the_period_series_c_alone_and_everyone_else_together(
    quintus: TermsSet,
) -> None:
    """Common 10 instead: 170 of 180 votes, no Voting Shift Period. The Series C director
    (5(b)): Series C alone, 70, 36. Any other director is elected by all classes together,
    so a Series A or Common holder's director is removed by all 180: 91. Under the reading
    `separate-director-removal=all-classes` the Series C director too: 91."""
    stt = state_with(quintus, {"a": {"series_a": 10}, "c": {"series_c": 5}, "x": {"common": 10}})
    for series, eligible, need in (
        ("series_c", 70, 36),
        ("series_a", 180, 91),
        ("common", 180, 91),
    ):
        r = evaluate(stt, required_approvals(stt, "remove_director", series), None, [], 5)
        assert (one(r, "stockholders-141k").eligible, one(r, "stockholders-141k").needed) == (
            eligible,
            need,
        )
    reading = {"separate-director-removal": "all-classes"}
    r = required_approvals(stt, "remove_director", "series_c", reading)
    r = evaluate(stt, r, None, [], 5, reading)
    assert one(r, "stockholders-141k").eligible == 180


# --- 18.5 plans between the Series E and F Purchase Dates -----------------------------------


def test_art_iv_b_3d_ii_b_no_approval_excepts_a_plan_between_e_and_f(quintus: TermsSet) -> None:
    """A plan approved by the board before the Series E Purchase Date is excepted; after the
    Series F Purchase Date with the holders of A-D and F. With Series E issued (Purchase
    Date 1999-01-01) and no Series F, neither window is open on 1999-10-01: the approvals
    say so. Before any Series E: no note."""
    stt = state_with(quintus, {"e": {"series_e": 1}}, purchased=["series_e"])
    r = required_approvals(stt, "adopt_employee_plan")
    assert [a.id for a in r.approvals] == ["board"]
    [note] = r.notes
    assert "on or after the series_e Purchase Date (1999-01-01)" in note
    assert "not after the series_f Purchase Date" in note and "Additional Stock" in note
    assert (
        required_approvals(state_with(quintus, {"c": {"common": 1}}), "adopt_employee_plan").notes
        == []
    )


# --- 18.11 amending the right of first refusal; 18.14 the missing actions --------------------


def test_bylaws_art_viii_1g_rofr_amended_by_the_board_or_a_written_majority(
    quintus: TermsSet,
) -> None:
    """Common p 600, q 400. By the board alone (3 of 5 directors for): amended. By the
    stockholders "upon the express written consent of the owners of a majority of the
    voting power": p's 600 of 1,000 > 500 by written consent: met; the same 600 voted at a
    meeting is not a written consent: not met."""
    stt = common(quintus, p=600, q=400)
    board = at_meeting(stt, "amend_rofr", Votes(["d1", "d2", "d3"]))
    assert one(board, "board").met is True and board.met is True
    written = stockholder_consent(stt, "amend_rofr", {"p": D(1999, 10, 1)})
    a = one(written.result, "stockholders-rofr")
    assert (a.eligible, a.needed, a.for_, a.met) == (1000, 501, 600, True)
    voted = at_meeting(stt, "amend_rofr", Votes(["p"], ["q"]))
    assert one(voted, "stockholders-rofr").met is False


def test_art_iv_b_6c_ii_6d_ii_6e_ii_amending_the_protections_themselves(
    quintus: TermsSet,
) -> None:
    """6(c)(ii): amending 6(c) needs a majority of the shares of the affected series (Series
    B m 50, n 50: 51). 6(d)(ii): 60% of the Series E (x 60 of 100: met at the line). 6(e)(ii):
    60% of the Series F (f 59 of 100: short)."""
    stt = state_with(
        quintus,
        {"m": {"series_b": 50}, "n": {"series_b": 50}, "x": {"series_e": 60},
         "y": {"series_e": 40}, "f": {"series_f": 59}, "g": {"series_f": 41}},
    )  # fmt: skip
    c = one(at_meeting(stt, "amend_section_6c", Votes(["m"]), "series_b"), "protective-6c")
    assert (c.group, c.needed, c.for_, c.citation) == (["series_b"], 51, 50, "Art. IV.B.6(c)(ii)")
    d = one(
        evaluate(
            stt, required_approvals(stt, "amend_section_6d"), Votes(["x"], written=True), [], 5
        ),
        "protective-6d",
    )
    assert (d.needed, d.met, d.citation) == (60, True, "Art. IV.B.6(d)(ii)")
    e = one(
        evaluate(
            stt, required_approvals(stt, "amend_section_6e"), Votes(["f"], written=True), [], 5
        ),
        "protective-6e",
    )
    assert (e.needed, e.met) == (60, False)


def test_art_iv_b_6a_iii_repurchase_of_common_reading(quintus: TermsSet) -> None:
    """A repurchase of Common (--series common): "any other class ... prior to" the
    preferred. Read as time (default), Common is repurchased before the preferred: 6(a)'s
    75% is asked. Read as rank, Common ranks after the preferred in liquidation: not asked.
    A repurchase of Series A is not of an "other" class: not asked under either."""
    stt = state_with(quintus, {"a": {"series_a": 1}, "c": {"common": 1}})

    def ids(series: str, reading: str | None = None) -> list[str]:
        chosen = {"repurchase-prior-to": reading} if reading else None
        return [
            a.id for a in required_approvals(stt, "redeem_junior_stock", series, chosen).approvals
        ]

    assert ids("common") == ["board", "protective-6a"]
    assert ids("common", "ranking") == ["board"]
    assert ids("series_a") == ["board"]
    assert (
        "repurchase-prior-to"
        in required_approvals(stt, "redeem_junior_stock", "common").trace.interpretations
    )


def test_art_iv_b_6b_merger_into_reading(quintus: TermsSet) -> None:
    """6(b) "merge into"; 2(c) "with or into". A merger the company survives: by default
    (into-only) the preferred's 6(b) majority is not asked; read as 2(c), it is."""
    stt = state_with(quintus, {"a": {"series_a": 1}, "c": {"common": 1}})
    plain = [a.id for a in required_approvals(stt, "merger_surviving").approvals]
    assert plain == ["board", "stockholders-251c"]
    wide = required_approvals(stt, "merger_surviving", None, {"merger-into": "with-or-into"})
    assert [a.id for a in wide.approvals] == ["board", "stockholders-251c", "protective-6b"]


def test_every_action_is_listed(quintus: TermsSet) -> None:
    """The new actions are among those `charter approvals` offers."""
    stt = state_with(quintus, {"c": {"common": 1}})
    assert {"amend_rofr", "amend_section_6c", "amend_section_6d", "amend_section_6e",
            "merger_surviving"} <= set(action_ids(stt))  # fmt: skip


# --- Bylaws Art. IV §2: waivers of notice; the items shorthand -------------------------------


def late_meeting(**more: Any) -> dict[str, Any]:
    """Annual meeting 2000-03-15; notice mailed 2000-03-10, 5 days before: outside 10-60."""
    return {"date": "2000-03-15", "type": "meeting_result", "id": "annual",
            "items": ["plan"], "notice_date": "2000-03-10",
            "ballots": [{"holder": "p", "item": "plan", "vote": "for"}], **more}  # fmt: skip


def test_bylaws_art_iv_2_late_notice_needs_every_absent_holders_written_waiver(
    quintus: TermsSet,
) -> None:
    """Common p 600, q 400. Notice mailed 5 days before the meeting is outside the window of
    Art. II §3 (2000-01-15 to 2000-03-05). p attends (DGCL §229); q neither attends nor
    waives: refused, naming q. With q's written waiver, signed after the meeting ("before or
    after the time stated therein"), the meeting stands: p's 600 of 600 present pass it."""
    stt = common(quintus, p=600, q=400)
    with pytest.raises(Rejected) as r:
        apply(stt, late_meeting())
    assert "q neither waived notice in writing nor attended" in r.value.message
    assert r.value.field == "notice_date" and "Bylaws Art. IV §2" in (r.value.citation or "")
    apply(stt, late_meeting(waivers={"q": "2000-03-20"}))
    [m] = stt.meeting_results
    assert m.outcome["items"][0]["passed"] is True


def test_bylaws_art_iv_2_a_waiver_by_a_stranger_is_refused(quintus: TermsSet) -> None:
    stt = common(quintus, p=600, q=400)
    with pytest.raises(Rejected, match="ghost signed a waiver of notice"):
        apply(stt, late_meeting(waivers={"q": "2000-03-20", "ghost": "2000-03-20"}))


def test_art_iv_b_6b_a_merger_at_a_meeting_needs_the_series_vote_too(quintus: TermsSet) -> None:
    """Series A p 30 (300 votes), q 10 (100); common c 600: 1,000 votes. A merger needs more
    than 500 of all (DGCL §251(c)) and more than half of the preferred's 400, 201 (6(b)).
    p and c for: 900 and 300: passed. c alone (q against): 600 of 1,000 carries §251(c) but
    the preferred gave 0 of 201: failed."""
    stt = state_with(quintus, {"p": {"series_a": 30}, "q": {"series_a": 10}, "c": {"common": 600}})

    def decide(*ballots: tuple[str, str]) -> dict[str, Any]:
        data = TallyInput.model_validate(
            {
                "date": "1999-10-20",
                "items": [{"id": "m", "action": "merger"}],
                "ballots": [{"holder": h, "item": "m", "vote": v} for h, v in ballots],
            }
        )
        t = tally(stt, data, "m.yaml")
        return {a.id: (a.for_, a.needed, a.met) for a in t.items[0].decided.approvals} | {  # type: ignore[union-attr]
            "passed": t.items[0].passed
        }

    assert decide(("p", "for"), ("c", "for")) == {
        "stockholders-251c": (900, 501, True),
        "protective-6b": (300, 201, True),
        "passed": True,
    }
    assert decide(("c", "for"), ("q", "against"))["protective-6b"] == (0, 201, False)
    assert decide(("c", "for"), ("q", "against"))["passed"] is False


@pytest.mark.parametrize(
    ("action", "citation"),
    [
        ("adverse_change_preferred", "Art. IV.B.6(a)(iv)"),
        ("amend_protective_provisions", "Art. IV.B.6(a)(v)"),
    ],
)
def test_art_iv_b_6a_iv_and_v_seventy_five_percent_of_the_preferred(
    quintus: TermsSet, action: str, citation: str
) -> None:
    """Series A p 30, q 10: 300 + 100 = 400 votes. At least 75% of them: 300. p alone by
    written consent: 300, met at the line; q: 100, not."""
    stt = state_with(quintus, {"p": {"series_a": 30}, "q": {"series_a": 10}})
    for who, met in (("p", True), ("q", False)):
        c = stockholder_consent(stt, action, {who: D(1999, 10, 1)})
        a = one(c.result, "protective-6a")
        assert (a.eligible, a.needed, a.met, a.citation) == (400, 300, met, citation)


def test_bylaws_art_iii_11_designating_a_committee_needs_a_majority_of_the_whole_board(
    quintus: TermsSet,
) -> None:
    """Whole board of 5: more than 2.5, 3 directors, however many attend. d1, d2 for and d3
    against at a meeting of three: a majority of those present, but 2 of the 3 needed: not
    designated; d1-d3 for: designated."""
    stt = state_with(quintus, {"p": {"common": 1}}, directors=DIRECTORS)
    two = one(at_meeting(stt, "designate_committee", Votes(["d1", "d2"], ["d3"])), "board-whole")
    assert (two.eligible, two.needed, two.met) == (5, 3, False)
    three = one(at_meeting(stt, "designate_committee", Votes(["d1", "d2", "d3"])), "board-whole")
    assert three.met is True


def test_post_ipo_art_v_and_viii_bylaws_by_the_board_or_at_a_meeting_not_by_consent(
    quintus: TermsSet,
) -> None:
    """After the IPO the board may amend the bylaws (Post-IPO Art. V); the stockholders only
    at a meeting, the certificate forbidding written consent (Post-IPO Art. VIII). Common p
    600, q 400: p for at a meeting with q present: 600 of 1,000 present, more than 500: met."""
    stt = state_with(quintus, {"p": {"common": 600}, "q": {"common": 400}}, certificate="post-ipo")
    with pytest.raises(CharterError, match="may not act by written consent"):
        stockholder_consent(stt, "amend_bylaws", {"p": D(1999, 10, 1)})
    r = at_meeting(stt, "amend_bylaws", Votes(["p"], ["q"]))
    assert one(r, "stockholders-bylaws").met is True and r.met is True
