"""What the server tells browsers, and whom it believes about the client (issue 17 §4, §5).

- Every response carries a Content-Security-Policy that allows scripts and styles from this
  site's `/static/` files only (no inline script: a page hands its data to the static
  script in a `<script type="application/json">` block, written by `script_json`), and
  forbids framing; with `X-Frame-Options`, `X-Content-Type-Options: nosniff` and a
  `Referrer-Policy`. Behind HTTPS, `Strict-Transport-Security` too.
- The client's address and scheme come from the connection, unless the connection comes
  from a proxy the configuration trusts (`CHARTER_TRUSTED_PROXIES`, `charter serve
  --trusted-proxy`): then from its `X-Forwarded-For` (the last address the trusted proxies
  did not add) and `X-Forwarded-Proto`. Anyone else's forwarding headers are ignored, so a
  client cannot choose the address the sign-in throttle counts.
- `CHARTER_HTTPS=1` (`charter serve --https`) says the site is served over HTTPS whatever
  the connection says (a TLS terminator that sends no `X-Forwarded-Proto`): the session
  cookie is then `Secure`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from charter.printable import shown
from charter.server.settings import Settings

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def settings_of(request: Request) -> Settings:
    found: Settings = request.app.state.security
    return found


def client_address(request: Request) -> str:
    """The client's address: the connection's peer, or, when that is a trusted proxy, the
    nearest address in `X-Forwarded-For` that is not itself a trusted proxy."""
    settings = settings_of(request)
    peer = request.client.host if request.client else ""
    if not settings.trusts(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not settings.trusts(hop):
            return hop[:100]
    return hops[0][:100] if hops else peer


def is_https(request: Request) -> bool:
    """Whether the browser reached the site over HTTPS: the setting, the connection's own
    scheme, or `X-Forwarded-Proto` from a trusted proxy."""
    settings = settings_of(request)
    if settings.https or request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    if settings.trusts(peer):
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return proto == "https"
    return False


def shown_in_page(value: Any) -> Any:
    """Every `{{ value }}` of a page (Jinja's `finalize`): a text with its control and
    bidirectional formatting characters shown as their escapes (charter.printable), as the
    CLI and the files show what a database already holds; what a page's code marked safe
    (`Markup`: the JSON of script blocks, the charts' SVG) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return shown(value)
    return value


def script_json(value: Any) -> Markup:
    """`value` as JSON safe inside a `<script type="application/json">` block: `<`, `>`
    and `&` escaped (no `</script>` or `<!--` can close or bend the block), and the line
    separators U+2028 and U+2029 too. JSON.parse reads the escapes back unchanged."""
    text = json.dumps(value, ensure_ascii=False)
    for ch, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return Markup(text)


class SecurityHeaders:
    """Add the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.settings.https or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {"content-security-policy": CSP, **HEADERS}
                if https:
                    extra["strict-transport-security"] = "max-age=31536000"
                for k, v in extra.items():
                    if k.encode() not in names:
                        headers.append((k.encode(), v.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
