"""The request-body limit: a body over ``Settings.max_body_bytes`` answers 413 unread.

One request must not be able to exhaust the server: without a limit a 44 MB diary body was
parsed whole, validated entry by entry and answered with a 45 MB error, before the caller was
even authenticated. This pure ASGI middleware sits outside everything else, so it answers
before the session, authentication or any route runs:

- a declared ``Content-Length`` over the limit is refused at once, without reading a byte;
- a streamed (chunked) body is counted as it arrives by Starlette's
  ``RequestBodyLimitMiddleware``, which stops the read as soon as the count passes the limit;
  the route's error handlers then turn that into the same 413 problem (``problems.py``).

API callers get a JSON problem, people get the error page (``problems.refusal``).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from acurelief.web import problems
from acurelief.web.render import templates


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413 before they are read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._counted = RequestBodyLimitMiddleware(app, max_body_size=max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            request = Request(scope)
            response = problems.refusal(templates, request, 413, *problems.TOO_LARGE)
            await response(scope, receive, send)
            return
        await self._counted(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared body size, or None when the body is streamed or the header is not a number
    (the streamed count then applies)."""
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.isdigit():
        return None
    return int(value)
