"""Helpers for page tests: read the CSRF token a page hands out, and post forms with it."""

from __future__ import annotations

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
