"""Data entry for administrators: the events recorded every week, each in its own form — a
stakeholder added or edited, shares issued, an option granted with its vesting, an exercise,
a transfer (with its exemption or right-of-first-refusal notice, Bylaws Art. VIII §1), a
repurchase, a split, a notice of a proposed transfer (§1(a)).

Each form is checked exactly as replay checks the event (the service's `checked`, the one
used by every door that writes); every mistake is shown beside its field with what was typed
kept, and a preview shows the cap table before and after. Nothing is written until the
administrator records it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from fastapi import APIRouter, Request
from fastapi.responses import Response
from msgspec.structs import replace

from charter.errors import CharterError, Problem
from charter.rules.captable import captable, captable_json
from charter.state.model import State
from charter.web.context import Access
from charter.web.pages import PageAccess, render
from charter.web.problems import HTTPProblem
from charter.web.recording import require_may_record

EXEMPTIONS = (
    "family",
    "existing-stockholder",
    "officer-or-director",
    "corporate-reorganization",
    "partnership-distribution",
    "pro-rata-distribution",
)
MAX_FIELD = 500


class Field(msgspec.Struct, frozen=True):
    name: str
    label: str
    kind: str = "text"  # text, date, number, decimal, select, checkbox
    options: str | None = None  # where a select's choices come from (see `choices`)
    required: bool = False


class Form(msgspec.Struct, frozen=True):
    key: str
    title: str
    clause: str
    fields: tuple[Field, ...]
    event_type: str | None  # None: the stakeholder form


DATE = Field("date", "Date", "date", required=True)
ID = Field("id", "Id (optional)")
NOTE = Field("note", "Note")
SHARES = Field("shares", "Shares", "number", required=True)

FORMS = {
    f.key: f
    for f in (
        Form(
            "stakeholder",
            "Add or edit a stakeholder",
            "spec/ledger-format.md: stakeholders",
            (
                Field("id", "Id", required=True),
                Field("name", "Name", required=True),
                Field("address", "Address (stockholder lists need it)"),
                Field("relations", "Relations (comma-separated: officer, director, employee…)"),
                Field("edit", "Change an existing stakeholder's details", "checkbox"),
            ),
            None,
        ),
        Form(
            "issue",
            "Issue shares",
            "Art. IV.B.3(d)",
            (
                DATE,
                Field("holder", "Holder", "select", "holders", True),
                Field("class", "Class", "select", "classes", True),
                SHARES,
                Field("price", "Price per share", "decimal", required=True),
                Field("certificate", "Certificate number"),
                Field("exclusion", "Excluded from Additional Stock as", "select", "exclusions"),
                ID,
                NOTE,
            ),
            "issue",
        ),
        Form(
            "grant",
            "Grant an option",
            "Art. IV.B.3(d)(ii)(B)",
            (
                DATE,
                Field("id", "Grant id", required=True),
                Field("kind", "Kind", "select", "kinds", True),
                Field("holder", "Holder", "select", "holders", True),
                Field("class", "Class", "select", "classes", True),
                SHARES,
                Field("exercise_price", "Exercise price", "decimal", required=True),
                Field("expires", "Expires", "date"),
                Field("plan", "Plan", "select", "plans"),
                Field("vesting", "Vesting (a note)"),
                Field("exclusion", "Excluded from Additional Stock as", "select", "exclusions"),
                NOTE,
            ),
            "grant",
        ),
        Form(
            "exercise",
            "Exercise",
            "spec/ledger-format.md: exercise",
            (DATE, Field("grant", "Grant", "select", "grants", True), SHARES, ID, NOTE),
            "exercise",
        ),
        Form(
            "transfer",
            "Transfer",
            "Bylaws Art. VIII §1",
            (
                DATE,
                Field("from", "From", "select", "holders", True),
                Field("to", "To", "select", "holders", True),
                Field("class", "Class", "select", "classes", True),
                SHARES,
                Field("price", "Price per share", "decimal"),
                Field("exemption", "Exemption (Art. VIII §1(f))", "select", "exemptions"),
                Field("rofr", "Or the notice it follows (Art. VIII §1(a))", "select", "notices"),
                ID,
                NOTE,
            ),
            "transfer",
        ),
        Form(
            "repurchase",
            "Repurchase",
            "Art. IV.B.3(d)",
            (
                DATE,
                Field("holder", "Holder", "select", "holders", True),
                Field("class", "Class", "select", "classes", True),
                SHARES,
                Field("price", "Price per share", "decimal", required=True),
                Field("rofr", "Settling the notice", "select", "notices"),
                ID,
                NOTE,
            ),
            "repurchase",
        ),
        Form(
            "split",
            "Split or combination",
            "Art. IV.B.3(d)(iii)",
            (
                DATE,
                Field("class", "Class", "select", "classes", True),
                Field("ratio", "Ratio new:old (e.g. 2:1)", required=True),
                Field("record_date", "Record date", "date"),
                ID,
                NOTE,
            ),
            "split",
        ),
        Form(
            "rofr-notice",
            "Notice of a proposed transfer",
            "Bylaws Art. VIII §1(a)",
            (
                DATE,
                Field("id", "Notice id", required=True),
                Field("holder", "Holder", "select", "holders", True),
                Field("class", "Class", "select", "classes", True),
                SHARES,
                Field("price", "Price per share", "decimal", required=True),
                Field("transferee", "Proposed transferee", "select", "holders", True),
                Field("received", "Received (default: the date)", "date"),
                NOTE,
            ),
            "rofr_notice",
        ),
    )
}


def choices(state: State, access: Access) -> dict[str, list[tuple[str, str]]]:
    """The options of each select: (value, label)."""
    names = {h.id: h.name for h in access.session.stakeholders()}
    cert = state.certificate
    exclusions = cert.antidilution.exclusions if cert.antidilution is not None else []
    return {
        "holders": [(h, f"{n} ({h})") for h, n in sorted(names.items(), key=lambda x: x[1])],
        "classes": [(c.id, c.name) for c in cert.classes],
        "kinds": [(k, k) for k in ("option", "warrant", "right")],
        "plans": [(p, p) for p in state.plans],
        "grants": [
            (g.id, f"{g.id}: {names.get(g.holder, g.holder)}, {g.outstanding:,} left")
            for g in state.grants.values()
            if g.outstanding
        ],
        "exemptions": [(e, e) for e in EXEMPTIONS],
        "notices": [(n, n) for n in state.rofr_notices],
        "exclusions": [(x.name, f"({x.letter}) {x.name}") for x in exclusions],
    }


def build(form: Form, values: Mapping[str, str]) -> tuple[list[dict[str, Any]], list[Any]]:
    """(events, stakeholders) from the form's values; an empty field is left out."""
    given = {f.name: values.get(f.name, "").strip() for f in form.fields}
    if form.event_type is None:
        holder: dict[str, Any] = {"id": given["id"], "name": given["name"]}
        if given["address"]:
            holder["address"] = given["address"]
        if given["relations"]:
            holder["relations"] = [r.strip() for r in given["relations"].split(",") if r.strip()]
        if given["edit"]:
            holder["edit"] = True
        return [], [holder]
    event: dict[str, Any] = {"type": form.event_type}
    event.update((k, v) for k, v in given.items() if v)
    return [event], []


def _field_of(p: Problem, form: Form) -> str | None:
    """The form field a problem is about (stakeholders[0].name -> name)."""
    name = (p.field or "").split(".")[-1] if p.field else None
    if name and name.startswith("stakeholders["):
        name = None
    names = {f.name for f in form.fields}
    return name if name in names else None


def entry_page(
    request: Request,
    access: Access,
    form: Form,
    status: int = 200,
    values: Mapping[str, str] | None = None,
    problems: list[Problem] | None = None,
    preview: dict[str, Any] | None = None,
    recorded: str | None = None,
) -> Response:
    state = access.state(None)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems or []:
        f = _field_of(p, form)
        text = p.message.rstrip(".") + (f" ({p.citation})" if p.citation else "") + "."
        (errors.setdefault(f, []) if f else general).append(text)
    return render(
        request,
        "entry.html",
        status,
        access=access,
        active="entry",
        forms=FORMS,
        form=form,
        values=dict(values or {}),
        errors=errors,
        general=general,
        options=choices(state, access),
        preview=preview,
        recorded=recorded,
        last_date=state.as_of.isoformat() if state.as_of else "",
    )


router = APIRouter(include_in_schema=False)


def _form(key: str) -> Form:
    form = FORMS.get(key)
    if form is None:
        raise HTTPProblem(404, f"there is no form {key[:40]!r}", field="form")
    return form


def administrators_only(access: Access) -> None:
    if not access.member.records_events:
        raise HTTPProblem(403, f"only an administrator of {access.slug} records these events")


@router.get("/c/{company}/entry")
def entry_view(request: Request, access: PageAccess, form: str = "issue") -> Response:
    """The form chosen (issue shares by default) and the links to the others."""
    administrators_only(access)
    return entry_page(request, access, _form(form))


def _changes(before: State, after: State) -> dict[str, Any]:
    """The cap table before and after, as rows of the holders and classes that changed."""
    a, b = captable_json(captable(before)), captable_json(captable(after))
    ha: Any = a["holders"]
    hb: Any = b["holders"]
    rows = []
    for h in sorted(set(ha) | set(hb)):
        for c in sorted(set(ha.get(h, {})) | set(hb.get(h, {}))):
            x, y = ha.get(h, {}).get(c, 0), hb.get(h, {}).get(c, 0)
            if x != y:
                rows.append({"holder": h, "class": c, "before": x, "after": y})
    ca: Any = a["classes"]
    cb: Any = b["classes"]
    classes = [
        {"class": c, "before": ca.get(c, {}).get("outstanding", 0), "after": v["outstanding"]}
        for c, v in cb.items()
        if ca.get(c, {}).get("outstanding", 0) != v["outstanding"]
    ]
    return {
        "holders": rows,
        "classes": classes,
        "fully_diluted": (a["fully_diluted"], b["fully_diluted"]),
    }


@router.post("/c/{company}/entry/{key}")
async def entry_submit(request: Request, access: PageAccess, key: str) -> Response:
    """Check the form's event as replay does; `action=record` writes it, anything else shows
    the preview of the cap table before and after (nothing written)."""
    administrators_only(access)
    form = _form(key)
    data = await request.form()
    access.principal.check_csrf(str(data.get("csrf", ""))[:200])
    values = {f.name: str(data.get(f.name, ""))[:MAX_FIELD] for f in form.fields}
    events, holders = build(form, values)
    require_may_record(access, [e["type"] for e in events])
    source = f"web:{access.principal.user.login}"
    try:
        if data.get("action") == "record":
            seqs = access.session.append(events, source=source, raw_stakeholders=holders)
            what = f"event {seqs[0]}" if seqs else f"stakeholder {values.get('id', '')}"
            # the head read with the credential is the head no more: the next check reads it
            now = replace(access, last_sequence=seqs[-1], head_read=None) if seqs else access
            return entry_page(request, now, form, recorded=f"Recorded {what}.")
        after = access.session.check_batch(events, holders, source)
        before = access.state(None)
        return entry_page(request, access, form, values=values, preview=_changes(before, after))
    except CharterError as e:
        return entry_page(request, access, form, 422, values=values, problems=e.problems)
