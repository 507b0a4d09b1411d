"""Secrets a login keeps in the database (its TOTP key), encrypted at rest.

A TOTP key is as good as a second password: whoever reads it from a backup, a replica or a
stolen disk can make valid codes. It is stored as a Fernet token (AES + HMAC) under a key
derived by HKDF from the deployment's audit key (``ACURELIEF_AUDIT_KEY``, else the secret
key), with its own context so it never equals the cookie's or the chain's key. Rotating that
key makes stored TOTP keys unreadable (staff then enrol again), as it makes old audit entries
unverifiable; the README says so.

Without a key (unit tests that build a bare unit of work) values are stored as given.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED_PREFIX = "sealed:"
KEY_CONTEXT = b"acurelief totp secret v1"


class SecretBox:
    """``seal`` before storing, ``open`` after reading; None passes through."""

    def __init__(self, key: bytes) -> None:
        if not key:
            self._fernet: Fernet | None = None
            return
        kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_CONTEXT)
        derived = kdf.derive(key)
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, value: str | None) -> str | None:
        if value is None or self._fernet is None:
            return value
        return SEALED_PREFIX + self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, stored: str | None) -> str | None:
        """The value; a stored value that is not sealed (written without a key) as it is.
        A sealed value this key cannot open reads as None: the login must enrol again."""
        if stored is None or not stored.startswith(SEALED_PREFIX):
            return stored
        if self._fernet is None:
            return None
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED_PREFIX)).decode("utf-8")
        except InvalidToken:
            return None
