"""The figures of the worklist's rows, for many patients at once and equal to the patient page's.

The clinic's diary is read once as columns and aligned twice: on each patient's *today*
(the last 28 days, and the year of diary a diagnosis may be derived from) and on their first
session (the baseline, and medication overuse in 30-day months from the baseline's start, as
``services.outcomes`` counts them). Diagnoses follow ``services.diagnosis.current_assessment``:
the latest intake, else the last year of diary when it is long enough, else none yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from acurelief.diagnosis.classify import Assessment, classify
from acurelief.diagnosis.from_diary import check_enough, intake_from_diary
from acurelief.diagnosis.intake import Intake
from acurelief.domain import Instrument, Patient, QuestionnaireResponse
from acurelief.domain.people import zone
from acurelief.errors import InsufficientData
from acurelief.outcomes.diary_arrays import DiaryArrays
from acurelief.outcomes.diary_columns import DiaryColumns, align
from acurelief.outcomes.endpoints import (
    MONTH,
    WINDOW,
    EndpointRules,
    Window,
    WindowEndpoints,
    overuse_risk,
    window_endpoints,
)
from acurelief.outcomes.questionnaires import score
from acurelief.services.diagnosis import DIARY_LOOKBACK_DAYS, Source
from acurelief.services.ports import ClinicReadModel, UnitOfWork

LAST_28 = Window("last 28 days", -WINDOW, 0)
BASELINE = Window("baseline", -WINDOW, 0)
NO_DIAGNOSIS = "no diagnosis yet"
Assessed = tuple[Assessment | None, str | None, str]  # assessment, source, why there is none


@dataclass(frozen=True, slots=True)
class Per28:
    """Headache days per 28 recorded days in one window, and the recorded days it rests on."""

    value: float | None  # None when not evaluable
    recorded_days: int
    not_evaluable: str = ""  # why not, naming the days recorded and needed


@dataclass(frozen=True, slots=True)
class OveruseFlag:
    """A medication class at or over its ICHD-3 8.2 threshold in some 30-day month."""

    drug: str
    days_per_month: tuple[int, ...]  # 30-day months from the baseline's start
    sustained: bool  # over the threshold for more than 3 consecutive months

    @property
    def peak(self) -> int:
        return max(self.days_per_month)

    def __str__(self) -> str:
        lasting = ", for more than 3 months" if self.sustained else ""
        return f"{self.drug} {self.peak} d/month{lasting}"


@dataclass(frozen=True, slots=True, kw_only=True)
class WorklistRow:
    """One patient as the worklist shows them; dates are in the patient's time zone."""

    patient_id: int
    name: str
    age: int
    practitioner_id: int | None
    practitioner: str | None  # display name
    as_of: dt.date  # the patient's today: the last 28 days end here
    codes: tuple[str, ...]  # ICHD-3 codes of the current assessment
    diagnosis_source: str | None  # "intake" or "diary"; None: no diagnosis yet
    diagnosis_note: str  # why there is no diagnosis yet ('' when there is one)
    refer: bool  # red flags say: refer before treating
    last_session: dt.date | None
    sessions: int  # sessions so far
    recorded_28: int  # diary days recorded in the last 28
    headache_days_now: Per28  # the last 28 days
    headache_days_baseline: Per28  # the 28 days before the first session
    overuse: tuple[OveruseFlag, ...]
    alerts: tuple[str, ...]  # PHQ-9 item 9 > 0 on the latest PHQ-9

    @property
    def completeness(self) -> float:
        return self.recorded_28 / WINDOW

    @property
    def completeness_percent(self) -> int:
        return round(100 * self.completeness)

    @property
    def headache_days_change(self) -> float | None:
        """Now minus baseline, per 28 days: positive is worse; None unless both evaluable."""
        now, base = self.headache_days_now.value, self.headache_days_baseline.value
        return None if now is None or base is None else now - base

    @property
    def days_since_session(self) -> int | None:
        return None if self.last_session is None else (self.as_of - self.last_session).days


@dataclass(frozen=True, slots=True)
class _Recent:
    """Aligned on each patient's today: the last ``DIARY_LOOKBACK_DAYS`` days."""

    row: Mapping[int, int]
    arrays: DiaryArrays
    last_28: WindowEndpoints


@dataclass(frozen=True, slots=True)
class _Course:
    """Aligned on each patient's first session: baseline and overuse."""

    row: Mapping[int, int]
    baseline: WindowEndpoints | None
    overuse: Mapping[int, tuple[OveruseFlag, ...]]


@dataclass(frozen=True, slots=True)
class _Figures:
    """Everything read and computed for the chosen patients, keyed by patient id."""

    today: Mapping[int, dt.date]
    sessions: Mapping[int, list[dt.date]]
    recent: _Recent
    course: _Course
    assessed: Mapping[int, Assessed]
    alerts: Mapping[int, tuple[str, ...]]


def clinic_rows(
    uow: UnitOfWork,
    clinic_id: int,
    chosen: Sequence[tuple[Patient, str | None]],
    now: dt.datetime,
    rules: EndpointRules,
) -> list[WorklistRow]:
    """The rows of ``chosen`` patients (with their practitioner's name), in their order."""
    patients = {_id(p): p for p, _ in chosen}
    if not patients:
        return []
    reads = uow.clinic_reads
    today = {pid: p.today(now) for pid, p in patients.items()}
    sessions = _session_dates(reads.session_starts(clinic_id, list(patients), now), patients)
    first = {pid: dates[0] for pid, dates in sessions.items()}
    columns = reads.diary_columns(clinic_id, list(patients), *_diary_range(today, first))
    recent = _recent(columns, today, rules)
    figures = _Figures(
        today,
        sessions,
        recent,
        _course(columns, first, today, rules),
        _assessments(reads, clinic_id, patients, today, recent),
        _alerts(uow.questionnaires.latest_for_patients(list(patients), Instrument.PHQ9)),
    )
    return [_row(patient, practitioner, figures, rules) for patient, practitioner in chosen]


def _row(
    patient: Patient, practitioner: str | None, f: _Figures, rules: EndpointRules
) -> WorklistRow:
    pid = _id(patient)
    dates = f.sessions.get(pid, [])
    assessment, source, note = f.assessed[pid]
    r = f.recent.row[pid]
    return WorklistRow(
        patient_id=pid,
        name=patient.name,
        age=patient.age_on(f.today[pid]),
        practitioner_id=patient.practitioner_id,
        practitioner=practitioner,
        as_of=f.today[pid],
        codes=assessment.codes if assessment else (),
        diagnosis_source=source,
        diagnosis_note=note,
        refer=bool(assessment and assessment.refer),
        last_session=dates[-1] if dates else None,
        sessions=len(dates),
        recorded_28=int(f.recent.last_28.recorded_days[r]),
        headache_days_now=_per_28(f.recent.last_28, r, rules),
        headache_days_baseline=_baseline(f.course, pid, rules),
        overuse=f.course.overuse.get(pid, ()),
        alerts=f.alerts.get(pid, ()),
    )


def _id(patient: Patient) -> int:
    assert patient.id is not None, "stored patients have ids"
    return patient.id


def _session_dates(
    starts: Sequence[tuple[int, dt.datetime]], patients: Mapping[int, Patient]
) -> dict[int, list[dt.date]]:
    """Each patient's session dates in their own time zone, oldest first."""
    zones = {pid: zone(p.time_zone) for pid, p in patients.items()}
    out: dict[int, list[dt.date]] = {}
    for pid, started in starts:
        out.setdefault(pid, []).append(started.astimezone(zones[pid]).date())
    return out


def _diary_range(
    today: Mapping[int, dt.date], first: Mapping[int, dt.date]
) -> tuple[dt.date, dt.date]:
    """From the earliest of the diagnosis lookback and any baseline, to the latest today."""
    lookback = min(today.values()) - dt.timedelta(days=DIARY_LOOKBACK_DAYS - 1)
    baselines = [f - dt.timedelta(days=WINDOW) for f in first.values()]
    return min([lookback, *baselines]), max(today.values())


def _recent(columns: DiaryColumns, today: Mapping[int, dt.date], rules: EndpointRules) -> _Recent:
    anchor = {pid: t + dt.timedelta(days=1) for pid, t in today.items()}
    ids, arrays = align(
        columns,
        anchor,
        baseline_days=DIARY_LOOKBACK_DAYS,
        days_after=0,
        moderate_from=rules.moderate_from,
    )
    row = {pid: i for i, pid in enumerate(ids)}
    return _Recent(row, arrays, window_endpoints(arrays, LAST_28, rules))


def _course(
    columns: DiaryColumns,
    first: Mapping[int, dt.date],
    today: Mapping[int, dt.date],
    rules: EndpointRules,
) -> _Course:
    if not first:
        return _Course({}, None, {})
    # As on the patient page: the days from the first session through today, at least one.
    after = {pid: max((today[pid] - f).days + 1, 1) for pid, f in first.items()}
    ids, arrays = align(
        columns,
        first,
        baseline_days=WINDOW,
        days_after=max(after.values()),
        moderate_from=rules.moderate_from,
    )
    months = np.array([(WINDOW + after[pid]) // MONTH for pid in ids])
    return _Course(
        {pid: i for i, pid in enumerate(ids)},
        window_endpoints(arrays, BASELINE, rules),
        _overuse(ids, arrays, months),
    )


def _overuse(
    ids: list[int], arrays: DiaryArrays, months: np.ndarray[tuple[int], np.dtype[np.int64]]
) -> dict[int, tuple[OveruseFlag, ...]]:
    """The patient page's overuse flags: whole 30-day months up to each patient's today only
    (a later, partial month is left out there, so its days are hidden here)."""
    whole = np.arange(arrays.days)[None, :] < (months * MONTH)[:, None]
    risk = overuse_risk(dataclasses.replace(arrays, recorded=arrays.recorded & whole))
    out: dict[int, tuple[OveruseFlag, ...]] = {}
    for i, pid in enumerate(ids):
        flags = tuple(
            OveruseFlag(
                cls.value,
                tuple(int(d) for d in risk.days[cls][i, : months[i]]),
                bool(risk.sustained[cls][i]),
            )
            for cls in risk.days
            if bool(risk.over[cls][i].any())
        )
        if flags:
            out[pid] = flags
    return out


def _per_28(e: WindowEndpoints, i: int, rules: EndpointRules) -> Per28:
    value = float(e.headache_days[i])
    return Per28(
        None if np.isnan(value) else value,
        int(e.recorded_days[i]),
        e.reason(i, rules.min_share),
    )


def _baseline(course: _Course, pid: int, rules: EndpointRules) -> Per28:
    i = course.row.get(pid)
    if i is None or course.baseline is None:
        return Per28(None, 0, "no session yet: there is no baseline")
    return _per_28(course.baseline, i, rules)


def _assessments(
    reads: ClinicReadModel,
    clinic_id: int,
    patients: Mapping[int, Patient],
    today: Mapping[int, dt.date],
    recent: _Recent,
) -> dict[int, Assessed]:
    """Per patient, as ``current_assessment`` decides: the latest intake, else a long enough
    last year of diary (only those diaries are read as whole days), else none yet."""
    intakes: Mapping[int, Intake] = reads.latest_intakes(clinic_id, list(patients))
    out: dict[int, Assessed] = {
        pid: (classify(intake, age=patients[pid].age_on(today[pid])), Source.INTAKE.value, "")
        for pid, intake in intakes.items()
    }
    from_diary = []
    for pid in patients.keys() - intakes.keys():
        try:
            _diary_suffices(recent, pid)
            from_diary.append(pid)
        except InsufficientData as exc:
            out[pid] = None, None, f"{NO_DIAGNOSIS}: no intake, and the diary cannot answer ({exc})"
    if from_diary:
        out |= _from_diary(reads, clinic_id, {pid: patients[pid] for pid in from_diary}, today)
    return out


def _from_diary(
    reads: ClinicReadModel,
    clinic_id: int,
    patients: Mapping[int, Patient],
    today: Mapping[int, dt.date],
) -> dict[int, Assessed]:
    first = min(today[pid] for pid in patients) - dt.timedelta(days=DIARY_LOOKBACK_DAYS - 1)
    days = reads.diary_days(clinic_id, list(patients), first, max(today.values()))
    out: dict[int, Assessed] = {}
    for pid, patient in patients.items():
        start = today[pid] - dt.timedelta(days=DIARY_LOOKBACK_DAYS - 1)
        own = [d for d in days.get(pid, ()) if start <= d.date <= today[pid]]
        derived = classify(intake_from_diary(own), age=patient.age_on(today[pid]))
        out[pid] = derived, Source.DIARY.value, ""
    return out


def _diary_suffices(recent: _Recent, pid: int) -> None:
    """``check_enough`` on the patient's last year of diary, from the arrays alone."""
    recorded = np.flatnonzero(recent.arrays.recorded[recent.row[pid]])
    span = int(recorded[-1] - recorded[0] + 1) if recorded.size else 0
    check_enough(int(recorded.size), span)


def _alerts(latest: Mapping[int, QuestionnaireResponse]) -> dict[int, tuple[str, ...]]:
    """The alerts of each patient's latest PHQ-9 (the item-9 rule lives in its scoring)."""
    return {pid: alerts for pid, r in latest.items() if (alerts := score(r).alerts)}
