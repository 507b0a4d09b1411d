"""Typical, complete headache histories, one per disorder, written from the ICHD-3 criteria.

Every worked case starts from one of these and changes one thing (``edit``), so that the
change alone decides the outcome. The numbers are chosen well inside every criterion the
case does not test (docs/ichd3-criteria.md quotes the criteria).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from acurelief.diagnosis.classify import Assessment, classify
from acurelief.diagnosis.intake import parse_intake
from acurelief.diagnosis.logic import Check, Status

History = dict[str, Any]

# SNNOOP10 (Do et al., Neurology 2019): the 15 signs the intake asks about.
RED_FLAG_KEYS = (
    "systemic_symptoms",
    "neoplasm_history",
    "neurological_deficit",
    "sudden_onset",
    "onset_after_50",
    "pattern_change_or_new",
    "positional",
    "precipitated_by_cough_sneeze_exercise",
    "papilloedema",
    "progressive_or_atypical",
    "pregnancy_or_puerperium",
    "painful_eye_with_autonomic_features",
    "post_traumatic_onset",
    "immune_suppression",
    "painkiller_overuse_or_new_drug",
)
DRUG_CLASSES = ("triptan", "ergot", "simple_analgesic", "combination_analgesic", "opioid")


def no_red_flags() -> dict[str, bool]:
    """Every SNNOOP10 sign asked about, none present."""
    return dict.fromkeys(RED_FLAG_KEYS, False)


def medication(months: int = 24, **days: float) -> dict[str, dict[str, float]]:
    """Acute medication days per month for every drug class (0 where not taken)."""
    for drug in days:
        assert drug in DRUG_CLASSES, drug
    return {drug: {"days_per_month": days.get(drug, 0), "months": months} for drug in DRUG_CLASSES}


def migraine_without_aura() -> History:
    """1.1: 40 attacks of 6–24 h, unilateral, pulsating, moderate to severe, worse on activity,
    with nausea (D1) and photophobia alone (so D rests on nausea); 3 days a month."""
    return {
        "migraine_like": {
            "lifetime_attacks": 40,
            "duration_hours_min": 6,
            "duration_hours_max": 24,
            "location": "unilateral",
            "quality": "pulsating",
            "intensities": ["moderate", "severe"],
            "aggravated_by_activity": True,
            "nausea": True,
            "vomiting": False,
            "photophobia": True,
            "phonophobia": False,
        },
        "frequency": {
            "headache_days_per_month": 3,
            "migraine_like_days_per_month": 3,
            "acute_medication_days_per_month": 3,
            "months": 24,
        },
        "medication": medication(triptan=3),
        "red_flags": no_red_flags(),
    }


def migraine_with_aura() -> History:
    """1.2.1: 12 attacks of fully reversible visual then sensory aura, each symptom 10–30
    minutes, all six 1.2 C characteristics, headache within 60 minutes."""
    return {
        "aura": {
            "lifetime_attacks": 12,
            "symptoms": ["visual", "sensory"],
            "fully_reversible": True,
            "shortest_symptom_minutes": 10,
            "longest_symptom_minutes": 30,
            "spreads_gradually": True,
            "symptoms_in_succession": True,
            "unilateral": True,
            "positive_symptoms": True,
            "headache_within_60_minutes": True,
        },
        "frequency": {
            "headache_days_per_month": 2,
            "migraine_like_days_per_month": 2,
            "acute_medication_days_per_month": 2,
            "months": 24,
        },
        "medication": medication(triptan=2),
        "red_flags": no_red_flags(),
    }


def minimal_aura() -> History:
    """1.2.1 with exactly three of the six 1.2 C characteristics (C3 duration, C5 positive,
    C6 headache within 60 minutes), so that C3 alone decides C."""
    return edit(
        migraine_with_aura(),
        {
            "aura.spreads_gradually": False,
            "aura.symptoms_in_succession": False,
            "aura.unilateral": False,
        },
    )


def chronic_migraine() -> History:
    """1.3: the 1.1 history, now on 20 headache days a month of which 10 are migraine-like,
    for 8 months; acute medication below every overuse threshold."""
    history = migraine_without_aura()
    history["migraine_like"]["lifetime_attacks"] = 200
    history["frequency"] = {
        "headache_days_per_month": 20,
        "migraine_like_days_per_month": 10,
        "acute_medication_days_per_month": 7,
        "months": 8,
    }
    history["medication"] = medication(months=8, triptan=4, simple_analgesic=3)
    return history


def _tension_kind(episodes: int, hours_max: float) -> dict[str, Any]:
    return {
        "lifetime_attacks": episodes,
        "duration_hours_min": 1,
        "duration_hours_max": hours_max,
        "location": "bilateral",
        "quality": "pressing",
        "intensities": ["mild", "moderate"],
        "aggravated_by_activity": False,
        "nausea": False,
        "vomiting": False,
        "photophobia": False,
        "phonophobia": False,
    }


def infrequent_tth() -> History:
    """2.1: 30 episodes of 1–8 h bilateral pressing mild-moderate headache, no associated
    symptoms, on 0.5 days a month."""
    return {
        "tension_like": _tension_kind(30, 8),
        "frequency": {
            "headache_days_per_month": 0.5,
            "acute_medication_days_per_month": 0.5,
            "months": 36,
        },
        "medication": medication(months=36, simple_analgesic=0.5),
        "red_flags": no_red_flags(),
    }


def frequent_tth() -> History:
    """2.2: 80 such episodes on 6 days a month for 12 months."""
    return {
        "tension_like": _tension_kind(80, 8),
        "frequency": {
            "headache_days_per_month": 6,
            "acute_medication_days_per_month": 3,
            "months": 12,
        },
        "medication": medication(months=12, simple_analgesic=3),
        "red_flags": no_red_flags(),
    }


def chronic_tth() -> History:
    """2.3: such headache lasting 2–24 h on 20 days a month for 12 months."""
    history = frequent_tth()
    history["tension_like"] = _tension_kind(400, 24)
    history["tension_like"]["duration_hours_min"] = 2
    history["frequency"] = {
        "headache_days_per_month": 20,
        "acute_medication_days_per_month": 6,
        "months": 12,
    }
    history["medication"] = medication(months=12, simple_analgesic=6)
    return history


def menstrual_migraine() -> History:
    """A1.1.1: the 1.1 history; in 3 prospectively documented cycles an attack on days −2…+3
    in all three and none outside the window."""
    history = migraine_without_aura()
    history["menstrual"] = {
        "cycles_documented": 3,
        "cycles_with_attack_in_window": 3,
        "attacks_outside_window": 0,
    }
    return history


def edit(history: History, changes: Mapping[str, object]) -> History:
    """A copy of ``history`` with each dotted path set to its value (None = not asked)."""
    out = copy.deepcopy(history)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: dict[str, Any] = out
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return out


def assess(history: History, age: int | None = None) -> Assessment:
    return classify(parse_intake(history), age=age)


def find(assessment: Assessment, label: str) -> Check:
    """The first check with this label, searching every trace depth-first."""
    stack = list(reversed(assessment.traces))
    while stack:
        check = stack.pop()
        if check.label == label:
            return check
        stack.extend(reversed(check.parts))
    raise LookupError(f"no check labelled {label!r}")


def status(assessment: Assessment, label: str) -> Status:
    return find(assessment, label).status


def undecided(assessment: Assessment) -> set[str]:
    return {check.label for check in assessment.undecided}


def overuse_codes(assessment: Assessment) -> tuple[str, ...]:
    return tuple(code for code in assessment.codes if code.startswith("8.2"))
