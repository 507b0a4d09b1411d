"""ICHD-3 8.2 medication-overuse headache and its subtypes by drug class."""

from __future__ import annotations

from acurelief.diagnosis.intake import DrugClass, Intake
from acurelief.diagnosis.logic import Check, Status, all_of, leaf, shown, unanswered
from acurelief.diagnosis.migraine import not_accounted
from acurelief.diagnosis.rules import Rules

# Days per month of regular intake that count as overuse (8.2.1–8.2.5; non-opioid analgesics
# pooled at ≥15, all others ≥10), and the subtype codes.
THRESHOLDS = {
    DrugClass.ERGOT: ("8.2.1", "Ergotamine-overuse headache", 10),
    DrugClass.TRIPTAN: ("8.2.2", "Triptan-overuse headache", 10),
    DrugClass.SIMPLE_ANALGESIC: ("8.2.3", "Non-opioid analgesic-overuse headache", 15),
    DrugClass.OPIOID: ("8.2.4", "Opioid-overuse headache", 10),
    DrugClass.COMBINATION_ANALGESIC: ("8.2.5", "Combination-analgesic-overuse headache", 10),
}
MULTIPLE_DAYS = 10  # 8.2.6: any combination on ≥10 days, no single class overused


def _overused(intake: Intake, drug: DrugClass, floor: int, rules: Rules) -> Check:
    use = intake.medication.get(drug)
    code = THRESHOLDS[drug][0]
    asks = (f"medication.{drug.value}.days_per_month", f"medication.{drug.value}.months")
    if use is None:
        return leaf(
            f"{code} B",
            f"{drug.value} on ≥{floor} days/month for >3 months",
            None,
            "not asked",
            asks=asks,
        )
    months = None if use.months is None else use.months > rules.more_than_months
    value: bool | None = use.days_per_month >= floor
    if value:
        value = months
    return leaf(
        f"{code} B",
        f"{drug.value} on ≥{floor} days/month for >{rules.more_than_months} months",
        value,
        f"{use.days_per_month:g} days/month for {shown(use.months)} months",
        asks=asks[1:],
    )


def medication_overuse(
    intake: Intake, rules: Rules, pre_existing: Status, secondary: bool, why: str = ""
) -> list[Check]:
    """Every 8.2 subtype whose criteria are evaluated; the caller keeps the ones met."""
    days = intake.frequency.headache_days_per_month
    a = leaf(
        "8.2 A",
        "headache on ≥15 days/month",
        None if days is None else days >= 15,
        f"{shown(days)} headache days/month",
        asks=("frequency.headache_days_per_month",),
    )
    pre = Check(
        "8.2 (pre-existing)",
        "in a patient with a pre-existing primary headache",
        pre_existing,
        asks=("migraine_like", "tension_like", "aura"),
    )
    c = not_accounted("8.2 C", secondary, why)
    out = []
    singles = []
    for drug, (code, name, floor) in THRESHOLDS.items():
        b = _overused(intake, drug, floor, rules)
        singles.append(b)
        out.append(all_of(code, name, [a, pre, b, c]))
    total = intake.frequency.acute_medication_days_per_month
    months = [u.months for u in intake.medication.values() if u.months is not None]
    long_enough = None if not months else max(months) > rules.more_than_months
    none_single = (
        Status.NOT_MET
        if any(s.status is Status.MET for s in singles)
        else Status.UNKNOWN
        if any(s.status is Status.UNKNOWN for s in singles)
        else Status.MET
    )
    classes = sum(1 for u in intake.medication.values() if u.days_per_month > 0)
    several = leaf(
        "8.2.6 (classes)",
        "more than one drug class used",
        classes >= 2,
        f"{classes} class(es) with intake days",
        asks=("medication",),
    )
    multiple = leaf(
        "8.2.6 B",
        f"any acute drugs on ≥{MULTIPLE_DAYS} days/month in total for "
        f">{rules.more_than_months} months",
        None if total is None else (total >= MULTIPLE_DAYS and long_enough),
        f"{shown(total)} days/month with any acute drug",
        asks=unanswered(
            ("frequency.acute_medication_days_per_month", total), ("medication", long_enough)
        ),
    )
    out.append(
        all_of(
            "8.2.6",
            "Medication-overuse headache attributed to multiple drug "
            "classes not individually overused",
            [
                a,
                pre,
                several,
                multiple,
                Check(
                    "8.2.6 C",
                    "no single class overused",
                    none_single,
                    asks=tuple(a for s in singles for a in s.missing()),
                ),
                c,
            ],
        )
    )
    return out
