"""The two arms of a trial and the checks on a two-arm analysis's input.

Which level is the treatment and which the reference (the second of the two sorted levels by
default: 1 against 0, "b" against "a"), the checks on the data frame's columns and on alpha,
and the per-arm count text used in caveats. Shared by ``ancova``, ``binary`` and ``trial_data``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from acurelief.errors import FieldProblem, InvalidInput


def _sorted_levels(levels: Sequence[str]) -> list[str]:
    """Levels in numeric order when they are all numbers, else in text order."""
    try:
        return sorted(levels, key=float)
    except ValueError:
        return sorted(levels)


def _arm_labels(
    values: pd.Series[Any], name: str, treatment: str | int | None
) -> tuple[pd.Series[str], str, str]:
    """The arm as text labels, the treatment level and the reference level.

    The treatment is ``treatment`` if given, otherwise ``_default_treatment``'s.
    """
    problems: list[FieldProblem] = []
    missing = int(values.isna().sum())
    if missing:
        problems.append(
            FieldProblem(
                "arm", f"column {name!r} is empty in {missing} rows; every patient needs one"
            )
        )
    labels = values.dropna().astype(str).str.strip()
    levels = _sorted_levels(list(pd.unique(labels)))
    if len(levels) != 2:
        shown = ", ".join(levels[:10]) + (", …" if len(levels) > 10 else "")
        problems.append(
            FieldProblem(
                "arm",
                f"column {name!r} has {len(levels)} levels ({shown}); "
                "a two-arm analysis needs exactly two",
            )
        )
    elif treatment is not None and str(treatment) not in levels:
        problems.append(
            FieldProblem(
                "treatment", f"{str(treatment)!r} is not a level of {name!r} ({', '.join(levels)})"
            )
        )
    if problems:
        raise InvalidInput(problems)
    treated = _default_treatment(levels) if treatment is None else str(treatment)
    reference = levels[0] if treated == levels[1] else levels[1]
    return values.astype(str).str.strip(), treated, reference


CONTROL_WORDS = ("sham", "control", "placebo", "usual", "waiting", "wait", "no acupuncture")


def _default_treatment(levels: Sequence[str]) -> str:
    """The treatment arm when none is named: the level that is not a control when exactly one
    reads as one ("acupuncture" against "sham": the alphabet would pick sham), otherwise the
    second of the two sorted levels (1 against 0, "b" against "a"). The output always names
    which arm was taken as the treatment."""
    controls = [lvl for lvl in levels if any(w in lvl.lower() for w in CONTROL_WORDS)]
    if len(controls) == 1:
        return next(lvl for lvl in levels if lvl != controls[0])
    return levels[1]


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise InvalidInput.single("alpha", f"must lie between 0 and 1, got {alpha}")


def _split(count: int, parts: Mapping[str, int]) -> str:
    return f"{count} ({', '.join(f'{k}: {v}' for k, v in parts.items())})"


def _check_frame(frame: pd.DataFrame, numeric: Sequence[str], arm: str) -> None:
    problems: list[FieldProblem] = []
    names = [*numeric, arm]
    if len(set(names)) != len(names):
        twice = sorted({c for c in names if names.count(c) > 1})
        problems.append(FieldProblem("columns", f"each column takes one role; {twice} repeat"))
    have = ", ".join(map(str, frame.columns))
    for col in dict.fromkeys(names):
        if col not in frame.columns:
            problems.append(FieldProblem(col, f"is not a column of the data; it has: {have}"))
        elif col != arm and not pd.api.types.is_numeric_dtype(frame[col]):
            problems.append(FieldProblem(col, f"must be numeric, it holds {frame[col].dtype}"))
    if problems:
        raise InvalidInput(problems, where="two-arm analysis")
