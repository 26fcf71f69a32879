"""A page's query form and its mistakes (issue 16, issue 13 §3): when what was typed in a
form cannot be answered, the same page comes back with each sentence beside its field, the
values as typed and the navigation; its status stays a 4xx. One mechanism for every page:
the page handler declares its form (`page_form`) before it reads what was typed, and the
error handlers (problems.py through pages.error_page) show any refusal in that form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec
from fastapi import Request
from fastapi.responses import HTMLResponse

from charter.errors import Problem

if TYPE_CHECKING:
    from charter.web.context import Access


def field_name(where: str | None) -> str | None:
    """The form field a problem names, however the core spelt it: `--as-of` (a CLI
    option), `query as_of` (a request parameter), `CLAUSE` (an argument) are all `as_of`
    or `clause`."""
    if where is None:
        return None
    name = where.removeprefix("query ").removeprefix("--").strip()
    return name.replace("-", "_").lower() or None


def _said(p: Problem) -> str:
    """A problem said beside its field: the message, without the field's name (the field is
    right there) and without any location meant for a file."""
    text = p.message.rstrip(".")
    if p.citation:
        text += f" ({p.citation})"
    first = text.split(" ", 1)[0]
    # a sentence starts with a capital, unless it starts with an id (`series_a`, `'abc'`)
    return (text[:1].upper() + text[1:] if first.isalpha() else text) + "."


class FormErrors(msgspec.Struct):
    """The problems of one request, by the form field they name."""

    problems: list[Problem] = msgspec.field(default_factory=list)
    shown: set[str] = msgspec.field(default_factory=set)  # the fields the page has shown so far

    def __bool__(self) -> bool:
        return bool(self.problems)

    def beside(self, name: str) -> list[str]:
        """The sentences to show beside field `name` (which the page shows)."""
        self.shown.add(name)
        return [_said(p) for p in self.problems if field_name(p.field) == name]

    def elsewhere(self) -> list[str]:
        """The sentences about no field the page has shown (asked for after its fields)."""
        return [_said(p) for p in self.problems if field_name(p.field) not in self.shown]


class PageForm(msgspec.Struct):
    """A page whose form asks a question: its template, and what shows the form itself (the
    values as typed, the choices of its selects) before any answer is computed."""

    request: Request
    template: str
    access: Access | None
    active: str
    values: dict[str, Any]
    context: dict[str, Any]

    def render(self, status: int = 200, **answer: Any) -> HTMLResponse:
        """The page with its answer (`answer` adds to and overrides the form's context)."""
        from charter.web.pages import render

        errors = FormErrors(answer.pop("problems", []))
        return render(
            self.request,
            self.template,
            status,
            access=self.access,
            active=self.active,
            form_errors=errors,
            refused=bool(errors),
            **{**self.values, **self.context, **answer},
        )

    def refused(self, status: int, problems: Iterable[Problem]) -> HTMLResponse:
        """The page without an answer: the form, each mistake beside its field."""
        return self.render(status, problems=list(problems))


def page_form(
    request: Request,
    template: str,
    access: Access,
    active: str,
    values: dict[str, Any],
    **context: Any,
) -> PageForm:
    """Declare the page's form: from here on, a refusal of what was typed (a CharterError,
    or an HTTPProblem under 500) is shown in this form rather than on an error page.
    `values` are the fields as typed (their names are the query parameters'); `context`
    whatever else the form needs (the choices of a select)."""
    form = PageForm(request, template, access, active, values, context)
    request.state.page_form = form
    return form


def declared(request: Request) -> PageForm | None:
    """The form the page handling `request` declared, if any."""
    form: PageForm | None = getattr(request.state, "page_form", None)
    return form
