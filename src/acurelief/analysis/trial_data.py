"""Reading and validating a one-row-per-patient trial CSV into ``TrialData``.

``load_trial_csv`` refuses a file whole, naming every problem (capped at
``MAX_REPORTED_PROBLEMS``); empty cells and the ``MISSING_TOKENS`` are missing, and
``missing_if_empty`` makes a column missing where another is empty, counting each change in
``TrialData.notes``. ``TrialData`` hands its columns to the ANCOVA and the responder analysis.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from acurelief.analysis.ancova import TwoArmAnalysis, analyse_two_arms
from acurelief.analysis.binary import RESPONDER_REDUCTION, BinaryOutcome, responder_analysis
from acurelief.analysis.trial_arms import _sorted_levels
from acurelief.errors import FieldProblem, InvalidInput

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan"})
MAX_REPORTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True, eq=False)
class TrialData:
    """A validated trial file: the columns it was asked for, numbers as floats, arm as text.

    ``notes`` says, per column, what loading changed (values made missing by
    ``missing_if_empty``); the analyses carry the notes of the columns they use.
    """

    frame: pd.DataFrame
    source: str
    outcome: str
    baseline: str
    arm: str
    covariates: tuple[str, ...]
    id_column: str | None
    notes: Mapping[str, str]

    def notes_for(self, *columns: str) -> tuple[str, ...]:
        return tuple(self.notes[c] for c in columns if c in self.notes)

    def analyse(self, *, treatment: str | int | None = None, alpha: float = 0.05) -> TwoArmAnalysis:
        return analyse_two_arms(
            self.frame,
            outcome=self.outcome,
            baseline=self.baseline,
            arm=self.arm,
            covariates=self.covariates,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome, self.baseline, *self.covariates),
        )

    def responders(
        self,
        *,
        reduction: float = RESPONDER_REDUCTION,
        treatment: str | int | None = None,
        alpha: float = 0.05,
    ) -> BinaryOutcome:
        return responder_analysis(
            self.frame,
            outcome=self.outcome,
            baseline=self.baseline,
            arm=self.arm,
            reduction=reduction,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome, self.baseline),
        )


def _read_text(source: Path | str | bytes) -> tuple[str, str]:
    """(name, text). A Path is read as a file, bytes are decoded, a str *is* the CSV text."""
    if isinstance(source, Path):
        name = source.name
        try:
            raw = source.read_bytes()
        except FileNotFoundError:
            raise InvalidInput.single(str(source), "no such file") from None
        except IsADirectoryError:
            raise InvalidInput.single(str(source), "is a directory, not a CSV file") from None
        except OSError as exc:
            raise InvalidInput.single(str(source), f"cannot be read ({exc.strerror})") from None
    elif isinstance(source, bytes):
        name, raw = "CSV", source
    elif "\n" not in source and "\r" not in source and source.strip().lower().endswith(".csv"):
        raise InvalidInput.single(
            "source", f"{source!r} looks like a file name; a str is read as CSV text, pass a Path"
        )
    else:
        return "CSV", source.removeprefix("\ufeff")
    try:
        return name, raw.decode("utf-8-sig")  # tolerates a byte-order mark
    except UnicodeDecodeError as exc:
        raise InvalidInput.single(
            "file", f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
        ) from None


def _parse_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, fields) of every non-blank record; CRLF, LF or CR endings.

    Row numbers are lines of the file, the header being row 1, as in a spreadsheet.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip() for f in fields]
            else:
                records.append((reader.line_num, fields))
    except csv.Error as exc:
        raise InvalidInput.single(f"row {reader.line_num}", f"is not valid CSV ({exc})") from None
    if header is None:
        raise InvalidInput.single("file", "is empty: it has no header row")
    return header, records


def _is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING_TOKENS


def _number(cell: str) -> float | None:
    """The cell as a finite float, NaN when missing, None when it is not a number."""
    if _is_missing(cell):
        return math.nan
    try:
        value = float(cell.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _number_problem(row: int, col: str, cell: str) -> FieldProblem:
    hint = " (use a decimal point)" if "," in cell else ""
    return FieldProblem(f"row {row}, column {col}", f"{cell.strip()!r} is not a number{hint}")


def load_trial_csv(
    source: Path | str | bytes,
    *,
    outcome: str,
    baseline: str,
    arm: str,
    covariates: Sequence[str] = (),
    missing_if_empty: Mapping[str, str] | None = None,
    id_column: str | None = "id",
) -> TrialData:
    """Read and validate a one-row-per-patient trial CSV; refuse it whole, naming every problem.

    ``source`` is a file (Path), its bytes, or the CSV text itself (str). UTF-8 with or without
    a byte-order mark, any line ending. Empty cells (or NA, N/A, NaN) are missing.

    ``missing_if_empty`` maps a column to another whose empty cell makes it missing too: in the
    Vickers file ``{"f5": "pk5"}``, because an empty 12-month score means no diary came back
    and the 0 in ``f5`` is not "no headache days" but no data. Nothing happens by default; every
    value changed is counted in ``notes``.

    Refused, all problems together: an unknown column (with the columns there are), a cell
    that is not a number (row and column named), an empty arm, an arm without exactly two
    levels, an empty or repeated id, rows with the wrong number of fields, an empty file.
    """
    name, text = _read_text(source)
    header, records = _parse_rows(text)
    mapping = dict(missing_if_empty or {})
    covariates = tuple(covariates)
    problems: list[FieldProblem] = []

    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(FieldProblem("header", f"column {col!r} appears more than once"))
        seen.add(col)
    roles: list[tuple[str, str]] = [("outcome", outcome), ("baseline", baseline), ("arm", arm)]
    roles += [("covariates", c) for c in covariates]
    if id_column is not None:
        roles.append(("id_column", id_column))
    used = [c for _, c in roles]
    for col in sorted({c for c in used if used.count(c) > 1}):
        which = ", ".join(role for role, c in roles if c == col)
        problems.append(
            FieldProblem("columns", f"{col!r} is named for more than one role ({which})")
        )
    roles += [("missing_if_empty", c) for pair in mapping.items() for c in pair]
    for target, indicator in mapping.items():
        if target == indicator:
            problems.append(FieldProblem("missing_if_empty", f"{target!r} is mapped to itself"))
    have = ", ".join(header)
    unknown = {c for _, c in roles if c not in seen}
    for role, col in roles:
        if col in unknown:
            problems.append(
                FieldProblem(role, f"column {col!r} is not in the file; it has: {have}")
            )
            unknown.discard(col)
    if not records:
        problems.append(FieldProblem("file", "has a header but no data rows"))

    index = {c: header.index(c) for c in seen}
    numeric = [c for c in dict.fromkeys([outcome, baseline, *covariates, *mapping]) if c in index]
    columns: dict[str, list[float]] = {c: [] for c in numeric}
    arms: list[str] = []
    ids: list[str] = []
    empties: dict[str, list[bool]] = {ind: [] for ind in set(mapping.values()) if ind in index}
    first_row_of: dict[str, int] = {}
    for row, fields in records:
        if len(fields) != len(header):
            problems.append(
                FieldProblem(
                    f"row {row}", f"has {len(fields)} fields, the header has {len(header)}"
                )
            )
            continue
        for col in numeric:
            value = _number(fields[index[col]])
            if value is None:
                problems.append(_number_problem(row, col, fields[index[col]]))
                value = math.nan
            columns[col].append(value)
        for ind in empties:
            empties[ind].append(_is_missing(fields[index[ind]]))
        if arm in index:
            arms.append(fields[index[arm]].strip())
            if _is_missing(fields[index[arm]]):
                problems.append(
                    FieldProblem(f"row {row}, column {arm}", "is empty; every patient needs an arm")
                )
        if id_column is not None and id_column in index:
            key = fields[index[id_column]].strip()
            ids.append(key)
            if not key:
                problems.append(FieldProblem(f"row {row}, column {id_column}", "is empty"))
            elif key in first_row_of:
                problems.append(
                    FieldProblem(
                        f"row {row}, column {id_column}",
                        f"{key!r} repeats row {first_row_of[key]}; one row per patient",
                    )
                )
            else:
                first_row_of[key] = row
    levels = _sorted_levels(sorted({a for a in arms if not _is_missing(a)}))
    if arm in index and records and len(levels) != 2:
        shown = ", ".join(levels[:10]) + (", …" if len(levels) > 10 else "")
        problems.append(
            FieldProblem(
                "arm",
                f"column {arm!r} has {len(levels)} levels ({shown}); a two-arm analysis needs "
                "exactly two",
            )
        )
    if problems:
        raise InvalidInput(_capped(problems), where=name)

    frame = pd.DataFrame({c: np.asarray(v, dtype=np.float64) for c, v in columns.items()})
    frame.insert(0, arm, pd.Series(arms, dtype="str"))
    if id_column is not None:
        frame.insert(0, id_column, pd.Series(ids, dtype="str"))
    notes = {
        target: _blank_out(frame, target, indicator, np.asarray(empties[indicator], dtype=bool))
        for target, indicator in mapping.items()
    }
    return TrialData(
        frame=frame,
        source=name,
        outcome=outcome,
        baseline=baseline,
        arm=arm,
        covariates=covariates,
        id_column=id_column,
        notes={k: v for k, v in notes.items() if v},
    )


def _blank_out(frame: pd.DataFrame, target: str, indicator: str, empty: NDArray[np.bool_]) -> str:
    """Make ``target`` missing where ``indicator`` is empty; say how many values that changed."""
    values = frame[target].to_numpy(copy=True)
    changed = empty & ~np.isnan(values)
    zeros = int((changed & (values == 0)).sum())
    nonzero = int(changed.sum()) - zeros
    values[empty] = np.nan
    frame[target] = values
    if not changed.any():
        return ""
    note = (
        f"{target}: {int(changed.sum())} values set to missing where {indicator} is empty "
        f"({zeros} were 0"
    )
    if nonzero:
        return note + f", {nonzero} held another value: check that the mapping is right)"
    return note + ": no diary, not zero)"


def _capped(problems: list[FieldProblem]) -> list[FieldProblem]:
    if len(problems) <= MAX_REPORTED_PROBLEMS:
        return problems
    more = len(problems) - MAX_REPORTED_PROBLEMS
    return [
        *problems[:MAX_REPORTED_PROBLEMS],
        FieldProblem("file", f"and {more} more problems; fix these first"),
    ]
