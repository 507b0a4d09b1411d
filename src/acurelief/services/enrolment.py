"""Use cases for adding a patient and giving them a login, as the staff's pages do it.

Adding a patient with an e-mail creates the record, the login and its first one-time link in
one unit of work: when anything is wrong (the record, or the e-mail), nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from acurelief.domain import Patient, Role, User
from acurelief.domain.access import Action, Actor
from acurelief.errors import Conflict, FieldProblem, InvalidInput, Problems
from acurelief.services.access import reach_patient, require
from acurelief.services.accounts import ensure_email_free
from acurelief.services.invitations import DEFAULT_TTL, Invitation, issue_invitation
from acurelief.services.patients import add_patient, check_new_patient
from acurelief.services.ports import UnitOfWork

# The time zone offered first when the clinic has no patients yet (the API's default too).
FALLBACK_TIME_ZONE = "Europe/London"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """Someone a patient can be registered under: a practitioner or admin of the clinic."""

    user_id: int
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class EnrolmentChoices:
    """What the add-a-patient form offers: the clinic's staff, and its usual time zone (the
    one most of its patients live in)."""

    staff: tuple[StaffMember, ...]
    usual_time_zone: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A new patient, with the first link of their login when an e-mail was given."""

    patient: Patient
    invitation: Invitation | None


@dataclass(frozen=True, slots=True)
class LoginOfPatient:
    """A patient and the e-mail of their login (None without one), for the invite form."""

    patient: Patient
    email: str | None


def enrolment_choices(uow: UnitOfWork, actor: Actor) -> EnrolmentChoices:
    """The choices of the add-a-patient form; Forbidden for a patient."""
    require(actor, Action.MANAGE_PATIENTS)
    staff = tuple(
        StaffMember(u.id, u.display_name, u.role)
        for u in sorted(uow.users.list_for_clinic(actor.clinic_id), key=lambda u: u.display_name)
        if u.id is not None and u.active and u.role is not Role.PATIENT
    )
    zones = Counter(p.time_zone for p in uow.patients.list_for_clinic(actor.clinic_id))
    usual = min(zones, key=lambda z: (-zones[z], z)) if zones else FALLBACK_TIME_ZONE
    return EnrolmentChoices(staff, usual)


def email_problems(uow: UnitOfWork, email: str) -> list[FieldProblem]:
    """What is wrong with ``email`` for a new patient login: its form, or another login
    already using it (each problem on the field "email")."""
    try:
        User(clinic_id=0, email=email, display_name="patient", role=Role.PATIENT)
    except InvalidInput as exc:
        return [p for p in exc.problems if p.field == "email"]
    try:
        ensure_email_free(uow, email)
    except Conflict:
        return [FieldProblem("email", "is already the login of someone else; use another one")]
    return []


def enrol_patient(
    uow: UnitOfWork,
    actor: Actor,
    draft: Patient,
    email: str | None,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_TTL,
) -> Enrolled:
    """Register a patient and, given ``email``, their login with a first one-time link.

    All or nothing: every problem with the record and the e-mail is reported together
    (InvalidInput naming each field) and nothing is stored then. Audited, committed.
    """
    address = (email or "").strip().lower()
    problems = Problems()
    try:
        check_new_patient(uow, actor, draft, now)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if address:
        problems.extend(email_problems(uow, address))
    problems.raise_if_any()
    patient = add_patient(uow, actor, draft, now)
    invitation = issue_invitation(uow, actor, patient, address, now, ttl) if address else None
    uow.commit()
    return Enrolled(patient, invitation)


def login_of_patient(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime
) -> LoginOfPatient:
    """The patient and their login's e-mail, for staff who may manage them (audited)."""
    patient = reach_patient(uow, actor, patient_id, Action.MANAGE_PATIENTS, now)
    login = uow.users.for_patient(patient_id)
    uow.commit()
    return LoginOfPatient(patient, login.email if login is not None else None)
