"""Put the criteria together: which ICHD-3 diagnoses hold, by which rules, and what to refer.

Co-existence rules (docs/ichd3-criteria.md, "General rules for more than one diagnosis"):
each distinct headache type is coded (1.1 with 1.2; migraine with TTH); definite beats
probable, and a probable diagnosis needs no other disorder fulfilled, migraine before TTH;
chronic migraine excludes TTH and (IMPL NOTE) takes the place of the episodic migraine codes;
8.2 is coded together with the headache it complicates, combination analgesics as 8.2.5 only,
8.2.6 only when no single class is overused.

Attacks are classified on their features, not on the intake section they were entered in
(``attacks``). A "yes" to the painkiller-overuse sign still refers, but it points to 8.2,
which ICHD-3 codes beside the pre-existing primary headache: when the medication answers
fulfil an 8.2 subtype, that code and the primary headache codes are kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from acurelief.diagnosis.attacks import Attacks, attack_types
from acurelief.diagnosis.intake import Intake
from acurelief.diagnosis.logic import Check, Status
from acurelief.diagnosis.migraine import m1_1, m1_2, m1_2_1, m1_3, menstrual
from acurelief.diagnosis.overuse import medication_overuse
from acurelief.diagnosis.redflags import OVERUSE_FLAG, Screen, screen
from acurelief.diagnosis.rules import Rules
from acurelief.diagnosis.tension import pooled_days, tth, tth_band

PROBABLE_NAMES = {
    "1.5.1": ("Probable migraine without aura", "1.1"),
    "1.5.2": ("Probable migraine with aura", "1.2"),
    "2.4.1": ("Probable infrequent episodic tension-type headache", "2.1"),
    "2.4.2": ("Probable frequent episodic tension-type headache", "2.2"),
    "2.4.3": ("Probable chronic tension-type headache", "2.3"),
}
# The lettered criteria that "all but one" counts (1.5 A: A–D of 1.1, A–C of 1.2; 2.4: A–D).
LETTERS = {"1.1": 4, "1.2": 3, "2.1": 4, "2.2": 4, "2.3": 4}
EXPLAINED = (
    "the painkiller-overuse sign points to 8.2, which is coded beside the pre-existing "
    "headache (8.2 'coded elsewhere'); no other red flag"
)
OVERUSE_ITSELF = "the painkiller-overuse sign points to this diagnosis; no other red flag"
RANK = {Status.MET: 0, Status.UNKNOWN: 1, Status.NOT_MET: 2}

T = TypeVar("T", Attacks, Attacks | None)
Candidates = dict[str, list[tuple[Attacks | None, Check]]]


@dataclass(frozen=True, slots=True)
class Diagnosis:
    code: str
    name: str
    check: Check
    probable: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Undecided:
    """A code the answers neither give nor rule out, and the answers that would decide it."""

    code: str
    name: str
    check: Check
    missing: tuple[str, ...]
    note: str = ""

    @property
    def label(self) -> str:
        return self.code


@dataclass(frozen=True, slots=True)
class Assessment:
    """The diagnoses that hold, the ones data could still decide, every trace, and red flags."""

    diagnoses: tuple[Diagnosis, ...]
    undecided: tuple[Undecided, ...]
    traces: tuple[Check, ...]
    red_flags: Screen

    @property
    def refer(self) -> bool:
        return self.red_flags.refer

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.diagnoses)


def _probable(check: Check, letters: int) -> Status:
    """All but one lettered criterion met (IMPL NOTE 7 of the criteria notes): MET when exactly
    one is not met and nothing is unknown; UNKNOWN while unknown answers could still make it
    so; NOT_MET otherwise (two letters failed, all met, or "not better accounted for" fails)."""
    statuses = [c.status for c in check.parts[:letters]]
    rest = [c.status for c in check.parts[letters:]]  # "not better accounted for" must hold
    failed = statuses.count(Status.NOT_MET)
    if Status.NOT_MET in rest or failed > 1:
        return Status.NOT_MET
    if Status.UNKNOWN in statuses + rest:
        return Status.UNKNOWN if failed == 1 or Status.UNKNOWN in statuses else Status.NOT_MET
    return Status.MET if failed == 1 else Status.NOT_MET


def classify(intake: Intake, *, age: int | None = None, rules: Rules | None = None) -> Assessment:
    rules = rules or Rules()
    flags = screen(intake.red_flags, age)
    others = bool(flags.others)
    overuse_flag = OVERUSE_FLAG in flags.present
    checks, candidates = _primary(intake, rules, age, others, EXPLAINED if overuse_flag else "")
    primary = [checks[c].status for c in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")]
    pre_existing = Status.MET if Status.MET in primary or _described(intake) else Status.UNKNOWN
    why = OVERUSE_ITSELF if overuse_flag else ""
    overuse = medication_overuse(intake, rules, pre_existing, others, why)
    if overuse_flag and not any(c.status is Status.MET for c in overuse):
        # No 8.2 explains the "yes" (it may be a new drug at onset): refer before any code.
        checks, candidates = _primary(intake, rules, age, True)
    for check in overuse:
        checks[check.label] = check
    blank = {s for s in ("migraine_like", "tension_like", "aura") if getattr(intake, s) is None}
    assessment = _combine(checks, candidates, flags)
    undecided = tuple(_collapse(u, blank) for u in assessment.undecided)
    return dataclasses.replace(assessment, undecided=undecided)


def _collapse(u: Undecided, blank: set[str]) -> Undecided:
    """A part of the intake left blank is named once ("tension_like"), not field by field."""
    missing = [a.split(".", 1)[0] if a.split(".", 1)[0] in blank else a for a in u.missing]
    return dataclasses.replace(u, missing=tuple(dict.fromkeys(missing)))


def _best(found: Sequence[tuple[T, Check]], home: str) -> tuple[T, Check]:
    """The candidate that fits a code best: met before unknown before not met, and on a tie
    the section named after the code (so the usual trace is the one shown)."""
    return min(found, key=lambda p: (RANK[p[1].status], p[0] is None or p[0].section != home))


def _primary(
    intake: Intake, rules: Rules, age: int | None, secondary: bool, why: str = ""
) -> tuple[dict[str, Check], Candidates]:
    """Every primary-headache check; each of 1.1 and 2.x tried on both intake sections."""
    types = attack_types(intake)
    migraine_types = _tried(types, "migraine_like")
    without_aura = [(t, m1_1(t, rules, age, secondary, why)) for t in migraine_types]
    candidates: Candidates = {"1.1": list(without_aura)}
    for code in ("2.1", "2.2", "2.3"):
        tried = pooled_days(code, _tried(types, "tension_like"), intake)
        candidates[code] = [(t, tth(code, t, intake, rules, secondary, why)) for t in tried]
    checks: dict[str, Check] = {}
    migraine, checks["1.1"] = _best(without_aura, "migraine_like")
    checks["1.2"] = m1_2(intake, rules, secondary, why)
    candidates["1.2"] = [(None, checks["1.2"])]
    checks["1.2.1"] = m1_2_1(checks["1.2"], intake)
    days = _migraine_days(intake, candidates["1.1"])
    checks["1.3"] = m1_3(
        intake, rules, (migraine, checks["1.1"]), checks["1.2"], secondary, why, days
    )
    checks["A1.1.1"], checks["A1.1.2"] = menstrual(intake, checks["1.1"], rules)
    for code in ("2.1", "2.2", "2.3"):
        checks[code] = _best(candidates[code], "tension_like")[1]
    return checks, candidates


def _tried(types: tuple[Attacks, ...], home: str) -> list[Attacks]:
    """The sections a code family is tried on: its own (blank or not: a blank one leaves the
    code unknown, as the attacks were not asked about) and every other described one."""
    return [t for t in types if t.section == home or t.described]


def _migraine_days(intake: Intake, found: list[tuple[Attacks | None, Check]]) -> float | None:
    """1.3 C's days: those entered as migraine-like (features, or triptan-relieved by the
    field's own definition), plus those of any other section whose attacks have migraine's
    features (1.1 C and D met)."""
    days = intake.frequency.migraine_like_days_per_month
    for t, check in found:
        if t is None or t.section == "migraine_like" or t.days is None:
            continue
        if all(c.status is Status.MET for c in check.parts[2:4]):
            days = (days or 0.0) + t.days
    return days


def _described(intake: Intake) -> bool:
    return any(x is not None for x in (intake.migraine_like, intake.tension_like, intake.aura))


def _met(checks: dict[str, Check], code: str) -> bool:
    return checks[code].status is Status.MET


def _combine(checks: dict[str, Check], candidates: Candidates, flags: Screen) -> Assessment:
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
    open_probables: list[Undecided] = []
    if not out:
        probables, open_probables = _probables(candidates)
        out.extend(probables)
    out.extend(_overuse(checks))
    decided = {d.code for d in out}
    if chronic:  # excluded or subsumed by chronic migraine: nothing left to decide about them
        decided |= {"1.1", "1.2", "1.2.1", "A1.1.1", "A1.1.2", "2.1", "2.2", "2.3"}
    undecided = [
        Undecided(code, c.text, c, c.missing())
        for code, c in checks.items()
        if c.status is Status.UNKNOWN and code not in decided
    ]
    return Assessment(tuple(out), tuple(undecided + open_probables), tuple(checks.values()), flags)


def _probables(candidates: Candidates) -> tuple[list[Diagnosis], list[Undecided]]:
    """The probable codes given, and those an unanswered question still blocks (1.5, 2.4)."""
    found: list[Diagnosis] = []
    blocked: list[Undecided] = []
    for code, (name, base) in PROBABLE_NAMES.items():
        for t, check in candidates[base]:
            if base.startswith("2.") and (t is None or tth_band(t) != base):
                continue  # 2.4.x: the subtype whose frequency band the headache falls in
            status = _probable(check, LETTERS[base])
            failed = [c for c in check.parts[: LETTERS[base]] if c.status is Status.NOT_MET]
            where = "" if not check.evidence else f" ({check.evidence})"
            if status is Status.MET:
                note = f"all criteria of {base} but {failed[0].label}{where}"
                found.append(Diagnosis(code, name, check, probable=True, note=note))
                break
            if status is Status.UNKNOWN and failed:
                missing = tuple(dict.fromkeys(a for c in check.parts for a in c.missing()))
                note = f"all criteria of {base} but {failed[0].label} if the missing answers agree"
                blocked.append(Undecided(code, name, check, missing, note + where))
                break
    given = {d.code for d in found}
    blocked = [u for u in blocked if u.code not in given]
    if any(d.code.startswith("1.") for d in found):  # migraine before tension-type (2.4)
        return [d for d in found if d.code.startswith("1.")], [
            u for u in blocked if u.code.startswith("1.")
        ]
    return found, blocked


def _overuse(checks: dict[str, Check]) -> list[Diagnosis]:
    single = [c for c in ("8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5") if _met(checks, c)]
    codes: Sequence[str] = single or (["8.2.6"] if _met(checks, "8.2.6") else [])
    return [Diagnosis(c, checks[c].text, checks[c]) for c in codes]
