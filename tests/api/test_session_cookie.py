"""The session cookie is sealed: its content can be neither read nor changed in the browser."""

from __future__ import annotations

import base64
import binascii
import time

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from itsdangerous.exc import BadSignature

from acurelief.web.session_cookie import _Sealer, cookie_key
from tests.api.forms import login, post_form
from tests.conftest import PASSWORD, World

COOKIE = "acurelief_session"


def _decodings(cookie: str) -> list[bytes]:
    """Every way a reader might try to decode the cookie (whole, or each dotted part)."""
    found = []
    for part in [cookie, *cookie.split(".")]:
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                found.append(decode(part + "=" * (-len(part) % 4)))
            except (binascii.Error, ValueError):
                continue
    return found


def test_a_message_naming_a_patient_is_not_readable_from_the_cookie(
    client: TestClient, world: World
) -> None:
    """Adding a patient leaves their name in a one-shot message for the next page; the cookie
    carrying it shows neither the name nor the session's keys."""
    assert login(client, world.personas["practitioner_a"].email, PASSWORD).status_code == 303
    answer = post_form(
        client,
        "/patients/new",
        {
            "name": "Zelda Quixote",
            "date_of_birth": "1990-04-02",
            "sex": "female",
            "time_zone": "Europe/London",
        },
        page="/patients/new",
    )
    assert answer.status_code == 303, answer.text[-3000:]
    cookie = client.cookies[COOKIE]
    for decoded in _decodings(cookie):
        for secret in (b"Zelda", b"sid", b"csrf", b"flash"):
            assert secret not in decoded
    assert "Zelda Quixote" in client.get(answer.headers["location"]).text  # the message arrives


def test_a_changed_cookie_is_an_empty_session(client: TestClient, world: World) -> None:
    assert login(client, world.personas["practitioner_a"].email, PASSWORD).status_code == 303
    assert client.get("/api/v1/me").status_code == 200
    cookie = client.cookies[COOKIE]
    middle = len(cookie) // 2  # inside the ciphertext, not in base64 padding
    flipped = cookie[:middle] + ("A" if cookie[middle] != "A" else "B") + cookie[middle + 1 :]
    client.cookies.clear()
    client.cookies.set(COOKIE, flipped)
    assert client.get("/api/v1/me").status_code == 401


def test_a_cookie_sealed_under_another_secret_is_refused() -> None:
    ours, theirs = _Sealer(cookie_key("s" * 40)), _Sealer(cookie_key("t" * 40))
    sealed = theirs.sign(b'{"sid": "x"}')
    with pytest.raises(BadSignature):
        ours.unsign(sealed)
    assert theirs.unsign(sealed) == b'{"sid": "x"}'


def test_an_old_cookie_has_expired() -> None:
    key = cookie_key("s" * 40)
    old = Fernet(key).encrypt_at_time(b"{}", int(time.time()) - 100)
    with pytest.raises(BadSignature):
        _Sealer(key).unsign(old, max_age=50)
    assert _Sealer(key).unsign(old, max_age=500) == b"{}"


def test_the_cookie_key_is_derived_not_the_secret_itself() -> None:
    key = base64.urlsafe_b64decode(cookie_key("s" * 40))
    assert len(key) == 32
    assert key != ("s" * 40).encode()[:32]
    assert cookie_key("s" * 40) != cookie_key("s" * 39 + "t")
