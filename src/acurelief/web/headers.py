"""Security headers on every answer, as a pure ASGI middleware (it never reads the body).

- ``Content-Security-Policy``: everything from our own origin, no inline script or style
  (the templates load /static/*.js and app.css only), no plugins, no framing.
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff``: a file is what its Content-Type says.
- ``Referrer-Policy: same-origin``: addresses carry patient ids and dates, so they are
  never sent to another site (a page may set a stricter policy of its own, and keeps it).
- ``Strict-Transport-Security`` only when the request came over https, or the settings say
  a proxy terminates TLS in front of the app: over plain http it would be meaningless.
- ``Cache-Control: no-store`` on everything but the static files: pages and API answers
  carry health data, which a shared or later user of the browser must not find in its cache.

A header the route already set wins (the API docs keep their own, looser policy).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"

ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def security_headers(
    https: bool, *, behind_tls: bool = False, static: bool = False
) -> dict[str, str]:
    """The headers an answer should carry (see the module doc)."""
    wanted = dict(ALWAYS)
    if behind_tls or https:
        wanted["Strict-Transport-Security"] = HSTS
    if not static:
        wanted["Cache-Control"] = "no-store"
    return wanted


class SecurityHeaders:
    """Adds the headers above to every HTTP response of ``app``."""

    def __init__(self, app: ASGIApp, *, behind_tls: bool = False) -> None:
        self.app = app
        self.behind_tls = behind_tls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(
            scope.get("scheme") == "https",
            behind_tls=self.behind_tls,
            static=str(scope.get("path", "")).startswith(STATIC_PREFIX),
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
