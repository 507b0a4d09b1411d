"""The single door to a patient's data: authorise, then audit, in one call.

Every use case that touches a patient goes through ``reach_patient``; the API, the pages and
the CLI never check access themselves. A refusal is audited too (outcome "refused"), in a
record that survives the rollback of the refused unit of work.
"""

from __future__ import annotations

import datetime as dt

from acurelief.domain import Patient, User
from acurelief.domain.access import Action, Actor, Channel, can_reach, may
from acurelief.domain.audit import AuditEntry, Outcome
from acurelief.errors import Forbidden, NotFound
from acurelief.services.ports import UnitOfWork


def entry_for(
    actor: Actor | None,
    now: dt.datetime,
    action: str,
    patient_id: int | None,
    detail: str = "",
    *,
    outcome: Outcome = Outcome.OK,
    channel: Channel | None = None,
    user_id: int | None = None,
    clinic_id: int | None = None,
    token_id: int | None = None,
    os_user: str | None = None,
) -> AuditEntry:
    """The audit entry for ``actor`` (or, with no actor, for ``user_id``/``clinic_id``).

    An operator acting as a user (``actor.impersonated``) is recorded with no acting login
    and the user in ``on_behalf_of``, with the operating-system user who ran the command.
    """
    if actor is None:
        return AuditEntry(
            at=now,
            user_id=user_id,
            action=action,
            patient_id=patient_id,
            detail=detail[:200],
            channel=str(channel or Channel.SYSTEM),
            outcome=outcome,
            clinic_id=clinic_id,
            token_id=token_id,
            os_user=os_user,
        )
    return AuditEntry(
        at=now,
        user_id=None if actor.impersonated else actor.user_id,
        action=action,
        patient_id=patient_id,
        detail=detail[:200],
        channel=str(channel or actor.channel),
        outcome=outcome,
        clinic_id=actor.clinic_id if clinic_id is None else clinic_id,
        token_id=actor.token_id if token_id is None else token_id,
        os_user=actor.os_user,
        on_behalf_of=actor.user_id if actor.impersonated else None,
    )


def audit(
    uow: UnitOfWork,
    actor: Actor | None,
    now: dt.datetime,
    action: str,
    patient_id: int | None,
    detail: str = "",
    *,
    outcome: Outcome = Outcome.OK,
    channel: Channel | None = None,
    user_id: int | None = None,
    clinic_id: int | None = None,
    token_id: int | None = None,
    os_user: str | None = None,
) -> None:
    """Record that ``actor`` did (or tried) ``action``; ``detail`` must never hold health data.

    Entries with outcome "ok" are written when the unit of work commits. A refusal or a failed
    login is written even if it rolls back (the attempt happened even though nothing was
    done). With no actor (a failed login), name the ``channel`` and, if known, the
    ``user_id`` and ``clinic_id`` of the login that was tried.
    """
    entry = entry_for(
        actor,
        now,
        action,
        patient_id,
        detail,
        outcome=outcome,
        channel=channel,
        user_id=user_id,
        clinic_id=clinic_id,
        token_id=token_id,
        os_user=os_user,
    )
    if outcome is Outcome.OK:
        uow.audit.record(entry)
    else:
        uow.audit.record_refusal(entry)


def audit_administration(
    uow: UnitOfWork, now: dt.datetime, action: str, subject: User, os_user: str | None
) -> None:
    """Record a change made to ``subject``'s login by administration rather than by a login
    (the command line's ``user`` commands): no acting login, channel "cli" with the
    operating-system user who ran it, or "system" when no one is named."""
    audit(
        uow,
        None,
        now,
        action,
        None,
        f"login {subject.id}",
        channel=Channel.CLI if os_user else Channel.SYSTEM,
        clinic_id=subject.clinic_id,
        os_user=os_user,
    )


def require(
    actor: Actor,
    action: Action,
    *,
    uow: UnitOfWork | None = None,
    now: dt.datetime | None = None,
    patient_id: int | None = None,
) -> None:
    """Refuse (403) an action the actor's role does not allow; audited when given ``uow``."""
    if not may(actor, action):
        if uow is not None and now is not None:
            audit(uow, actor, now, action.value, patient_id, "role", outcome=Outcome.REFUSED)
        raise Forbidden(f"a {actor.role} may not {action.value.replace('_', ' ')}")


def reach_patient(
    uow: UnitOfWork, actor: Actor, patient_id: int, action: Action, now: dt.datetime
) -> Patient:
    """The patient, if ``actor`` may do ``action`` to them; audited, refusals too.

    Raises ``NotFound`` when the patient does not exist *or* lies outside the actor's reach,
    so the two cannot be told apart, and ``Forbidden`` when they may see but not do.
    """
    patient = uow.patients.get(patient_id)
    if patient is None or not can_reach(actor, patient):
        audit(uow, actor, now, action.value, patient_id, "out of reach", outcome=Outcome.REFUSED)
        raise NotFound("patient", patient_id)
    require(actor, action, uow=uow, now=now, patient_id=patient_id)
    audit(uow, actor, now, action.value, patient_id)
    return patient
