"""Use cases for a patient's headache history and diagnosis."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from acurelief.diagnosis.classify import Assessment, classify
from acurelief.diagnosis.from_diary import intake_from_diary
from acurelief.diagnosis.intake import Intake
from acurelief.diagnosis.redflags import check_against_age
from acurelief.domain import Patient
from acurelief.domain.access import Action, Actor
from acurelief.errors import InsufficientData, NotFound
from acurelief.services.access import reach_patient, require
from acurelief.services.ports import StoredIntake, UnitOfWork, UnitOfWorkFactory

DIARY_LOOKBACK_DAYS = 365  # ICHD-3 codes the phenotypes of the last year ("How to use", 2)


class Source(StrEnum):
    INTAKE = "intake"
    DIARY = "diary"


def record_intake(
    uow: UnitOfWork, actor: Actor, patient_id: int, intake: Intake, now: dt.datetime
) -> StoredIntake:
    """Store a new headache history; earlier ones are kept, the latest is used. Answers the
    patient's date of birth rules out (onset after 50 in a patient under 50) are refused."""
    patient = reach_patient(uow, actor, patient_id, Action.RECORD_INTAKE, now)
    check_against_age(intake.red_flags, patient.age_on(patient.today(now)))
    uow.intakes.add(patient_id, intake, now, actor.user_id)
    uow.commit()
    return StoredIntake(intake, now, actor.user_id)


def intake_to_edit(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime
) -> tuple[Patient, StoredIntake | None]:
    """The patient and their latest intake (None before the first), for staff who may take a
    new history: a patient is refused, an outsider finds no patient."""
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    require(actor, Action.RECORD_INTAKE, uow=uow, now=now, patient_id=patient_id)
    stored = uow.intakes.latest(patient_id)
    uow.commit()
    return patient, stored


def latest_intake(uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime) -> StoredIntake:
    reach_patient(uow, actor, patient_id, Action.READ, now)
    stored = uow.intakes.latest(patient_id)
    uow.commit()
    if stored is None:
        raise NotFound("intake for patient", patient_id)
    return stored


def diagnose(
    uow: UnitOfWork, actor: Actor, patient_id: int, source: Source, now: dt.datetime
) -> Assessment:
    """ICHD-3 classification from the latest intake, or from the last year of diary.

    The diary needs ≥3 months with ≥80% of days recorded (``InsufficientData`` otherwise);
    red flags come from the intake in either case, since a diary does not ask about them.
    """
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    today = patient.today(now)
    stored = uow.intakes.latest(patient_id)
    if source is Source.INTAKE:
        uow.commit()
        if stored is None:
            raise NotFound("intake for patient", patient_id)
        return classify(stored.intake, age=patient.age_on(today))
    days = uow.diary.between(patient_id, today - dt.timedelta(days=DIARY_LOOKBACK_DAYS - 1), today)
    uow.commit()
    derived = intake_from_diary(days)
    if stored is not None:
        derived = derived.model_copy(update={"red_flags": stored.intake.red_flags})
    return classify(derived, age=patient.age_on(today))


def current_assessment(
    uow_factory: UnitOfWorkFactory, actor: Actor, patient_id: int, now: dt.datetime
) -> tuple[Assessment | None, str]:
    """The assessment to show with the patient: from the intake if there is one, else from the
    diary if it is long enough; otherwise None and what is missing."""
    for source in (Source.INTAKE, Source.DIARY):
        try:
            with uow_factory() as uow:
                return diagnose(uow, actor, patient_id, source, now), source.value
        except NotFound as exc:
            if exc.what != "intake for patient":
                raise
        except InsufficientData as exc:
            return None, f"no intake yet, and the diary cannot answer: {exc}"
    return None, "no intake yet"
