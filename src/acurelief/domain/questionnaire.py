"""Questionnaire responses, stored as item answers keyed by item number.

Item structure and answer ranges come from clinical-facts §2. Item texts of HIT-6 and MIDAS
are licensed and are never stored here; scoring lives with the outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from acurelief.errors import Problems

# Days in the 3-month MIDAS recall period, at most (clinical-facts §2.2).
MIDAS_MAX_DAYS = 92


class Instrument(StrEnum):
    HIT6 = "HIT-6"
    MIDAS = "MIDAS"
    PHQ9 = "PHQ-9"
    PHQ2 = "PHQ-2"
    GAD7 = "GAD-7"
    GAD2 = "GAD-2"


def _items(n: int, allowed: frozenset[int]) -> dict[str, frozenset[int]]:
    return {str(i): allowed for i in range(1, n + 1)}


_ZERO_TO_THREE = frozenset(range(4))
_MIDAS_DAYS = frozenset(range(MIDAS_MAX_DAYS + 1))
# Allowed answers per item (clinical-facts §2.1–§2.4).
ITEM_ANSWERS: Mapping[Instrument, Mapping[str, frozenset[int]]] = MappingProxyType(
    {
        Instrument.HIT6: _items(6, frozenset({6, 8, 10, 11, 13})),
        Instrument.MIDAS: {**_items(5, _MIDAS_DAYS), "A": _MIDAS_DAYS, "B": frozenset(range(11))},
        Instrument.PHQ9: _items(9, _ZERO_TO_THREE),
        Instrument.PHQ2: _items(2, _ZERO_TO_THREE),
        Instrument.GAD7: _items(7, _ZERO_TO_THREE),
        Instrument.GAD2: _items(2, _ZERO_TO_THREE),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionnaireResponse:
    """One completed questionnaire; every scored item must be answered."""

    id: int | None = None
    patient_id: int
    instrument: Instrument
    date: dt.date
    answers: Mapping[str, int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        problems = Problems()
        items = ITEM_ANSWERS[self.instrument]
        for item, answer in self.answers.items():
            allowed = items.get(item)
            if allowed is None:
                problems.add(f"answers.{item}", f"{self.instrument} has no item {item}")
            elif isinstance(answer, bool) or not isinstance(answer, int) or answer not in allowed:
                problems.add(f"answers.{item}", _describe(allowed))
        required = [i for i in items if i.isdigit()]
        for item in required:
            if item not in self.answers:
                problems.add(f"answers.{item}", "is required")
        problems.raise_if_any()


def _describe(allowed: frozenset[int]) -> str:
    values = sorted(allowed)
    if values == list(range(values[0], values[-1] + 1)):
        return f"must be from {values[0]} to {values[-1]}"
    return "must be one of " + ", ".join(str(v) for v in values)
