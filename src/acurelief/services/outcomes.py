"""Use case: one patient's outcomes — endpoints by window, prevention, relief, carry-over, mood."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from acurelief.analysis.carryover import CarryOverFitter
from acurelief.analysis.mood import MoodSummary, mood_summary
from acurelief.analysis.prevention import RateRatio, rate_ratio
from acurelief.analysis.relief import ReliefReport, patient_relief
from acurelief.domain import DiaryDay, Patient, QuestionnaireResponse, TreatmentSession
from acurelief.domain.access import Action, Actor
from acurelief.domain.people import zone
from acurelief.errors import InsufficientData
from acurelief.outcomes.diary_arrays import DiaryArrays, from_days
from acurelief.outcomes.endpoints import (
    EndpointRules,
    daily_flags,
    overuse_risk,
    standard_windows,
    window_endpoints,
)
from acurelief.services.access import reach_patient
from acurelief.services.ports import UnitOfWork

TREATMENT_DAYS = 84  # weeks 1–12


@dataclass(frozen=True, slots=True)
class WindowRow:
    name: str
    start: int
    stop: int
    recorded_days: int
    headache_days: float
    migraine_days: float
    acute_medication_days: float
    mean_peak_pain: float
    not_evaluable: str


@dataclass(frozen=True, slots=True)
class PatientOutcomes:
    patient: Patient
    first_session: dt.date | None
    windows: tuple[WindowRow, ...]
    rate_ratio: RateRatio | None
    follow_up_rate_ratio: RateRatio | None  # after the last session, when there are such days
    relief: ReliefReport | None  # all sessions, and those that started with a headache
    carry_over: CarryOverFitter | None
    carry_over_note: str
    book_by: dt.date | None
    mood: MoodSummary
    notes: tuple[str, ...]
    overuse: tuple[tuple[str, tuple[int, ...], bool], ...] = ()  # class, days per month, >3 months
    # The days each ratio's window covers, [start, stop) counted from the first session (day 0),
    # so that every figure shown can name its window.
    rate_ratio_days: tuple[int, int] | None = None
    follow_up_days: tuple[int, int] | None = None


def patient_outcomes(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    now: dt.datetime,
    rules: EndpointRules | None = None,
) -> PatientOutcomes:
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    today = patient.today(now)
    sessions = list(uow.sessions.list_for_patient(patient_id))
    responses = list(uow.questionnaires.list_for_patient(patient_id))
    start = diary_start(patient, sessions, today)
    days = list(uow.diary.between(patient_id, start, today))
    uow.commit()
    return outcomes_of(patient, sessions, days, responses, today, rules)


def diary_start(patient: Patient, sessions: Sequence[TreatmentSession], today: dt.date) -> dt.date:
    """The first diary day the outcomes rest on: 28 days before the first session, or a year
    back when there is no session yet."""
    if not sessions:
        return today - dt.timedelta(days=365)
    first = sessions[0].started_at.astimezone(zone(patient.time_zone)).date()
    return first - dt.timedelta(days=28)


def outcomes_of(
    patient: Patient,
    sessions: Sequence[TreatmentSession],
    diary: Sequence[DiaryDay],
    responses: Sequence[QuestionnaireResponse],
    today: dt.date,
    rules: EndpointRules | None = None,
) -> PatientOutcomes:
    """The outcomes from data already read (and authorised) by the caller: ``sessions`` in time
    order; ``diary`` may hold more days than ``diary_start`` asks for, the others are ignored."""
    rules = rules or EndpointRules()
    tz = zone(patient.time_zone)
    start = diary_start(patient, sessions, today)
    days = [d for d in diary if start <= d.date <= today]
    if not sessions:
        return PatientOutcomes(
            patient=patient,
            first_session=None,
            windows=(),
            rate_ratio=None,
            follow_up_rate_ratio=None,
            relief=None,
            carry_over=None,
            carry_over_note="no sessions yet",
            book_by=None,
            mood=mood_summary([], days, responses),
            notes=("no treatment session yet: there is no baseline to compare with",),
        )
    first = sessions[0].started_at.astimezone(tz).date()
    after = max((today - first).days + 1, 1)
    key = patient.id or 0
    _, arrays = from_days({key: days}, {key: first}, days_after=after)
    rows = []
    flags = daily_flags(arrays, rules)  # once for every window
    for window in standard_windows(((after + 27) // 28) * 4):  # the current window too
        e = window_endpoints(arrays, window, rules, flags)
        rows.append(
            WindowRow(
                window.name,
                window.start,
                window.stop,
                int(e.recorded_days[0]),
                float(e.headache_days[0]),
                float(e.migraine_days[0]),
                float(e.acute_medication_days[0]),
                float(e.mean_peak_pain[0]),
                e.reason(0, rules.min_share),
            )
        )
    b0 = arrays.baseline_days
    stop = b0 + min(TREATMENT_DAYS, after)
    ratio = rate_ratio(
        arrays.headache[0, :b0],
        arrays.recorded[0, :b0],
        arrays.headache[0, b0:stop],
        arrays.recorded[0, b0:stop],
    )
    last_col = max((s.started_at.astimezone(tz).date() - first).days for s in sessions) + b0
    follow_up = None
    if arrays.days - (last_col + 1) >= 21:
        follow_up = rate_ratio(
            arrays.headache[0, :b0],
            arrays.recorded[0, :b0],
            arrays.headache[0, last_col + 1 :],
            arrays.recorded[0, last_col + 1 :],
        )
    session_days = sorted(
        {(s.started_at.astimezone(tz).date() - first).days + b0 for s in sessions}
    )
    fitter: CarryOverFitter | None = None
    note, book_by = "", None
    try:
        fitter = _fit_carry_over(
            arrays.headache[0].tobytes(), arrays.recorded[0].tobytes(), tuple(session_days)
        )
        note = "; ".join(fitter.warnings_)
        estimate, _, _ = fitter.book_by(0.5)
        if not math.isnan(estimate):
            last = first + dt.timedelta(days=session_days[-1] - b0)
            book_by = last + dt.timedelta(days=int(estimate))
    except InsufficientData as exc:
        note = str(exc)
    return PatientOutcomes(
        patient=patient,
        first_session=first,
        windows=tuple(rows),
        rate_ratio=ratio,
        follow_up_rate_ratio=follow_up,
        relief=patient_relief(sessions, rules.min_start_pain),
        carry_over=fitter,
        carry_over_note=note,
        book_by=book_by,
        mood=mood_summary(sessions, days, responses),
        notes=(),
        overuse=_overuse(arrays),
        rate_ratio_days=(0, stop - b0),
        follow_up_days=None if follow_up is None else (last_col + 1 - b0, arrays.days - b0),
    )


@lru_cache(maxsize=256)
def _fit_carry_over(
    headache: bytes, recorded: bytes, session_days: tuple[int, ...]
) -> CarryOverFitter:
    """The carry-over fit of one patient's days, memoised on exactly its inputs (the bytes of
    the boolean day arrays and the session days): it is the slowest part of a patient's
    outcomes, and the same diary and sessions always give the same fit. Treat it as read-only."""
    return CarryOverFitter().fit(
        np.frombuffer(headache, dtype=np.bool_),
        np.frombuffer(recorded, dtype=np.bool_),
        list(session_days),
    )


def _overuse(arrays: DiaryArrays) -> tuple[tuple[str, tuple[int, ...], bool], ...]:
    """Acute-medication days per 30-day month by class, where any month reaches the ICHD-3 8.2
    threshold, and whether that has lasted more than 3 months."""
    risk = overuse_risk(arrays)
    return tuple(
        (cls.value, tuple(int(d) for d in risk.days[cls][0]), bool(risk.sustained[cls][0]))
        for cls in risk.days
        if bool(risk.over[cls][0].any())
    )
