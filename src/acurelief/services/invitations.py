"""One-time invitation links with which a patient sets the password of their login.

There is no mail server: staff are shown the link once and hand it over (print, message,
QR code). Only the SHA-256 digest of the link's token is stored, like personal API tokens.
A login created for an invitation has an unusable password, so nobody can log in with it
until the link is redeemed. Issuing a new link for the same login lets the older unused ones
expire at once, so at most one link per login works at any time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum

from acurelief.domain import Patient, Role, User
from acurelief.domain.access import Action, Actor
from acurelief.errors import Conflict, InvalidInput, NotFound
from acurelief.services.access import audit, audit_administration, reach_patient
from acurelief.services.accounts import (
    UNUSABLE_PASSWORD_PREFIX,
    actor_of,
    ensure_email_free,
    hash_password,
    token_digest,
    unusable_password_hash,
)
from acurelief.services.ports import InvitationRecord, UnitOfWork

DEFAULT_TTL = dt.timedelta(days=7)
MAX_TTL = dt.timedelta(days=30)
RESET_TTL = dt.timedelta(days=1)
MAX_TOKEN_LENGTH = 200  # a real token is 43 characters; anything far longer is not one


@dataclass(frozen=True, slots=True)
class Invitation:
    """A new link's secret part, to be shown once; it is never stored and never printed."""

    token: str = field(repr=False)
    expires_at: dt.datetime
    email: str


class InvitationState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    UNKNOWN = "unknown"


class LinkPurpose(StrEnum):
    """What a valid link is for, so that its page says the right thing.

    Derived from the login, not stored: a patient's login that has never had a password (the
    unusable one it was created with) is being *welcomed*; any login that already has a
    password (a reset from the command line, or a patient's new link after a lost password)
    sets a *new password*.
    """

    WELCOME = "welcome"
    NEW_PASSWORD = "new_password"  # noqa: S105 - a purpose's name, not a password


@dataclass(frozen=True, slots=True)
class InvitationStatus:
    """What the set-password page may tell the holder of a link: its state, and the login's
    e-mail and the link's purpose only while the link is valid."""

    state: InvitationState
    email: str | None = None
    purpose: LinkPurpose | None = None


_REFUSALS = {
    InvitationState.EXPIRED: "this link has expired; ask your practice for a new one",
    InvitationState.USED: (
        "this link has already been used; log in with your password or ask your practice "
        "for a new link"
    ),
    InvitationState.UNKNOWN: "this link is not valid; ask your practice for a new one",
}


def invite_patient(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    email: str | None,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_TTL,
) -> Invitation:
    """A new one-time link for the patient's login, valid for ``ttl``; audited, committed.

    A patient without a login gets one under ``email`` (required then), with an unusable
    password. A patient with a login gets a new link and their older unused links expire;
    ``email`` may then be left empty, or given to correct the login's address. The actor
    needs ``MANAGE_PATIENTS`` on the patient (NotFound outside their reach, Forbidden for a
    patient).
    """
    _check_ttl(ttl)
    patient = reach_patient(uow, actor, patient_id, Action.MANAGE_PATIENTS, now)
    invitation = issue_invitation(uow, actor, patient, email, now, ttl)
    uow.commit()
    return invitation


def issue_invitation(
    uow: UnitOfWork,
    actor: Actor,
    patient: Patient,
    email: str | None,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_TTL,
) -> Invitation:
    """``invite_patient``'s work for a patient already reached (or just added in this unit of
    work), without the commit: the caller commits, or nothing is stored."""
    _check_ttl(ttl)
    assert patient.id is not None
    user = _login_for(uow, patient, (email or "").strip().lower())
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    uow.invitations.expire_unused(user.id, now)
    uow.invitations.add(
        InvitationRecord(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + ttl,
            created_by=actor.user_id,
        )
    )
    audit(uow, actor, now, "invite_patient", patient.id)
    return Invitation(token=token, expires_at=now + ttl, email=user.email)


def issue_reset_link(
    uow: UnitOfWork,
    email: str,
    now: dt.datetime,
    ttl: dt.timedelta = RESET_TTL,
    *,
    os_user: str | None = None,
) -> Invitation:
    """A one-time link with which any active login sets a new password (an administrator's
    reset, from the command line); redeeming it ends every session of the login. Older
    unused links expire. Audited, committed."""
    _check_ttl(ttl)
    found = uow.users.credentials(email.strip())
    if found is None or found.user.id is None:
        raise NotFound("user", email.strip().lower())
    user = found.user
    assert user.id is not None
    if not user.active:
        raise Conflict("the login is deactivated; reactivate it before resetting its password")
    token = secrets.token_urlsafe(32)
    uow.invitations.expire_unused(user.id, now)
    uow.invitations.add(
        InvitationRecord(
            user_id=user.id, token_hash=token_digest(token), created_at=now, expires_at=now + ttl
        )
    )
    audit_administration(uow, now, "reset_link_issued", user, os_user)
    uow.commit()
    return Invitation(token=token, expires_at=now + ttl, email=user.email)


def _check_ttl(ttl: dt.timedelta) -> None:
    if not dt.timedelta(0) < ttl <= MAX_TTL:
        raise InvalidInput.single("ttl", f"must be more than 0 and at most {MAX_TTL.days} days")


def _login_for(uow: UnitOfWork, patient: Patient, email: str) -> User:
    """The patient's login: created if missing, its e-mail corrected if another is given."""
    assert patient.id is not None
    existing = uow.users.for_patient(patient.id)
    if existing is None:
        return _create_login(uow, patient, email)
    if not existing.active:
        raise Conflict("the patient's login is deactivated; reactivate it before inviting")
    if email and email != existing.email:
        changed = replace(existing, email=email)  # validates the address, naming "email"
        assert existing.id is not None
        ensure_email_free(uow, email, existing.id)
        uow.users.set_email(existing.id, email)
        return changed
    return existing


def _create_login(uow: UnitOfWork, patient: Patient, email: str) -> User:
    if not email:
        raise InvalidInput.single("email", "is required: the patient has no login yet")
    user = User(
        clinic_id=patient.clinic_id,
        email=email,
        display_name=patient.name,
        role=Role.PATIENT,
        patient_id=patient.id,
    )
    ensure_email_free(uow, email)
    return uow.users.add(user, unusable_password_hash())


def _resolve(
    uow: UnitOfWork, token: str, now: dt.datetime
) -> tuple[InvitationState, InvitationRecord | None, User | None]:
    """The state of the link with ``token``, its stored record and the login it opens."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return InvitationState.UNKNOWN, None, None
    record = uow.invitations.by_token_hash(token_digest(token))
    user = uow.users.get(record.user_id) if record is not None else None
    if record is None or user is None or not user.active:
        return InvitationState.UNKNOWN, None, None
    if record.used_at is not None:
        return InvitationState.USED, record, user
    if now >= record.expires_at:
        return InvitationState.EXPIRED, record, user
    return InvitationState.VALID, record, user


def invitation_status(uow: UnitOfWork, token: str, now: dt.datetime) -> InvitationStatus:
    """Whether the link is valid, expired, used or unknown, for the set-password page.

    Reveals nothing but the state, and the login's e-mail for a valid link only.
    """
    state, _, user = _resolve(uow, token, now)
    if state is InvitationState.VALID and user is not None:
        return InvitationStatus(state, user.email, _purpose(uow, user))
    return InvitationStatus(state)


def _purpose(uow: UnitOfWork, user: User) -> LinkPurpose:
    """WELCOME for a patient's login still without a password of its own, else NEW_PASSWORD."""
    found = uow.users.credentials(user.email)
    never_set = found is not None and found.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)
    return (
        LinkPurpose.WELCOME if user.role is Role.PATIENT and never_set else LinkPurpose.NEW_PASSWORD
    )


def redeem_invitation(uow: UnitOfWork, token: str, password: str, now: dt.datetime) -> Actor:
    """Set the login's password from a valid link, use the link up, and return the actor.

    Refuses an expired, used or unknown link (InvalidInput on "token") and a password that
    breaks the rules of ``accounts.hash_password`` (InvalidInput on "password"); in both cases
    nothing changes and a valid link stays usable. Audited and committed.
    """
    state, record, user = _resolve(uow, token, now)
    if state is not InvitationState.VALID or record is None or user is None:
        raise InvalidInput.single("token", _REFUSALS[state])
    password_hash = hash_password(password, user.email)
    assert record.id is not None
    assert user.id is not None
    if not uow.invitations.mark_used(record.id, now):  # redeemed meanwhile by another request
        raise InvalidInput.single("token", _REFUSALS[InvitationState.USED])
    uow.users.set_password_hash(user.id, password_hash)
    uow.logins.password_changed(user.id, now)
    uow.logins.end_sessions(user.id, now)  # a reset link ends every session of the login
    uow.invitations.expire_unused(user.id, now)
    actor = actor_of(user)
    audit(uow, actor, now, "redeem_invitation", user.patient_id)
    uow.commit()
    return actor
