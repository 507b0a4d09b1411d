"""Logins: password hashing (argon2id), authentication, personal API tokens, new users."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from acurelief.domain import Role, User
from acurelief.domain.access import Actor
from acurelief.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from acurelief.services.ports import UnitOfWork

MIN_PASSWORD_LENGTH = 10
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


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.single("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
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


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a bearer or invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(uow: UnitOfWork, user_id: int, label: str, now: dt.datetime) -> str:
    """A new personal bearer token for the user; shown once, only its digest is kept."""
    if uow.users.get(user_id) is None:
        raise NotFound("user", user_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    uow.users.add_token(user_id, token_digest(token), label[:100] or "token", now)
    return token


def actor_for_token(uow: UnitOfWork, token: str) -> Actor | None:
    user = uow.users.user_for_token(token_digest(token))
    return actor_of(user) if user is not None and user.active else None


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
    return uow.users.add(user, hash_password(password))


def ensure_email_free(uow: UnitOfWork, email: str, user_id: int | None = None) -> None:
    """Refuse (Conflict) an e-mail that a login other than ``user_id`` already uses."""
    found = uow.users.credentials(email)
    if found is not None and found.user.id != user_id:
        raise Conflict(f"a user with e-mail {email.lower()} already exists")
