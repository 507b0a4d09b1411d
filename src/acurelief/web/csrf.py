"""Cross-site request forgery protection for everything authenticated by the session cookie.

A browser sends the session cookie with any request, even one another site's page makes it
send, so every state-changing request that relies on the cookie must prove it came from our
own pages, in two independent ways:

* a secret token kept in the session and echoed back: a hidden ``csrf_token`` field in every
  form, or an ``X-CSRF-Token`` header from scripts calling the API with the cookie;
* an ``Origin`` (or, failing that, ``Referer``) header naming this very site, when the browser
  sends one (all current browsers do on POST).

Requests carrying a bearer token are not cookie-authenticated and need neither: another site
cannot make a browser attach our bearer token.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from markupsafe import Markup, escape

from acurelief.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfRefused(Forbidden):
    """A state-changing request that did not prove it came from our own pages."""


def csrf_token(request: Request) -> str:
    """The session's token, created on first use (also for a visitor not yet logged in)."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden form field that carries the token; every page form includes it."""
    value = escape(csrf_token(request))
    return Markup(f'<input type="hidden" name="{FORM_FIELD}" value="{value}">')  # noqa: S704


def _bearer(request: Request) -> bool:
    """Whether the request authenticates with a bearer token, which no other site can attach."""
    return request.headers.get("authorization", "").lower().startswith("bearer ")


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def check_origin(request: Request) -> None:
    """Refuse a request whose Origin (or Referer) names another site."""
    origin = request.headers.get("origin")
    if origin is None and (referer := request.headers.get("referer")):
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin is not None and origin != _own_origin(request):
        raise CsrfRefused("this request came from another site and was refused")


def _matches(request: Request, presented: object) -> bool:
    expected = request.session.get(SESSION_KEY)
    return (
        isinstance(expected, str)
        and isinstance(presented, str)
        and hmac.compare_digest(expected.encode(), presented.encode())
    )


async def verify_form(request: Request) -> None:
    """Page routes: a state-changing form must carry the session's token and our origin."""
    if request.method in SAFE_METHODS or _bearer(request):
        return
    check_origin(request)
    form = await request.form()
    if not _matches(request, form.get(FORM_FIELD) or request.headers.get(HEADER)):
        raise CsrfRefused(
            "the form had expired or did not come from this site; reload the page and send it again"
        )


def verify_header(request: Request) -> None:
    """API calls authenticated by the cookie: they must send the token as a header."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    if not _matches(request, request.headers.get(HEADER)):
        raise CsrfRefused(
            "a request authenticated by the session cookie must send the X-CSRF-Token header "
            "(or use 'Authorization: Bearer <token>')"
        )
