"""Put the criteria together: which ICHD-3 diagnoses hold, by which rules, and what to refer.

Co-existence rules (docs/ichd3-criteria.md, "General rules for more than one diagnosis"):
each distinct headache type is coded (1.1 with 1.2; migraine with TTH); definite beats
probable, and a probable diagnosis needs no other disorder fulfilled, migraine before TTH;
chronic migraine excludes TTH and (IMPL NOTE) takes the place of the episodic migraine codes;
8.2 is coded together with the headache it complicates, combination analgesics as 8.2.5 only,
8.2.6 only when no single class is overused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from acurelief.diagnosis.intake import Intake
from acurelief.diagnosis.logic import Check, Status
from acurelief.diagnosis.migraine import m1_1, m1_2, m1_2_1, m1_3, menstrual
from acurelief.diagnosis.overuse import medication_overuse
from acurelief.diagnosis.redflags import Screen, screen
from acurelief.diagnosis.rules import Rules
from acurelief.diagnosis.tension import tth, tth_band

PROBABLE_NAMES = {
    "1.5.1": ("Probable migraine without aura", "1.1"),
    "1.5.2": ("Probable migraine with aura", "1.2"),
    "2.4.1": ("Probable infrequent episodic tension-type headache", "2.1"),
    "2.4.2": ("Probable frequent episodic tension-type headache", "2.2"),
    "2.4.3": ("Probable chronic tension-type headache", "2.3"),
}
# The lettered criteria that "all but one" counts (1.5 A: A–D of 1.1, A–C of 1.2; 2.4: A–D).
LETTERS = {"1.1": 4, "1.2": 3, "2.1": 4, "2.2": 4, "2.3": 4}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    code: str
    name: str
    check: Check
    probable: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    """The diagnoses that hold, the ones data could still decide, every trace, and red flags."""

    diagnoses: tuple[Diagnosis, ...]
    undecided: tuple[Check, ...]
    traces: tuple[Check, ...]
    red_flags: Screen

    @property
    def refer(self) -> bool:
        return self.red_flags.refer

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.diagnoses)


def _probable(check: Check, letters: int) -> Status:
    """All but one lettered criterion met, none unknown (IMPL NOTE 7 of the criteria notes)."""
    statuses = [c.status for c in check.parts[:letters]]
    rest = [c.status for c in check.parts[letters:]]  # "not better accounted for" must hold
    if Status.NOT_MET in rest or statuses.count(Status.NOT_MET) != 1:
        return Status.NOT_MET if Status.UNKNOWN not in statuses + rest else Status.UNKNOWN
    return Status.UNKNOWN if Status.UNKNOWN in statuses + rest else Status.MET


def classify(intake: Intake, *, age: int | None = None, rules: Rules | None = None) -> Assessment:
    rules = rules or Rules()
    flags = screen(intake.red_flags)
    secondary = flags.refer
    checks: dict[str, Check] = {}
    checks["1.1"] = m1_1(intake, rules, age, secondary)
    checks["1.2"] = m1_2(intake, rules, secondary)
    checks["1.2.1"] = m1_2_1(checks["1.2"], intake)
    checks["1.3"] = m1_3(intake, rules, checks["1.1"], checks["1.2"], secondary)
    checks["A1.1.1"], checks["A1.1.2"] = menstrual(intake, checks["1.1"], rules)
    for code in ("2.1", "2.2", "2.3"):
        checks[code] = tth(code, intake, rules, secondary)
    primary = [checks[c].status for c in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")]
    pre_existing = Status.MET if Status.MET in primary or _described(intake) else Status.UNKNOWN
    for check in medication_overuse(intake, rules, pre_existing, secondary):
        checks[check.label] = check
    return _combine(checks, flags, tth_band(intake))


def _described(intake: Intake) -> bool:
    return any(x is not None for x in (intake.migraine_like, intake.tension_like, intake.aura))


def _met(checks: dict[str, Check], code: str) -> bool:
    return checks[code].status is Status.MET


def _combine(checks: dict[str, Check], flags: Screen, tth_band: str | None) -> Assessment:
    out: list[Diagnosis] = []
    chronic = _met(checks, "1.3")
    if chronic:
        out.append(
            Diagnosis(
                "1.3",
                checks["1.3"].text,
                checks["1.3"],
                note="excludes tension-type headache (1.3 note 3)",
            )
        )
    else:
        if _met(checks, "1.1"):
            out.append(Diagnosis("1.1", checks["1.1"].text, checks["1.1"]))
            for code in ("A1.1.1", "A1.1.2"):
                if _met(checks, code):
                    out.append(Diagnosis(code, checks[code].text, checks[code], note="appendix"))
        if _met(checks, "1.2"):
            code = "1.2.1" if _met(checks, "1.2.1") else "1.2"
            out.append(Diagnosis(code, checks[code].text, checks[code]))
        for code in ("2.1", "2.2", "2.3"):
            if _met(checks, code):
                out.append(Diagnosis(code, checks[code].text, checks[code]))
    definite_primary = bool(out)
    if not definite_primary:
        out.extend(_probables(checks, tth_band))
    out.extend(_overuse(checks))
    decided = {d.code for d in out}
    if chronic:  # excluded or subsumed by chronic migraine: nothing left to decide about them
        decided |= {"1.1", "1.2", "1.2.1", "A1.1.1", "A1.1.2", "2.1", "2.2", "2.3"}
    undecided = tuple(
        c for code, c in checks.items() if c.status is Status.UNKNOWN and code not in decided
    )
    return Assessment(tuple(out), undecided, tuple(checks.values()), flags)


def _probables(checks: dict[str, Check], tth_band: str | None) -> list[Diagnosis]:
    found = []
    for code, (name, base) in PROBABLE_NAMES.items():
        if base.startswith("2.") and base != tth_band:
            continue  # 2.4.x: the subtype whose frequency band the headache falls in
        if _probable(checks[base], LETTERS[base]) is Status.MET:
            missing = next(c for c in checks[base].parts if c.status is Status.NOT_MET)
            found.append(
                Diagnosis(
                    code,
                    name,
                    checks[base],
                    probable=True,
                    note=f"all criteria of {base} but {missing.label}",
                )
            )
    migraine = [d for d in found if d.code.startswith("1.")]
    return migraine or found  # migraine before tension-type headache (2.4)


def _overuse(checks: dict[str, Check]) -> list[Diagnosis]:
    single = [c for c in ("8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5") if _met(checks, c)]
    codes: Sequence[str] = single or (["8.2.6"] if _met(checks, "8.2.6") else [])
    return [Diagnosis(c, checks[c].text, checks[c]) for c in codes]
