"""A cohort's diaries as aligned (patients × days) arrays, the form every endpoint reads.

Column ``baseline_days`` of each row is that patient's first session (day 0); earlier columns
are the baseline. A day with ``recorded`` False is missing, whatever the other arrays hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import DiaryDay, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.errors import InvalidInput, Problems

Bool2D = NDArray[np.bool_]


@dataclass(frozen=True)
class DiaryArrays:
    """Per patient-day: what was recorded. ``hours`` is NaN where not recorded or unknown."""

    baseline_days: int
    recorded: Bool2D
    headache: Bool2D
    peak_pain: NDArray[np.int8]  # 0 when no headache or unknown
    hours: NDArray[np.float32]
    pain_features: NDArray[np.int8]  # how many of the four 1.1 C features (0–4)
    associated: Bool2D  # nausea/vomiting, or photophobia and phonophobia
    aura: Bool2D
    specific: Bool2D  # a migraine-specific drug (triptan or ergot) was taken
    specific_effective: Bool2D | None  # …and relieved the headache, when recorded
    medication: Mapping[MedicationClass, NDArray[np.int8]]  # intakes (or days) per class

    @property
    def n(self) -> int:
        return int(self.recorded.shape[0])

    @property
    def days(self) -> int:
        return int(self.recorded.shape[1])

    def check(self) -> None:
        shapes = {
            name: getattr(self, name).shape
            for name in (
                "recorded",
                "headache",
                "peak_pain",
                "hours",
                "pain_features",
                "associated",
                "aura",
                "specific",
            )
        }
        shapes |= {f"medication.{k}": v.shape for k, v in self.medication.items()}
        problems = Problems()
        for name, shape in shapes.items():
            if shape != self.recorded.shape:
                problems.add(name, f"has shape {shape}, not {self.recorded.shape}")
        if not 0 <= self.baseline_days <= self.days:
            problems.add("baseline_days", "must lie within the diary")
        problems.raise_if_any()


def _features(day: DiaryDay, moderate_from: int) -> tuple[int, bool]:
    f = day.features
    pain = sum(
        [
            f.side is HeadacheSide.UNILATERAL,
            f.quality is PainQuality.PULSATING,
            (day.peak_pain or 0) >= moderate_from,
            bool(f.aggravated_by_activity),
        ]
    )
    associated = bool(f.nausea or f.vomiting) or bool(f.photophobia and f.phonophobia)
    return pain, associated


def from_days(
    diaries: Mapping[int, Sequence[DiaryDay]],
    first_session: Mapping[int, dt.date],
    *,
    baseline_days: int = 28,
    days_after: int = 365,
    moderate_from: int = 4,
) -> tuple[list[int], DiaryArrays]:
    """Align each patient's diary on their first session; patients without one are refused."""
    problems = Problems()
    ids = sorted(diaries)
    for pid in ids:
        if pid not in first_session:
            problems.add(f"patient {pid}", "has no first session, so no baseline can be placed")
    problems.raise_if_any()
    n, width = len(ids), baseline_days + days_after
    shape = (n, width)
    arrays = {
        k: np.zeros(shape, dtype=bool)
        for k in ("recorded", "headache", "associated", "aura", "specific")
    }
    pain = np.zeros(shape, dtype=np.int8)
    features = np.zeros(shape, dtype=np.int8)
    hours = np.full(shape, np.nan, dtype=np.float32)
    meds = {c: np.zeros(shape, dtype=np.int8) for c in MedicationClass}
    for row, pid in enumerate(ids):
        start = first_session[pid] - dt.timedelta(days=baseline_days)
        seen: set[dt.date] = set()
        for day in diaries[pid]:
            col = (day.date - start).days
            if day.date in seen:
                raise InvalidInput.single(f"patient {pid}, {day.date}", "the day appears twice")
            seen.add(day.date)
            if not 0 <= col < width:
                continue
            arrays["recorded"][row, col] = True
            arrays["headache"][row, col] = day.headache
            if day.headache:
                pain[row, col] = day.peak_pain or 0
                features[row, col], arrays["associated"][row, col] = _features(day, moderate_from)
                hours[row, col] = np.nan if day.headache_hours is None else day.headache_hours
                arrays["aura"][row, col] = bool(day.features.aura)
            else:
                hours[row, col] = 0.0
            for cls, count in day.medications.items():
                meds[cls][row, col] = min(count, 127)
            arrays["specific"][row, col] = bool(
                day.medications.get(MedicationClass.TRIPTAN)
                or day.medications.get(MedicationClass.ERGOT)
            )
    return ids, DiaryArrays(
        baseline_days=baseline_days,
        recorded=arrays["recorded"],
        headache=arrays["headache"],
        peak_pain=pain,
        hours=hours,
        pain_features=features,
        associated=arrays["associated"],
        aura=arrays["aura"],
        specific=arrays["specific"],
        specific_effective=None,
        medication=meds,
    )
