"""ICHD-3 tension-type headache criteria: 2.1, 2.2 and 2.3."""

from __future__ import annotations

from acurelief.diagnosis.intake import HeadacheKind, Intake, Intensity
from acurelief.diagnosis.logic import Check, all_of, at_least, leaf
from acurelief.diagnosis.migraine import not_accounted, within
from acurelief.diagnosis.rules import Rules


def _is(value: object, wanted: str) -> bool | None:
    return None if value is None else value == wanted


def tth_features(k: HeadacheKind, code: str) -> Check:
    """C: at least two of bilateral, pressing, mild or moderate, not aggravated by activity."""
    light = None if not k.intensities else Intensity.SEVERE not in k.intensities
    aggravated = k.aggravated_by_activity
    parts = [
        leaf(f"{code} C1", "bilateral location", _is(k.location, "bilateral")),
        leaf(
            f"{code} C2",
            "pressing or tightening (non-pulsating) quality",
            _is(k.quality, "pressing"),
        ),
        leaf(f"{code} C3", "mild or moderate intensity", light),
        leaf(
            f"{code} C4",
            "not aggravated by routine physical activity",
            None if aggravated is None else not aggravated,
        ),
    ]
    return at_least(2, f"{code} C", "at least two of four characteristics", parts)


def _at_most_one(flags: list[bool | None]) -> bool | None:
    if sum(f is True for f in flags) > 1:
        return False
    if sum(f is True for f in flags) + sum(f is None for f in flags) <= 1:
        return True
    return None


def episodic_associated(k: HeadacheKind, code: str) -> Check:
    """2.1/2.2 D: no nausea or vomiting; no more than one of photophobia or phonophobia."""
    sick = None if k.nausea is None or k.vomiting is None else not (k.nausea or k.vomiting)
    if k.nausea or k.vomiting:
        sick = False
    return all_of(
        f"{code} D",
        "both of",
        [
            leaf(f"{code} D1", "no nausea or vomiting", sick),
            leaf(
                f"{code} D2",
                "no more than one of photophobia or phonophobia",
                _at_most_one([k.photophobia, k.phonophobia]),
            ),
        ],
    )


def chronic_associated(k: HeadacheKind) -> Check:
    """2.3 D: ≤1 of photophobia, phonophobia or mild nausea; no moderate/severe nausea nor
    vomiting."""
    mild: bool | None
    heavy: bool | None
    if k.nausea is False:
        mild, heavy = False, False
    elif k.nausea is True and k.nausea_severity is not None:
        mild = k.nausea_severity is Intensity.MILD
        heavy = not mild
    else:
        mild = heavy = None  # nausea present but its severity not recorded, or not asked
    no_heavy = None if heavy is None or k.vomiting is None else not (heavy or k.vomiting)
    if heavy or k.vomiting:
        no_heavy = False
    return all_of(
        "2.3 D",
        "both of",
        [
            leaf(
                "2.3 D1",
                "no more than one of photophobia, phonophobia or mild nausea",
                _at_most_one([k.photophobia, k.phonophobia, mild]),
            ),
            leaf("2.3 D2", "neither moderate or severe nausea nor vomiting", no_heavy),
        ],
    )


def _frequency(intake: Intake) -> float | None:
    f = intake.frequency
    if f.tension_like_days_per_month is not None:
        return f.tension_like_days_per_month
    if intake.migraine_like is None and intake.aura is None:
        return f.headache_days_per_month  # only tension-type headache is described
    return None


def tth(code: str, intake: Intake, rules: Rules, secondary: bool) -> Check:
    """2.1 infrequent, 2.2 frequent episodic, or 2.3 chronic tension-type headache."""
    k = intake.tension_like or HeadacheKind()
    days = _frequency(intake)
    months = (
        None
        if intake.frequency.months is None
        else intake.frequency.months > rules.more_than_months
    )
    episodes = None if k.lifetime_attacks is None else k.lifetime_attacks >= 10
    n = f"{k.lifetime_attacks} episodes, {days} days/month for {intake.frequency.months} months"
    if code == "2.1":
        a = leaf(
            "2.1 A",
            "≥10 episodes on <1 day/month on average",
            None if days is None or episodes is None else episodes and days < 1,
            n,
        )
    elif code == "2.2":
        in_range = None if days is None else 1 <= days < 15
        a = leaf(
            "2.2 A",
            f"≥10 episodes on 1–14 days/month for >{rules.more_than_months} months",
            _and(episodes, in_range, months),
            n,
        )
    else:
        a = leaf(
            "2.3 A",
            f"on ≥15 days/month for >{rules.more_than_months} months",
            _and(None if days is None else days >= 15, months),
            n,
        )
    if code == "2.3":
        b = leaf(
            "2.3 B",
            "lasting hours to days, or unremitting",
            None if k.duration_hours_max is None else k.duration_hours_max >= rules.ctth_min_hours,
        )
        d = chronic_associated(k)
    else:
        b = leaf(
            f"{code} B",
            "lasting 30 minutes to 7 days",
            within(
                k.duration_hours_min, k.duration_hours_max, rules.tth_min_hours, rules.tth_max_hours
            ),
            f"{k.duration_hours_min}–{k.duration_hours_max} h",
        )
        d = episodic_associated(k, code)
    names = {
        "2.1": "Infrequent episodic tension-type headache",
        "2.2": "Frequent episodic tension-type headache",
        "2.3": "Chronic tension-type headache",
    }
    return all_of(
        code, names[code], [a, b, tth_features(k, code), d, not_accounted(f"{code} E", secondary)]
    )


def _and(*values: bool | None) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def tth_band(intake: Intake) -> str | None:
    """Which of 2.1 / 2.2 / 2.3 the tension-type headache frequency points to (for 2.4.x)."""
    days = _frequency(intake)
    if days is None:
        return None
    return "2.1" if days < 1 else "2.2" if days < 15 else "2.3"
