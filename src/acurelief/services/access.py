"""The single door to a patient's data: authorise, then audit, in one call.

Every use case that touches a patient goes through ``reach_patient``; the API, the pages and
the CLI never check access themselves.
"""

from __future__ import annotations

import datetime as dt

from acurelief.domain import Patient
from acurelief.domain.access import Action, Actor, can_reach, may
from acurelief.errors import Forbidden, NotFound
from acurelief.services.ports import AuditEntry, UnitOfWork


def audit(
    uow: UnitOfWork,
    actor: Actor,
    now: dt.datetime,
    action: str,
    patient_id: int | None,
    detail: str = "",
) -> None:
    """Record that ``actor`` did ``action``; ``detail`` must never hold health data."""
    uow.audit.record(AuditEntry(now, actor.user_id, action, patient_id, detail))


def require(actor: Actor, action: Action) -> None:
    """Refuse (403) an action the actor's role does not allow."""
    if not may(actor, action):
        raise Forbidden(f"a {actor.role} may not {action.value.replace('_', ' ')}")


def reach_patient(
    uow: UnitOfWork, actor: Actor, patient_id: int, action: Action, now: dt.datetime
) -> Patient:
    """The patient, if ``actor`` may do ``action`` to them; audited.

    Raises ``NotFound`` when the patient does not exist *or* lies outside the actor's reach,
    so the two cannot be told apart, and ``Forbidden`` when they may see but not do.
    """
    patient = uow.patients.get(patient_id)
    if patient is None or not can_reach(actor, patient):
        raise NotFound("patient", patient_id)
    require(actor, action)
    audit(uow, actor, now, action.value, patient_id)
    return patient
