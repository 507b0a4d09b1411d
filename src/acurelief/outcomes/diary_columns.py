"""Many patients' diary days as parallel columns, and their alignment into ``DiaryArrays``.

A clinic-wide view reads tens of thousands of diary rows at once; building a ``DiaryDay`` per
row would cost more than every endpoint computed from them. Storage therefore hands over one
element per recorded patient-day in plain arrays (``DiaryColumns``), and ``align`` scatters
them into the (patients × days) form every endpoint reads, with the same meaning as
``diary_arrays.from_days``: a day absent from the columns is missing, never "no headache".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import DiaryDay, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.errors import InvalidInput
from acurelief.outcomes.diary_arrays import DiaryArrays

Bool1D = NDArray[np.bool_]
EPOCH = dt.date(1970, 1, 1)
MAX_COUNT = 127  # intakes per day kept in an int8, as ``from_days`` does


def epoch_day(date: dt.date) -> int:
    """Days since 1970-01-01: the integer form of a date in ``DiaryColumns.day``."""
    return (date - EPOCH).days


@dataclass(frozen=True)
class DiaryColumns:
    """One element per recorded patient-day. Feature flags are False where not recorded;
    ``peak_pain`` is 0 and ``hours`` NaN where unknown."""

    patient_id: NDArray[np.int64]
    day: NDArray[np.int64]  # epoch_day of the diary date
    headache: Bool1D
    peak_pain: NDArray[np.int8]
    hours: NDArray[np.float32]
    unilateral: Bool1D
    pulsating: Bool1D
    aggravated: Bool1D
    nausea: Bool1D
    vomiting: Bool1D
    photophobia: Bool1D
    phonophobia: Bool1D
    aura: Bool1D
    medication: Mapping[MedicationClass, NDArray[np.int8]]  # intakes per class

    def __len__(self) -> int:
        return int(self.patient_id.shape[0])


def to_columns(days: Iterable[DiaryDay]) -> DiaryColumns:
    """The columns of ``days`` (for tests and in-memory stores; storage reads them in bulk)."""
    rows = list(days)

    def flags(get: Callable[[DiaryDay], object]) -> Bool1D:
        return np.array([bool(get(d)) for d in rows], dtype=bool)

    return DiaryColumns(
        patient_id=np.array([d.patient_id for d in rows], dtype=np.int64),
        day=np.array([epoch_day(d.date) for d in rows], dtype=np.int64),
        headache=flags(lambda d: d.headache),
        peak_pain=np.array([d.peak_pain or 0 for d in rows], dtype=np.int8),
        hours=np.array([d.headache_hours for d in rows], dtype=np.float32),
        unilateral=flags(lambda d: d.features.side is HeadacheSide.UNILATERAL),
        pulsating=flags(lambda d: d.features.quality is PainQuality.PULSATING),
        aggravated=flags(lambda d: d.features.aggravated_by_activity),
        nausea=flags(lambda d: d.features.nausea),
        vomiting=flags(lambda d: d.features.vomiting),
        photophobia=flags(lambda d: d.features.photophobia),
        phonophobia=flags(lambda d: d.features.phonophobia),
        aura=flags(lambda d: d.features.aura),
        medication={
            cls: np.array([min(d.medications.get(cls, 0), MAX_COUNT) for d in rows], np.int8)
            for cls in MedicationClass
        },
    )


def align(
    columns: DiaryColumns,
    anchor: Mapping[int, dt.date],
    *,
    baseline_days: int = 28,
    days_after: int = 365,
    moderate_from: int = 4,
) -> tuple[list[int], DiaryArrays]:
    """One row per patient of ``anchor`` (sorted by id), column ``baseline_days`` on their
    anchor date (the first session, as in ``from_days``); days outside the width are dropped.

    Patients without any diary day get an all-missing row; columns of patients not in
    ``anchor`` are ignored. A patient-day that appears twice is refused, as in ``from_days``.
    """
    _refuse_duplicates(columns)
    ids = sorted(anchor)
    width = baseline_days + days_after
    rows, cols = _positions(columns, ids, anchor, baseline_days)
    keep = (rows >= 0) & (cols >= 0) & (cols < width)
    at = (rows[keep], cols[keep])

    def scatter(values: NDArray[Any], fill: object = 0) -> NDArray[Any]:
        out = np.full((len(ids), width), fill, dtype=values.dtype)
        out[at] = values[keep]
        return out

    c, headache = columns, columns.headache
    pain = np.where(headache, c.peak_pain, 0).astype(np.int8)
    features = c.unilateral.astype(np.int8) + c.pulsating + (pain >= moderate_from) + c.aggravated
    associated = c.nausea | c.vomiting | (c.photophobia & c.phonophobia)
    meds = {
        cls: np.minimum(c.medication[cls], MAX_COUNT).astype(np.int8) for cls in MedicationClass
    }
    specific = (meds[MedicationClass.TRIPTAN] > 0) | (meds[MedicationClass.ERGOT] > 0)
    arrays = DiaryArrays(
        baseline_days=baseline_days,
        recorded=scatter(np.ones(len(c), dtype=bool), False),
        headache=scatter(headache, False),
        peak_pain=scatter(pain),
        hours=scatter(np.where(headache, c.hours, 0.0).astype(np.float32), np.nan),
        pain_features=scatter(np.where(headache, features, 0).astype(np.int8)),
        associated=scatter(headache & associated, False),
        aura=scatter(headache & c.aura, False),
        specific=scatter(specific, False),
        specific_effective=None,
        medication={cls: scatter(m) for cls, m in meds.items()},
    )
    return ids, arrays


def _positions(
    columns: DiaryColumns, ids: list[int], anchor: Mapping[int, dt.date], baseline_days: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row and column of every element; row −1 for a patient not in ``ids``."""
    if not ids:
        none = np.full(len(columns), -1, dtype=np.int64)
        return none, none
    order = np.array(ids, dtype=np.int64)
    starts = np.array([epoch_day(anchor[i]) - baseline_days for i in ids], dtype=np.int64)
    found = np.minimum(np.searchsorted(order, columns.patient_id), len(ids) - 1)
    known = order[found] == columns.patient_id
    rows: NDArray[np.int64] = np.where(known, found, -1).astype(np.int64)
    cols: NDArray[np.int64] = np.where(known, columns.day - starts[found], -1).astype(np.int64)
    return rows, cols


def _refuse_duplicates(columns: DiaryColumns) -> None:
    order = np.lexsort((columns.day, columns.patient_id))
    pid, day = columns.patient_id[order], columns.day[order]
    twice = np.flatnonzero((pid[1:] == pid[:-1]) & (day[1:] == day[:-1]))
    if twice.size:
        i = int(twice[0])
        date = EPOCH + dt.timedelta(days=int(day[i]))
        raise InvalidInput.single(f"patient {int(pid[i])}, {date}", "the day appears twice")
