"""Logins: password hashing (argon2id), authentication, personal API tokens, new users,
password changes and deactivation.

Sessions, throttling and the login flow itself are in ``services.logins``; the password
policy is in ``services.passwords``; two-factor codes in ``services.two_factor``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from acurelief.domain import Role, User
from acurelief.domain.access import Actor
from acurelief.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from acurelief.services import passwords
from acurelief.services.access import audit, audit_administration
from acurelief.services.ports import TokenRecord, UnitOfWork

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
DEFAULT_TOKEN_LIFETIME = dt.timedelta(days=90)
MAX_TOKEN_LIFETIME = dt.timedelta(days=365)
TOKEN_PREFIX = "acr_"  # noqa: S105 - a visible prefix, not a secret
UNUSABLE_PASSWORD_PREFIX = "!"  # noqa: S105 - a stored hash starting so matches no password


_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters


def _hasher() -> PasswordHasher:
    return _HASHER


def use_cheap_hashing_for_tests() -> None:
    """Argon2id still, but with minimal cost, so that test suites can create many users."""
    global _HASHER
    _HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _dummy_hash.cache_clear()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a real password")


def hash_password(password: str, email: str = "", field: str = "password") -> str:
    """The argon2id hash of a password the policy accepts (InvalidInput on ``field`` if not)."""
    passwords.check(password, email, field)
    return _hasher().hash(password)


def unusable_password_hash() -> str:
    """A stored hash that no password matches: the login cannot be used until one is set.

    It starts with ``UNUSABLE_PASSWORD_PREFIX``, which no argon2 hash does; argon2 refuses it.
    """
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(16)


def _verify(password_hash: str, password: str) -> bool:
    if password_hash.startswith(UNUSABLE_PASSWORD_PREFIX):
        _verify(_dummy_hash(), password)  # spend the same time as a real check
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_of(user: User) -> Actor:
    return Actor(user.id or 0, user.role, user.clinic_id, user.patient_id)


def authenticate(uow: UnitOfWork, email: str, password: str) -> Actor:
    """The actor for a correct e-mail and password; one vague error for anything else."""
    found = uow.users.credentials(email.strip())
    if found is None:
        _verify(_dummy_hash(), password)  # spend the same time as a real check
        raise NotAuthenticated("wrong e-mail or password")
    if not _verify(found.password_hash, password) or not found.user.active:
        raise NotAuthenticated("wrong e-mail or password")
    if _hasher().check_needs_rehash(found.password_hash):
        uow.users.set_password_hash(found.user.id or 0, _hasher().hash(password))
    return actor_of(found.user)


def actor_for_user(uow: UnitOfWork, user_id: int) -> Actor | None:
    """The actor behind a session cookie's user id, if that user still exists and is active."""
    user = uow.users.get(user_id)
    return actor_of(user) if user is not None and user.active else None


def actor_of_id(uow: UnitOfWork, user_id: int) -> Actor:
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user", user_id)
    return actor_of(user)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a bearer or invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    uow: UnitOfWork,
    user_id: int,
    label: str,
    now: dt.datetime,
    lifetime: dt.timedelta = DEFAULT_TOKEN_LIFETIME,
) -> str:
    """A new personal bearer token for the user, valid for ``lifetime`` (at most a year);
    shown once, only its digest is kept. The caller commits."""
    return new_token(uow, user_id, label, now, lifetime)[0]


def new_token(
    uow: UnitOfWork,
    user_id: int,
    label: str,
    now: dt.datetime,
    lifetime: dt.timedelta = DEFAULT_TOKEN_LIFETIME,
) -> tuple[str, TokenRecord]:
    """``issue_token``'s token with its stored record (id, expiry) for the owner."""
    if not dt.timedelta(0) < lifetime <= MAX_TOKEN_LIFETIME:
        raise InvalidInput.single(
            "days", f"must be from 1 to {MAX_TOKEN_LIFETIME.days}; issue a new token when it ends"
        )
    if uow.users.get(user_id) is None:
        raise NotFound("user", user_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = uow.logins.add_token(
        user_id, token_digest(token), label[:100] or "token", now, now + lifetime
    )
    return token, record


def token_in_use(uow: UnitOfWork, token: str, now: dt.datetime) -> tuple[Actor, TokenRecord] | None:
    """The actor behind a bearer token that is known, unrevoked and unexpired, with the
    token's record; reads only (``note_token_use`` records the use)."""
    record = uow.logins.token_by_hash(token_digest(token))
    if record is None or record.revoked_at is not None:
        return None
    if record.expires_at is None or now >= record.expires_at:
        return None
    user = uow.users.get(record.user_id)
    if user is None or not user.active:
        return None
    return actor_of(user), record


def actor_for_token(uow: UnitOfWork, token: str, now: dt.datetime) -> Actor | None:
    found = token_in_use(uow, token, now)
    return found[0] if found is not None else None


def token_use_to_note(record: TokenRecord, now: dt.datetime) -> bool:
    """Whether the token's last use is stale enough to be written again (once a minute)."""
    return record.last_used_at is None or now - record.last_used_at >= dt.timedelta(minutes=1)


def note_token_use(uow: UnitOfWork, token_id: int, now: dt.datetime) -> None:
    """Record that the token was used now, for the owner's list. Committed."""
    uow.logins.touch_token(token_id, now)
    uow.commit()


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[TokenRecord]:
    """The actor's own tokens, newest first, revoked ones included (they say so)."""
    return sorted(uow.logins.tokens_of(actor.user_id), key=lambda t: t.id, reverse=True)


def revoke_token(uow: UnitOfWork, actor: Actor, token_id: int, now: dt.datetime) -> None:
    """Revoke one of the actor's tokens; NotFound for another's or an unknown one. Audited,
    committed."""
    if not uow.logins.revoke_token(actor.user_id, token_id, now):
        owned = {t.id: t for t in uow.logins.tokens_of(actor.user_id)}
        if token_id not in owned:
            raise NotFound("token", token_id)
        return  # already revoked: nothing more to do
    audit(uow, actor, now, "token_revoked", None, f"token {token_id}")
    uow.commit()


def _user_by_email(uow: UnitOfWork, email: str) -> User:
    found = uow.users.credentials(email.strip())
    if found is None or found.user.id is None:
        raise NotFound("user", email.strip().lower())
    return found.user


def change_password(
    uow: UnitOfWork,
    actor: Actor,
    current: str,
    new: str,
    now: dt.datetime,
    keep_session: str | None = None,
) -> None:
    """The actor changes their own password, proving the current one; every other session of
    theirs ends (``keep_session``, the digest of the one in use, stays). Audited, committed."""
    user = uow.users.get(actor.user_id)
    found = uow.users.credentials(user.email) if user is not None else None
    if found is None or not _verify(found.password_hash, current):
        raise InvalidInput.single("current", "is not your current password; type it again")
    if new == current:
        raise InvalidInput.single("password", "is the same as the current one; choose a new one")
    _set_password(uow, actor.user_id, hash_password(new, found.user.email), now, keep_session)
    audit(uow, actor, now, "password_changed", None)
    uow.commit()


def set_password_by_admin(
    uow: UnitOfWork, email: str, password: str, now: dt.datetime, *, os_user: str | None = None
) -> User:
    """Set a login's password from the command line: every session and token of the login
    ends, since whoever held them may be why the password is being reset. Audited,
    committed."""
    user = _user_by_email(uow, email)
    assert user.id is not None
    _set_password(uow, user.id, hash_password(password, user.email), now, None)
    uow.logins.revoke_tokens(user.id, now)
    audit_administration(uow, now, "password_reset", user, os_user)
    uow.commit()
    return user


def _set_password(
    uow: UnitOfWork, user_id: int, password_hash: str, now: dt.datetime, keep: str | None
) -> None:
    uow.users.set_password_hash(user_id, password_hash)
    uow.logins.password_changed(user_id, now)
    uow.logins.end_sessions(user_id, now, keep=keep)


def set_active(
    uow: UnitOfWork, email: str, active: bool, now: dt.datetime, *, os_user: str | None = None
) -> User:
    """Deactivate a login (its sessions end and its tokens are revoked) or reactivate it.
    Audited, committed."""
    user = _user_by_email(uow, email)
    assert user.id is not None
    uow.logins.set_active(user.id, active)
    if not active:
        uow.logins.end_sessions(user.id, now)
        uow.logins.revoke_tokens(user.id, now)
    audit_administration(uow, now, "reactivated" if active else "deactivated", user, os_user)
    uow.commit()
    return user


def issue_own_token(
    uow: UnitOfWork, actor: Actor, label: str, days: int, now: dt.datetime
) -> tuple[str, TokenRecord]:
    """A new personal token for the actor, valid ``days``, audited and committed; the token
    is returned only here (the caller shows it once)."""
    token, record = new_token(uow, actor.user_id, label.strip(), now, dt.timedelta(days=days))
    audit(uow, actor, now, "token_issued", None, f"token {record.id}")
    uow.commit()
    return token, record


def refuse_token_minting(via_token: bool) -> None:
    """A token may not mint tokens: a leaked one must not be able to outlive its revocation."""
    if via_token:
        raise Forbidden(
            "a new token can only be issued from a logged-in browser session, not with a token"
        )


def create_user(
    uow: UnitOfWork,
    *,
    clinic_id: int,
    email: str,
    display_name: str,
    role: Role,
    password: str,
    patient_id: int | None = None,
) -> User:
    """A new login. A patient login must name a patient of the same clinic."""
    if uow.clinics.get(clinic_id) is None:
        raise NotFound("clinic", clinic_id)
    if role is Role.PATIENT:
        patient = uow.patients.get(patient_id) if patient_id is not None else None
        if patient is None or patient.clinic_id != clinic_id:
            raise InvalidInput.single("patient_id", "a patient login needs a patient of the clinic")
    user = User(
        clinic_id=clinic_id,
        email=email.strip().lower(),
        display_name=display_name,
        role=role,
        patient_id=patient_id,
    )
    ensure_email_free(uow, user.email)
    return uow.users.add(user, hash_password(password, user.email))


def ensure_email_free(uow: UnitOfWork, email: str, user_id: int | None = None) -> None:
    """Refuse (Conflict) an e-mail that a login other than ``user_id`` already uses."""
    found = uow.users.credentials(email)
    if found is not None and found.user.id != user_id:
        raise Conflict(f"a user with e-mail {email.lower()} already exists")
