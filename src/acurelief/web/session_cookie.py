"""The session cookie, encrypted: the browser holds it, but nobody can read or change it.

Starlette's ``SessionMiddleware`` signs its cookie but leaves the content readable (base64
JSON). Ours carries a login's session id, the CSRF token and one-shot messages that may name
a patient or a questionnaire score, and a one-time welcome link — health data and secrets
that must not be readable from a copied cookie, a proxy log or a shared computer's profile.

The cookie is a Fernet token (AES-128-CBC + HMAC-SHA256, with its issue time) under a key
derived from the app's secret key by HKDF, so the cookie key is never the secret itself and
rotating the secret ends every cookie. Expiry is checked on the token's own time stamp.
Everything else (cookie attributes, when a cookie is set or cleared) is Starlette's.
"""

from __future__ import annotations

import base64
from typing import Literal

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous.exc import BadSignature
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

KEY_CONTEXT = b"acurelief session cookie v1"


def cookie_key(secret: str) -> bytes:
    """The Fernet key for ``secret``: 32 bytes from HKDF-SHA256, base64url as Fernet wants."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_CONTEXT).derive(
        secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


class _Sealer:
    """What ``SessionMiddleware`` calls its signer: ``sign`` seals, ``unsign`` opens; a cookie
    that is forged, altered or older than ``max_age`` raises ``BadSignature`` and the request
    starts with an empty session."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def sign(self, value: bytes) -> bytes:
        return self._fernet.encrypt(value)

    def unsign(self, value: bytes, max_age: int | None = None) -> bytes:
        try:
            return self._fernet.decrypt(value, ttl=max_age)
        except InvalidToken as exc:
            raise BadSignature("the session cookie is not ours or has expired") from exc


class EncryptedSessionMiddleware(SessionMiddleware):
    """``SessionMiddleware`` whose cookie is sealed by ``_Sealer`` instead of signed."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        session_cookie: str = "session",
        max_age: int | None = None,
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
    ) -> None:
        super().__init__(
            app,
            secret_key,
            session_cookie=session_cookie,
            max_age=max_age,
            same_site=same_site,
            https_only=https_only,
        )
        self.signer = _Sealer(cookie_key(secret_key))  # type: ignore[assignment]
