"""Three-valued criteria and the trace a diagnosis carries.

A criterion is MET, NOT_MET or UNKNOWN. Combinations follow Kleene's logic, so an unknown
part makes a whole unknown only when it could change the outcome:

- all of: NOT_MET if any part is NOT_MET, else UNKNOWN if any is UNKNOWN, else MET;
- at least k of n: MET once k parts are MET; NOT_MET when even all unknowns could not
  reach k; UNKNOWN otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"

    @staticmethod
    def of(value: bool | None) -> Status:
        if value is None:
            return Status.UNKNOWN
        return Status.MET if value else Status.NOT_MET


@dataclass(frozen=True, slots=True)
class Check:
    """One criterion as applied to one patient: what it says, whether it holds, and why."""

    label: str
    text: str
    status: Status
    evidence: str = ""
    parts: tuple[Check, ...] = field(default=())
    asks: tuple[str, ...] = ()  # the intake answers (field paths) this criterion rests on

    def missing(self) -> tuple[str, ...]:
        """The answers whose absence leaves this criterion unknown: those of its unknown
        parts, depth first, each once. Empty when it is decided."""
        if self.status is not Status.UNKNOWN:
            return ()
        found = list(self.asks) if not self.parts else []
        for part in self.parts:
            found.extend(a for a in part.missing() if a not in found)
        return tuple(dict.fromkeys(found or self.asks))

    def lines(self, depth: int = 0) -> list[str]:
        """The trace as indented lines: '[met] 1.1 C: … — evidence'."""
        tail = f" — {self.evidence}" if self.evidence else ""
        own = f"{'  ' * depth}[{self.status.value}] {self.label}: {self.text}{tail}"
        return [own, *(line for p in self.parts for line in p.lines(depth + 1))]


def leaf(
    label: str, text: str, value: bool | None, evidence: str = "", asks: tuple[str, ...] = ()
) -> Check:
    return Check(label, text, Status.of(value), evidence, asks=asks)


def unanswered(*answers: tuple[str, object]) -> tuple[str, ...]:
    """The fields among ``(field, value)`` pairs left unanswered (all of them if none is):
    what a criterion resting on them still needs."""
    blank = tuple(name for name, value in answers if value is None)
    return blank or tuple(name for name, _ in answers)


def shown(value: object, unit: str = "") -> str:
    """A value for a trace: "unknown" for an unanswered one, never "None"."""
    if value is None:
        return "unknown"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".rstrip()


def span(low: float | None, high: float | None, unit: str) -> str:
    """A range for a trace, each unanswered end "unknown": "5–48 h", "unknown–48 h"."""
    return f"{shown(low)}–{shown(high)} {unit}"


def all_of(label: str, text: str, parts: Sequence[Check], evidence: str = "") -> Check:
    statuses = {p.status for p in parts}
    if Status.NOT_MET in statuses:
        status = Status.NOT_MET
    elif Status.UNKNOWN in statuses:
        status = Status.UNKNOWN
    else:
        status = Status.MET
    return Check(label, text, status, evidence, tuple(parts))


def at_least(k: int, label: str, text: str, parts: Sequence[Check], evidence: str = "") -> Check:
    met = sum(p.status is Status.MET for p in parts)
    unknown = sum(p.status is Status.UNKNOWN for p in parts)
    if met >= k:
        status = Status.MET
    elif met + unknown < k:
        status = Status.NOT_MET
    else:
        status = Status.UNKNOWN
    summary = f"{met} of {len(parts)} met, {unknown} unknown; {k} needed"
    return Check(label, text, status, evidence or summary, tuple(parts))


def any_of(label: str, text: str, parts: Sequence[Check], evidence: str = "") -> Check:
    return at_least(1, label, text, parts, evidence)


def count_known(checks: Iterable[Check], status: Status) -> int:
    return sum(c.status is status for c in checks)
