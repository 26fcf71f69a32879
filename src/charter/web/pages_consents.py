"""Recording votes and consents: the ledger events that record a vote of the board or a
consent of holders (ledger/events.py: VoteOrConsent) — an election or consent to convert
(Art. IV.B.3(a), 3(b)(ii)(B), 3(b)(iii)(B)), a waiver of the right of first refusal (Bylaws
Art. VIII §1(g)), a plan adopted with its approvals, the number of directors fixed (Bylaws
Art. III §1), a resolution of the board (§8, §9), a written consent of stockholders taking a
corporate action without a meeting (Bylaws Art. II §11), a stockholder meeting's ballots
(§2, §8-§10). Counsel and directors record these and
nothing else; administrators too; stockholders nothing (recording.py). Each is checked
against the ledger like any event: consents short of the threshold are refused with the
clause, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from charter.errors import CharterError, fail
from charter.inputs import load_text
from charter.ledger.events import VOTE_AND_CONSENT_TYPES, VoteOrConsent, event_to_dict
from charter.rules.approvals import action_ids
from charter.state.board import directors_in_office
from charter.views.history import history_json
from charter.web.api import AppendedOut, CompanyAccess, problem_responses
from charter.web.context import Access, captable_data
from charter.web.pages import PageAccess, render
from charter.web.pages_governance import officers_only
from charter.web.pages_records import rofr_data
from charter.web.recording import require_may_record


def record(access: Access, events: list[dict[str, Any]], door: str) -> list[int]:
    """Append votes and consents as one batch, after the role check; their sequences."""
    require_may_record(access, [e.get("type") for e in events])
    return access.session.append(events, source=f"{door}:{access.principal.user.login}")


# --- JSON API ------------------------------------------------------------------------------

api = APIRouter(prefix="/api", tags=["api"])


class VotesAndConsentsIn(BaseModel):
    """Votes and consents in the ledger file's format (spec/ledger-format.md), appended as
    one batch, whole or not at all."""

    model_config = ConfigDict(extra="forbid")

    events: list[VoteOrConsent] = Field(min_length=1, max_length=500)


@api.post(
    "/companies/{company}/votes-and-consents",
    status_code=201,
    response_model=AppendedOut,
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
def record_api(
    access: CompanyAccess,
    batch: VotesAndConsentsIn,
    x_csrf_token: Annotated[str | None, Header(max_length=200)] = None,
) -> AppendedOut:
    """Record votes and consents (`convert_election`, `rofr_waive`, `adopt_plan`,
    `board_size`, `board_approval`, `stockholder_consent`, `meeting_result`):
    administrators, counsel and directors. Each is checked against the ledger replayed under
    the terms in force (consents reaching the threshold of their clause); a batch with any
    problem writes nothing."""
    access.principal.check_csrf(x_csrf_token)
    return AppendedOut(appended=record(access, [event_to_dict(e) for e in batch.events], "api"))


# --- the page ------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=500)]
DateField = Annotated[str, Form(max_length=40)]
Ids = Annotated[list[str] | None, Form()]
EventId = Annotated[str, Form(max_length=100, alias="id")]
Csrf = Annotated[str, Form(max_length=200)]
Checkbox = Annotated[str, Form(max_length=10)]


def consents_page(request: Request, access: Access, status: int = 200, **outcome: Any) -> Response:
    """The forms, the holders who may vote or consent, and what has been recorded."""
    officers_only(access)
    state = access.state(None)
    names = {s.id: s.name for s in access.session.stakeholders()}
    holders = captable_data(access, None)["holders"]
    preferred = [
        c
        for c, n in state.outstanding.items()
        if n and (k := state.stock_class(c)) is not None and k.kind == "preferred"
    ]
    recorded = [
        e for e in history_json(access.session.entries()) if e["type"] in VOTE_AND_CONSENT_TYPES
    ]
    return render(
        request,
        "consents.html",
        status,
        access=access,
        active="consents",
        names=names,
        holders={
            h: {c: n for c, n in by.items() if n} for h, by in holders.items() if any(by.values())
        },
        preferred=preferred,
        notices=rofr_data(access, None)["notices"],
        directors=directors_in_office(state),
        actions=action_ids(state),
        recorded=recorded,
        types=VOTE_AND_CONSENT_TYPES,
        last_date=state.as_of.isoformat() if state.as_of else "",
        draft=outcome.pop("draft", {}),
        **outcome,
    )


def submit(
    request: Request,
    access: Access,
    csrf: str,
    form: str,
    build: Callable[[], dict[str, Any]],
    **typed: Any,
) -> Response:
    """Record the event `build()` makes from a form: the page again with its sequence, or
    with the refusal's sentences, the form as it was typed (`typed`: fields kept as text),
    and nothing written."""
    access.principal.check_csrf(csrf)
    require_may_record(access, [])  # a member who records nothing is refused first
    event: dict[str, Any] = {}
    try:
        event = build()
        seqs = record(access, [event], "web")
    except CharterError as e:
        return consents_page(
            request,
            access,
            422,
            errors=[replace(p, file=None).sentence() for p in e.problems],  # the page is where
            form=form,
            draft=event,
            **typed,
        )
    return consents_page(request, access, recorded_now=(seqs[0], event["type"]))


def common_fields(date: str, event_id: str, note: str) -> dict[str, Any]:
    """The fields every event has; an empty id or note is left out."""
    out: dict[str, Any] = {"date": date.strip()}
    if event_id.strip():
        out["id"] = event_id.strip()
    if note.strip():
        out["note"] = note.strip()
    return out


@router.get("/c/{company}/consents")
def consents_view(request: Request, access: PageAccess) -> Response:
    """The forms to record an election or consent to convert, a waiver of the right of
    first refusal and a plan's adoption, and the votes and consents recorded so far."""
    return consents_page(request, access)


@router.post("/c/{company}/consents/convert-election")
def convert_election_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    classes: Ids = None,
    consents: Ids = None,
    conditioned_on_closing: Checkbox = "",
    funds_available: Text = "",
    event_id: EventId = "",
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """An election of a group of series, or the consent of a series, to convert."""

    def build() -> dict[str, Any]:
        event = common_fields(date, event_id, note) | {
            "type": "convert_election",
            "classes": classes or [],
            "consents": consents or [],
        }
        if conditioned_on_closing:
            event["conditioned_on_closing"] = True
        if funds_available.strip():
            event["funds_available"] = funds_available.strip()
        return event

    return submit(request, access, csrf, "convert_election", build)


@router.post("/c/{company}/consents/rofr-waiver")
def rofr_waiver_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    notice: Annotated[str, Form(max_length=100)] = "",
    by: Annotated[str, Form(max_length=20)] = "",
    consents: Ids = None,
    board_approval: Annotated[str, Form(max_length=100)] = "",
    event_id: EventId = "",
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """A waiver of the right for one noticed transfer, by the board (naming its recorded
    resolution) or by consent."""

    def build() -> dict[str, Any]:
        event = common_fields(date, event_id, note)
        event |= {"type": "rofr_waive", "notice": notice, "by": by}
        if consents:
            event["consents"] = consents
        if board_approval.strip():
            event["board_approval"] = board_approval.strip()
        return event

    return submit(request, access, csrf, "rofr_waive", build)


@router.post("/c/{company}/consents/plan")
def plan_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    event_id: EventId = "",
    shares: Annotated[str, Form(max_length=40)] = "",
    board: Checkbox = "",
    consents: Ids = None,
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """A plan adopted by the board, with the consents of holders it needs."""

    def build() -> dict[str, Any]:
        approvals: list[dict[str, Any]] = []
        if board:
            approvals.append({"by": "board", "date": date.strip()})
        if consents:
            approvals.append({"by": "stockholders", "consents": consents})
        event = common_fields(date, event_id, note)
        event |= {"type": "adopt_plan", "shares": shares.strip()}
        if approvals:
            event["approvals"] = approvals
        return event

    return submit(request, access, csrf, "adopt_plan", build)


@router.post("/c/{company}/consents/board-size")
def board_size_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    event_id: EventId = "",
    directors: Annotated[str, Form(max_length=10)] = "",
    by: Annotated[str, Form(max_length=20)] = "",
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """The number of directors constituting the whole board, fixed by a resolution of the
    board or by the stockholders."""

    def build() -> dict[str, Any]:
        n = directors.strip()
        event = common_fields(date, event_id, note)
        return event | {"type": "board_size", "directors": int(n) if n.isdigit() else n, "by": by}

    return submit(request, access, csrf, "board_size", build)


@router.post("/c/{company}/consents/board-approval")
def board_approval_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    event_id: EventId = "",
    approves: Annotated[str, Form(max_length=500)] = "",
    by: Annotated[str, Form(max_length=20)] = "",
    consents: Ids = None,
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """A resolution of the board: adopted at a meeting, or by the written consent of every
    director; what it approves, comma-separated (e.g. an exception of Art. IV.B.3(d)(ii))."""

    def build() -> dict[str, Any]:
        event = common_fields(date, event_id, note) | {
            "type": "board_approval",
            "approves": [a.strip() for a in approves.split(",") if a.strip()],
            "by": by,
        }
        if consents:
            event["consents"] = consents
        return event

    return submit(request, access, csrf, "board_approval", build)


def signatures(text: str) -> dict[str, str]:
    """`holder date` a line (a colon or comma may separate them) as holder -> date signed;
    a line without a date keeps an empty date, which the ledger's check names."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.replace(":", " ").replace(",", " ").split()
        if parts:
            out[parts[0]] = " ".join(parts[1:])
    return out


@router.post("/c/{company}/consents/stockholder-consent")
def stockholder_consent_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    event_id: EventId = "",
    action: Annotated[str, Form(max_length=100)] = "",
    series: Annotated[str, Form(max_length=100)] = "",
    consents: Annotated[str, Form(max_length=20000)] = "",
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """A corporate action taken by the written consent of stockholders, with each signer's
    date (Bylaws Art. II §11; DGCL §228)."""

    def build() -> dict[str, Any]:
        event = common_fields(date, event_id, note) | {
            "type": "stockholder_consent",
            "action": action.strip(),
            "consents": signatures(consents),
        }
        if series.strip():
            event["series"] = series.strip()
        return event

    return submit(request, access, csrf, "stockholder_consent", build)


def read_yaml_text(text: str, field: str) -> Any:
    """A form's YAML or JSON text; not YAML: one sentence naming the line."""
    return load_text(text, field=field)


@router.post("/c/{company}/consents/meeting-result")
def meeting_result_form(
    request: Request,
    access: PageAccess,
    date: DateField = "",
    event_id: EventId = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    noticed: Annotated[str, Form(max_length=500)] = "",
    ballots: Annotated[str, Form(max_length=100000)] = "",
    note: Text = "",
    csrf: Csrf = "",
) -> Response:
    """A stockholder meeting's items and ballots, as `charter tally` takes them (Bylaws
    Art. II §2, §8-§10)."""

    def build() -> dict[str, Any]:
        data = read_yaml_text(ballots, "ballots")
        if not isinstance(data, dict):
            raise fail("must be a mapping with items: and ballots:", field="ballots")
        event = common_fields(date, event_id, note) | {
            "type": "meeting_result",
            "kind": kind or "annual",
            "items": data.get("items"),
            "ballots": data.get("ballots"),
        }
        if noticed.strip():
            event["noticed"] = [n.strip() for n in noticed.split(",") if n.strip()]
        return event

    return submit(request, access, csrf, "meeting_result", build, ballots_text=ballots)
