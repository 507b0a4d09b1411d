"""Reading and validating a one-row-per-patient trial CSV into ``TrialData``.

``load_trial_csv`` refuses a file whole, naming every problem (capped at
``MAX_REPORTED_PROBLEMS``); empty cells and the ``MISSING_TOKENS`` are missing, and
``missing_if_empty`` makes a column missing where another is empty, counting each change in
``TrialData.notes``. The outcome is continuous (numbers) or binary (yes/no: 1/0, yes/no,
true/false, y/n), detected from its cells or stated (``OutcomeType``). ``TrialData`` hands its
columns to the ANCOVA (with a baseline), the Welch difference of means (without one), the
comparison of a yes/no outcome, and the responder analysis.
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
from acurelief.analysis.binary import (
    RESPONDER_REDUCTION,
    BinaryOutcome,
    binary_outcome,
    responder_analysis,
)
from acurelief.analysis.trial_arms import _sorted_levels
from acurelief.analysis.trial_means import MeanDifference, compare_means
from acurelief.analysis.trial_outcome import OutcomeType
from acurelief.errors import FieldProblem, InvalidInput

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan"})
MAX_REPORTED_PROBLEMS = 20
YES_TOKENS = frozenset({"1", "1.0", "yes", "y", "true"})
NO_TOKENS = frozenset({"0", "0.0", "no", "n", "false"})
YES_NO_HINT = "write 1/0, yes/no, true/false or y/n"


@dataclass(frozen=True, slots=True, eq=False)
class TrialData:
    """A validated trial file: the columns it was asked for, numbers as floats, arm as text.

    ``notes`` says, per column, what loading changed (values made missing by
    ``missing_if_empty``); the analyses carry the notes of the columns they use.
    """

    frame: pd.DataFrame
    source: str
    outcome: str
    baseline: str | None
    arm: str
    covariates: tuple[str, ...]
    id_column: str | None
    notes: Mapping[str, str]
    outcome_type: OutcomeType = OutcomeType.CONTINUOUS  # never AUTO: the type found

    def notes_for(self, *columns: str | None) -> tuple[str, ...]:
        return tuple(self.notes[c] for c in columns if c is not None and c in self.notes)

    def _baseline(self, analysis: str) -> str:
        if self.baseline is None:
            raise InvalidInput.single("baseline", f"the {analysis} needs a baseline column")
        return self.baseline

    def analyse(self, *, treatment: str | int | None = None, alpha: float = 0.05) -> TwoArmAnalysis:
        """ANCOVA of a continuous outcome adjusted for its baseline (and covariates)."""
        return analyse_two_arms(
            self.frame,
            outcome=self.outcome,
            baseline=self._baseline("ANCOVA"),
            arm=self.arm,
            covariates=self.covariates,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome, self.baseline, *self.covariates),
        )

    def compare_means(
        self, *, treatment: str | int | None = None, alpha: float = 0.05
    ) -> MeanDifference:
        """Difference of means of a continuous outcome with a Welch interval (no baseline)."""
        if self.outcome_type is not OutcomeType.CONTINUOUS:
            raise InvalidInput.single("outcome", f"{self.outcome!r} is yes/no, not a number")
        return compare_means(
            self.frame,
            outcome=self.outcome,
            arm=self.arm,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome),
        )

    def compare_events(
        self,
        *,
        treatment: str | int | None = None,
        event_is_good: bool = True,
        alpha: float = 0.05,
    ) -> BinaryOutcome:
        """A yes/no outcome per arm: risks, RD (Newcombe), RR, OR, NNT or NNH, Fisher."""
        if self.outcome_type is not OutcomeType.BINARY:
            raise InvalidInput.single("outcome", f"{self.outcome!r} holds numbers, not yes/no")
        return binary_outcome(
            self.frame[self.outcome],
            self.frame[self.arm],
            event=f"{self.outcome} = yes",
            arm_name=self.arm,
            treatment=treatment,
            event_is_good=event_is_good,
            alpha=alpha,
            excluded_reason=f"no {self.outcome}",
            caveats=self.notes_for(self.outcome),
        )

    def responders(
        self,
        *,
        reduction: float = RESPONDER_REDUCTION,
        treatment: str | int | None = None,
        alpha: float = 0.05,
    ) -> BinaryOutcome:
        if self.outcome_type is not OutcomeType.CONTINUOUS:
            raise InvalidInput.single(
                "outcome", f"{self.outcome!r} is yes/no: responders need a numeric outcome"
            )
        return responder_analysis(
            self.frame,
            outcome=self.outcome,
            baseline=self._baseline("responder analysis"),
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
    if _yes_no(cell) is not None:
        hint = " (a yes/no outcome is compared without a baseline)"
    return FieldProblem(f"row {row}, column {col}", f"{cell.strip()!r} is not a number{hint}")


def _yes_no(cell: str) -> float | None:
    """The cell as 1.0/0.0, NaN when missing, None when it is not a yes/no word."""
    word = cell.strip().lower()
    if word in MISSING_TOKENS:
        return math.nan
    return 1.0 if word in YES_TOKENS else 0.0 if word in NO_TOKENS else None


def _yes_no_problem(row: int, col: str, cell: str) -> FieldProblem:
    return FieldProblem(
        f"row {row}, column {col}", f"{cell.strip()!r} is not yes/no ({YES_NO_HINT})"
    )


def _outcome_kind(
    cells: Sequence[tuple[int, str]], column: str, kind: OutcomeType, has_baseline: bool
) -> tuple[OutcomeType, list[FieldProblem]]:
    """The type of the outcome: ``kind`` when stated; AUTO is resolved from the cells.

    With a baseline the outcome is a measurement like its baseline (continuous). Without one
    it is yes/no when every cell is a yes/no word or 0/1, or when it holds words only (the
    cells that are not yes/no are then named as such); numbers otherwise; a column that mixes
    yes/no words with numbers is refused with the rows named.
    """
    if kind is not OutcomeType.AUTO:
        return kind, []
    words = [(r, c) for r, c in cells if _number(c) is None and _yes_no(c) is not None]
    if has_baseline:
        return OutcomeType.CONTINUOUS, []
    if all(_yes_no(c) is not None for _, c in cells):
        return OutcomeType.BINARY, []
    if not words:
        return OutcomeType.CONTINUOUS, []
    if all(_number(c) is None for _, c in cells):  # words only: yes/no, with some cells wrong
        return OutcomeType.BINARY, []
    shown = ", ".join(f"row {r} {c.strip()!r}" for r, c in words[:3])
    return OutcomeType.CONTINUOUS, [
        FieldProblem(
            column,
            f"mixes yes/no words ({shown}) with numbers or text: is it yes/no or a number? "
            "Fix the column or state the outcome type",
        )
    ]


def load_trial_csv(
    source: Path | str | bytes,
    *,
    outcome: str,
    baseline: str | None,
    arm: str,
    covariates: Sequence[str] = (),
    missing_if_empty: Mapping[str, str] | None = None,
    id_column: str | None = "id",
    outcome_type: OutcomeType | str = OutcomeType.AUTO,
) -> TrialData:
    """Read and validate a one-row-per-patient trial CSV; refuse it whole, naming every problem.

    ``source`` is a file (Path), its bytes, or the CSV text itself (str). UTF-8 with or without
    a byte-order mark, any line ending. Empty cells (or NA, N/A, NaN) are missing.

    ``missing_if_empty`` maps a column to another whose empty cell makes it missing too: in the
    Vickers file ``{"f5": "pk5"}``, because an empty 12-month score means no diary came back
    and the 0 in ``f5`` is not "no headache days" but no data. Nothing happens by default; every
    value changed is counted in ``notes``.

    ``baseline`` may be None: a continuous outcome is then compared by the Welch difference of
    means, a yes/no outcome always is (risks per arm). ``outcome_type`` says which the outcome
    is; AUTO takes yes/no when every cell is a yes/no word or 0/1.

    Refused, all problems together: an unknown column (with the columns there are), a cell
    that is not a number or not yes/no (row and column named), an outcome that mixes the two,
    a baseline or covariates with a yes/no outcome, covariates without a baseline, an empty
    arm, an arm without exactly two levels, an empty or repeated id, rows with the wrong number
    of fields, an empty file.
    """
    name, text = _read_text(source)
    header, records = _parse_rows(text)
    mapping = dict(missing_if_empty or {})
    covariates = tuple(covariates)
    try:
        kind = OutcomeType(outcome_type)
    except ValueError:
        choices = ", ".join(t.value for t in OutcomeType)
        raise InvalidInput.single(
            "outcome_type", f"{outcome_type!r} is not one of {choices}"
        ) from None
    problems: list[FieldProblem] = []
    if covariates and baseline is None:
        problems.append(
            FieldProblem(
                "covariates",
                "adjustment needs a baseline (an ANCOVA); without one the arms are compared "
                "by the difference of means",
            )
        )

    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(FieldProblem("header", f"column {col!r} appears more than once"))
        seen.add(col)
    roles: list[tuple[str, str]] = [("outcome", outcome), ("arm", arm)]
    if baseline is not None:
        roles.insert(1, ("baseline", baseline))
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
    if outcome in index:
        cells = [(r, f[index[outcome]]) for r, f in records if len(f) == len(header)]
        kind, kind_problems = _outcome_kind(cells, outcome, kind, baseline is not None)
        problems += kind_problems
    named = [outcome, baseline, *covariates, *mapping]
    numeric = [c for c in dict.fromkeys(named) if c is not None and c in index]
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
            yes_no = col == outcome and kind is OutcomeType.BINARY
            value = (_yes_no if yes_no else _number)(fields[index[col]])
            if value is None:
                problem = _yes_no_problem if yes_no else _number_problem
                problems.append(problem(row, col, fields[index[col]]))
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
    if kind is OutcomeType.BINARY and baseline is not None:
        problems.append(
            FieldProblem(
                "baseline",
                f"{outcome!r} is yes/no: it is compared without a baseline (risks per arm); "
                "leave the baseline out",
            )
        )
    if problems:
        raise InvalidInput(_capped(problems), where=name)
    if kind is OutcomeType.AUTO:  # every outcome value parsed as a number
        kind = OutcomeType.CONTINUOUS

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
        outcome_type=kind,
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
