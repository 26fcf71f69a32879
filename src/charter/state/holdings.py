"""Who holds what: issuances, grants, exercises, lapses, transfers, repurchases, splits and
the ledger's own assertions. Each event type has a check (which refuses it, with the clause,
before anything changes) and an apply (which cannot fail).
"""

from __future__ import annotations

from fractions import Fraction

from charter.ledger.events import (
    AdoptPlan,
    AdoptTerms,
    Assert,
    Exercise,
    Expire,
    Grant,
    Issue,
    PlanAmend,
    Repurchase,
    Split,
    Transfer,
)
from charter.numbers import nearest_whole_share, parse_ratio
from charter.state.model import GrantState, PlanState, State, TermsChange
from charter.state.rejection import Rejected


def require_holder(state: State, holder: str, fld: str) -> None:
    if holder not in state.stakeholders:
        raise Rejected(f"{holder!r} is not a stakeholder of the ledger", fld)


def require_class(state: State, class_id: str, fld: str = "class") -> None:
    if state.stock_class(class_id) is None:
        known = ", ".join(c.id for c in state.certificate.classes)
        raise Rejected(
            f"class {class_id!r} does not exist under the {state.certificate.title} "
            f"(classes: {known})",
            fld,
            state.certificate.total_authorized_citation,
        )


def require_authorized(state: State, class_id: str, more: int, fld: str = "shares") -> None:
    """Shares may not be issued beyond the class's authorized count (Art. IV.A, IV.B)."""
    c = state.stock_class(class_id)
    assert c is not None
    after = state.outstanding.get(class_id, 0) + more
    if after > c.authorized:
        raise Rejected(
            f"issuing {more:,} shares of {c.id} would make {after:,} outstanding, beyond the "
            f"{c.authorized:,} authorized",
            fld,
            c.citation,
        )


def require_held(state: State, holder: str, class_id: str, shares: int, what: str) -> None:
    held = state.held(holder, class_id)
    if shares > held:
        raise Rejected(
            f"{holder} cannot {what} {shares:,} shares of {class_id}: it holds {held:,}", "shares"
        )


def require_grant(state: State, grant_id: str) -> GrantState:
    g = state.grants.get(grant_id)
    if g is None:
        raise Rejected(f"grant {grant_id!r} does not exist", "grant")
    return g


# --- issue ---------------------------------------------------------------------------------


def check_issue(state: State, e: Issue) -> None:
    require_holder(state, e.holder, "holder")
    require_class(state, e.class_)
    require_authorized(state, e.class_, e.shares)


def apply_issue(state: State, e: Issue) -> None:
    state.add_shares(e.holder, e.class_, e.shares)
    state.purchase_dates.setdefault(e.class_, e.date)


# --- grants ----------------------------------------------------------------------------------


def check_grant(state: State, e: Grant) -> None:
    require_holder(state, e.holder, "holder")
    require_class(state, e.class_)
    if e.id in state.grants:
        raise Rejected(f"grant id {e.id!r} is already used", "id")
    if e.plan is not None:
        plan = state.plans.get(e.plan)
        if plan is None:
            raise Rejected(f"plan {e.plan!r} has not been adopted", "plan")
        if plan.granted + e.shares > plan.shares:
            raise Rejected(
                f"plan {plan.id} reserves {plan.shares:,} shares, of which {plan.granted:,} "
                f"are granted; {e.shares:,} more would exceed it",
                "shares",
            )


def apply_grant(state: State, e: Grant) -> None:
    state.grants[e.id] = GrantState(
        id=e.id,
        kind=e.kind,
        holder=e.holder,
        class_id=e.class_,
        granted=e.shares,
        exercise_price=Fraction(e.exercise_price),
        date=e.date,
        expires=e.expires,
        plan=e.plan,
        exclusion=e.exclusion,
    )
    if e.plan is not None:
        state.plans[e.plan].granted += e.shares


def check_exercise(state: State, e: Exercise) -> None:
    g = require_grant(state, e.grant)
    if g.expires is not None and e.date > g.expires:
        raise Rejected(f"grant {g.id} expired on {g.expires.isoformat()}", "date")
    if e.shares > g.outstanding:
        raise Rejected(
            f"grant {g.id} has {g.outstanding:,} shares outstanding; {e.shares:,} cannot be "
            "exercised",
            "shares",
        )
    require_class(state, g.class_id, "grant")
    require_authorized(state, g.class_id, e.shares)


def apply_exercise(state: State, e: Exercise) -> None:
    g = state.grants[e.grant]
    g.exercised += e.shares
    state.add_shares(g.holder, g.class_id, e.shares)
    state.purchase_dates.setdefault(g.class_id, e.date)


def check_expire(state: State, e: Expire) -> None:
    g = require_grant(state, e.grant)
    if g.outstanding == 0:
        raise Rejected(f"grant {g.id} has nothing outstanding to expire", "grant")
    if e.shares is not None and e.shares > g.outstanding:
        raise Rejected(
            f"grant {g.id} has {g.outstanding:,} shares outstanding; {e.shares:,} cannot expire",
            "shares",
        )


def apply_expire(state: State, e: Expire) -> None:
    g = state.grants[e.grant]
    g.expired += e.shares if e.shares is not None else g.outstanding


def check_adopt_plan(state: State, e: AdoptPlan) -> None:
    if e.id in state.plans:
        raise Rejected(f"plan id {e.id!r} is already used", "id")


def apply_adopt_plan(state: State, e: AdoptPlan) -> None:
    state.plans[e.id] = PlanState(
        id=e.id, shares=e.shares, date=e.date, approvals=[a.by for a in e.approvals]
    )


def check_plan_amend(state: State, e: PlanAmend) -> None:
    """interop: the minimal plan_amend of the spec (the plans branch owns the full one)."""
    plan = state.plans.get(e.plan)
    if plan is None:
        raise Rejected(f"plan {e.plan!r} has not been adopted", "plan")
    if e.shares == 0 or plan.shares + e.shares < plan.granted:
        raise Rejected(
            f"plan {plan.id} would reserve {plan.shares + e.shares:,} shares, but "
            f"{plan.granted:,} are granted under it",
            "shares",
        )


def apply_plan_amend(state: State, e: PlanAmend) -> None:
    state.plans[e.plan].shares += e.shares


# --- transfers and repurchases -----------------------------------------------------------


def check_transfer(state: State, e: Transfer) -> None:
    require_holder(state, e.from_, "from")
    require_holder(state, e.to, "to")
    require_class(state, e.class_)
    if e.from_ == e.to:
        raise Rejected("a transfer must be between two different holders", "to")
    require_held(state, e.from_, e.class_, e.shares, "transfer")


def apply_transfer(state: State, e: Transfer) -> None:
    state.add_shares(e.from_, e.class_, -e.shares)
    state.add_shares(e.to, e.class_, e.shares)


def check_repurchase(state: State, e: Repurchase) -> None:
    require_holder(state, e.holder, "holder")
    require_class(state, e.class_)
    require_held(state, e.holder, e.class_, e.shares, "sell back")


def apply_repurchase(state: State, e: Repurchase) -> None:
    state.add_shares(e.holder, e.class_, -e.shares)


# --- splits --------------------------------------------------------------------------------


def check_split(state: State, e: Split) -> None:
    require_class(state, e.class_)
    ratio = parse_ratio(e.ratio)
    c = state.stock_class(e.class_)
    assert c is not None
    after = sum(nearest_whole_share(n * ratio) for n in _holdings_of(state, e.class_).values())
    if after > c.authorized:
        raise Rejected(
            f"the {e.ratio} split would make {after:,} shares of {c.id} outstanding, beyond the "
            f"{c.authorized:,} authorized",
            "ratio",
            c.citation,
        )


def _holdings_of(state: State, class_id: str) -> dict[str, int]:
    return {h: by[class_id] for h, by in state.holdings.items() if class_id in by}


def apply_split(state: State, e: Split) -> None:
    """Every holding of the class is multiplied by the ratio, rounded per holder; grants of
    the class have their shares multiplied and their exercise price divided."""
    ratio = parse_ratio(e.ratio)
    for holder, n in _holdings_of(state, e.class_).items():
        state.add_shares(holder, e.class_, nearest_whole_share(n * ratio) - n)
    for g in state.grants.values():
        if g.class_id == e.class_ and g.outstanding:
            left = g.outstanding
            g.granted, g.exercised, g.expired = nearest_whole_share(left * ratio), 0, 0
            g.exercise_price = g.exercise_price / ratio


# --- terms and assertions ------------------------------------------------------------------


def check_adopt_terms(state: State, e: AdoptTerms) -> None:
    cert = state.terms.certificate(e.terms)
    if cert is None:
        known = ", ".join(c.id for c in state.terms.certificates)
        raise Rejected(
            f"terms {e.terms!r} are not among this company's certificates ({known})", "terms"
        )
    for class_id, n in state.outstanding.items():
        c = cert.stock_class(class_id)
        if n and c is None:
            raise Rejected(
                f"{n:,} shares of {class_id} are outstanding, but {cert.title} has no such class",
                "terms",
            )
        if c is not None and n > c.authorized:
            raise Rejected(
                f"{n:,} shares of {class_id} are outstanding, beyond the {c.authorized:,} that "
                f"{cert.title} authorizes",
                "terms",
                c.citation,
            )


def apply_adopt_terms(state: State, e: AdoptTerms) -> None:
    cert = state.terms.certificate(e.terms)
    assert cert is not None
    state.certificate = cert
    state.terms_history.append(TermsChange(e.date, cert.id, state.events_applied))


def check_assert(state: State, e: Assert) -> None:
    require_class(state, e.class_)
    if e.holder is not None:
        require_holder(state, e.holder, "holder")
        actual = state.held(e.holder, e.class_)
        who = f"{e.holder} holds"
    else:
        actual = state.outstanding.get(e.class_, 0)
        who = "outstanding are"
    if actual != e.outstanding:
        raise Rejected(
            f"the ledger asserts {e.outstanding:,} shares of {e.class_}, but {who} {actual:,}",
            "outstanding",
        )


def apply_nothing(state: State, e: object) -> None:
    """An event that changes nothing once checked (an assertion)."""
