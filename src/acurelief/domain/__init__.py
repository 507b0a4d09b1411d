"""Entities and value objects of a headache-acupuncture practice. No I/O, no frameworks.

Every rule that can be checked on the object alone is checked when it is built and raises
``InvalidInput`` naming every bad field. Rules that need the clock (a diary date not in the
future) take the current time as an argument: the core never reads the clock itself.
"""

from acurelief.domain.diary import Attack, DiaryDay, HeadacheFeatures, MedicationClass
from acurelief.domain.people import Clinic, Patient, Role, Sex, User
from acurelief.domain.questionnaire import Instrument, QuestionnaireResponse
from acurelief.domain.treatment import (
    AdverseEvent,
    AdverseEventKind,
    NeedlePoint,
    SessionReading,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)

__all__ = [
    "AdverseEvent",
    "AdverseEventKind",
    "Attack",
    "Clinic",
    "DiaryDay",
    "HeadacheFeatures",
    "Instrument",
    "MedicationClass",
    "NeedlePoint",
    "Patient",
    "QuestionnaireResponse",
    "Role",
    "SessionReading",
    "Sex",
    "Side",
    "Stimulation",
    "StimulationKind",
    "TreatmentSession",
    "User",
]
