"""Two-factor login for staff: TOTP codes (RFC 6238, via pyotp) and one-time recovery codes.

Enrolment: ``begin_enrolment`` stores a fresh secret (not yet enabled) and returns it with
its ``otpauth://`` URI for an authenticator app; ``finish_enrolment`` enables it once a code
from the app proves the app has it, and returns ten recovery codes, shown once (only their
SHA-256 digests are kept). A code is accepted one 30-second step early or late, for clocks
that drift. Patients do not use it: their logins reach only their own diary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

import pyotp

from acurelief.domain import Role
from acurelief.domain.access import Actor
from acurelief.errors import Conflict, Forbidden, InvalidInput
from acurelief.services.access import audit
from acurelief.services.ports import UnitOfWork

ISSUER = "acurelief"
RECOVERY_CODES = 10
VALID_WINDOW = 1  # steps of 30 s either side


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the enrolment page shows: the secret and the URI an authenticator app reads."""

    secret: str = field(repr=False)
    uri: str = field(repr=False)


def wrong_code() -> InvalidInput:
    return InvalidInput.single(
        "code", "is not right; type the 6-digit code your app shows now, or a recovery code"
    )


def _digest(code: str) -> str:
    return hashlib.sha256(_normal(code).encode("utf-8")).hexdigest()


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _staff(actor: Actor) -> None:
    if actor.role is Role.PATIENT:
        raise Forbidden("two-factor login is for practice staff")


def enabled(uow: UnitOfWork, user_id: int) -> bool:
    return uow.logins.totp(user_id)[1]


def begin_enrolment(uow: UnitOfWork, actor: Actor, email: str) -> Enrolment:
    """A new secret for the actor, stored but not enabled until a code confirms it. Committed."""
    _staff(actor)
    if enabled(uow, actor.user_id):
        raise Conflict("two-factor login is already on")
    secret = pyotp.random_base32()
    uow.logins.set_totp(actor.user_id, secret, enabled=False)
    uow.commit()
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER))


def pending_enrolment(uow: UnitOfWork, actor: Actor, email: str) -> Enrolment | None:
    """The secret being enrolled, to show the page again; None if none is pending."""
    secret, on = uow.logins.totp(actor.user_id)
    if secret is None or on:
        return None
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER))


def finish_enrolment(uow: UnitOfWork, actor: Actor, code: str, now: dt.datetime) -> list[str]:
    """Turn two-factor login on once ``code`` matches; the recovery codes, shown once.
    Audited, committed."""
    _staff(actor)
    secret, on = uow.logins.totp(actor.user_id)
    if on:
        raise Conflict("two-factor login is already on")
    if secret is None:
        raise InvalidInput.single("code", "start the set-up again: no secret is waiting")
    if not pyotp.TOTP(secret).verify(_normal(code), for_time=now, valid_window=VALID_WINDOW):
        raise InvalidInput.single(
            "code", "does not match; check the app's clock and type the code it shows now"
        )
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    uow.logins.set_totp(actor.user_id, secret, enabled=True)
    uow.logins.replace_recovery_codes(actor.user_id, [_digest(c) for c in codes])
    audit(uow, actor, now, "two_factor_enabled", None)
    uow.commit()
    return codes


def verify_login_code(uow: UnitOfWork, user_id: int, code: str, now: dt.datetime) -> bool:
    """Whether ``code`` is the current TOTP code or an unused recovery code (used up here;
    the caller commits)."""
    secret, on = uow.logins.totp(user_id)
    if not on or secret is None or not code.strip():
        return False
    normal = _normal(code)
    if normal.isdigit() and len(normal) == 6:
        step = _matching_step(pyotp.TOTP(secret), normal, now)
        return step is not None and uow.logins.use_totp_step(user_id, step)
    return uow.logins.use_recovery_code(user_id, _digest(code), now)


def _matching_step(totp: pyotp.TOTP, code: str, now: dt.datetime) -> int | None:
    """The 30-second step (within ``VALID_WINDOW`` of now) whose code is ``code``, or None.
    Knowing the step lets a login refuse a code that was already used (a replayed code)."""
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None
