"""A financing modelled before it happens (issue 14 §2): a scenario file's new stakeholders,
new series and events applied to a copy of the replayed ledger, nothing recorded; and what
the certificate says about it, side by side with today: the cap table, each series'
Conversion Price under the weighted average (Art. IV.B.3(d)(i)(A), exclusions applied), the
approvals the round needs with whether the holders named as consenting carry them, the
authorized shares left (Art. IV.A), and every holder's payout at chosen exits
(Art. IV.B.2).

A scenario file is YAML or JSON without anchors or aliases:

    stakeholders: [{id: ..., name: ...}]     # new investors, as in a ledger
    terms: {classes: [{id: series_g, ...}]}  # new series, in the terms format
    events: [...]                            # as in a ledger's events: list
    consents: [holder ids]                   # today's holders who would sign a written consent
    pre_money: "40000000"                    # optional: solve the price per share
    pool_top_up_in_pre_money: true           # the scenario's adopt_plan shares in the pre-money

An event's `price: pre-money` (an `issue` or a `convert_convertible`) stands for the price the
pre-money implies, solved with the SAFEs and notes converting in the scenario.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import msgspec
import yaml
from pydantic import ValidationError

from charter.errors import CharterError, Problem
from charter.inputs import load_text
from charter.interop.tables import Column, Sheet
from charter.ledger.events import AdoptPlan, ConvertConvertible, Stakeholder
from charter.ledger.fileformat import Entry, parse_event
from charter.numbers import NumberError, money, parse_decimal, per_share, to_decimal_str
from charter.replay import initial_state, replay
from charter.rules import approvals as approvals_rules
from charter.rules import board as board_rules
from charter.rules import captable as captable_rules
from charter.rules import conversion_prices as conversion_prices_rules
from charter.rules import curve as curve_rules
from charter.rules import waterfall as waterfall_rules
from charter.rules.approvals import ApprovalsResult, Votes
from charter.rules.captable import CapTable
from charter.state import board as board_state
from charter.state import convertibles as instruments
from charter.state.conversion import common_on_conversion
from charter.state.model import ConvertibleState, PriceChange, State
from charter.terms.model import Certificate, StockClass

KEYS = ("stakeholders", "terms", "events", "consents", "pre_money", "pool_top_up_in_pre_money")

# The corporate actions (ids of the certificate's `actions:`) a round may need.
CREATE_SENIOR_OR_PARITY = "create_senior_or_parity_security"
CHANGE_AUTHORIZED_PREFERRED = "change_authorized_preferred"
AMEND_CERTIFICATE = "amend_certificate"
ADOPT_EMPLOYEE_PLAN = "adopt_employee_plan"
PRE_MONEY_PRICE = "pre-money"  # an event's price: the one the pre-money implies


class ScenarioFile(msgspec.Struct, frozen=True):
    """A scenario as read and checked on its own (before it meets the ledger)."""

    source: str
    stakeholders: list[Stakeholder]
    series: list[StockClass]
    events: list[dict[str, Any]]
    entries: list[Entry]
    consents: list[str]
    pre_money: Fraction | None = None
    pool_in_pre_money: bool = False
    at_pre_money: frozenset[int] = frozenset()  # events priced `pre-money`


def refuse_anchors(text: str, source: str) -> None:
    """A scenario is plain data: an anchor (&) or alias (*) is refused, so that a small file
    cannot stand for a large one."""
    try:
        for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
                mark = ev.start_mark
                raise CharterError(
                    [
                        Problem(
                            "YAML anchors and aliases are not accepted in a scenario",
                            file=source,
                            line=None if mark is None else mark.line + 1,
                        )
                    ]
                )
    except yaml.YAMLError:
        return  # load_text reports the syntax error with its line


def read_scenario(path: Path) -> ScenarioFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        why = getattr(e, "strerror", None) or "not UTF-8 text"
        raise CharterError([Problem(f"cannot read the scenario: {why}", file=str(path))]) from e
    return parse_scenario(text, str(path))


def parse_scenario(text: str, source: str) -> ScenarioFile:
    """The scenario's parts, each checked on its own; every mistake at once, one sentence
    each, naming the key (and the event or entry) and the field."""
    refuse_anchors(text, source)
    data = load_text(text, source)
    if not isinstance(data, dict):
        raise CharterError(
            [Problem(f"a scenario must be a mapping of {', '.join(KEYS)}", file=source)]
        )
    problems: list[Problem] = []
    for key in data:
        if key not in KEYS:
            problems.append(
                Problem(f"unknown key {key!r}; expected {', '.join(KEYS)}", file=source)
            )
    holders = _stakeholders(data.get("stakeholders"), source, problems)
    series = _series(data.get("terms"), source, problems)
    raw_events = data.get("events") or []
    entries: list[Entry] = []
    if not isinstance(raw_events, list):
        problems.append(Problem("must be a list of events", file=source, field="events"))
        raw_events = []
    at_pre_money: set[int] = set()
    for i, raw in enumerate(raw_events):
        if isinstance(raw, dict) and raw.get("price") == PRE_MONEY_PRICE:
            at_pre_money.add(i)
            raw = {**raw, "price": "1"}  # checked as any price; solved in `pro_forma`
        entry, errs = parse_event(raw, i, None, source)
        problems.extend(errs)
        if entry is not None:
            entries.append(entry)
    consents = data.get("consents") or []
    if not isinstance(consents, list) or not all(isinstance(c, str) for c in consents):
        problems.append(Problem("must be a list of holder ids", file=source, field="consents"))
        consents = []
    pre_money = None
    if data.get("pre_money") is not None:
        try:
            pre_money = parse_decimal(data["pre_money"], "the pre-money")
        except NumberError as e:
            problems.append(Problem(str(e), file=source, field="pre_money"))
        else:
            if pre_money <= 0:
                problems.append(Problem("must be more than zero", file=source, field="pre_money"))
    in_pre = data.get("pool_top_up_in_pre_money", False)
    if not isinstance(in_pre, bool):
        problems.append(
            Problem("must be true or false", file=source, field="pool_top_up_in_pre_money")
        )
        in_pre = False
    if at_pre_money and pre_money is None:
        problems.append(
            Problem(
                'a price of "pre-money" needs the scenario\'s pre_money: to solve it',
                file=source,
                field=f"events.{min(at_pre_money)}.price",
            )
        )
    if problems:
        raise CharterError(problems)
    return ScenarioFile(
        source,
        holders,
        series,
        list(raw_events),
        entries,
        consents,
        pre_money,
        in_pre,
        frozenset(at_pre_money),
    )


def _stakeholders(raw: Any, source: str, problems: list[Problem]) -> list[Stakeholder]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem("must be a list", file=source, field="stakeholders"))
        return []
    out: list[Stakeholder] = []
    for i, item in enumerate(raw):
        try:
            out.append(Stakeholder.model_validate(item))
        except ValidationError as e:
            for err in e.errors():
                where = ".".join(str(p) for p in err["loc"]) or "stakeholder"
                problems.append(
                    Problem(str(err["msg"]), file=source, field=f"stakeholders.{i}.{where}")
                )
    return out


def _series(raw: Any, source: str, problems: list[Problem]) -> list[StockClass]:
    if raw is None:
        return []
    if not isinstance(raw, dict) or set(raw) - {"classes"}:
        problems.append(
            Problem("must be a mapping with classes: [...]", file=source, field="terms")
        )
        return []
    classes = raw.get("classes") or []
    if not isinstance(classes, list):
        problems.append(Problem("must be a list", file=source, field="terms.classes"))
        return []
    out: list[StockClass] = []
    for i, item in enumerate(classes):
        try:
            out.append(StockClass.model_validate(item))
        except ValidationError as e:
            for err in e.errors():
                where = ".".join(str(p) for p in err["loc"]) or "class"
                problems.append(
                    Problem(str(err["msg"]), file=source, field=f"terms.classes.{i}.{where}")
                )
    return out


# --- applying it ----------------------------------------------------------------------------


def with_series(cert: Certificate, series: list[StockClass]) -> Certificate:
    """The certificate in force with the new series added and its authorized shares grown by
    theirs (for the scenario only: an amendment of Art. IV.A-B)."""
    grown = sum(s.authorized for s in series)
    return cert.model_copy(
        update={
            "classes": [*cert.classes, *series],
            "total_authorized": cert.total_authorized + grown,
        }
    )


def check_against(today: State, sc: ScenarioFile) -> None:
    """What the scenario names must fit today's company: new ids new, consents held."""
    problems: list[Problem] = []
    for i, h in enumerate(sc.stakeholders):
        if h.id in today.stakeholders:
            problems.append(
                Problem(
                    f"{h.id!r} is already a stakeholder of the company",
                    file=sc.source,
                    field=f"stakeholders.{i}.id",
                )
            )
    for i, c in enumerate(sc.series):
        if today.certificate.stock_class(c.id) is not None:
            problems.append(
                Problem(
                    f"{today.certificate.title} already has a class {c.id!r}",
                    file=sc.source,
                    field=f"terms.classes.{i}.id",
                )
            )
    for i, holder in enumerate(sc.consents):
        if holder not in today.holdings:
            problems.append(
                Problem(
                    f"{holder!r} holds no stock today, so cannot consent",
                    file=sc.source,
                    field=f"consents.{i}",
                )
            )
    if problems:
        raise CharterError(problems)


class ProForma(msgspec.Struct, frozen=True):
    """The scenario applied: the state after it, the price the pre-money implies (with the
    instruments converting), and the scenario's events as they would be recorded."""

    state: State
    implied_price: Fraction | None
    events: list[dict[str, Any]]


def pro_forma(
    today: State,
    stakeholders: list[Stakeholder],
    entries: list[Entry],
    sc: ScenarioFile,
    shares_before: Fraction | None = None,
) -> ProForma:
    """The ledger replayed on a fresh state that knows the new stakeholders, the new series
    added to the certificate then in force, and the scenario's events applied on top. With a
    pre-money, the price it implies is solved on the state just before the first conversion
    of SAFEs or notes (or the first event priced `pre-money`), so that a pool top-up recorded
    before it is in their capitalization; the events priced `pre-money` then take it (to six
    places, the contract's precision for a price per share)."""
    readings = today.readings
    state = initial_state(today.terms, [*stakeholders, *sc.stakeholders], readings)
    replay(today.terms, [], entries, state=state)
    if sc.series:
        state.certificate = with_series(state.certificate, sc.series)
    k = next(
        (
            i
            for i, e in enumerate(sc.entries)
            if isinstance(e.event, ConvertConvertible) or i in sc.at_pre_money
        ),
        len(sc.entries),
    )
    replay(today.terms, [], sc.entries[:k], state=state)
    events, rest, price = list(sc.events), sc.entries[k:], None
    if sc.pre_money is not None and shares_before:
        ids = [
            cid
            for e in sc.entries
            if isinstance(e.event, ConvertConvertible)
            for cid in e.event.convertibles
            if cid in state.convertibles and state.convertibles[cid].converted is None
        ]
        on = sc.entries[k].event.date if k < len(sc.entries) else state.as_of
        try:
            price = instruments.implied_price(
                state, ids, on or dt.date.today(), sc.pre_money, shares_before, readings
            )
        except ValueError as e:
            raise CharterError([Problem(str(e), file=sc.source, field="pre_money")]) from e
        if sc.at_pre_money:
            for i in sc.at_pre_money:
                events[i] = {**events[i], "price": per_share(price)}
            rest = []
            for i in range(k, len(sc.entries)):
                entry, _ = parse_event(events[i], i, None, sc.source)
                assert entry is not None  # parsed once already, with a placeholder price
                rest.append(entry)
    replay(today.terms, [], rest, state=state)
    return ProForma(state, price, events)


# --- the report ------------------------------------------------------------------------------


class HolderLine(msgspec.Struct, frozen=True):
    holder: str
    outstanding: int
    fully_diluted: int


class Table(msgspec.Struct, frozen=True):
    """A cap table's totals and each holder's and class's share of them."""

    captable: CapTable
    outstanding: int
    holders: list[HolderLine]


class PriceLine(msgspec.Struct, frozen=True):
    series: str
    before: Fraction | None
    after: Fraction
    changes: list[PriceChange]


class Headroom(msgspec.Struct, frozen=True):
    class_id: str
    authorized: int
    outstanding: int
    reserved: int

    @property
    def left(self) -> int:
        return self.authorized - self.outstanding - self.reserved


class Needed(msgspec.Struct, frozen=True):
    """One approval the round needs, why, and the approvals evaluated against the consents."""

    action: str
    why: str
    result: ApprovalsResult
    carried: bool | None


class ExitLine(msgspec.Struct, frozen=True):
    exit_value: Fraction
    before: dict[str, Fraction]
    after: dict[str, Fraction]


class ScenarioReport(msgspec.Struct):
    before: Table
    after: Table
    prices: list[PriceLine]
    approvals: list[Needed]
    headroom_before: list[Headroom]
    headroom_after: list[Headroom]
    exits: list[ExitLine]
    implied_price: Fraction | None
    notes: list[str] = msgspec.field(default_factory=list)
    converted: list[ConvertibleState] = msgspec.field(default_factory=list)  # SAFEs and notes, here
    events: list[dict[str, Any]] = msgspec.field(default_factory=list)  # as `--record` writes them
    states: tuple[State, State] | None = None  # today and pro forma (for the payout curves)


def table_of(state: State) -> Table:
    """Outstanding shares of every class, and fully diluted (preferred as converted, each
    holder's aggregate rounded, Art. IV.B.3(h); grants as converted), per holder."""
    ct = captable_rules.captable(state)
    ratios = {c.id: state.conversion_ratio(c.id) for c in state.certificate.classes}
    lines: dict[str, list[int]] = {}
    for h, by in state.holdings.items():
        out = sum(by.values())
        fd = sum(common_on_conversion(n, ratios[c], state.readings) for c, n in by.items() if n)
        lines[h] = [out, fd]
    for g in ct.grants:
        n = common_on_conversion(g.outstanding, ratios.get(g.class_id, Fraction(1)), state.readings)
        lines.setdefault(g.holder, [0, 0])[1] += n
    holders = [HolderLine(h, v[0], v[1]) for h, v in sorted(lines.items()) if v[0] or v[1]]
    return Table(ct, sum(c.outstanding for c in ct.classes), holders)


def headroom(ct: CapTable) -> list[Headroom]:
    return [Headroom(c.id, c.authorized, c.outstanding, c.reserved) for c in ct.classes]


def pre_money_shares(sc: ScenarioFile, fully_diluted: int) -> Fraction:
    """The shares the pre-money is divided among before the instruments converting: today's
    fully diluted shares, plus the scenario's plan top-up (its adopt_plan shares) when the
    top-up is in the pre-money (the price: `convertibles.implied_price`, exact)."""
    top_up = sum(e.event.shares for e in sc.entries if isinstance(e.event, AdoptPlan))
    return Fraction(fully_diluted + (top_up if sc.pool_in_pre_money else 0))


def parity_respects(today: State, s: StockClass) -> list[str]:
    """The respects of Art. IV.B.6(a)(ii), "with respect to voting, dividends, conversion,
    redemption or upon liquidation", in which a new series of preferred has "a preference
    over or on parity with" a series outstanding: it votes, it has a dividend preference,
    it converts, it is redeemable, or its liquidation tier is not junior to every
    outstanding series' (1 is the most senior)."""
    if s.kind != "preferred":
        return []
    tiers = [
        c.liquidation.tier
        for c in today.certificate.preferred
        if c.liquidation is not None and today.outstanding.get(c.id)
    ]
    liquidation = s.liquidation is not None and bool(tiers) and s.liquidation.tier <= max(tiers)
    found = (
        ("voting", s.votes is not None),
        ("dividends", s.dividend is not None),
        ("conversion", s.conversion is not None),
        ("redemption", s.redeemable),
        ("liquidation", liquidation),
    )
    return [name for name, ranks in found if ranks]


def needed_actions(today: State, after: State, sc: ScenarioFile) -> list[tuple[str, str]]:
    """The corporate actions the round needs, each with why: a new series with a preference
    over or on parity with a series outstanding (Art. IV.B.6(a)(ii)); new preferred beyond
    what the certificate authorizes undesignated (an amendment, DGCL §242(b)); common short of
    what must be reserved (an amendment increasing the common); a plan adopted or increased
    (Art. IV.B.3(d)(ii)(B))."""
    out: list[tuple[str, str]] = []
    for s in sc.series:
        ranks = parity_respects(today, s)
        if ranks:
            out.append(
                (
                    CREATE_SENIOR_OR_PARITY,
                    f"{s.id} has a preference over or on parity with a series outstanding "
                    f"with respect to {', '.join(ranks)}",
                )
            )
    new_preferred = sum(s.authorized for s in sc.series if s.kind == "preferred")
    if new_preferred > today.certificate.undesignated_preferred:
        out.append(
            (
                CHANGE_AUTHORIZED_PREFERRED,
                f"{new_preferred:,} shares of new preferred, beyond the "
                f"{today.certificate.undesignated_preferred:,} authorized and undesignated",
            )
        )
    common = next(
        h
        for h in headroom(captable_rules.captable(after))
        if h.class_id == after.certificate.common.id
    )
    if common.left < 0:
        out.append(
            (
                AMEND_CERTIFICATE,
                f"the common must grow by {-common.left:,} to cover what is outstanding and "
                "reserved",
            )
        )
    plans = [e.event.id for e in sc.entries if isinstance(e.event, AdoptPlan)]
    if plans:
        out.append((ADOPT_EMPLOYEE_PLAN, f"the plan {', '.join(plans)} is adopted or increased"))
    return out


def approvals_needed(
    today: State, after: State, sc: ScenarioFile, settings: Mapping[str, str]
) -> tuple[list[Needed], list[str]]:
    """Each action's approvals under the certificate in force today: the board's resolution
    (its line only: the scenario names no directors' votes) and the stockholders' approvals
    measured as a written consent of the holders named in `consents:` (against all the stock
    outstanding, Bylaws Art. II §11, DGCL §228)."""
    defined = set(approvals_rules.action_ids(today))
    whole_board, _ = board_rules.board_size(today, None)
    directors = board_state.directors_in_office(today)
    consent = Votes(for_=list(sc.consents), written=True)
    out: list[Needed] = []
    notes: list[str] = []
    for action, why in needed_actions(today, after, sc):
        if action not in defined:
            notes.append(f"{action} ({why}) is not an action of {today.certificate.title}")
            continue
        asked = approvals_rules.required_approvals(today, action, None, settings)
        lines = approvals_rules.evaluate(today, asked, None, directors, whole_board, settings)
        holders = approvals_rules.evaluate(
            today, asked.stockholders_part(), consent, directors, whole_board, settings
        )
        by_id = {a.id: a for a in holders.approvals}
        merged = [by_id.get(a.id, a) for a in lines.approvals]
        result = ApprovalsResult(
            asked.action,
            asked.description,
            None,
            merged,
            asked.committee,
            asked.trace,
            notes=asked.notes,
        )
        out.append(Needed(action, why, result, holders.met if holders.approvals else None))
    return out, notes


def run(
    today: State,
    stakeholders: list[Stakeholder],
    entries: list[Entry],
    sc: ScenarioFile,
    exits: list[Fraction],
    settings: Mapping[str, str],
) -> ScenarioReport:
    """The whole report: today beside the scenario."""
    check_against(today, sc)
    before_t = table_of(today)
    done = pro_forma(
        today, stakeholders, entries, sc, pre_money_shares(sc, before_t.captable.fully_diluted)
    )
    after = done.state
    after_t = table_of(after)
    cp_before = {s.class_id: s for s in conversion_prices_rules.conversion_prices(today).series}
    prices = []
    for s in conversion_prices_rules.conversion_prices(after).series:
        b = cp_before.get(s.class_id)
        new = s.history[len(b.history) :] if b is not None else list(s.history)
        prices.append(
            PriceLine(
                s.class_id, None if b is None else b.conversion_price, s.conversion_price, new
            )
        )
    needed, notes = approvals_needed(today, after, sc, settings)
    lines = []
    for x in exits:
        w0 = waterfall_rules.waterfall(today, x, settings)
        w1 = waterfall_rules.waterfall(after, x, settings)
        lines.append(ExitLine(x, _payouts(w0), _payouts(w1)))
    return ScenarioReport(
        before_t,
        after_t,
        prices,
        needed,
        headroom(before_t.captable),
        headroom(after_t.captable),
        lines,
        done.implied_price,
        notes,
        [
            c
            for c in after.convertibles.values()
            if c.converted is not None
            and (c.id not in today.convertibles or today.convertibles[c.id].converted is None)
        ],
        done.events,
        (today, after),
    )


def payout_curves(
    r: ScenarioReport, top: Fraction, settings: Mapping[str, str]
) -> dict[str, object]:
    """Each class's payout against the exit value from 0 to `top`, today and pro forma: the
    exact curves of `charter curve --json` (rules/curve.py), for the side-by-side chart."""
    assert r.states is not None
    today, after = r.states
    return {
        side: curve_rules.curve_json(
            curve_rules.build(waterfall_rules.company(st, settings), Fraction(0), top),
            holders=False,
        )
        for side, st in (("before", today), ("after", after))
    }


def chart_top(r: ScenarioReport) -> Fraction | None:
    """The right end of the chart: twice the largest exit asked for, else twice the post-money
    the implied price gives (its price times the pro forma fully diluted shares)."""
    if r.exits:
        return 2 * max(x.exit_value for x in r.exits)
    if r.implied_price is not None:
        return Fraction(math.ceil(2 * r.implied_price * r.after.captable.fully_diluted * 100), 100)
    return None


def _payouts(w: waterfall_rules.Waterfall) -> dict[str, Fraction]:
    return {h: Fraction(sum(by.values()), 100) for h, by in w.cents.items()}


# --- JSON (docs/scenario.md) ------------------------------------------------------------------


def percent(part: int, whole: int) -> str:
    return to_decimal_str(Fraction(100 * part, whole) if whole else Fraction(0), 4)


def table_json(t: Table) -> dict[str, object]:
    fd, out = t.captable.fully_diluted, t.outstanding
    return {
        "outstanding": out,
        "fully_diluted": fd,
        "classes": {
            c.id: {
                "authorized": c.authorized,
                "outstanding": c.outstanding,
                "as_converted": c.as_converted,
                "percent_outstanding": percent(c.outstanding, out),
                "percent_fully_diluted": percent(c.as_converted, fd),
            }
            for c in t.captable.classes
        },
        "holders": {
            h.holder: {
                "outstanding": h.outstanding,
                "fully_diluted": h.fully_diluted,
                "percent_outstanding": percent(h.outstanding, out),
                "percent_fully_diluted": percent(h.fully_diluted, fd),
            }
            for h in t.holders
        },
        "warnings": t.captable.warnings,
    }


def headroom_json(rows: list[Headroom]) -> dict[str, object]:
    return {
        h.class_id: {
            "authorized": h.authorized,
            "outstanding": h.outstanding,
            "reserved": h.reserved,
            "headroom": h.left,
        }
        for h in rows
    }


def scenario_json(r: ScenarioReport) -> dict[str, object]:
    """The shape of `charter scenario --json` (docs/scenario.md)."""

    def figure(x: Fraction | None) -> str | None:
        return None if x is None else per_share(x)

    return {
        "captable": {"before": table_json(r.before), "after": table_json(r.after)},
        "implied_price": figure(r.implied_price),
        "conversion_prices": {
            p.series: {
                "before": figure(p.before),
                "after": per_share(p.after),
                "changes": [
                    {
                        "event": c.event,
                        "kind": c.kind,
                        "a": figure(c.a),
                        "b": figure(c.b),
                        "c": figure(c.c),
                        "from": per_share(c.old),
                        "to": per_share(c.new),
                        "citation": c.citation,
                    }
                    for c in p.changes
                ],
            }
            for p in r.prices
        },
        "approvals": [
            {"action": n.action, "why": n.why, "carried": n.carried}
            | approvals_rules.approvals_json(n.result)
            for n in r.approvals
        ],
        "headroom": {
            "before": headroom_json(r.headroom_before),
            "after": headroom_json(r.headroom_after),
        },
        "exits": [
            {
                "exit_value": money(x.exit_value),
                "holders": {
                    h: {
                        "before": money(x.before.get(h, Fraction(0))),
                        "after": money(x.after.get(h, Fraction(0))),
                        "change": money(x.after.get(h, Fraction(0)) - x.before.get(h, Fraction(0))),
                    }
                    for h in sorted(set(x.before) | set(x.after))
                },
            }
            for x in r.exits
        ],
        "notes": r.notes,
        "convertibles": {
            c.id: {
                "holder": c.holder,
                "kind": c.kind,
                "class": c.class_id,
                "shares": c.shares,
                "conversion_price": figure(c.conversion_price),
                "conversion_amount": None
                if c.conversion_amount is None
                else money(c.conversion_amount),
                "terms_of": c.terms_of,
            }
            for c in r.converted
        },
    }


# --- the workbook (`--xlsx`, interop/workbook.py) ---------------------------------------------


def scenario_sheets(data: Mapping[str, Any], names: Mapping[str, str]) -> list[Sheet]:
    """The report as sheets, built from its JSON (as every command's workbook is): holders
    and classes today and pro forma, conversion prices, approvals, headroom, the payouts at
    each exit, and the SAFEs and notes converting."""
    before, after = data["captable"]["before"], data["captable"]["after"]
    notes = (
        [f"Price per share the pre-money implies: {data['implied_price']}"]
        if data.get("implied_price")
        else []
    )
    holders = Sheet(
        "Holders",
        "Holders, today and pro forma (fully diluted)",
        [
            Column("holder"),
            Column("name"),
            Column("outstanding today", "shares", True),
            Column("fully diluted today", "shares", True),
            Column("outstanding pro forma", "shares", True),
            Column("fully diluted pro forma", "shares", True),
            Column("% fully diluted pro forma"),
        ],
        notes=notes,
    )
    for h in sorted(set(before["holders"]) | set(after["holders"])):
        b, a = before["holders"].get(h, {}), after["holders"].get(h, {})
        holders.rows.append(
            [
                h,
                names.get(h, h),
                b.get("outstanding", 0),
                b.get("fully_diluted", 0),
                a.get("outstanding", 0),
                a.get("fully_diluted", 0),
                a.get("percent_fully_diluted", ""),
            ]
        )
    classes = Sheet(
        "Classes",
        "Classes, today and pro forma",
        [
            Column("class"),
            Column("authorized", "shares"),
            Column("outstanding today", "shares", True),
            Column("outstanding pro forma", "shares", True),
            Column("as converted pro forma", "shares", True),
        ],
    )
    for cid, c in after["classes"].items():
        was = before["classes"].get(cid, {})
        classes.rows.append(
            [cid, c["authorized"], was.get("outstanding", 0), c["outstanding"], c["as_converted"]]
        )
    prices = Sheet(
        "Conversion prices",
        "Conversion Prices before and after (Art. IV.B.3(d))",
        [Column("series"), Column("before", "price"), Column("after", "price")],
    )
    for sid, p in data["conversion_prices"].items():
        prices.rows.append([sid, _dec(p["before"]), _dec(p["after"])])
    approvals = Sheet(
        "Approvals",
        "Approvals the round needs",
        [Column("action"), Column("why"), Column("carried by the consents")],
    )
    for ap in data["approvals"]:
        carried = {True: "yes", False: "no", None: "no stockholder vote"}[ap["carried"]]
        approvals.rows.append([ap["action"], ap["why"], carried])
    room = Sheet(
        "Headroom",
        "Authorized shares, pro forma",
        [
            Column("class"),
            Column("authorized", "shares"),
            Column("outstanding", "shares"),
            Column("reserved", "shares"),
            Column("headroom", "shares"),
        ],
    )
    for cid, h in data["headroom"]["after"].items():
        room.rows.append([cid, h["authorized"], h["outstanding"], h["reserved"], h["headroom"]])
    exits = Sheet(
        "Exits",
        "Payouts at each exit, today and pro forma",
        [
            Column("exit value", "money"),
            Column("holder"),
            Column("today", "money"),
            Column("pro forma", "money"),
            Column("change", "money"),
        ],
    )
    for x in data["exits"]:
        for h, v in x["holders"].items():
            exits.rows.append(
                [
                    _dec(x["exit_value"]),
                    names.get(h, h),
                    _dec(v["before"]),
                    _dec(v["after"]),
                    _dec(v["change"]),
                ]
            )
    sheets = [holders, classes, prices, approvals, room, exits]
    if data.get("convertibles"):
        conv = Sheet(
            "Convertibles",
            "SAFEs and notes converting in the round",
            [
                Column("instrument"),
                Column("holder"),
                Column("class"),
                Column("shares", "shares", True),
                Column("conversion price", "price"),
                Column("conversion amount", "money", True),
            ],
        )
        for cid, c in data["convertibles"].items():
            conv.rows.append(
                [
                    cid,
                    names.get(c["holder"], c["holder"]),
                    c["class"],
                    c["shares"],
                    _dec(c["conversion_price"]),
                    _dec(c["conversion_amount"]),
                ]
            )
        sheets.append(conv)
    return sheets


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
