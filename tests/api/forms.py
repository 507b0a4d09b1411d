"""Helpers for page tests: read the CSRF token a page hands out, and post forms with it."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, page: str = "/login") -> str:
    """The session's CSRF token, as the hidden field of ``page`` carries it."""
    match = _TOKEN.search(client.get(page).text)
    assert match is not None, f"{page} has no CSRF field"
    return match.group(1)


def post_form(
    client: TestClient, url: str, data: dict[str, Any] | None = None, *, page: str = "/login"
) -> httpx.Response:
    """POST ``data`` as a browser would: with the token from ``page`` and our own Origin."""
    fields = {**(data or {}), "csrf_token": csrf_token(client, page)}
    return client.post(url, data=fields, headers={"Origin": "http://testserver"})


def login(client: TestClient, email: str, password: str, target: str = "/") -> httpx.Response:
    return post_form(client, "/login", {"email": email, "password": password, "next": target})


def error_beside(page: str, field: str) -> str:
    """The message shown beside ``field`` (its id is the field name with dots as dashes),
    unescaped; the field's input must point to it with aria-describedby."""
    ident = field.replace(".", "-") + "-error"
    match = re.search(rf'<(?:span|p) class="field-error" id="{re.escape(ident)}">([^<]+)<', page)
    assert match is not None, f"no error beside {field}"
    pointed = re.search(rf'aria-describedby="[^"]*\b{re.escape(ident)}\b', page)
    assert pointed is not None, f"{field} does not point to its error"
    return html.unescape(match.group(1))
