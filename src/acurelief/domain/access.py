"""Who may see and do what with a patient's data — the pure rules, no I/O.

A practitioner and an admin reach every patient of their own clinic; a patient reaches only
their own record. Outside that reach a patient does not exist for the actor (the edges answer
404, as for a patient that does not exist), so an outsider cannot learn who is treated where.
Inside the reach, some actions are still refused (403): a patient cannot record a treatment
session, and only an admin manages logins. Everyone may answer questionnaires for the
patients they reach: the patient their own, staff on a patient's behalf.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from acurelief.domain.people import Patient, Role


class Channel(StrEnum):
    """How an actor reached the application; recorded with every audit entry."""

    WEB = "web"  # the browser pages, authenticated by the session cookie
    API = "api"  # the JSON API, authenticated by a bearer token
    CLI = "cli"  # the ``acurelief`` command, run by an operating-system user
    SYSTEM = "system"  # in-process callers: seeding a demo, tests, maintenance


class Action(StrEnum):
    READ = "read"
    WRITE_DIARY = "write_diary"
    ANSWER_QUESTIONNAIRE = "answer_questionnaire"
    RECORD_SESSION = "record_session"
    RECORD_INTAKE = "record_intake"
    MANAGE_PATIENTS = "manage_patients"
    MANAGE_USERS = "manage_users"


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user a use case acts for, and how they came in (for the audit).

    ``token_id`` names the API token of a bearer request; ``os_user`` the operating-system
    login that ran a CLI command; ``impersonated`` marks an operator acting as this user
    without their password (the audit then records the user as ``on_behalf_of``).
    """

    user_id: int
    role: Role
    clinic_id: int
    patient_id: int | None = None
    channel: Channel = Channel.SYSTEM
    token_id: int | None = None
    os_user: str | None = None
    impersonated: bool = False

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.PRACTITIONER)


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PRACTITIONER: frozenset(
        {
            Action.READ,
            Action.WRITE_DIARY,
            Action.ANSWER_QUESTIONNAIRE,
            Action.RECORD_SESSION,
            Action.RECORD_INTAKE,
            Action.MANAGE_PATIENTS,
        }
    ),
    Role.PATIENT: frozenset({Action.READ, Action.WRITE_DIARY, Action.ANSWER_QUESTIONNAIRE}),
}


def can_reach(actor: Actor, patient: Patient) -> bool:
    """Whether the patient exists as far as ``actor`` is concerned."""
    if actor.role is Role.PATIENT:
        return patient.id is not None and patient.id == actor.patient_id
    return patient.clinic_id == actor.clinic_id


def may(actor: Actor, action: Action) -> bool:
    """Whether the actor's role allows ``action`` on data within their reach."""
    return action in _ALLOWED[actor.role]
