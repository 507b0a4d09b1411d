"""ICHD-3 migraine criteria: 1.1, 1.2, 1.2.1, 1.3 and the appendix A1.1.1 / A1.1.2.

Each function returns the lettered criteria as a ``Check`` whose parts are the letters, so the
trace shows which letter failed and why, and "probable" (all but one letter) can be decided.
"""

from __future__ import annotations

import math

from acurelief.diagnosis.attacks import Attacks
from acurelief.diagnosis.intake import Aura, AuraSymptom, Intake, Intensity
from acurelief.diagnosis.logic import (
    Check,
    Status,
    all_of,
    any_of,
    at_least,
    leaf,
    shown,
    span,
    unanswered,
)
from acurelief.diagnosis.rules import Rules

TYPICAL_AURA = frozenset({AuraSymptom.VISUAL, AuraSymptom.SENSORY, AuraSymptom.SPEECH_LANGUAGE})


def _at_least(value: float | None, floor: float) -> bool | None:
    return None if value is None else value >= floor


def _more_than(months: int | None, rules: Rules) -> bool | None:
    return None if months is None else months > rules.more_than_months


def within(low: float | None, high: float | None, lo: float, hi: float) -> bool | None:
    """Whether [low, high] lies in [lo, hi]; known to fail as soon as one end is outside."""
    if (low is not None and low < lo) or (high is not None and high > hi):
        return False
    if low is None or high is None:
        return None
    return True


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _either(a: bool | None, b: bool | None) -> bool | None:
    if a or b:
        return True
    return None if a is None or b is None else False


def pain_features(t: Attacks, code: str) -> Check:
    """1.1 C: at least two of unilateral, pulsating, moderate/severe, aggravated."""
    k = t.kind
    strong = (
        None
        if k.intensities is None
        else bool(k.intensities & {Intensity.MODERATE, Intensity.SEVERE})
    )
    parts = [
        leaf(
            f"{code} C1",
            "unilateral location",
            None if k.location is None else k.location == "unilateral",
            asks=(t.field("location"),),
        ),
        leaf(
            f"{code} C2",
            "pulsating quality",
            None if k.quality is None else k.quality == "pulsating",
            asks=(t.field("quality"),),
        ),
        leaf(
            f"{code} C3",
            "moderate or severe pain intensity",
            strong,
            asks=(t.field("intensities"),),
        ),
        leaf(
            f"{code} C4",
            "aggravation by or avoidance of routine physical activity",
            k.aggravated_by_activity,
            asks=(t.field("aggravated_by_activity"),),
        ),
    ]
    return at_least(2, f"{code} C", "at least two of four pain characteristics", parts)


def associated(t: Attacks, code: str) -> Check:
    """1.1 D: nausea and/or vomiting, or photophobia and phonophobia together."""
    k = t.kind
    parts = [
        leaf(
            f"{code} D1",
            "nausea and/or vomiting",
            _either(k.nausea, k.vomiting),
            asks=unanswered((t.field("nausea"), k.nausea), (t.field("vomiting"), k.vomiting)),
        ),
        leaf(
            f"{code} D2",
            "photophobia and phonophobia",
            _both(k.photophobia, k.phonophobia),
            asks=unanswered(
                (t.field("photophobia"), k.photophobia),
                (t.field("phonophobia"), k.phonophobia),
            ),
        ),
    ]
    return any_of(f"{code} D", "during headache, at least one of", parts)


# What decides a "not better accounted for" criterion left unknown by a red flag.
MEDICAL_ASSESSMENT = "a medical assessment excluding a secondary cause (red flag present)"


def not_accounted(label: str, secondary_suspected: bool, why: str = "") -> Check:
    """E/D "not better accounted for": unknown while a red flag asks for medical assessment.
    ``why`` says why a present flag does not count (e.g. it is explained by 8.2)."""
    if secondary_suspected:
        return leaf(
            label,
            "not better accounted for by another ICHD-3 diagnosis",
            None,
            "a red flag is present: a secondary cause must be excluded first",
            asks=(MEDICAL_ASSESSMENT,),
        )
    return leaf(
        label,
        "not better accounted for by another ICHD-3 diagnosis",
        True,
        why or "no red flag present; the clinician confirms",
    )


def m1_1(t: Attacks, rules: Rules, age: int | None, secondary: bool, why: str = "") -> Check:
    """1.1 applied to one section's attacks, whichever section they were entered in."""
    k = t.kind
    child = age is not None and age < rules.adult_age
    floor = rules.migraine_min_hours_child if child else rules.migraine_min_hours
    letters = [
        leaf(
            "1.1 A",
            "at least five attacks fulfilling B–D",
            _at_least(k.lifetime_attacks, 5),
            f"{k.lifetime_attacks} attacks"
            if k.lifetime_attacks is not None
            else "count not given",
            asks=(t.field("lifetime_attacks"),),
        ),
        leaf(
            "1.1 B",
            f"attacks last {floor:g}–{rules.migraine_max_hours:g} h (untreated or "
            "unsuccessfully treated)",
            within(k.duration_hours_min, k.duration_hours_max, floor, rules.migraine_max_hours),
            span(k.duration_hours_min, k.duration_hours_max, "h"),
            asks=unanswered(
                (t.field("duration_hours_min"), k.duration_hours_min),
                (t.field("duration_hours_max"), k.duration_hours_max),
            ),
        ),
        pain_features(t, "1.1"),
        associated(t, "1.1"),
        not_accounted("1.1 E", secondary, why),
    ]
    where = "" if t.section == "migraine_like" else f"attacks entered as {t.entered_as}"
    return all_of("1.1", "Migraine without aura", letters, where)


def aura_features(a: Aura, rules: Rules) -> Check:
    """1.2 C: at least three of the six aura characteristics."""
    motor = a.symptoms is not None and AuraSymptom.MOTOR in a.symptoms
    ceiling = 72 * 60.0 if motor else rules.aura_max_minutes
    parts = [
        leaf(
            "1.2 C1",
            "at least one aura symptom spreads gradually over ≥5 minutes",
            a.spreads_gradually,
            asks=("aura.spreads_gradually",),
        ),
        leaf(
            "1.2 C2",
            "two or more aura symptoms occur in succession",
            a.symptoms_in_succession,
            asks=("aura.symptoms_in_succession",),
        ),
        leaf(
            "1.2 C3",
            f"each aura symptom lasts {rules.aura_min_minutes:g}–{ceiling:g} minutes",
            within(
                a.shortest_symptom_minutes,
                a.longest_symptom_minutes,
                rules.aura_min_minutes,
                ceiling,
            ),
            span(a.shortest_symptom_minutes, a.longest_symptom_minutes, "min"),
            asks=unanswered(
                ("aura.shortest_symptom_minutes", a.shortest_symptom_minutes),
                ("aura.longest_symptom_minutes", a.longest_symptom_minutes),
            ),
        ),
        leaf(
            "1.2 C4",
            "at least one aura symptom is unilateral",
            a.unilateral,
            asks=("aura.unilateral",),
        ),
        leaf(
            "1.2 C5",
            "at least one aura symptom is positive",
            a.positive_symptoms,
            asks=("aura.positive_symptoms",),
        ),
        leaf(
            "1.2 C6",
            "aura accompanied, or followed within 60 minutes, by headache",
            a.headache_within_60_minutes,
            asks=("aura.headache_within_60_minutes",),
        ),
    ]
    return at_least(3, "1.2 C", "at least three of six aura characteristics", parts)


def m1_2(intake: Intake, rules: Rules, secondary: bool, why: str = "") -> Check:
    a = intake.aura or Aura()
    symptoms = None if a.symptoms is None else bool(a.symptoms)
    letters = [
        leaf(
            "1.2 A",
            "at least two attacks fulfilling B and C",
            _at_least(a.lifetime_attacks, 2),
            f"{a.lifetime_attacks} attacks"
            if a.lifetime_attacks is not None
            else "count not given",
            asks=("aura.lifetime_attacks",),
        ),
        leaf(
            "1.2 B",
            "one or more fully reversible aura symptoms",
            _both(symptoms, a.fully_reversible),
            _symptoms(a),
            asks=unanswered(
                ("aura.symptoms", a.symptoms), ("aura.fully_reversible", a.fully_reversible)
            ),
        ),
        aura_features(a, rules),
        not_accounted("1.2 D", secondary, why),
    ]
    return all_of("1.2", "Migraine with aura", letters)


def _symptoms(a: Aura) -> str:
    if a.symptoms is None:
        return "aura symptoms unknown"
    return ", ".join(sorted(a.symptoms)) if a.symptoms else "no aura symptoms"


def m1_2_1(aura_check: Check, intake: Intake) -> Check:
    """1.2.1: attacks fulfilling 1.2 (its aura criteria shown beneath A) and B: fully
    reversible visual, sensory or speech/language symptoms, none motor, brainstem or retinal."""
    a = intake.aura or Aura()
    some_typical = None if a.symptoms is None else bool(a.symptoms & TYPICAL_AURA)
    atypical = None if a.symptoms is None else not (a.symptoms - TYPICAL_AURA)
    symptoms = ("aura.symptoms",)
    b = all_of(
        "1.2.1 B",
        "aura with both of",
        [
            leaf(
                "1.2.1 B1",
                "fully reversible visual, sensory and/or speech/language symptoms",
                _both(some_typical, a.fully_reversible),
                f"{_symptoms(a)}; fully reversible: {shown(a.fully_reversible)}",
                asks=unanswered(
                    ("aura.symptoms", a.symptoms),
                    ("aura.fully_reversible", a.fully_reversible),
                ),
            ),
            leaf(
                "1.2.1 B2",
                "no motor, brainstem or retinal symptoms",
                atypical,
                _symptoms(a),
                asks=symptoms,
            ),
        ],
    )
    parts = [
        Check("1.2.1 A", "attacks fulfilling 1.2 and B", aura_check.status, "", aura_check.parts),
        b,
    ]
    return all_of("1.2.1", "Migraine with typical aura", parts)


def m1_3(
    intake: Intake,
    rules: Rules,
    migraine: tuple[Attacks, Check],
    with_aura: Check,
    secondary: bool,
    why: str = "",
    migraine_days: float | None = None,
) -> Check:
    """1.3 from the frequencies and the attacks that best fit 1.1 (``migraine``: the section
    and its 1.1 check). ``migraine_days`` are the days with migraine features (1.3 C); the
    caller counts them from every section (default: the migraine-like days entered)."""
    f = intake.frequency
    section, without_aura = migraine
    k = section.kind
    a = intake.aura or Aura()

    def history(check: Check, attacks: int | None, skip: int) -> Status:
        letters = [c.status for c in check.parts[1:skip]]  # the feature letters, not A or E
        if (attacks is not None and attacks < 5) or Status.NOT_MET in letters:
            return Status.NOT_MET
        if attacks is None or Status.UNKNOWN in letters:
            return Status.UNKNOWN
        return Status.MET

    without_asks = _asks(without_aura.parts[:4])
    with_asks = _asks(with_aura.parts[:3])
    b_parts = [
        Check(
            "1.3 B (1.1)",
            "≥5 attacks fulfilling 1.1 B–D",
            history(without_aura, k.lifetime_attacks, 4),
            asks=without_asks,
        ),
        Check(
            "1.3 B (1.2)",
            "≥5 attacks fulfilling 1.2 B–C",
            history(with_aura, a.lifetime_attacks, 3),
            asks=with_asks,
        ),
        Check(
            "1.3 B (both)",
            "≥5 attacks of the two kinds together",
            _pooled(
                [
                    (without_aura.parts[1:4], k.lifetime_attacks),
                    (with_aura.parts[1:3], a.lifetime_attacks),
                ]
            ),
            asks=without_asks + with_asks,
        ),
    ]
    months = _more_than(f.months, rules)
    if migraine_days is None:
        migraine_days = f.migraine_like_days_per_month
    letters = [
        leaf(
            "1.3 A",
            f"headache on ≥15 days/month for >{rules.more_than_months} months",
            _both(_at_least(f.headache_days_per_month, 15), months),
            f"{shown(f.headache_days_per_month)} days/month for {shown(f.months)} months",
            asks=unanswered(
                ("frequency.headache_days_per_month", f.headache_days_per_month),
                ("frequency.months", f.months),
            ),
        ),
        any_of("1.3 B", "history of at least five migraine attacks", b_parts),
        leaf(
            "1.3 C",
            f"on ≥8 days/month for >{rules.more_than_months} months: migraine features, "
            "or believed migraine and relieved by a triptan or ergot",
            _both(_at_least(migraine_days, 8), months),
            f"{shown(migraine_days)} migraine-like days/month",
            asks=unanswered(
                ("frequency.migraine_like_days_per_month", migraine_days),
                ("frequency.months", f.months),
            ),
        ),
        not_accounted("1.3 D", secondary, why),
    ]
    return all_of("1.3", "Chronic migraine", letters)


def _asks(checks: tuple[Check, ...]) -> tuple[str, ...]:
    """Every answer a group of criteria rests on, each once."""
    found: dict[str, None] = {}
    stack = list(checks)
    while stack:
        check = stack.pop(0)
        found.update(dict.fromkeys(check.asks))
        stack[:0] = check.parts
    return tuple(found)


def _pooled(kinds: list[tuple[tuple[Check, ...], int | None]]) -> Status:
    """Attacks with and without aura counted together ("and/or", 1.3 B)."""
    sure, maybe = 0, 0
    for letters, attacks in kinds:
        statuses = {c.status for c in letters}
        if Status.NOT_MET in statuses or attacks == 0:
            continue
        if attacks is None or Status.UNKNOWN in statuses:
            maybe += 1
        else:
            sure += attacks
    if sure >= 5:
        return Status.MET
    return Status.UNKNOWN if maybe else Status.NOT_MET


def menstrual(intake: Intake, without_aura: Check, rules: Rules) -> tuple[Check, Check]:
    """A1.1.1 pure and A1.1.2 menstrually related migraine without aura (clinical-facts §6)."""
    m = intake.menstrual
    if m is None:
        cycles: bool | None = None
        outside: bool | None = None
        evidence = "no documented cycles"
    else:
        needed = math.ceil(rules.menstrual_share * m.cycles_documented - 1e-9)
        cycles = (
            None
            if m.cycles_documented < rules.menstrual_min_cycles
            else m.cycles_with_attack_in_window >= needed
        )
        outside = None if m.attacks_outside_window is None else m.attacks_outside_window > 0
        evidence = (
            f"{m.cycles_with_attack_in_window} of {m.cycles_documented} cycles with an "
            f"attack on days −2…+3; {shown(m.attacks_outside_window)} attacks outside"
        )
    a = Check(
        "A1.1 A",
        "attacks in a menstruating woman fulfilling 1.1",
        without_aura.status,
        asks=without_aura.missing(),
    )
    window = leaf(
        "A1.1 B",
        "attacks on day 1 ± 2 (days −2…+3) in ≥2 of 3 prospectively "
        f"documented cycles (≥{rules.menstrual_min_cycles} cycles)",
        cycles,
        evidence,
        asks=("menstrual",),
    )
    pure = all_of(
        "A1.1.1",
        "Pure menstrual migraine without aura",
        [
            a,
            window,
            leaf(
                "A1.1.1 C",
                "at no other times of the cycle",
                None if outside is None else not outside,
                asks=("menstrual.attacks_outside_window",),
            ),
        ],
    )
    related = all_of(
        "A1.1.2",
        "Menstrually related migraine without aura",
        [
            a,
            window,
            leaf(
                "A1.1.2 C",
                "additionally at other times of the cycle",
                outside,
                asks=("menstrual.attacks_outside_window",),
            ),
        ],
    )
    return pure, related
