"""A demo practice to explore the app with: one clinic, its staff, and virtual patients.

The patients come from the mechanism model (``acurelief.mechanism``), so their diaries,
sessions and questionnaires behave like a practice's would, missing days included. It is
seeded, so the same seed and clock give the same practice. The data are simulated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from acurelief.diagnosis.intake import Intake, parse_intake
from acurelief.diagnosis.redflags import RedFlag
from acurelief.domain import (
    Clinic,
    Instrument,
    NeedlePoint,
    Patient,
    QuestionnaireResponse,
    Role,
    Sex,
    Side,
    Stimulation,
    StimulationKind,
)
from acurelief.domain.people import zone
from acurelief.errors import Conflict
from acurelief.mechanism import export
from acurelief.mechanism.cohort import Cohort, simulate_cohort
from acurelief.mechanism.profiles import PROFILES, HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial import Blinding, nonspecific_effect
from acurelief.services.accounts import create_user
from acurelief.services.ports import UnitOfWork

CLINIC_NAME = "Demo Acupuncture Practice"
DEMO_PASSWORD = "acurelief-demo"  # noqa: S105 - published demo login, refused in production
N_PATIENTS = 14
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York")


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    name: str


STAFF = (
    DemoLogin("admin@demo.example", DEMO_PASSWORD, Role.ADMIN, "Alex Admin"),
    DemoLogin("lin@demo.example", DEMO_PASSWORD, Role.PRACTITIONER, "Mei Lin"),
    DemoLogin("okafor@demo.example", DEMO_PASSWORD, Role.PRACTITIONER, "Chidi Okafor"),
)
PATIENT_LOGIN = DemoLogin("patient@demo.example", DEMO_PASSWORD, Role.PATIENT, "Anna Patient")


# The mix of the demo practice, and its courses (12 over 8 weeks as ART; 10 over 6 as GERAC).
MIX = (
    HeadacheType.MIGRAINE_WITHOUT_AURA,
    HeadacheType.MENSTRUAL_MIGRAINE,
    HeadacheType.TENSION_TYPE,
    HeadacheType.CHRONIC_MIGRAINE,
)
COURSES = ((12, 8.0), (10, 6.0), (8, 8.0))
STIMULATIONS = (
    Stimulation(kind=StimulationKind.MANUAL),
    Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0), intensity_ma=0.8),
)
PROTOCOL = (
    ("GB20", Side.BILATERAL),
    ("GV20", None),
    ("EX-HN5", Side.BILATERAL),
    ("LI4", Side.BILATERAL),
    ("LR3", Side.BILATERAL),
)


FEMALE_NAMES = (
    "Anna Berg",
    "Chloe Dubois",
    "Elif Aydin",
    "Farah Khan",
    "Greta Holm",
    "Ines Jansen",
    "Kira Lund",
    "Maya Novak",
    "Olga Petrova",
    "Pia Quist",
    "Rosa Silva",
    "Sara Tanaka",
    "Uma Varga",
    "Vera Weiss",
)
MALE_NAMES = (
    "Ben Carter",
    "Daniel Evans",
    "Hugo Ito",
    "Jonas Keller",
    "Liam Moreau",
    "Nils Olsen",
    "Omar Rahman",
    "Paul Schmidt",
    "Quentin Thomas",
    "Rafael Ortiz",
    "Sven Urban",
    "Tom Vidal",
    "Umar Wahid",
    "Victor Young",
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    clinic_id: int
    logins: tuple[DemoLogin, ...]
    patients: int
    diary_days: int
    sessions: int


def seed_demo(uow: UnitOfWork, now: dt.datetime, seed: int = 2026) -> DemoSummary:
    """Create the demo practice in one transaction; refuses if it already exists.

    Every patient is a virtual patient of the mechanism model (``acurelief.mechanism``):
    an intake history, a 28-day baseline, a course of sessions, the diary up to today with
    its missing days, and questionnaires at baseline and after the course.
    """
    if uow.clinics.by_name(CLINIC_NAME) is not None:
        raise Conflict(f"the demo practice {CLINIC_NAME!r} already exists")
    rng = np.random.default_rng(seed)
    clinic = uow.clinics.add(Clinic(name=CLINIC_NAME))
    assert clinic.id is not None
    staff = [
        create_user(
            uow,
            clinic_id=clinic.id,
            email=s.email,
            display_name=s.name,
            role=s.role,
            password=s.password,
        )
        for s in STAFF
    ]
    practitioners = [u.id for u in staff if u.role is Role.PRACTITIONER]
    counts = [0, 0]
    for index in range(N_PATIENTS):
        stored = _virtual_patient(uow, clinic.id, practitioners[index % 2], index, now, rng)
        counts[0] += stored[1]
        counts[1] += stored[2]
        if index == 0:
            create_user(
                uow,
                clinic_id=clinic.id,
                email=PATIENT_LOGIN.email,
                display_name=stored[0].name,
                role=Role.PATIENT,
                password=PATIENT_LOGIN.password,
                patient_id=stored[0].id,
            )
    uow.commit()
    return DemoSummary(clinic.id, (*STAFF, PATIENT_LOGIN), N_PATIENTS, counts[0], counts[1])


def _virtual_patient(
    uow: UnitOfWork,
    clinic_id: int,
    practitioner_id: int | None,
    index: int,
    now: dt.datetime,
    rng: np.random.Generator,
) -> tuple[Patient, int, int]:
    """Simulate one patient and store their record, diary, sessions and questionnaires."""
    kind = MIX[index % len(MIX)]
    sessions, weeks = COURSES[index % len(COURSES)]
    schedule = Schedule.evenly(sessions, weeks, STIMULATIONS[index % len(STIMULATIONS)])
    since_first = int(rng.integers(21, 75))
    cohort = simulate_cohort(
        1,
        rng=rng,
        schedule=schedule,
        types=kind,
        follow_days=max(since_first, schedule.last_day) + 1,
        nonspecific=NonSpecific(effect=nonspecific_effect(kind)[Blinding.OPEN]),
    )
    female = bool(cohort.female[0])
    zone_name = str(rng.choice(ZONES))
    patient = uow.patients.add(
        Patient(
            clinic_id=clinic_id,
            practitioner_id=practitioner_id,
            name=(FEMALE_NAMES if female else MALE_NAMES)[index],
            date_of_birth=dt.date(int(rng.integers(1960, 2003)), int(rng.integers(1, 13)), 15),
            sex=Sex.FEMALE if female else Sex.MALE,
            time_zone=zone_name,
        )
    )
    assert patient.id is not None
    today = patient.today(now)
    first = today - dt.timedelta(days=since_first)
    days = [d for d in export.diary_days(cohort, 0, patient.id, first) if d.date <= today]
    uow.diary.upsert_many(days)
    course = export.sessions(
        cohort, 0, patient.id, practitioner_id, first, schedule, zone(zone_name), now
    )
    for session in course:
        uow.sessions.add(
            dataclasses.replace(
                session, points=[NeedlePoint(code=c, side=s) for c, s in PROTOCOL], de_qi=True
            )
        )
    _questionnaires(uow, patient.id, cohort, first, today, rng)
    history = intake_history(kind, cohort, rng, flag=index == len(MIX) * 3)
    uow.intakes.add(patient.id, history, now - dt.timedelta(days=since_first + 28), practitioner_id)
    return patient, len(days), len(course)


def _questionnaires(
    uow: UnitOfWork,
    patient_id: int,
    cohort: Cohort,
    first: dt.date,
    today: dt.date,
    rng: np.random.Generator,
) -> None:
    """HIT-6, PHQ-9 and GAD-7 at baseline and, once a course has run 28 days, again.

    The answers follow the diary's headache days and mood with noise: a demo convenience,
    not a validated mapping."""
    moments = [(-cohort.baseline_days, first - dt.timedelta(days=cohort.baseline_days))]
    if (today - first).days >= 28:
        moments.append(((today - first).days - 27, today))
    for start, date in moments:
        days = float(np.nan_to_num(cohort.per_28(cohort.headache, start, start + 28, 0.0)[0]))
        mood = float(cohort.mood[0, cohort.baseline_days + start :][:28].mean())
        level = np.clip(np.rint(days / 4 + rng.normal(0, 0.7, 6)), 0, 4).astype(int)
        hit6 = {str(i + 1): (6, 8, 10, 11, 13)[v] for i, v in enumerate(level)}
        low = np.clip(np.rint((7 - mood) / 2 + rng.normal(0, 0.6, 9)), 0, 3).astype(int)
        for instrument, answers in (
            (Instrument.HIT6, hit6),
            (Instrument.PHQ9, {str(i + 1): int(v) for i, v in enumerate(low)}),
            (Instrument.GAD7, {str(i + 1): int(v) for i, v in enumerate(low[:7])}),
        ):
            uow.questionnaires.add(
                QuestionnaireResponse(
                    patient_id=patient_id, instrument=instrument, date=date, answers=answers
                )
            )


def intake_history(
    kind: HeadacheType, cohort: Cohort, rng: np.random.Generator, flag: bool = False
) -> Intake:
    """The history a practitioner would take from this virtual patient at the first visit:
    attack features typical of the type, the baseline frequency, medication and, for
    menstrual migraine, three documented cycles. ``flag`` adds a red flag to show referral:
    a recent change of pattern, which fits a patient of any age (onset after 50 would
    contradict the date of birth of most demo patients)."""
    # What the patient reports is their usual month: the long-run rate, not one noisy month.
    baseline = min(30.0, float(cohort.base_rate[0]) * 30 / 28)
    migraine_days = baseline * PROFILES[kind].migraine_share
    attacks = int(rng.integers(20, 300))
    migraine = {
        "lifetime_attacks": attacks,
        "duration_hours_min": 5,
        "duration_hours_max": 48,
        "location": "unilateral",
        "quality": "pulsating",
        "intensities": ["moderate", "severe"],
        "aggravated_by_activity": True,
        "nausea": True,
        "photophobia": True,
        "phonophobia": True,
    }
    tension = {
        "lifetime_attacks": attacks,
        "duration_hours_min": 1,
        "duration_hours_max": 12,
        "location": "bilateral",
        "quality": "pressing",
        "intensities": ["mild", "moderate"],
        "aggravated_by_activity": False,
        "nausea": False,
        "vomiting": False,
        "photophobia": True,
        "phonophobia": False,
    }
    data: dict[str, object] = {
        "frequency": {
            "headache_days_per_month": round(float(baseline), 1),
            "months": 12,
            "migraine_like_days_per_month": round(float(migraine_days), 1),
        },
        "red_flags": {f.value: flag and f is RedFlag.PATTERN_CHANGE for f in RedFlag},
    }
    if kind is HeadacheType.TENSION_TYPE:
        data["tension_like"] = tension
        data["frequency"] = {
            "headache_days_per_month": round(float(baseline), 1),
            "months": 12,
            "tension_like_days_per_month": round(float(baseline), 1),
        }
    else:
        data["migraine_like"] = migraine
    if kind is HeadacheType.CHRONIC_MIGRAINE:
        data["medication"] = {
            "simple_analgesic": {"days_per_month": round(float(baseline) * 0.8, 1), "months": 12}
        }
    elif kind is not HeadacheType.TENSION_TYPE:
        data["medication"] = {
            "triptan": {"days_per_month": round(float(migraine_days) * 0.5, 1), "months": 12}
        }
    if kind is HeadacheType.MENSTRUAL_MIGRAINE:
        data["menstrual"] = {
            "cycles_documented": 3,
            "cycles_with_attack_in_window": 3,
            "attacks_outside_window": int(rng.integers(0, 4)),
        }
    return parse_intake(data)
