"""Set-based reads over a clinic (``services.ports.ClinicReadModel``): one query per kind of
data for all its patients, read as plain rows and arrays rather than one ORM object per row."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Integer, Text, cast, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from acurelief.diagnosis.intake import Intake, parse_intake
from acurelief.domain import DiaryDay, MedicationClass, Patient
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.outcomes.diary_columns import MAX_COUNT, DiaryColumns, epoch_day, to_columns
from acurelief.storage import mapping
from acurelief.storage.tables import DiaryDayRow, IntakeRow, PatientRow, SessionRow, UserRow

FLAG_COLUMNS = (
    "aggravated_by_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
)


class SqlClinicReads:
    def __init__(self, session: Session) -> None:
        self._s = session

    def patients(self, clinic_id: int) -> Sequence[tuple[Patient, str | None]]:
        practitioner = aliased(UserRow)
        rows = self._s.execute(
            select(PatientRow, practitioner.display_name)
            .outerjoin(practitioner, practitioner.id == PatientRow.practitioner_id)
            .where(PatientRow.clinic_id == clinic_id)
            .order_by(PatientRow.name, PatientRow.id)
        )
        return [(mapping.patient(row), name) for row, name in rows]

    def diary_columns(
        self, clinic_id: int, patient_ids: Collection[int], start: dt.date, end: dt.date
    ) -> DiaryColumns:
        if not patient_ids:
            return to_columns([])
        d, p = DiaryDayRow.__table__.c, PatientRow.__table__.c
        # ``type_coerce`` skips SQLAlchemy's per-value conversion where numpy does it in bulk:
        # SQLite's ISO date text and 0/1 booleans (PostgreSQL's driver already gives dates
        # and booleans).
        query = (
            select(
                d.patient_id,
                type_coerce(d.date, Text),
                type_coerce(d.headache, Integer),
                d.peak_pain,
                d.headache_hours,
                d.side,
                d.quality,
                *(type_coerce(d[name], Integer) for name in FLAG_COLUMNS),
                # As text: most days hold "{}", which then needs no JSON parsing at all.
                cast(d.medications, Text),
            )
            .join(PatientRow.__table__, p.id == d.patient_id)
            .where(
                p.clinic_id == clinic_id,
                d.patient_id.in_(sorted(patient_ids)),
                d.date >= start,
                d.date <= end,
            )
        )
        # Core rows through the connection: no ORM loading machinery per row.
        return _columns(self._s.connection().execute(query).all())

    def diary_days(
        self, clinic_id: int, patient_ids: Collection[int], start: dt.date, end: dt.date
    ) -> Mapping[int, Sequence[DiaryDay]]:
        out: dict[int, list[DiaryDay]] = {}
        if not patient_ids:
            return out
        rows = self._s.scalars(
            select(DiaryDayRow)
            .join(PatientRow, PatientRow.id == DiaryDayRow.patient_id)
            .where(
                PatientRow.clinic_id == clinic_id,
                DiaryDayRow.patient_id.in_(sorted(patient_ids)),
                DiaryDayRow.date >= start,
                DiaryDayRow.date <= end,
            )
            .order_by(DiaryDayRow.patient_id, DiaryDayRow.date)
        )
        for row in rows:
            out.setdefault(row.patient_id, []).append(mapping.diary_day(row))
        return out

    def session_starts(
        self, clinic_id: int, patient_ids: Collection[int], until: dt.datetime
    ) -> Sequence[tuple[int, dt.datetime]]:
        if not patient_ids:
            return []
        rows = self._s.execute(
            select(SessionRow.patient_id, SessionRow.started_at)
            .join(PatientRow, PatientRow.id == SessionRow.patient_id)
            .where(
                PatientRow.clinic_id == clinic_id,
                SessionRow.patient_id.in_(sorted(patient_ids)),
                SessionRow.started_at <= until,
            )
            .order_by(SessionRow.started_at, SessionRow.id)
        )
        return [(pid, started) for pid, started in rows]

    def latest_intakes(self, clinic_id: int, patient_ids: Collection[int]) -> Mapping[int, Intake]:
        if not patient_ids:
            return {}
        rank = (
            func.row_number()
            .over(
                partition_by=IntakeRow.patient_id,
                order_by=(IntakeRow.recorded_at.desc(), IntakeRow.id.desc()),
            )
            .label("rank")
        )
        ranked = (
            select(IntakeRow.patient_id, IntakeRow.data, rank)
            .join(PatientRow, PatientRow.id == IntakeRow.patient_id)
            .where(PatientRow.clinic_id == clinic_id, IntakeRow.patient_id.in_(sorted(patient_ids)))
            .subquery()
        )
        rows = self._s.execute(select(ranked.c.patient_id, ranked.c.data).where(ranked.c.rank == 1))
        return {pid: parse_intake(data) for pid, data in rows}


def _columns(rows: Sequence[Any]) -> DiaryColumns:
    """Parallel arrays from the diary query's rows (in the order of its select list)."""
    if not rows:
        return to_columns([])
    pid, date, headache, pain, hours, side, quality, *flags, meds = zip(*rows, strict=True)
    flag = dict(zip(FLAG_COLUMNS, flags, strict=True))

    def bools(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return np.array(values, dtype=bool)  # None (not recorded) becomes False

    def equal(values: Sequence[str | None], value: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return np.asarray(np.array(values, dtype=object) == value, dtype=bool)

    return DiaryColumns(
        patient_id=np.array(pid, dtype=np.int64),
        day=_epoch_days(date),
        headache=bools(headache),
        peak_pain=np.nan_to_num(np.array(pain, dtype=np.float32)).astype(np.int8),
        hours=np.array(hours, dtype=np.float32),  # None becomes NaN
        unilateral=equal(side, HeadacheSide.UNILATERAL.value),
        pulsating=equal(quality, PainQuality.PULSATING.value),
        aggravated=bools(flag["aggravated_by_activity"]),
        nausea=bools(flag["nausea"]),
        vomiting=bools(flag["vomiting"]),
        photophobia=bools(flag["photophobia"]),
        phonophobia=bools(flag["phonophobia"]),
        aura=bools(flag["aura"]),
        medication=_medication(meds),
    )


def _epoch_days(dates: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Days since 1970 from ISO text (SQLite; parsed by numpy) or dates (PostgreSQL)."""
    if isinstance(dates[0], str):
        return np.array(dates, dtype="datetime64[D]").astype(np.int64)
    return np.array([epoch_day(d) for d in dates], dtype=np.int64)


def _medication(meds: Sequence[str | None]) -> dict[MedicationClass, Any]:
    """Intakes per class from the JSON text of each day's ``medications``."""
    out = {cls: np.zeros(len(meds), dtype=np.int8) for cls in MedicationClass}
    for i, text in enumerate(meds):
        if not text or text == "{}":
            continue
        taken: dict[str, int] = json.loads(text)
        for name, count in taken.items():
            out[MedicationClass(name)][i] = min(count, MAX_COUNT)
    return out
