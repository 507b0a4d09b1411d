"""What a patient's pages show: the diary as a calendar with the sessions on it, and the
patient dashboard (outcomes, 28-day windows over time, mood, alerts) read in one go."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np

from acurelief.analysis.mood import MIN_DAYS_PER_WEEK
from acurelief.domain import DiaryDay, Patient, TreatmentSession
from acurelief.domain.access import Action, Actor
from acurelief.domain.people import zone
from acurelief.errors import InvalidInput
from acurelief.outcomes.diary_arrays import from_days
from acurelief.outcomes.endpoints import (
    WINDOW,
    DailyFlags,
    EndpointRules,
    Window,
    daily_flags,
    window_endpoints,
)
from acurelief.services.access import reach_patient
from acurelief.services.outcomes import PatientOutcomes, outcomes_of
from acurelief.services.ports import UnitOfWork
from acurelief.services.questionnaires import QuestionnaireAlert, alerts_for_patients

DEFAULT_DAYS = 90


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: dt.date
    entry: DiaryDay | None
    sessions: tuple[TreatmentSession, ...]


@dataclass(frozen=True, slots=True)
class PatientOverview:
    patient: Patient
    days: tuple[CalendarDay, ...]
    sessions: tuple[TreatmentSession, ...]

    @property
    def recorded(self) -> int:
        return sum(1 for d in self.days if d.entry is not None)

    @property
    def diary_start(self) -> dt.date | None:
        """The first recorded day shown: days before it are not missing, the diary had not begun."""
        return next((d.date for d in self.days if d.entry is not None), None)

    @property
    def missing(self) -> int:
        start = self.diary_start
        if start is None:
            return 0
        return sum(1 for d in self.days if d.entry is None and d.date >= start)

    @property
    def headache_days(self) -> int:
        return sum(1 for d in self.days if d.entry is not None and d.entry.headache)


def patient_overview(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime, days: int = DEFAULT_DAYS
) -> PatientOverview:
    """The last ``days`` calendar days up to today in the patient's time zone."""
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    today = patient.today(now)
    start = today - dt.timedelta(days=days - 1)
    entries = {d.date: d for d in uow.diary.between(patient_id, start, today)}
    tz = zone(patient.time_zone)
    sessions = tuple(uow.sessions.list_for_patient(patient_id))
    by_date: dict[dt.date, list[TreatmentSession]] = {}
    for s in sessions:
        by_date.setdefault(s.started_at.astimezone(tz).date(), []).append(s)
    calendar = tuple(
        CalendarDay(date, entries.get(date), tuple(by_date.get(date, ())))
        for date in (start + dt.timedelta(days=i) for i in range(days))
    )
    uow.commit()
    return PatientOverview(patient, calendar, sessions)


def sessions_in(overview: PatientOverview) -> Sequence[TreatmentSession]:
    """The sessions that fall inside the calendar's days."""
    return [s for d in overview.days for s in d.sessions]


# --- the patient dashboard: one read of everything the practitioner's page and My progress show


class DayStatus(StrEnum):
    """What a calendar day holds. "before" and "future" are not missing: there was no diary."""

    BEFORE = "before"
    FUTURE = "future"
    MISSING = "missing"
    NONE = "none"
    ACHE = "ache"


@dataclass(frozen=True, slots=True)
class MonthDay:
    date: dt.date
    entry: DiaryDay | None
    sessions: tuple[TreatmentSession, ...]
    status: DayStatus


@dataclass(frozen=True, slots=True)
class MonthCalendar:
    """One month of the diary, and the months it can page to: from the month of the first
    diary day (or session) to the month of today."""

    month: dt.date  # the first of the month
    days: tuple[MonthDay, ...]
    first_month: dt.date
    last_month: dt.date

    @property
    def previous(self) -> dt.date | None:
        prior = (self.month - dt.timedelta(days=1)).replace(day=1)
        return prior if prior >= self.first_month else None

    @property
    def next(self) -> dt.date | None:
        following = (self.month + dt.timedelta(days=31)).replace(day=1)
        return following if following <= self.last_month else None

    def count(self, *statuses: DayStatus) -> int:
        return sum(1 for d in self.days if d.status in statuses)

    @property
    def session_count(self) -> int:
        return sum(len(d.sessions) for d in self.days)


@dataclass(frozen=True, slots=True)
class Block:
    """A 28-day window, [start, stop) in days from the anchor (the first session, or the day
    after today without one); figures are per 28 recorded days, NaN when not evaluable."""

    start: int
    stop: int
    first: dt.date
    last: dt.date
    recorded: int
    headache_days: float
    acute_medication_days: float
    not_evaluable: str


@dataclass(frozen=True, slots=True)
class Rolling:
    """Headache days per 28 recorded days in the 28 days up to ``date`` (enough days only)."""

    date: dt.date
    headache_days: float


@dataclass(frozen=True, slots=True)
class WeekMood:
    """The mean diary mood (0–10) of a Monday-to-Sunday week with enough days rated."""

    start: dt.date
    mean: float
    days: int


@dataclass(frozen=True, slots=True)
class PatientDashboard:
    patient: Patient
    today: dt.date
    diary_start: dt.date | None  # the first recorded diary day
    sessions: tuple[TreatmentSession, ...]
    practitioners: Mapping[int, str]  # user id → display name, for the sessions
    outcomes: PatientOutcomes
    calendar: MonthCalendar
    blocks: tuple[Block, ...]
    rolling: tuple[Rolling, ...]
    weekly_mood: tuple[WeekMood, ...]
    alerts: tuple[QuestionnaireAlert, ...]
    recorded_last_28: int  # diary days recorded in the 28 days up to today

    @property
    def anchor(self) -> dt.date:
        """Day 0 of the blocks: the first session, or the day after today."""
        first = self.outcomes.first_session
        return first if first is not None else self.today + dt.timedelta(days=1)


def month_of(text: str | None) -> dt.date | None:
    """The first of the month ``text`` names ("2026-03"); None when ``text`` is empty."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise InvalidInput.single("month", "must be a year and month such as 2026-03") from None


def patient_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    now: dt.datetime,
    month: dt.date | None = None,
    rules: EndpointRules | None = None,
) -> PatientDashboard:
    """Everything about one patient that their dashboard shows, read once and audited once.

    ``month`` (any day of it) picks the calendar month; it is kept within the months that hold
    a diary, today's at the latest.
    """
    rules = rules or EndpointRules()
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    today = patient.today(now)
    sessions = tuple(uow.sessions.list_for_patient(patient_id))
    responses = list(uow.questionnaires.list_for_patient(patient_id))
    diary = list(uow.diary.between(patient_id, dt.date.min, today))
    alerts = alerts_for_patients(uow, [patient_id]).get(patient_id, ())
    names = {}
    for pid in sorted({s.practitioner_id for s in sessions if s.practitioner_id is not None}):
        user = uow.users.get(pid)
        names[pid] = user.display_name if user is not None else "former practitioner"
    uow.commit()
    found = outcomes_of(patient, sessions, diary, responses, today, rules)
    tz = zone(patient.time_zone)
    start = diary[0].date if diary else None
    anchor = found.first_session or today + dt.timedelta(days=1)
    recent = today - dt.timedelta(days=27)
    blocks, rolling = _timeline(diary, anchor, today, rules)
    return PatientDashboard(
        patient=patient,
        today=today,
        diary_start=start,
        sessions=sessions,
        practitioners=names,
        outcomes=found,
        calendar=_month(diary, sessions, tz, today, month),
        blocks=blocks,
        rolling=rolling,
        weekly_mood=_weekly_mood(diary),
        alerts=alerts,
        recorded_last_28=sum(1 for d in diary if d.date >= recent),
    )


def _month(
    diary: Sequence[DiaryDay],
    sessions: Sequence[TreatmentSession],
    tz: ZoneInfo,
    today: dt.date,
    month: dt.date | None,
) -> MonthCalendar:
    session_dates = [s.started_at.astimezone(tz).date() for s in sessions]
    start = min([*(d.date for d in diary[:1]), *session_dates[:1]], default=today)
    first_month, last_month = start.replace(day=1), today.replace(day=1)
    wanted = (month or today).replace(day=1)
    shown = min(max(wanted, first_month), last_month)
    following = (shown + dt.timedelta(days=31)).replace(day=1)
    entries = {d.date: d for d in diary if shown <= d.date < following}
    by_date: dict[dt.date, list[TreatmentSession]] = {}
    for session, date in zip(sessions, session_dates, strict=True):
        by_date.setdefault(date, []).append(session)
    diary_start = diary[0].date if diary else None
    days = []
    for offset in range((following - shown).days):
        date = shown + dt.timedelta(days=offset)
        entry = entries.get(date)
        if entry is not None:
            status = DayStatus.ACHE if entry.headache else DayStatus.NONE
        elif date > today:
            status = DayStatus.FUTURE
        elif diary_start is None or date < diary_start:
            status = DayStatus.BEFORE
        else:
            status = DayStatus.MISSING
        days.append(MonthDay(date, entry, tuple(by_date.get(date, ())), status))
    return MonthCalendar(shown, tuple(days), first_month, last_month)


def _timeline(
    diary: Sequence[DiaryDay], anchor: dt.date, today: dt.date, rules: EndpointRules
) -> tuple[tuple[Block, ...], tuple[Rolling, ...]]:
    """Consecutive complete 28-day windows on the same grid as the outcome windows (baseline =
    the 28 days before the first session), reaching back to the first diary day; and the same
    figure for the 28 days up to each day, where at least ``min_share`` of them are recorded."""
    if not diary:
        return (), ()
    before = max(1, -(-(anchor - diary[0].date).days // WINDOW))  # windows before the anchor
    after = max(0, (today - anchor).days + 1)
    _, arrays = from_days({0: diary}, {0: anchor}, baseline_days=before * WINDOW, days_after=after)
    flags = daily_flags(arrays, rules)
    blocks = []
    for start in range(-before * WINDOW, after - WINDOW + 1, WINDOW):
        e = window_endpoints(arrays, Window("", start, start + WINDOW), rules, flags)
        blocks.append(
            Block(
                start=start,
                stop=start + WINDOW,
                first=anchor + dt.timedelta(days=start),
                last=anchor + dt.timedelta(days=start + WINDOW - 1),
                recorded=int(e.recorded_days[0]),
                headache_days=float(e.headache_days[0]),
                acute_medication_days=float(e.acute_medication_days[0]),
                not_evaluable=e.reason(0, rules.min_share),
            )
        )
    first_day = anchor - dt.timedelta(days=before * WINDOW)
    return tuple(blocks), _rolling(flags, first_day, rules)


def _rolling(flags: DailyFlags, first_day: dt.date, rules: EndpointRules) -> tuple[Rolling, ...]:
    """Headache days per 28 recorded days over the 28 days up to each day of the arrays."""
    recorded = np.concatenate(([0], np.cumsum(flags.recorded[0], dtype=np.int64)))
    headache = np.concatenate(([0], np.cumsum(flags.headache[0], dtype=np.int64)))
    n = recorded[WINDOW:] - recorded[:-WINDOW]
    events = headache[WINDOW:] - headache[:-WINDOW]
    needed = math.ceil(rules.min_share * WINDOW)
    shown = np.flatnonzero(n >= needed)
    rates = (events[shown] / n[shown] * WINDOW).tolist()  # the same division, element by element
    last = first_day.toordinal() + WINDOW - 1
    return tuple(
        Rolling(dt.date.fromordinal(last + i), rate)
        for i, rate in zip(shown.tolist(), rates, strict=True)
    )


def _weekly_mood(diary: Sequence[DiaryDay]) -> tuple[WeekMood, ...]:
    weeks: dict[dt.date, list[int]] = {}
    for day in diary:
        if day.mood is not None:
            monday = day.date - dt.timedelta(days=day.date.weekday())
            weeks.setdefault(monday, []).append(day.mood)
    return tuple(
        WeekMood(monday, sum(moods) / len(moods), len(moods))
        for monday, moods in sorted(weeks.items())
        if len(moods) >= MIN_DAYS_PER_WEEK
    )
