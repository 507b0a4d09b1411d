"""A demo practice to explore the app with: one clinic, its staff, and patients with diaries.

The generator is deliberately simple (each patient's daily chance of a headache falls with
the sessions they have had, by an amount drawn per patient); the mechanism simulator will
replace it. It is seeded, so the same seed and clock give the same practice.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from acurelief.domain import (
    Clinic,
    DiaryDay,
    HeadacheFeatures,
    MedicationClass,
    NeedlePoint,
    Patient,
    Role,
    SessionReading,
    Sex,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.domain.people import zone
from acurelief.errors import Conflict
from acurelief.services.accounts import create_user
from acurelief.services.ports import UnitOfWork

CLINIC_NAME = "Demo Acupuncture Practice"
DEMO_PASSWORD = "acurelief-demo"  # noqa: S105 - published demo login, refused in production
BASELINE_DAYS = 28
N_PATIENTS = 14
MISSING_SHARE = 0.07


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


class HeadacheType(StrEnum):
    MIGRAINE = "migraine without aura"
    MENSTRUAL = "menstrual migraine"
    TENSION = "tension-type"
    CHRONIC = "chronic migraine with medication overuse"


# Daily chance of a headache before treatment, by type (demo values, not clinical facts).
BASELINE_RISK = {
    HeadacheType.MIGRAINE: 5 / 28,
    HeadacheType.MENSTRUAL: 4 / 28,
    HeadacheType.TENSION: 8 / 28,
    HeadacheType.CHRONIC: 17 / 28,
}
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
    """Create the demo practice in one transaction; refuses if it already exists."""
    if uow.clinics.by_name(CLINIC_NAME) is not None:
        raise Conflict(f"the demo practice {CLINIC_NAME!r} already exists")
    rng = random.Random(seed)
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
    types = list(HeadacheType)
    counts = [0, 0]
    for index in range(N_PATIENTS):
        kind = types[index % len(types)]
        sex = Sex.FEMALE if kind is HeadacheType.MENSTRUAL or rng.random() < 0.7 else Sex.MALE
        patient = uow.patients.add(
            Patient(
                clinic_id=clinic.id,
                practitioner_id=practitioners[index % len(practitioners)],
                name=(FEMALE_NAMES if sex is Sex.FEMALE else MALE_NAMES)[index],
                date_of_birth=dt.date(rng.randint(1960, 2002), rng.randint(1, 12), 15),
                sex=sex,
                time_zone=rng.choice(("Europe/London", "Europe/Berlin", "America/New_York")),
            )
        )
        days, sessions = _course(uow, patient, kind, now, rng)
        counts[0] += days
        counts[1] += sessions
        if index == 0:
            create_user(
                uow,
                clinic_id=clinic.id,
                email=PATIENT_LOGIN.email,
                display_name=patient.name,
                role=Role.PATIENT,
                password=PATIENT_LOGIN.password,
                patient_id=patient.id,
            )
    uow.commit()
    return DemoSummary(clinic.id, (*STAFF, PATIENT_LOGIN), N_PATIENTS, counts[0], counts[1])


def _course(
    uow: UnitOfWork, patient: Patient, kind: HeadacheType, now: dt.datetime, rng: random.Random
) -> tuple[int, int]:
    """Store a 28-day baseline, a course of sessions and the diary; return their counts."""
    assert patient.id is not None
    today = patient.today(now)
    first = today - dt.timedelta(days=rng.randint(21, 62))
    n_sessions = rng.randint(6, 12)
    every = rng.choice((3, 4, 7))
    session_dates = [first + dt.timedelta(days=i * every) for i in range(n_sessions)]
    session_dates = [d for d in session_dates if d < today]
    effect = rng.uniform(0.0, 0.6)
    cycle_start = rng.randint(0, 27)
    written = 0
    date = first - dt.timedelta(days=BASELINE_DAYS)
    while date < today:
        done = sum(1 for d in session_dates if d < date)
        risk = BASELINE_RISK[kind] * (1 - effect * min(1.0, done / 6))
        menstruating = patient.sex is Sex.FEMALE and (date.toordinal() - cycle_start) % 28 < 5
        if kind is HeadacheType.MENSTRUAL and menstruating:
            risk = min(0.9, risk * 4)
        if rng.random() >= MISSING_SHARE:
            uow.diary.upsert(_day(patient.id, date, kind, risk, menstruating, rng))
            written += 1
        date += dt.timedelta(days=1)
    for date in session_dates:
        uow.sessions.add(_session(patient, date, rng))
    return written, len(session_dates)


def _day(
    patient_id: int,
    date: dt.date,
    kind: HeadacheType,
    risk: float,
    menstruating: bool,
    rng: random.Random,
) -> DiaryDay:
    mood = rng.randint(4, 8)
    if rng.random() >= risk:
        sleep = round(rng.uniform(6, 8.5), 1)
        return DiaryDay(
            patient_id=patient_id,
            date=date,
            headache=False,
            mood=mood,
            menstruation=menstruating,
            sleep_hours=sleep,
        )
    migraine = kind is not HeadacheType.TENSION
    features = HeadacheFeatures(
        side=HeadacheSide.UNILATERAL if migraine else HeadacheSide.BILATERAL,
        quality=PainQuality.PULSATING if migraine else PainQuality.PRESSING,
        aggravated_by_activity=migraine,
        nausea=migraine and rng.random() < 0.6,
        photophobia=migraine,
        phonophobia=migraine and rng.random() < 0.7,
    )
    medications: dict[MedicationClass, int] = {}
    if kind is HeadacheType.CHRONIC and rng.random() < 0.7:
        medications[MedicationClass.SIMPLE_ANALGESIC] = rng.randint(1, 3)
    elif migraine and rng.random() < 0.6:
        medications[MedicationClass.TRIPTAN] = 1
    return DiaryDay(
        patient_id=patient_id,
        date=date,
        headache=True,
        peak_pain=rng.randint(5, 9) if migraine else rng.randint(3, 6),
        headache_hours=round(rng.uniform(4, 20) if migraine else rng.uniform(1, 8), 1),
        features=features,
        medications=medications,
        menstruation=menstruating,
        mood=max(0, mood - rng.randint(1, 3)),
        sleep_hours=round(rng.uniform(5, 8), 1),
    )


def _session(patient: Patient, date: dt.date, rng: random.Random) -> TreatmentSession:
    hour = rng.choice((9, 11, 14, 16))
    local = dt.datetime.combine(date, dt.time(hour, 0), zone(patient.time_zone))
    electro = rng.random() < 0.3
    stimulation = (
        Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0), intensity_ma=0.8)
        if electro
        else Stimulation(kind=StimulationKind.MANUAL)
    )
    pain = rng.randint(0, 7)
    return TreatmentSession(
        patient_id=patient.id or 0,
        practitioner_id=patient.practitioner_id,
        started_at=local,
        points=[NeedlePoint(code=c, side=s) for c, s in PROTOCOL],
        stimulation=stimulation,
        retention_minutes=30,
        de_qi=rng.random() < 0.8,
        before=SessionReading(pain=pain, mood=rng.randint(3, 7), minutes_after_needling=0),
        after=SessionReading(
            pain=max(0, pain - rng.randint(0, 4)), mood=rng.randint(5, 9), minutes_after_needling=30
        ),
    )
