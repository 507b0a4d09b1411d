"""Who reaches which patient, and which actions each role may take."""

from __future__ import annotations

import datetime as dt

import pytest

from acurelief.domain.access import Action, Actor, can_reach, may
from acurelief.domain.people import Patient, Role, Sex


def _patient(patient_id: int | None, clinic_id: int) -> Patient:
    return Patient(
        id=patient_id,
        clinic_id=clinic_id,
        practitioner_id=None,
        name="P",
        date_of_birth=dt.date(1980, 1, 1),
        sex=Sex.FEMALE,
        time_zone="Europe/Berlin",
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRACTITIONER])
def test_staff_reach_patients_of_their_own_clinic_only(role: Role) -> None:
    actor = Actor(user_id=1, role=role, clinic_id=10)
    assert can_reach(actor, _patient(5, clinic_id=10))
    assert not can_reach(actor, _patient(6, clinic_id=11))


def test_patient_reaches_only_themself() -> None:
    actor = Actor(user_id=1, role=Role.PATIENT, clinic_id=10, patient_id=5)
    assert can_reach(actor, _patient(5, clinic_id=10))
    assert not can_reach(actor, _patient(6, clinic_id=10))


def test_patient_without_link_reaches_no_unsaved_patient() -> None:
    actor = Actor(user_id=1, role=Role.PATIENT, clinic_id=10, patient_id=None)
    assert not can_reach(actor, _patient(None, clinic_id=10))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PATIENT, {Action.READ, Action.WRITE_DIARY, Action.ANSWER_QUESTIONNAIRE}),
        (Role.PRACTITIONER, set(Action) - {Action.MANAGE_USERS}),
        (Role.ADMIN, set(Action)),
    ],
)
def test_may_allows_exactly_the_role_actions(role: Role, allowed: set[Action]) -> None:
    actor = Actor(
        user_id=1, role=role, clinic_id=10, patient_id=5 if role is Role.PATIENT else None
    )
    assert {action for action in Action if may(actor, action)} == allowed


@pytest.mark.parametrize(
    ("role", "staff"), [(Role.ADMIN, True), (Role.PRACTITIONER, True), (Role.PATIENT, False)]
)
def test_is_staff(role: Role, staff: bool) -> None:
    assert Actor(user_id=1, role=role, clinic_id=1).is_staff is staff


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_answer_questionnaires_within_reach(role: Role) -> None:
    actor = Actor(
        user_id=1, role=role, clinic_id=10, patient_id=5 if role is Role.PATIENT else None
    )
    assert may(actor, Action.ANSWER_QUESTIONNAIRE)


def test_answering_a_questionnaire_does_not_widen_a_patients_reach() -> None:
    actor = Actor(user_id=1, role=Role.PATIENT, clinic_id=10, patient_id=5)
    assert not can_reach(actor, _patient(6, clinic_id=10))
    assert not may(actor, Action.RECORD_SESSION)
    assert not may(actor, Action.MANAGE_PATIENTS)
