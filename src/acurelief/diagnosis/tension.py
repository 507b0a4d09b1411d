"""ICHD-3 tension-type headache criteria: 2.1, 2.2 and 2.3."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from acurelief.diagnosis.attacks import Attacks
from acurelief.diagnosis.intake import Intake, Intensity
from acurelief.diagnosis.logic import (
    Check,
    Status,
    all_of,
    at_least,
    leaf,
    shown,
    span,
    unanswered,
)
from acurelief.diagnosis.migraine import not_accounted, within
from acurelief.diagnosis.rules import Rules


def _is(value: object, wanted: str) -> bool | None:
    return None if value is None else value == wanted


def tth_features(t: Attacks, code: str) -> Check:
    """C: at least two of bilateral, pressing, mild or moderate, not aggravated by activity."""
    k = t.kind
    light = None if not k.intensities else Intensity.SEVERE not in k.intensities
    aggravated = k.aggravated_by_activity
    parts = [
        leaf(
            f"{code} C1",
            "bilateral location",
            _is(k.location, "bilateral"),
            asks=(t.field("location"),),
        ),
        leaf(
            f"{code} C2",
            "pressing or tightening (non-pulsating) quality",
            _is(k.quality, "pressing"),
            asks=(t.field("quality"),),
        ),
        leaf(f"{code} C3", "mild or moderate intensity", light, asks=(t.field("intensities"),)),
        leaf(
            f"{code} C4",
            "not aggravated by routine physical activity",
            None if aggravated is None else not aggravated,
            asks=(t.field("aggravated_by_activity"),),
        ),
    ]
    return at_least(2, f"{code} C", "at least two of four characteristics", parts)


def _at_most_one(flags: list[bool | None]) -> bool | None:
    if sum(f is True for f in flags) > 1:
        return False
    if sum(f is True for f in flags) + sum(f is None for f in flags) <= 1:
        return True
    return None


def episodic_associated(t: Attacks, code: str) -> Check:
    """2.1/2.2 D: no nausea or vomiting; no more than one of photophobia or phonophobia."""
    k = t.kind
    sick = None if k.nausea is None or k.vomiting is None else not (k.nausea or k.vomiting)
    if k.nausea or k.vomiting:
        sick = False
    return all_of(
        f"{code} D",
        "both of",
        [
            leaf(
                f"{code} D1",
                "no nausea or vomiting",
                sick,
                asks=unanswered((t.field("nausea"), k.nausea), (t.field("vomiting"), k.vomiting)),
            ),
            leaf(
                f"{code} D2",
                "no more than one of photophobia or phonophobia",
                _at_most_one([k.photophobia, k.phonophobia]),
                asks=unanswered(
                    (t.field("photophobia"), k.photophobia),
                    (t.field("phonophobia"), k.phonophobia),
                ),
            ),
        ],
    )


def chronic_associated(t: Attacks) -> Check:
    """2.3 D: ≤1 of photophobia, phonophobia or mild nausea; no moderate/severe nausea nor
    vomiting."""
    k = t.kind
    severity = k.nausea_severity if k.nausea else False  # asked only when there is nausea
    nausea = [(t.field("nausea"), k.nausea), (t.field("nausea_severity"), severity)]
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
                asks=unanswered(
                    (t.field("photophobia"), k.photophobia),
                    (t.field("phonophobia"), k.phonophobia),
                    *nausea,
                ),
            ),
            leaf(
                "2.3 D2",
                "neither moderate or severe nausea nor vomiting",
                no_heavy,
                asks=unanswered(*nausea, (t.field("vomiting"), k.vomiting)),
            ),
        ],
    )


def tth(
    code: str, t: Attacks, intake: Intake, rules: Rules, secondary: bool, why: str = ""
) -> Check:
    """2.1 infrequent, 2.2 frequent episodic, or 2.3 chronic tension-type headache, applied to
    one section's attacks whichever section they were entered in."""
    k = t.kind
    days = t.days
    months = (
        None
        if intake.frequency.months is None
        else intake.frequency.months > rules.more_than_months
    )
    episodes = None if k.lifetime_attacks is None else k.lifetime_attacks >= 10
    n = (
        f"{shown(k.lifetime_attacks)} episodes, {shown(days)} days/month{t.pooled} for "
        f"{shown(intake.frequency.months)} months"
    )
    attacks = (t.field("lifetime_attacks"), k.lifetime_attacks)
    per_month = (t.days_field, days)
    months_given = ("frequency.months", intake.frequency.months)
    if code == "2.1":
        a = leaf(
            "2.1 A",
            "≥10 episodes on <1 day/month on average",
            None if days is None or episodes is None else episodes and days < 1,
            n,
            asks=unanswered(attacks, per_month),
        )
    elif code == "2.2":
        in_range = None if days is None else 1 <= days < 15
        a = leaf(
            "2.2 A",
            f"≥10 episodes on 1–14 days/month for >{rules.more_than_months} months",
            _and(episodes, in_range, months),
            n,
            asks=unanswered(attacks, per_month, months_given),
        )
    else:
        a = leaf(
            "2.3 A",
            f"on ≥15 days/month for >{rules.more_than_months} months",
            _and(None if days is None else days >= 15, months),
            n,
            asks=unanswered(per_month, months_given),
        )
    durations = unanswered(
        (t.field("duration_hours_min"), k.duration_hours_min),
        (t.field("duration_hours_max"), k.duration_hours_max),
    )
    if code == "2.3":
        b = leaf(
            "2.3 B",
            "lasting hours to days, or unremitting",
            None if k.duration_hours_max is None else k.duration_hours_max >= rules.ctth_min_hours,
            f"up to {shown(k.duration_hours_max, 'h')}",
            asks=(t.field("duration_hours_max"),),
        )
        d = chronic_associated(t)
    else:
        b = leaf(
            f"{code} B",
            "lasting 30 minutes to 7 days",
            within(
                k.duration_hours_min, k.duration_hours_max, rules.tth_min_hours, rules.tth_max_hours
            ),
            span(k.duration_hours_min, k.duration_hours_max, "h"),
            asks=durations,
        )
        d = episodic_associated(t, code)
    names = {
        "2.1": "Infrequent episodic tension-type headache",
        "2.2": "Frequent episodic tension-type headache",
        "2.3": "Chronic tension-type headache",
    }
    where = "" if t.section == "tension_like" else f"attacks entered as {t.entered_as}"
    return all_of(
        code,
        names[code],
        [a, b, tth_features(t, code), d, not_accounted(f"{code} E", secondary, why)],
        where,
    )


def _and(*values: bool | None) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def tth_band(t: Attacks) -> str | None:
    """Which of 2.1 / 2.2 / 2.3 these attacks' frequency points to (for 2.4.x)."""
    if t.days is None:
        return None
    return "2.1" if t.days < 1 else "2.2" if t.days < 15 else "2.3"


def pooled_days(code: str, tried: Sequence[Attacks], intake: Intake) -> list[Attacks]:
    """The sections ``code`` is tried on, with one frequency for tension-type headache.

    ICHD-3 counts a patient's tension-type days whatever the intake section they were entered
    in: when the attacks of two sections both have the tension-type features (C and D of
    ``code`` met), each is judged on their days added up (at most the headache days a month,
    since both may fall on one day). 8 + 8 such days are 16: chronic (2.3), not 2.2 twice.
    """

    def tension_type(t: Attacks) -> bool:
        d = chronic_associated(t) if code == "2.3" else episodic_associated(t, code)
        return tth_features(t, code).status is Status.MET and d.status is Status.MET

    alike = [t for t in tried if t.described and t.days is not None and tension_type(t)]
    if len(alike) < 2:
        return list(tried)
    total = sum(t.days for t in alike if t.days is not None)
    whole = intake.frequency.headache_days_per_month
    if whole is not None:
        total = min(total, whole)
    sections = " and ".join(t.entered_as for t in alike)
    note = f" (entered as {sections}, together)"
    return [dataclasses.replace(t, days=total, pooled=note) if t in alike else t for t in tried]
