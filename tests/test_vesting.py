"""Vesting schedules, service ending and the plan's pool (spec/ledger-format.md, "Equity
plans"), worked by hand; and a per-share simulation that checks the state's counts after any
sequence of events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.ledger.events import Vesting
from charter.ledger.fileformat import parse_event
from charter.state import vesting
from charter.state.model import State
from tests.ledgers.builder import BASE, grant, run

D = dt.date.fromisoformat
PLAN = {"date": "2000-02-01", "type": "adopt_plan", "id": "plan", "shares": 1_000_000}
SCHEDULE = {"start": "2000-03-15", "months": 48, "cliff_months": 12}


def option(shares: int = 48_001, gid: str = "o1", **kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "option",
        "plan": "plan",
        "exclusion": "employee-plan",
        "vesting": SCHEDULE,
    }
    fields.update(kw)
    return grant("2000-03-15", gid, "emp", shares, "0.10", **fields)


def ev(date: str, type_: str, **kw: Any) -> dict[str, Any]:
    return {"date": date, "type": type_, **kw}


def state(*extra: dict[str, Any], until: str | None = None) -> State:
    return run([*BASE, PLAN, *extra], until=until)


def refused(*extra: dict[str, Any]) -> str:
    with pytest.raises(CharterError) as e:
        state(*extra)
    assert len(e.value.problems) == 1
    return e.value.problems[0].sentence()


def test_a_month_from_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    """The spec: 2000-01-31 plus one month is 2000-02-29 (2000 is a leap year); plus two is
    2000-03-31, counted from the start, not from February."""
    assert vesting.add_months(D("2000-01-31"), 1) == D("2000-02-29")
    assert vesting.add_months(D("2000-01-31"), 2) == D("2000-03-31")
    assert vesting.add_months(D("1999-01-31"), 13) == D("2000-02-29")
    assert vesting.whole_months(D("2000-01-31"), D("2000-02-28")) == 0
    assert vesting.whole_months(D("2000-01-31"), D("2000-02-29")) == 1


def test_four_years_monthly_with_a_one_year_cliff_on_48001_shares() -> None:
    """48,001 shares from 2000-03-15, 48 months, a 12-month cliff, monthly after it.
    Cumulative, rounded down: after m months floor(48,001 x m / 48).
    - 2001-03-14, the day before the cliff: 11 whole months < 12: 0.
    - 2001-03-15, the cliff: 48,001 x 12 / 48 = 12,000.25, so 12,000.
    - 2001-04-15, month 13: 48,001 x 13 / 48 = 13,000.27..., so 13,000 (an installment of
      1,000; the quarter share of the cliff is still held back).
    - 2004-02-15, month 47: 48,001 x 47 / 48 = 47,000.97..., so 47,000.
    - 2004-03-15, the end: the last installment takes the rest: 48,001 (1,001 that month)."""
    s = state(option())
    g = s.grants["o1"]
    assert vesting.vested(g, D("2001-03-14")) == 0
    assert vesting.vested(g, D("2001-03-15")) == 12_000
    assert vesting.vested(g, D("2001-04-15")) == 13_000
    assert vesting.vested(g, D("2001-04-14")) == 12_000
    assert vesting.vested(g, D("2004-02-15")) == 47_000
    assert vesting.vested(g, D("2004-03-15")) == 48_001
    assert vesting.vested(g, D("2010-01-01")) == 48_001
    assert vesting.next_vesting(g, D("2000-06-01")) == D("2001-03-15")
    assert vesting.next_vesting(g, D("2004-03-15")) is None


def test_installments_every_three_months_after_the_cliff() -> None:
    """10,000 shares over 24 months, cliff 6, every 3 months: at month 6 the two installments
    due (months 3 and 6) vest: 10,000 x 6 / 24 = 2,500; month 8 still 2,500; month 9:
    10,000 x 9 / 24 = 3,750; month 24: 10,000."""
    s = state(
        option(10_000, vesting={"start": "2000-03-15", "months": 24, "cliff_months": 6,
                                "every_months": 3})
    )  # fmt: skip
    g = s.grants["o1"]
    assert vesting.vested(g, D("2000-09-14")) == 0
    assert vesting.vested(g, D("2000-09-15")) == 2_500
    assert vesting.vested(g, D("2000-11-15")) == 2_500
    assert vesting.vested(g, D("2000-12-15")) == 3_750
    assert vesting.vested(g, D("2002-03-15")) == 10_000


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ({"months": 0}, "months must be 1 or more"),
        ({"months": 12, "cliff_months": 13}, "the cliff (13 months) must be between 0"),
        ({"months": 12, "every_months": 0}, "installments every 0 months"),
        ({"months": 12, "single_trigger": 0.5}, "binary float"),
        ({"months": 12, "double_trigger": "3/2"}, "between 0 and 1"),
        ({"months": "12"}, "valid integer"),
    ],
)
def test_a_schedule_that_does_not_add_up_is_refused(block: dict[str, Any], words: str) -> None:
    """One sentence naming the event and the field."""
    entry, problems = parse_event(option(vesting=block), 7)
    assert entry is None and len(problems) == 1
    text = problems[0].sentence()
    assert words in text and text.startswith("event 7 (o1): vesting")


def test_a_free_text_vesting_is_a_note_and_the_grant_is_exercisable_in_full() -> None:
    """The spec: a free-text `vesting` is a note only; the grant is exercisable in full."""
    s = state(option(vesting="25% after a year, then monthly"))
    g = s.grants["o1"]
    assert g.schedule is None and g.vesting_note == "25% after a year, then monthly"
    assert vesting.exercisable(g, D("2000-03-15")) == 48_001
    from charter.rules.captable import captable

    (warning,) = [w for w in captable(s).warnings if "o1" in w]
    assert "free text, a note only; it is treated as exercisable in full" in warning


def test_exercise_of_unvested_shares_without_early_exercise_is_refused() -> None:
    """At the cliff 12,000 are vested; 12,001 cannot be exercised."""
    text = refused(option(), ev("2001-03-15", "exercise", grant="o1", shares=12_001))
    assert "event 4" in text and "shares" in text
    assert "12,000 are vested and unexercised on 2001-03-15" in text
    state(option(), ev("2001-03-15", "exercise", grant="o1", shares=12_000))


def test_early_exercise_gives_restricted_shares_that_keep_vesting_and_are_repurchasable() -> None:
    """48,001 early-exercisable shares, all exercised at the grant: all restricted. At the
    cliff 12,000 have vested, 36,001 are restricted. Service ends 2001-06-01 (month 14:
    floor(48,001 x 14 / 48) = 14,000 vested): 34,001 restricted shares are repurchasable at
    cost; the company buys them back; they return to the plan (available 1,000,000 - 48,001
    + 34,001 = 986,000)."""
    early = {**SCHEDULE, "early_exercise": True}
    s = state(option(vesting=early), ev("2000-03-15", "exercise", grant="o1", shares=48_001))
    g = s.grants["o1"]
    assert vesting.restricted(g, D("2001-03-15")) == 36_001
    done = state(
        option(vesting=early),
        ev("2000-03-15", "exercise", grant="o1", shares=48_001),
        ev("2001-06-01", "service_end", holder="emp"),
        ev("2001-06-02", "repurchase", holder="emp", **{"class": "common"}, shares=34_001,
           price="0.10"),
    )  # fmt: skip
    g = done.grants["o1"]
    assert vesting.vested(g, D("2005-01-01")) == 14_000
    assert g.repurchased == 34_001 and vesting.restricted(g, D("2005-01-01")) == 0
    assert done.held("emp", "common") == 14_000
    assert done.plans["plan"].available == 986_000


def test_service_end_lapses_the_unvested_and_the_vested_after_the_plan_period() -> None:
    """Service ends 2001-06-01, month 14: 14,000 vested, 34,001 lapse at once. The plan's
    90 days run to 2001-08-30 (June 30 + July 31 + 29 days of August = 90 days after June 1);
    the 14,000 may be exercised through that day and lapse after it, with no event."""
    s = state(option(), ev("2001-06-01", "service_end", holder="emp", reason="voluntary"))
    g = s.grants["o1"]
    assert (g.lapsed_unvested, g.outstanding, g.exercisable_until) == (34_001, 14_000,
                                                                       D("2001-08-30"))  # fmt: skip
    assert s.plans["plan"].returned == 34_001
    on_last_day = state(
        option(), ev("2001-06-01", "service_end", holder="emp"),
        ev("2001-08-30", "exercise", grant="o1", shares=1_000),
    )  # fmt: skip
    assert on_last_day.grants["o1"].exercised == 1_000
    later = state(option(), ev("2001-06-01", "service_end", holder="emp"), until="2001-08-31")
    assert later.grants["o1"].outstanding == 0 and later.grants["o1"].expired == 48_001
    assert later.plans["plan"].returned == 48_001
    text = refused(
        option(), ev("2001-06-01", "service_end", holder="emp"),
        ev("2001-08-31", "exercise", grant="o1", shares=1),
    )  # fmt: skip
    assert "has 0 shares outstanding" in text


def test_a_grant_sets_its_own_post_termination_period() -> None:
    """The grant's 30 days override the plan's 90: 2001-06-01 + 30 = 2001-07-01."""
    s = state(option(post_termination_days=30), ev("2001-06-01", "service_end", holder="emp"))
    assert s.grants["o1"].exercisable_until == D("2001-07-01")


def test_service_end_for_a_holder_with_nothing_is_refused() -> None:
    text = refused(ev("2001-06-01", "service_end", holder="angel"))
    assert "angel holds no outstanding option, warrant or restricted stock" in text
    assert "holder" in text


def test_performance_vesting_by_vest_events_and_a_vest_beyond_the_unvested_refused() -> None:
    """Performance: nothing vests by time; 10,000 vest by the event, then 38,001 are
    unvested, so 38,002 more cannot vest."""
    perf = {"months": 48, "performance": True}
    s = state(option(vesting=perf), ev("2001-01-01", "vest", grant="o1", shares=10_000))
    assert vesting.vested(s.grants["o1"], D("2009-01-01")) == 10_000
    text = refused(
        option(vesting=perf),
        ev("2001-01-01", "vest", grant="o1", shares=10_000),
        ev("2001-02-01", "vest", grant="o1", shares=38_002),
    )
    assert "38,001 unvested shares on 2001-02-01; 38,002 cannot vest" in text


def test_acceleration_by_the_board_takes_the_last_installments() -> None:
    """At the cliff (12,000 vested, 36,001 unvested) the board accelerates half the unvested:
    floor(36,001 / 2) = 18,000. Vested 30,000; a month later 13,000 + 18,000 = 31,000; the
    whole grant is vested at month 30 (floor(48,001 x 30 / 48) = 30,000, + 18,000 = 48,000),
    and in full at month 31 (31,000 + 18,000 > 48,001)."""
    s = state(option(), ev("2001-03-15", "acceleration", grant="o1", fraction="1/2"))
    g = s.grants["o1"]
    assert vesting.vested(g, D("2001-03-15")) == 30_000
    assert vesting.vested(g, D("2001-04-15")) == 31_000
    assert vesting.vested(g, D("2002-09-15")) == 48_000
    assert vesting.vested(g, D("2002-10-15")) == 48_001


def test_a_grant_beyond_the_pool_is_refused_and_plan_amend_adds_room() -> None:
    """The plan reserves 1,000,000; 48,001 granted leaves 951,999; a grant of 952,000 is
    refused; a plan_amend of 1 share makes room."""
    text = refused(option(), option(952_000, gid="o2"))
    assert "951,999 are available; 952,000 more cannot be granted" in text
    s = state(option(), ev("2000-03-15", "plan_amend", plan="plan", shares=1), option(952_000,
              gid="o2"))  # fmt: skip
    assert s.plans["plan"].available == 0
    text = refused(ev("2000-03-15", "plan_amend", plan="plan", shares=-1_000_001))
    assert "1,000,000 shares available for grant; 1,000,001 cannot be removed" in text


def test_restricted_stock_issue_vests_and_is_repurchasable_when_service_ends() -> None:
    """120,000 restricted common at $0.01 on 24 months monthly from 2000-03-01; service ends
    2001-03-01 (12 months: 60,000 vested): 60,000 repurchasable at cost."""
    from charter.state.plans import repurchasable

    rs = {"date": "2000-03-01", "type": "issue", "id": "rs-1", "holder": "emp",
          "class": "common", "shares": 120_000, "price": "0.01",
          "vesting": {"months": 24}}  # fmt: skip
    s = state(rs, ev("2001-03-01", "service_end", holder="emp"))
    assert repurchasable(s, "emp", "common", D("2001-03-01")) == 60_000
    assert vesting.stock_vested(s.restricted["rs-1"], D("2005-01-01")) == 60_000


# --- a per-share simulation against the state's counts -----------------------------------


class Shares:
    """The grant share by share (the second, independent computation): each share is
    'unvested', 'vested', 'lapsed-unvested' or 'lapsed-vested', and exercised or not."""

    def __init__(self, n: int) -> None:
        self.vest = ["unvested"] * n
        self.exercised = [False] * n

    def count(self, *status: str) -> int:
        return sum(self.vest.count(x) for x in status)

    def vest_to(self, target: int) -> None:
        """Vest unvested shares in order until `target` shares have vested."""
        for i, v in enumerate(self.vest):
            if self.count("vested", "lapsed-vested") >= target:
                return
            if v == "unvested":
                self.vest[i] = "vested"

    def lapse(self, indexes: list[int]) -> None:
        for i in indexes:
            self.vest[i] = "lapsed-" + self.vest[i]

    def live(self, status: str) -> list[int]:
        return [i for i, v in enumerate(self.vest) if v == status and not self.exercised[i]]


ACTIONS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),  # months after the grant
        st.sampled_from(["exercise", "vest", "accelerate", "service_end", "expire"]),
        st.integers(min_value=1, max_value=100),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shares=st.integers(min_value=1, max_value=500),
    months=st.integers(min_value=1, max_value=48),
    cliff=st.integers(min_value=0, max_value=48),
    every=st.integers(min_value=1, max_value=12),
    performance=st.booleans(),
    actions=ACTIONS,
)
def test_vested_is_monotone_capped_and_every_share_is_accounted_for(
    shares: int,
    months: int,
    cliff: int,
    every: int,
    performance: bool,
    actions: list[tuple[int, str, int]],
) -> None:
    """Vested never falls as time passes and never exceeds the grant; and after any sequence
    of events vested + lapsed + outstanding unvested = granted, each count equal to a share-
    by-share simulation: shares vest in order (the schedule's, then those vested by events),
    lapse unvested first, and the vested lapse 90 days after service ends."""
    cliff, every = min(cliff, months), min(every, months)
    block = {"start": "2000-03-15", "months": months, "cliff_months": cliff,
             "every_months": every, "performance": performance}  # fmt: skip
    schedule = vesting.schedule_of(Vesting.model_validate(block), D("2000-03-15"))
    start = D("2000-03-15")
    sim = Shares(shares)
    extra = 0
    ended: dt.date | None = None
    accepted: list[dict[str, Any]] = [option(shares, vesting=block)]
    for m, kind, n in sorted(actions):
        day = vesting.add_months(start, m)
        on = day.isoformat()
        if ended is None:
            by_time = vesting.by_months(schedule, shares, m)
            sim.vest_to(min(by_time + extra, shares - sim.count("lapsed-unvested")))
        elif day > ended + dt.timedelta(days=90):
            sim.lapse(sim.live("vested"))
        if ended is not None and kind != "expire":
            continue
        unvested = sim.count("unvested")
        if kind in ("vest", "accelerate") and n <= unvested and (performance or kind != "vest"):
            e = ev(on, "vest" if kind == "vest" else "acceleration", grant="o1", shares=n)
            extra += n
            sim.vest_to(sim.count("vested", "lapsed-vested") + n)
        elif kind == "exercise" and sim.live("vested"):
            free = sim.live("vested")[:n]
            e = ev(on, "exercise", grant="o1", shares=len(free))
            for i in free:
                sim.exercised[i] = True
        elif kind == "service_end" and (sim.live("unvested") or sim.live("vested")):
            e = ev(on, "service_end", holder="emp")
            sim.lapse(sim.live("unvested"))
            ended = day
        elif kind == "expire" and (sim.live("unvested") or sim.live("vested")):
            order = (sim.live("unvested") + sim.live("vested"))[:n]
            e = ev(on, "expire", grant="o1", shares=len(order))
            sim.lapse(order)
        else:
            continue
        accepted.append(e)
        g = state(*accepted, until=on).grants["o1"]
        vested_now = vesting.vested(g, day) - vesting.lapsed_vested(g)
        unvested_now = vesting.unvested_unexercised(g, day) + vesting.restricted(g, day)
        assert vested_now == sim.count("vested")
        assert g.expired == sim.count("lapsed-vested", "lapsed-unvested")
        assert unvested_now == sim.count("unvested")
        assert vested_now + g.expired + unvested_now == shares
    g = state(*accepted).grants["o1"]
    values = [vesting.vested(g, vesting.add_months(start, m)) for m in range(0, 62, 3)]
    assert values == sorted(values) and values[-1] <= shares


@settings(max_examples=80, deadline=None)
@given(
    months=st.integers(min_value=1, max_value=60),
    cliff=st.integers(min_value=0, max_value=60),
    every=st.integers(min_value=1, max_value=12),
    offset=st.integers(min_value=-40, max_value=2_000),
)
def test_next_installment_is_the_first_listed_date_after_the_day(
    months: int, cliff: int, every: int, offset: int
) -> None:
    """The next vesting date, computed directly, is the first of the listed installment dates
    after the day, and the schedule vests more on it than the day before (an installment)."""
    s = vesting.schedule_of(
        Vesting(months=months, cliff_months=min(cliff, months), every_months=min(every, months)),
        D("2000-01-31"),
    )
    day = D("2000-01-31") + dt.timedelta(days=offset)
    listed = [d for d in vesting.installment_dates(s) if d > day]
    got = vesting.next_installment(s, day)
    assert got == (listed[0] if listed else None)
    if got is not None:
        before = vesting.by_time(s, 10_000, got - dt.timedelta(days=1))
        assert vesting.by_time(s, 10_000, got) > before


def test_installment_dates_are_exactly_the_months_the_schedule_vests_more() -> None:
    """Brute force over every schedule up to 30 months: the listed installment dates are the
    months in which 1,000,000 shares vest more than the month before (a cliff of 3 months with
    installments every 2 vests at months 3, 4 and 5 of a 5-month schedule)."""
    for months in range(1, 31):
        for cliff in range(months + 1):
            for every in range(1, min(12, months) + 1):
                block = Vesting(months=months, cliff_months=cliff, every_months=every)
                s = vesting.schedule_of(block, D("2000-01-31"))
                more = [
                    vesting.add_months(s.start, m)
                    for m in range(1, months + 1)
                    if vesting.by_months(s, 10**6, m) > vesting.by_months(s, 10**6, m - 1)
                ]
                assert vesting.installment_dates(s) == more, (months, cliff, every)


def test_the_equity_plan_events_load_replay_export_and_round_trip() -> None:
    """A ledger with every equity-plan event of the spec loads, replays, and exports to a
    file that loads again to the same events and the same state."""
    from charter.ledger.fileformat import dump_ledger, parse_ledger_text

    text = """
format: charter-ledger/1
company: {name: Plan Co, terms: quintus}
stakeholders:
  - {id: founder, name: Founder}
  - {id: emp, name: Employee, relations: [employee]}
events:
  - {date: 2000-01-01, type: issue, holder: founder, class: common, shares: 1000000, price: "0.001"}
  - {date: 2000-01-15, type: adopt_plan, id: plan, shares: 100000, post_termination_days: 30,
     return_to_pool: false, approvals: [{by: board}]}
  - {date: 2000-02-01, type: grant, id: o1, kind: option, holder: emp, class: common,
     shares: 48001, exercise_price: "0.10", plan: plan, exclusion: employee-plan,
     post_termination_days: 60,
     vesting: {start: 2000-01-15, months: 48, cliff_months: 12, every_months: 1,
               single_trigger: "0", double_trigger: "1", early_exercise: false}}
  - {date: 2000-02-01, type: grant, id: o2, kind: option, holder: emp, class: common,
     shares: 1000, exercise_price: "0.10", plan: plan, exclusion: employee-plan,
     vesting: {months: 12, performance: true}}
  - {date: 2000-03-01, type: plan_amend, plan: plan, shares: 5000, approvals: [{by: board}]}
  - {date: 2000-04-01, type: vest, grant: o2, shares: 400}
  - {date: 2000-05-01, type: acceleration, grant: o1, fraction: "0.25"}
  - {date: 2001-02-01, type: service_end, holder: emp, reason: without_cause}
  - {date: 2001-03-01, type: issue, id: rs, holder: emp, class: common, shares: 1200,
     price: "0.01", vesting: {months: 12}}
"""
    doc = parse_ledger_text(text)
    again = parse_ledger_text(dump_ledger(doc))
    assert [e.event for e in again.entries] == [e.event for e in doc.entries]
    assert dump_ledger(again) == dump_ledger(doc)
    a = run_doc(doc)
    b = run_doc(again)
    assert a.grants == b.grants and a.plans == b.plans and a.restricted == b.restricted
    # 2000-05-01: o1 (from 2000-01-15) is before its cliff: 48,001 unvested, a quarter
    # accelerated: floor(48,001 / 4) = 12,000. Service ends 2001-02-01, 12 whole months from
    # 2000-01-15: the cliff's floor(48,001 x 12 / 48) = 12,000 plus 12,000 = 24,000 vested;
    # 24,001 lapse and do not return (return_to_pool false): available 100,000 + 5,000 -
    # 49,001 = 55,999. The grant's own 60 days: exercisable through 2001-04-02.
    o1 = a.grants["o1"]
    assert vesting.vested(o1, D("2001-02-01")) == 24_000
    assert (o1.lapsed_unvested, o1.exercisable_until) == (24_001, D("2001-04-02"))
    assert a.plans["plan"].available == 55_999


def run_doc(doc: Any) -> State:
    from charter.replay import replay
    from charter.terms.loader import load_builtin

    return replay(load_builtin("quintus"), doc.stakeholders, doc.entries)


def test_art_iv_b_3d_iii_a_split_of_the_common_keeps_the_schedule() -> None:
    """A 2:1 split of the common on 2001-06-01 (month 14: floor(48,001 x 14 / 48) = 14,000
    vested, 5,000 of them exercised). The grant becomes 96,002 shares at $0.05, 10,000
    exercised; vested then floor(96,002 x 14 / 48) = 28,000 (twice 14,000), exercisable
    18,000; at the end all 96,002."""
    s = state(
        option(),
        ev("2001-05-01", "exercise", grant="o1", shares=5_000),
        ev("2001-06-01", "split", **{"class": "common"}, ratio="2:1"),
    )
    g = s.grants["o1"]
    assert (g.granted, g.exercised, g.outstanding) == (96_002, 10_000, 86_002)
    assert vesting.vested(g, D("2001-06-01")) == 28_000
    assert vesting.exercisable(g, D("2001-06-01")) == 18_000
    assert vesting.vested(g, D("2004-03-15")) == 96_002
