"""Errors over HTTP: JSON problem details (RFC 9457) for the API, a page for the browser,
with the same sentences as the CLI. Bad input is a 4xx; a 5xx is a defect."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from itertools import pairwise
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from charter.errors import CharterError, Problem
from charter.inputs import check_data
from charter.ledger.chain import ChainBroken
from charter.ledger.store import ConcurrentAppend

log = logging.getLogger("charter.web")

MAX_BODY = 1 << 20  # 1 MiB: a ledger batch is far smaller


class HTTPProblem(Exception):
    """A refusal with a status and one sentence."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.problems = [Problem(message, field=field)]
        self.headers = headers or {}


def problem_json(status: int, problems: list[Problem]) -> dict[str, Any]:
    sentences = [p.sentence() for p in problems]
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": " ".join(sentences),
        "errors": [
            {
                "sentence": s,
                "message": p.message,
                **{
                    k: v
                    for k, v in (
                        ("field", p.field),
                        ("event", p.index),
                        ("event_id", p.event_id),
                        ("citation", p.citation),
                    )
                    if v is not None
                },
            }
            for s, p in zip(sentences, problems, strict=True)
        ],
    }


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(x) for x in loc if x not in ("body", "query", "path", "header")]
    where = ".".join(parts)
    return f"{loc[0]} {where}".strip() if loc and loc[0] in ("query", "path", "header") else where


def validation_problems(e: RequestValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err in e.errors():
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            out.append(Problem("the request body is not valid JSON", field="body"))
            continue
        if err.get("type") == "extra_forbidden":
            inner = [x for x in loc if x != "body"]
            kind = next(
                (str(b) for a, b in pairwise(inner) if isinstance(a, int)),
                None,
            )  # events.0.convert_election.votes: the event's type follows its index
            whole = f"a {kind} event" if kind and len(inner) > 3 else "this request"
            out.append(Problem(f"is not a field of {whole}", field=_loc(loc) or "body"))
            continue
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        out.append(Problem(msg[:1].lower() + msg[1:], field=_loc(loc) or "body"))
    return out


def install(app: FastAPI, render_page: Any) -> None:
    """Register the handlers: JSON under /api, a page elsewhere (`render_page(request,
    status, problems)`)."""

    def respond(
        request: Request, status: int, problems: list[Problem], headers: dict[str, str]
    ) -> Response:
        if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
            return JSONResponse(
                problem_json(status, problems),
                status_code=status,
                media_type="application/problem+json",
                headers=headers,
            )
        response: Response = render_page(request, status, problems)
        response.headers.update(headers)
        return response

    @app.exception_handler(HTTPProblem)
    async def _http_problem(request: Request, e: HTTPProblem) -> Response:
        return respond(request, e.status, e.problems, e.headers)

    @app.exception_handler(ConcurrentAppend)
    async def _conflict(request: Request, e: ConcurrentAppend) -> Response:
        return respond(request, 409, e.problems, {})

    @app.exception_handler(ChainBroken)
    async def _broken(request: Request, e: ChainBroken) -> Response:
        # a company whose ledger does not verify: the sentence naming the first broken
        # link, never a figure
        return respond(request, 409, e.problems, {})

    @app.exception_handler(CharterError)
    async def _charter(request: Request, e: CharterError) -> Response:
        return respond(request, 422, e.problems, {})

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, e: DataError) -> Response:
        # a value the database refuses (PostgreSQL: a NUL character in text, a string longer
        # than its column): bad input; its transaction was rolled back
        reason = str(e.orig).splitlines()[0] if e.orig is not None else type(e).__name__
        return respond(
            request,
            422,
            [Problem(f"the database cannot store a value of this request ({reason})")],
            {},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> Response:
        return respond(request, 422, validation_problems(e), {})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException) -> Response:
        detail = e.detail if isinstance(e.detail, str) else HTTPStatus(e.status_code).phrase
        if e.status_code == 404 and detail == "Not Found":
            detail = f"there is no page {request.url.path!r}"
        elif e.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path!r}"
        return respond(request, e.status_code, [Problem(detail)], dict(e.headers or {}))

    @app.exception_handler(Exception)
    async def _defect(request: Request, e: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return respond(
            request,
            500,
            [Problem(f"internal error ({type(e).__name__}); nothing was written")],
            {},
        )


class BodyLimit:
    """Refuse request bodies over `limit` bytes with a 413 before they reach a handler; and a
    JSON body that the readers could not write back (a lone surrogate such as `"\\ud800"`
    in a string, nesting too deep to read) with a 422 and its sentence, as inputs.py does for
    files and forms (issue 17 §3). The body (at most `limit` bytes) is read whole first."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(
                scope, send, 413, f"the request body is larger than {self.limit:,} bytes"
            )
            return
        if b"json" not in headers.get(b"content-type", b""):
            await self._streamed(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await self._refuse(
                    scope, send, 413, f"the request body is larger than {self.limit:,} bytes"
                )
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = _unwritable(body)
        if problem is not None:
            await self._refuse(scope, send, 422, problem)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self._refuse(
                scope, send, 413, f"the request body is larger than {self.limit:,} bytes"
            )

    async def _refuse(self, scope: Scope, send: Send, status: int, sentence: str) -> None:
        problem = problem_json(status, [Problem(sentence, field="body")])
        response = JSONResponse(problem, status, media_type="application/problem+json")
        await response(scope, lambda: _empty(), send)


def _unwritable(body: bytes) -> str | None:
    """Why a JSON body cannot be taken although it parses, or None (a body that does not
    parse is left to the handler's own sentence)."""
    try:
        data = json.loads(body)
    except RecursionError:
        return "the request body nests too deeply to be read"
    except ValueError:
        return None
    try:
        check_data(data, escaped=True)
    except CharterError as e:
        return e.problems[0].message
    return None


class BodyTooLarge(Exception):
    pass


async def _empty() -> Message:
    return {"type": "http.disconnect"}
