"""Mood: the lift after sessions, questionnaire scores over time, and mood against headache.

The session lift is after − before (0–10) with a t interval over sessions. The relation of
mood to headache burden is Spearman's correlation of weekly headache days with weekly mean
diary mood (weeks with at least 4 recorded days), with its p-value and the weeks it rests
on — an association within one patient, not evidence of cause in either direction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from acurelief.analysis.relief import Interval, t_interval
from acurelief.domain import DiaryDay, Instrument, QuestionnaireResponse, TreatmentSession
from acurelief.outcomes.questionnaires import Change, Score, latest_change, series

MIN_DAYS_PER_WEEK = 4


@dataclass(frozen=True, slots=True)
class MoodSummary:
    session_lift: Interval
    n_sessions: int
    scores: dict[Instrument, list[Score]]
    changes: dict[Instrument, Change]
    burden_correlation: float
    burden_p: float
    burden_weeks: int
    caveats: tuple[str, ...]


def session_lift(sessions: Sequence[TreatmentSession]) -> tuple[Interval, int]:
    lifts = np.array(
        [
            s.after.mood - s.before.mood
            for s in sessions
            if s.before is not None
            and s.after is not None
            and s.before.mood is not None
            and s.after.mood is not None
        ],
        dtype=float,
    )
    return t_interval(lifts), len(lifts)


def burden_correlation(days: Sequence[DiaryDay]) -> tuple[float, float, int]:
    """Spearman ρ of weekly headache days and weekly mean mood, its p-value, weeks used."""
    from scipy.stats import spearmanr

    if not days:
        return math.nan, math.nan, 0
    start = min(d.date for d in days)
    weeks: dict[int, list[DiaryDay]] = {}
    for d in days:
        if d.mood is not None:
            weeks.setdefault((d.date - start).days // 7, []).append(d)
    usable = [w for w in weeks.values() if len(w) >= MIN_DAYS_PER_WEEK]
    if len(usable) < 4:
        return math.nan, math.nan, len(usable)
    burden = [sum(d.headache for d in w) / len(w) * 7 for w in usable]
    mood = [float(np.mean([d.mood for d in w if d.mood is not None])) for w in usable]
    if len(set(burden)) < 2 or len(set(mood)) < 2:
        return math.nan, math.nan, len(usable)
    result = spearmanr(burden, mood)
    return float(result.statistic), float(result.pvalue), len(usable)


def mood_summary(
    sessions: Sequence[TreatmentSession],
    days: Sequence[DiaryDay],
    responses: Sequence[QuestionnaireResponse],
) -> MoodSummary:
    lift, n = session_lift(sessions)
    scores = series(responses)
    changes = {}
    for instrument in (Instrument.PHQ9, Instrument.GAD7, Instrument.HIT6):
        found = latest_change(responses, instrument) if instrument in scores else None
        if found is not None:
            changes[instrument] = found
    rho, p, weeks = burden_correlation(days)
    caveats = [
        "mood before and after a session is rated by the patient who knows they were "
        "treated; expectation lifts it too"
    ]
    if weeks < 8:
        caveats.append(f"the mood–headache correlation rests on {weeks} weeks")
    return MoodSummary(lift, n, scores, changes, rho, p, weeks, tuple(caveats))
