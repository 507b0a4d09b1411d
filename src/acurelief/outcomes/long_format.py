"""Diaries kept elsewhere: a long-format table (one row per patient-day) as aligned arrays.

A researcher's file holds a patient id, either a day number relative to the first treatment
(day 0 = first treatment, negative = baseline) or a calendar date with each patient's first
treatment date, whether there was a headache, and optionally the peak pain (0–10), acute
medication (yes/no or a count) and menstruation (yes/no). Column names are given by the caller
(``ColumnMap``).

Everything wrong with the file is collected and reported at once (``InvalidInput``), each cell
named by row and column. Rows are numbered as in a spreadsheet: the header is row 1, the first
data row is row 2 (Parquet files are numbered the same way, so both say the same).

A day without a row, or with an empty headache cell, is missing (``recorded`` False); a patient
whose diary cannot be placed (no first treatment date, no recorded day in the baseline) is
reported *not evaluable* with the reason while the others are analysed. Rows may come in any
order. Only ``read_table`` touches the file system.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from acurelief.analysis.cohort import CohortRateRatio, PooledRate, cohort_rate_ratio, pooled_rate
from acurelief.analysis.prevention import CAVEAT_CAUSE, RateRatio, rate_ratio
from acurelief.domain import MedicationClass
from acurelief.errors import InvalidInput, Problems
from acurelief.outcomes.diary_arrays import DiaryArrays
from acurelief.outcomes.endpoints import (
    WINDOW,
    EndpointRules,
    Window,
    WindowEndpoints,
    daily_flags,
    responders,
    standard_windows,
    window_endpoints,
)

Float = NDArray[np.float64]

SUFFIXES = (".csv", ".parquet")
TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
FALSE_WORDS = frozenset({"0", "false", "no", "n"})
EMPTY_WORDS = frozenset({"", "na", "n/a", "nan", "null"})
MAX_ROWS_NAMED = 20  # per column and kind of problem; the rest are counted
TREATMENT_DAYS = 84  # weeks 1–12
MAX_DAY = 3660  # ten years: a later day is a typing error, not a diary
WEEKS_9_12 = Window("weeks 9–12", 56, 84)
NO_BASELINE = (
    "no baseline days (no day with a headache entry in the {n} days before the first treatment)"
)
NO_FIRST_TREATMENT = "no first treatment date, so the diary cannot be placed"
YES_NO_HINT = "write 1/0, true/false, yes/no or y/n"


# --------------------------------------------------------------------------- reading


def read_table(path: Path) -> pd.DataFrame:
    """The file as a frame: ``.csv`` (UTF-8 with or without BOM, CRLF or LF) or ``.parquet``.

    CSV cells are kept as text (validation interprets them); blank lines are kept as empty rows
    so that row numbers stay those of the file.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput.single(
            "file", f"{path.name}: only .csv and .parquet files can be read, not {suffix or 'this'}"
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput.single("file", f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput.single("file", f"{path} is a directory") from None
    except OSError as exc:
        raise InvalidInput.single("file", f"{path} cannot be read ({exc.strerror})") from None
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(io.BytesIO(raw))
        except Exception as exc:  # pyarrow raises several kinds for a damaged file
            raise InvalidInput.single(
                "file", f"{path.name} is not a readable Parquet file ({type(exc).__name__})"
            ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput.single(
                "file", f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
            ) from None
        if not text.strip():
            raise InvalidInput.single("file", f"{path.name} is empty: it has no header row")
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
            )
        except (pd.errors.ParserError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InvalidInput.single("file", f"{path.name} is not valid CSV ({first})") from None
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    return frame


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnMap:
    """Which column holds what. Either ``day`` (days from the first treatment) or ``date`` with
    ``first_treatment`` (each patient's first treatment date, the same on all their rows)."""

    patient: str
    headache: str
    day: str | None = None
    date: str | None = None
    first_treatment: str | None = None
    pain: str | None = None
    medication: str | None = None
    menstruation: str | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        for name in ("patient", "headache"):
            if not getattr(self, name):
                problems.add(name, "no column given")
        if self.day and self.date:
            problems.add("day", "give a day column or a date column, not both")
        elif not self.day and not self.date:
            problems.add(
                "day",
                "give a day column (day 0 = first treatment), or a date column with a "
                "first-treatment column",
            )
        if self.date and not self.first_treatment:
            problems.add(
                "first_treatment", "a date column needs the column of first treatment dates"
            )
        if self.first_treatment and not self.date:
            problems.add("first_treatment", "is only used with a date column")
        seen: dict[str, str] = {}
        for role, column in self.items():
            if column in seen:
                problems.add(role, f"column {column!r} is already the {seen[column]} column")
            else:
                seen[column] = role
        problems.raise_if_any()

    def items(self) -> Iterator[tuple[str, str]]:
        """(role, column) of every column given, in declaration order."""
        for f in fields(self):
            column = getattr(self, f.name)
            if column:
                yield f.name, column

    @property
    def day_column(self) -> str:
        """The column that places a row in time (the day number, or the date)."""
        column = self.day or self.date
        assert column is not None  # __post_init__ makes sure
        return column


# --------------------------------------------------------------------------- cell parsing


@dataclass(frozen=True, slots=True)
class _Bad:
    message: str


Parsed = float | None | _Bad  # a value, missing, or why the cell is wrong


def _show(value: object) -> str:
    text = repr(value.strip() if isinstance(value, str) else value)
    return text if len(text) <= 30 else text[:27] + "…"


def _is_nan(value: object) -> bool:
    return isinstance(value, float | np.floating) and math.isnan(value)


def _yes_no(value: object) -> Parsed:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | np.integer | float | np.floating):
        if _is_nan(value):
            return None
        if value in (0, 1):
            return float(value)
        return _Bad(f"{_show(value)} is not yes/no ({YES_NO_HINT})")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in EMPTY_WORDS:
            return None
        if word in TRUE_WORDS:
            return 1.0
        if word in FALSE_WORDS:
            return 0.0
    return _Bad(f"{_show(value)} is not yes/no ({YES_NO_HINT})")


def _number(value: object) -> Parsed:
    if isinstance(value, bool | np.bool_):
        return _Bad(f"{_show(value)} is not a number")
    if isinstance(value, int | np.integer):
        return float(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return float(value) if math.isfinite(value) else _Bad(f"{_show(value)} is not a number")
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in EMPTY_WORDS:
            return None
        try:
            number = float(text)
        except ValueError:
            hint = " (use a decimal point)" if "," in text else ""
            return _Bad(f"{_show(value)} is not a number{hint}")
        return number if math.isfinite(number) else _Bad(f"{_show(value)} is not a number")
    return _Bad(f"{_show(value)} is not a number")


def _pain(value: object) -> Parsed:
    number = _number(value)
    if not isinstance(number, float):
        return number
    if not 0 <= number <= 10:
        return _Bad(f"{_show(value)} is out of range: peak pain is 0–10")
    if number != round(number):
        return _Bad(f"{_show(value)} is not a whole number from 0 to 10")
    return number


def _medication(value: object) -> Parsed:
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return _yes_no(value)
    if isinstance(value, bool | np.bool_):
        return float(value)
    number = _number(value)
    if isinstance(number, _Bad):
        return _Bad(f"{_show(value)} is neither yes/no nor a count of intakes")
    if number is not None and (number < 0 or number != round(number)):
        return _Bad(f"{_show(value)} is not a count of intakes (0, 1, 2, …)")
    return number


def _day(value: object) -> Parsed:
    number = _number(value)
    if isinstance(number, float) and number != round(number):
        return _Bad(f"{_show(value)} is not a whole number of days")
    if isinstance(number, _Bad):
        return _Bad(f"{_show(value)} is not a day number (whole days from the first treatment)")
    return number


def _date(value: object) -> Parsed:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):  # pandas.Timestamp too
        return float(value.date().toordinal())
    if isinstance(value, dt.date):
        return float(value.toordinal())
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in EMPTY_WORDS:
            return None
        try:
            return float(dt.date.fromisoformat(text).toordinal())
        except ValueError:
            pass
        try:
            return float(dt.datetime.fromisoformat(text).date().toordinal())
        except ValueError:
            pass
    return _Bad(f"{_show(value)} is not a date; write YYYY-MM-DD")


def _patient(value: object) -> str | None:
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return str(int(value)) if value == round(value) else str(float(value))
    text = str(value).strip()
    return text or None


def _sort_key(patient: str) -> tuple[int, int, str]:
    try:
        return (0, int(patient), patient)
    except ValueError:
        return (1, 0, patient)


class _Cells:
    """Parses columns cell by cell (once per distinct value) and names the bad rows."""

    def __init__(self, frame: pd.DataFrame, rows: NDArray[np.int64], problems: Problems) -> None:
        self.frame = frame
        self.rows = rows  # spreadsheet row number of each frame row
        self.problems = problems

    def name_rows(
        self, column: str, positions: NDArray[np.intp], message: Callable[[int], str]
    ) -> None:
        for p in positions[:MAX_ROWS_NAMED]:
            self.problems.add(f"row {self.rows[p]}, column {column!r}", message(int(p)))
        if len(positions) > MAX_ROWS_NAMED:
            self.problems.add(
                f"column {column!r}", f"{len(positions) - MAX_ROWS_NAMED} more rows like these"
            )

    def values(
        self, column: str, parse: Callable[[object], Parsed], *, required: str | None = None
    ) -> Float:
        """The column as floats, NaN where empty (or bad); ``required`` is the message for an
        empty cell where one is not allowed."""
        codes, uniques = pd.factorize(self.frame[column], use_na_sentinel=True)
        parsed = [parse(u) for u in uniques]
        table = np.array(
            [p if isinstance(p, float) else np.nan for p in parsed] + [np.nan], dtype=np.float64
        )
        out: Float = table[codes]  # code −1 (NA) picks the trailing NaN
        bad_codes = [i for i, p in enumerate(parsed) if isinstance(p, _Bad)]
        if bad_codes:
            positions = np.flatnonzero(np.isin(codes, bad_codes))
            self.name_rows(column, positions, lambda p: _message(parsed[codes[p]]))
        if required is not None:
            empty_codes = [i for i, p in enumerate(parsed) if p is None] + [-1]
            positions = np.flatnonzero(np.isin(codes, empty_codes))
            self.name_rows(column, positions, lambda _: required)
        return out

    def patients(self, column: str) -> tuple[NDArray[np.intp], list[str]]:
        """Each row's patient index (−1 where empty) and the patient ids, in sorted order."""
        codes, uniques = pd.factorize(self.frame[column], use_na_sentinel=True)
        keys = [_patient(u) for u in uniques]
        ids = sorted({k for k in keys if k is not None}, key=_sort_key)
        index = {pid: i for i, pid in enumerate(ids)}
        table = np.array([-1 if k is None else index[k] for k in keys] + [-1], dtype=np.intp)
        out: NDArray[np.intp] = table[codes]
        self.name_rows(
            column, np.flatnonzero(out < 0), lambda _: "is empty; every row needs a patient"
        )
        return out, ids


def _message(parsed: Parsed) -> str:
    assert isinstance(parsed, _Bad)
    return parsed.message


def _blank_rows(frame: pd.DataFrame) -> NDArray[np.bool_]:
    """Rows whose every cell is empty (blank lines of a CSV file)."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column]
        empty = values.isna().to_numpy(dtype=bool, copy=True)
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            empty |= values.astype(str).str.strip().eq("").to_numpy(dtype=bool)
        blank &= empty
    return blank


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class _Aligned:
    ids: list[str]
    arrays: DiaryArrays
    not_evaluable: dict[str, str]
    menstruation: NDArray[np.bool_] | None  # patients × days, True on recorded days with it
    has_pain: bool
    has_medication: bool


def _align(frame: pd.DataFrame, columns: ColumnMap, baseline_days: int) -> _Aligned:
    if baseline_days < 1:
        raise InvalidInput.single("baseline_days", "must be at least 1")
    problems = Problems()
    existing = [str(c) for c in frame.columns]
    missing = [(role, col) for role, col in columns.items() if col not in existing]
    for role, col in missing:
        problems.add(
            role,
            f"column {col!r} is not in the file; its columns are "
            f"{', '.join(repr(c) for c in existing) or 'none'}",
        )
    keep = ~_blank_rows(frame)
    rows = (np.arange(len(frame), dtype=np.int64) + 2)[keep]
    frame = frame.loc[keep].reset_index(drop=True)
    if len(frame) == 0:
        problems.add("file", "is empty: it has no data rows")
        problems.raise_if_any()
    present = {col for _, col in columns.items()} - {col for _, col in missing}

    def given(column: str | None) -> str | None:
        return column if column in present else None

    # Every column that exists is checked, even when another one is missing.
    cells = _Cells(frame, rows, problems)
    patient_column = given(columns.patient)
    if patient_column:
        patient, ids = cells.patients(patient_column)
    else:
        patient, ids = np.zeros(len(frame), dtype=np.intp), []
    nothing = np.full(len(frame), np.nan)
    parsed: dict[str, Float] = {}
    for role, parse in (
        ("headache", _yes_no),
        ("pain", _pain),
        ("medication", _medication),
        ("menstruation", _yes_no),
    ):
        column = given(getattr(columns, role))
        if column:
            parsed[role] = cells.values(column, parse)
    first = np.full(len(ids), np.nan)
    day = nothing
    if columns.day and given(columns.day):
        day = cells.values(columns.day, _day, required="is empty; every row needs a day")
        if patient_column:
            _duplicates(cells, columns.day, patient, day)
    elif columns.date and given(columns.date):
        date = cells.values(columns.date, _date, required="is empty; every row needs a date")
        if patient_column:
            _duplicates(cells, columns.date, patient, date)
        treated = given(columns.first_treatment)
        if patient_column and treated:
            dates = cells.values(treated, _date)
            first = _first_treatment(cells, treated, patient, dates, len(ids))
            day = date - first[np.maximum(patient, 0)]
    cells.name_rows(
        columns.day_column,
        np.flatnonzero(day > MAX_DAY),
        lambda _: f"lies more than {MAX_DAY} days after the first treatment",
    )
    problems.raise_if_any()
    headache = parsed["headache"]
    pain = parsed.get("pain")
    medication = parsed.get("medication")
    menstruation = parsed.get("menstruation")

    # Valid from here on: place each patient's rows.
    recorded_row = ~np.isnan(headache)
    in_baseline = recorded_row & (day >= -baseline_days) & (day < 0)
    has_baseline = np.bincount(patient[in_baseline], minlength=len(ids)) > 0
    not_evaluable: dict[str, str] = {}
    for i, pid in enumerate(ids):
        if np.isnan(first[i]) and not columns.day:
            not_evaluable[pid] = NO_FIRST_TREATMENT
        elif not has_baseline[i]:
            not_evaluable[pid] = NO_BASELINE.format(n=baseline_days)
    keep_patient = np.array([pid not in not_evaluable for pid in ids], dtype=bool)
    aligned = [pid for pid, k in zip(ids, keep_patient, strict=True) if k]
    row_of = np.full(len(ids), -1, dtype=np.intp)
    row_of[keep_patient] = np.arange(len(aligned))
    target = row_of[patient]
    placed = (target >= 0) & ~np.isnan(day) & (day >= -baseline_days)
    last_day = int(day[placed].max()) if placed.any() else -1
    width = baseline_days + max(last_day + 1, 1)
    r, c = target[placed], (day[placed] + baseline_days).astype(np.intp)
    shape = (len(aligned), width)

    recorded = np.zeros(shape, dtype=bool)
    recorded[r, c] = recorded_row[placed]
    ache = np.zeros(shape, dtype=bool)
    ache[r, c] = headache[placed] == 1
    peak = np.zeros(shape, dtype=np.int8)
    if pain is not None:
        peak[r, c] = np.where(ache[r, c], np.nan_to_num(pain[placed]), 0).astype(np.int8)
    hours = np.full(shape, np.nan, dtype=np.float32)
    hours[recorded & ~ache] = 0.0
    meds: dict[MedicationClass, NDArray[np.int8]] = {}
    if medication is not None:
        other = np.zeros(shape, dtype=np.int8)
        other[r, c] = np.minimum(np.nan_to_num(medication[placed]), 127).astype(np.int8)
        meds[MedicationClass.OTHER] = np.where(recorded, other, 0).astype(np.int8)
    mens: NDArray[np.bool_] | None = None
    if menstruation is not None:
        mens = np.zeros(shape, dtype=bool)
        mens[r, c] = menstruation[placed] == 1
        mens &= recorded
    false = np.zeros(shape, dtype=bool)
    arrays = DiaryArrays(
        baseline_days=baseline_days,
        recorded=recorded,
        headache=ache & recorded,
        peak_pain=peak,
        hours=hours,
        pain_features=np.zeros(shape, dtype=np.int8),
        associated=false,
        aura=false.copy(),
        specific=false.copy(),
        specific_effective=None,
        medication=meds,
    )
    arrays.check()
    return _Aligned(aligned, arrays, not_evaluable, mens, pain is not None, medication is not None)


def _first_treatment(
    cells: _Cells, column: str, patient: NDArray[np.intp], treated: Float, n: int
) -> Float:
    """Each patient's first treatment date (NaN when none); a date that varies is a problem."""
    first = np.full(n, np.nan)
    given = np.flatnonzero(~np.isnan(treated) & (patient >= 0))
    first_row = np.full(n, -1, dtype=np.intp)
    differs: list[tuple[int, int]] = []  # (position, position of the patient's first date)
    for p in given:
        i = patient[p]
        if first_row[i] < 0:
            first_row[i], first[i] = p, treated[p]
        elif treated[p] != first[i]:
            differs.append((int(p), int(first_row[i])))
    if differs:
        positions = np.array([p for p, _ in differs], dtype=np.intp)
        earlier = dict(differs)
        cells.name_rows(
            column,
            positions,
            lambda p: (
                f"differs from row {cells.rows[earlier[p]]} of the same patient; "
                "the first treatment date must be the same on all of a patient's rows"
            ),
        )
    return first


def _duplicates(cells: _Cells, column: str, patient: NDArray[np.intp], day: Float) -> None:
    ok = (patient >= 0) & ~np.isnan(day)
    keys = pd.DataFrame({"patient": patient[ok], "day": day[ok], "position": np.flatnonzero(ok)})
    repeated = keys.duplicated(["patient", "day"], keep="first").to_numpy(dtype=bool)
    if not repeated.any():
        return
    first = keys.groupby(["patient", "day"])["position"].transform("first").to_numpy()
    positions = keys["position"].to_numpy()[repeated]
    earlier = dict(zip(positions.tolist(), first[repeated].tolist(), strict=True))
    cells.name_rows(
        column,
        positions,
        lambda p: f"the same patient-day as row {cells.rows[earlier[p]]}; one row per day",
    )


def diary_arrays_from_frame(
    frame: pd.DataFrame, columns: ColumnMap, baseline_days: int = 28
) -> tuple[list[str], DiaryArrays, dict[str, str]]:
    """Patient ids, their aligned arrays (row i = ids[i]; column ``baseline_days`` = the first
    treatment), and the reason for every patient that could not be aligned.

    Raises ``InvalidInput`` naming every problem at once: unknown columns, cells that cannot
    be read (row and column named), repeated patient-days, a first treatment date that varies
    within a patient, an empty file.
    """
    a = _align(frame, columns, baseline_days)
    return a.ids, a.arrays, a.not_evaluable


# --------------------------------------------------------------------------- the report


def _num(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else float(value)


@dataclass(frozen=True, slots=True)
class WindowFigure:
    """One window of one patient: headache days per 28 recorded days, and what it rests on."""

    window: str
    start: int
    stop: int
    headache_days_per_28: float  # NaN when insufficient
    recorded_days: int
    sufficient: bool
    reason: str  # why insufficient ('' when sufficient)
    mean_peak_pain: float | None = None  # None when no pain column was given
    acute_medication_days_per_28: float | None = None  # None when no medication column

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "start": self.start,
            "stop": self.stop,
            "headache_days_per_28": _num(self.headache_days_per_28),
            "recorded_days": self.recorded_days,
            "days": self.stop - self.start,
            "mean_peak_pain": None if self.mean_peak_pain is None else _num(self.mean_peak_pain),
            "acute_medication_days_per_28": None
            if self.acute_medication_days_per_28 is None
            else _num(self.acute_medication_days_per_28),
            "not_evaluable": self.reason or None,
        }


@dataclass(frozen=True, slots=True)
class MenstrualDays:
    """Recorded days with and without menstruation, and the headache days among each."""

    days: int
    headache_days: int
    other_days: int
    other_headache_days: int

    def as_dict(self) -> dict[str, int]:
        return {
            "days": self.days,
            "headache_days": self.headache_days,
            "other_days": self.other_days,
            "other_headache_days": self.other_headache_days,
        }


@dataclass(frozen=True, slots=True)
class PatientDiary:
    patient: str
    not_evaluable: str = ""  # why the diary could not be aligned ('' when it was)
    windows: tuple[WindowFigure, ...] = ()  # baseline first, then the treatment windows
    latest: WindowFigure | None = None  # the latest sufficient treatment window
    reduction: float = math.nan  # of headache days per 28, latest window against baseline
    responder: bool | None = None  # ≥50% reduction; None when not evaluable
    rate_ratio: RateRatio | None = None  # weeks 1–12 (or ``treatment_days``) vs baseline
    menstruation: MenstrualDays | None = None

    @property
    def baseline(self) -> WindowFigure | None:
        return self.windows[0] if self.windows else None

    @property
    def note(self) -> str:
        """Why figures are missing, in a few words ('' when nothing is)."""
        if self.not_evaluable:
            return f"not evaluable: {self.not_evaluable}"
        notes: list[str] = []
        base = self.baseline
        if base is not None and not base.sufficient:
            notes.append(base.reason)
        if self.latest is None:
            notes.append("no treatment window has enough recorded days")
        elif base is not None and base.sufficient and base.headache_days_per_28 == 0:
            notes.append("no headache day at baseline: the reduction is undefined")
        rr = self.rate_ratio
        if rr is not None and not rr.evaluable and rr.caveats:
            notes.append(f"rate ratio: {rr.caveats[0]}")
        return "; ".join(dict.fromkeys(notes))

    def as_dict(self) -> dict[str, Any]:
        rr = self.rate_ratio
        return {
            "patient": self.patient,
            "not_evaluable": self.not_evaluable or None,
            "windows": [w.as_dict() for w in self.windows],
            "latest_window": None if self.latest is None else self.latest.window,
            "reduction": _num(self.reduction),
            "responder_50": self.responder,
            "rate_ratio": None
            if rr is None
            else {
                "estimate": _num(rr.estimate),
                "low": _num(rr.low),
                "high": _num(rr.high),
                "baseline": {"days": rr.baseline_days, "headache_days": rr.baseline_events},
                "window": {"days": rr.window_days, "headache_days": rr.window_events},
                "method": rr.method,
                "caveats": list(rr.caveats),
            },
            "menstruation": None if self.menstruation is None else self.menstruation.as_dict(),
            "note": self.note or None,
        }


@dataclass(frozen=True, slots=True)
class Median:
    value: float  # NaN when n is 0
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {"median": _num(self.value), "n": self.n}


@dataclass(frozen=True, slots=True)
class ResponderRate:
    """≥50% responders among the evaluable, with a Wilson interval."""

    responders: int
    n: int
    rate: float
    low: float
    high: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "responders": self.responders,
            "n": self.n,
            "rate": _num(self.rate),
            "low": _num(self.low),
            "high": _num(self.high),
            "method": "Wilson",
        }


@dataclass(frozen=True, slots=True)
class CohortSummary:
    patients: int  # in the file
    evaluable: int  # aligned on the first treatment (the others are not evaluable)
    responders: ResponderRate  # its n: patients with a baseline > 0 and a later window
    baseline_headache_days: Median  # per 28, over sufficient baselines
    weeks_9_12_headache_days: Median  # per 28, over sufficient weeks 9–12
    rate_ratio_evaluable: int

    @property
    def not_evaluable(self) -> int:
        return self.patients - self.evaluable

    def as_dict(self) -> dict[str, Any]:
        return {
            "patients": self.patients,
            "evaluable": self.evaluable,
            "not_evaluable": self.not_evaluable,
            "responders_50": self.responders.as_dict(),
            "baseline_headache_days_per_28": self.baseline_headache_days.as_dict(),
            "weeks_9_12_headache_days_per_28": self.weeks_9_12_headache_days.as_dict(),
            "rate_ratio_evaluable": self.rate_ratio_evaluable,
        }


@dataclass(frozen=True, slots=True)
class DiaryReport:
    patients: tuple[PatientDiary, ...]
    summary: CohortSummary
    treatment_days: int
    min_share: float
    caveats: tuple[str, ...] = field(default=(CAVEAT_CAUSE,))
    pooled: tuple[PooledRate, ...] = ()  # the cohort's headache days per 28, by window
    cohort_rate_ratio: CohortRateRatio | None = None  # treatment period against baseline

    def patient(self, pid: str) -> PatientDiary:
        for p in self.patients:
            if p.patient == pid:
                return p
        raise KeyError(pid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "treatment_days": self.treatment_days,
            "min_share": self.min_share,
            "patients": [p.as_dict() for p in self.patients],
            "summary": self.summary.as_dict(),
            "cohort": {
                "headache_days_per_28": [w.as_dict() for w in self.pooled],
                "rate_ratio": None
                if self.cohort_rate_ratio is None
                else self.cohort_rate_ratio.as_dict(),
            },
            "caveats": list(self.caveats),
        }


def _figures(
    e: WindowEndpoints, i: int, rules: EndpointRules, pain: bool, medication: bool
) -> WindowFigure:
    return WindowFigure(
        window=e.window.name,
        start=e.window.start,
        stop=e.window.stop,
        headache_days_per_28=float(e.headache_days[i]),
        recorded_days=int(e.recorded_days[i]),
        sufficient=bool(e.sufficient[i]),
        reason=e.reason(i, rules.min_share),
        mean_peak_pain=float(e.mean_peak_pain[i]) if pain else None,
        acute_medication_days_per_28=float(e.acute_medication_days[i]) if medication else None,
    )


def _median(values: Float) -> Median:
    known = values[~np.isnan(values)]
    return Median(float(np.median(known)) if len(known) else math.nan, len(known))


def _responder_rate(k: int, n: int) -> ResponderRate:
    if n == 0:
        return ResponderRate(0, 0, math.nan, math.nan, math.nan)
    from scipy.stats import binomtest  # deferred: scipy.stats is slow to import

    ci = binomtest(k, n).proportion_ci(method="wilson")
    return ResponderRate(k, n, k / n, float(ci.low), float(ci.high))


def analyze_frame(
    frame: pd.DataFrame,
    columns: ColumnMap,
    rules: EndpointRules = EndpointRules(),
    treatment_days: int = TREATMENT_DAYS,
) -> DiaryReport:
    """Per patient: headache days per 28 by window, ≥50% response (latest sufficient window
    against baseline) and the rate ratio of the first ``treatment_days`` against baseline;
    for the cohort: counts, the responder rate with a Wilson interval and medians, each with
    its n; and the cohort's answer — pooled headache days per 28 in each window (patients
    whose window meets the completeness rule) and the cohort rate ratio of the treatment
    period against baseline (patients with a complete baseline and at least a complete
    window's worth of recorded days in the treatment period), both from ``analysis.cohort``."""
    if treatment_days < WINDOW:
        raise InvalidInput.single("treatment_days", f"must be at least {WINDOW}")
    if not 0 < rules.min_share <= 1:
        raise InvalidInput.single(
            "min_share",
            f"the share of a window's days recorded must lie in (0, 1], got {rules.min_share}",
        )
    a = _align(frame, columns, WINDOW)
    arrays, b0 = a.arrays, a.arrays.baseline_days
    flags = daily_flags(arrays, rules)
    windows = standard_windows(treatment_days // 7)
    ends = [window_endpoints(arrays, w, rules, flags) for w in windows]
    later = np.stack([e.headache_days for e in ends[1:]]) if len(ends) > 1 else None
    latest_index = np.full(arrays.n, -1, dtype=np.intp)
    latest_value = np.full(arrays.n, np.nan)
    if later is not None:
        for k in range(later.shape[0]):
            ok = ~np.isnan(later[k])
            latest_index[ok], latest_value[ok] = k + 1, later[k][ok]
    resp = responders(ends[0].headache_days, latest_value)
    weeks_9_12 = window_endpoints(arrays, WEEKS_9_12, rules, flags)
    stop = b0 + treatment_days
    out: dict[str, PatientDiary] = {
        pid: PatientDiary(pid, not_evaluable=reason) for pid, reason in a.not_evaluable.items()
    }
    for i, pid in enumerate(a.ids):
        figures = tuple(_figures(e, i, rules, a.has_pain, a.has_medication) for e in ends)
        ratio = rate_ratio(
            arrays.headache[i, :b0],
            arrays.recorded[i, :b0],
            arrays.headache[i, b0:stop],
            arrays.recorded[i, b0:stop],
        )
        menstrual = None
        if a.menstruation is not None:
            on, rec, ache = a.menstruation[i], arrays.recorded[i], arrays.headache[i]
            menstrual = MenstrualDays(
                int(on.sum()),
                int((ache & on).sum()),
                int((rec & ~on).sum()),
                int((ache & rec & ~on).sum()),
            )
        out[pid] = PatientDiary(
            patient=pid,
            windows=figures,
            latest=figures[latest_index[i]] if latest_index[i] > 0 else None,
            reduction=float(resp.reduction[i]),
            responder=bool(resp.at_50[i]) if resp.evaluable[i] else None,
            rate_ratio=ratio,
            menstruation=menstrual,
        )
    patients = tuple(out[pid] for pid in sorted(out, key=_sort_key))
    summary = CohortSummary(
        patients=len(patients),
        evaluable=len(a.ids),
        responders=_responder_rate(int(resp.at_50.sum()), int(resp.evaluable.sum())),
        baseline_headache_days=_median(ends[0].headache_days),
        weeks_9_12_headache_days=_median(weeks_9_12.headache_days),
        rate_ratio_evaluable=sum(
            1 for p in patients if p.rate_ratio is not None and p.rate_ratio.evaluable
        ),
    )
    return DiaryReport(
        patients,
        summary,
        treatment_days,
        rules.min_share,
        pooled=tuple(_pooled(e) for e in ends),
        cohort_rate_ratio=_cohort_ratio(arrays, ends[0], rules, treatment_days),
    )


def _events(e: WindowEndpoints) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Headache days and recorded days of the patients whose window is sufficient."""
    ok = e.sufficient
    days = e.recorded_days[ok].astype(np.int64)
    return np.rint(e.headache_days[ok] * days / WINDOW).astype(np.int64), days


def _pooled(e: WindowEndpoints) -> PooledRate:
    return pooled_rate(e.window.name, *_events(e))


def _cohort_ratio(
    arrays: DiaryArrays, baseline: WindowEndpoints, rules: EndpointRules, treatment_days: int
) -> CohortRateRatio:
    b0 = arrays.baseline_days
    rec = arrays.recorded[:, b0 : b0 + treatment_days]
    days = rec.sum(axis=1)
    events = (arrays.headache[:, b0 : b0 + treatment_days] & rec).sum(axis=1)
    ok = baseline.sufficient & (days >= math.ceil(rules.min_share * WINDOW))
    base_events = np.rint(np.nan_to_num(baseline.headache_days) * baseline.recorded_days / WINDOW)
    return cohort_rate_ratio(
        base_events[ok],
        baseline.recorded_days[ok],
        events[ok],
        days[ok],
        period=f"weeks 1–{treatment_days // 7}",
    )
