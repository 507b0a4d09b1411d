"""Questionnaire scores, severity bands, alerts and minimal important change.

Scoring rules, bands, cut-offs and change thresholds come from clinical-facts §2 (HIT-6 §2.1,
MIDAS §2.2, PHQ-9/PHQ-2 §2.3, GAD-7/GAD-2 §2.4). Item texts of HIT-6 and MIDAS are licensed
(§2.1, §2.2) and never appear here: items are referred to by number only.

For every instrument a higher total is worse, so a decrease is an improvement.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from acurelief.domain.questionnaire import MIDAS_MAX_DAYS, Instrument, QuestionnaireResponse
from acurelief.errors import InsufficientData, InvalidInput

# --- bands --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    """Totals from ``lowest`` to ``highest`` (both included) carry ``label``."""

    lowest: int
    highest: int
    label: str


POSITIVE_SCREEN = "positive screen"
NEGATIVE_SCREEN = "negative screen"
# §2.3 PHQ-2 ≥3 (sens 61%, spec 92%); §2.4 GAD-2 ≥3 (sens 86%, spec 83%).
SCREEN_CUT_OFF = 3

_HIT6_ITEMS = tuple(str(i) for i in range(1, 7))
_MIDAS_ITEMS = tuple(str(i) for i in range(1, 6))  # §2.2: Q1–Q5 are scored; A and B are not
_MIDAS_CONTEXT = ("A", "B")  # §2.2: A headache days, B average pain 0–10, context only
_PHQ9_ITEMS = tuple(str(i) for i in range(1, 10))
_GAD7_ITEMS = tuple(str(i) for i in range(1, 8))
_TWO_ITEMS = ("1", "2")  # §2.3/§2.4: PHQ-2 and GAD-2 are items 1–2 of PHQ-9 and GAD-7

SCORED_ITEMS: Mapping[Instrument, tuple[str, ...]] = MappingProxyType(
    {
        Instrument.HIT6: _HIT6_ITEMS,
        Instrument.MIDAS: _MIDAS_ITEMS,
        Instrument.PHQ9: _PHQ9_ITEMS,
        Instrument.PHQ2: _TWO_ITEMS,
        Instrument.GAD7: _GAD7_ITEMS,
        Instrument.GAD2: _TWO_ITEMS,
    }
)


def _screen_bands(highest: int) -> tuple[Band, ...]:
    return (
        Band(0, SCREEN_CUT_OFF - 1, NEGATIVE_SCREEN),
        Band(SCREEN_CUT_OFF, highest, POSITIVE_SCREEN),
    )


# Bands per instrument, lowest first; together they cover every possible total exactly once.
BANDS: Mapping[Instrument, tuple[Band, ...]] = MappingProxyType(
    {
        # §2.1: six items scored 6/8/10/11/13, total 36–78. The labels are those of the
        # physiotutors/QualityMetric table; the wiki's "mild"/"moderate"/"≥79" variant is
        # ignored as §2.1 says.
        Instrument.HIT6: (
            Band(36, 49, "little or no impact"),
            Band(50, 55, "some impact"),
            Band(56, 59, "substantial impact"),
            Band(60, 78, "severe impact"),
        ),
        # §2.2: grades I 0–5, II 6–10, III 11–20, IV ≥21. The top is the sum of five items of
        # at most MIDAS_MAX_DAYS days each, the most the domain lets through.
        Instrument.MIDAS: (
            Band(0, 5, "I (little or no disability)"),
            Band(6, 10, "II (mild disability)"),
            Band(11, 20, "III (moderate disability)"),
            Band(21, len(_MIDAS_ITEMS) * MIDAS_MAX_DAYS, "IV (severe disability)"),
        ),
        # §2.3: total 0–27.
        Instrument.PHQ9: (
            Band(0, 4, "minimal"),
            Band(5, 9, "mild"),
            Band(10, 14, "moderate"),
            Band(15, 19, "moderately severe"),
            Band(20, 27, "severe"),
        ),
        Instrument.PHQ2: _screen_bands(6),  # §2.3: 0–6, ≥3 positive
        # §2.4: total 0–21.
        Instrument.GAD7: (
            Band(0, 4, "minimal"),
            Band(5, 9, "mild"),
            Band(10, 14, "moderate"),
            Band(15, 21, "severe"),
        ),
        Instrument.GAD2: _screen_bands(6),  # §2.4: 0–6, ≥3 positive
    }
)

# §2.3: any item-9 answer above 0 needs clinical follow-up regardless of the total.
PHQ9_ITEM9_ALERT = (
    "PHQ-9 item 9 > 0: thoughts of self-harm — needs clinical follow-up today, whatever the total"
)


def band_of(instrument: Instrument, total: int) -> str:
    """The band label of ``total`` on ``instrument``; InvalidInput outside its range."""
    for band in BANDS[instrument]:
        if band.lowest <= total <= band.highest:
            return band.label
    bands = BANDS[instrument]
    raise InvalidInput.single(
        "total",
        f"{instrument} totals run from {bands[0].lowest} to {bands[-1].highest}, got {total}",
    )


# --- scores -------------------------------------------------------------------------------


def _empty() -> Mapping[str, int]:
    return MappingProxyType({})


def _no_subscores() -> Mapping[Instrument, Subscore]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscore:
    """A short screener read off the first items of a longer form (PHQ-2 in a PHQ-9)."""

    instrument: Instrument
    total: int
    cut_off: int
    positive: bool
    band: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """One scored questionnaire.

    ``subscores`` holds the PHQ-2 of a PHQ-9 and the GAD-2 of a GAD-7. ``context`` holds the
    unscored MIDAS answers A (headache days) and B (average pain 0–10) when they were given.
    """

    instrument: Instrument
    date: dt.date
    total: int
    band: str
    alerts: tuple[str, ...] = ()
    subscores: Mapping[Instrument, Subscore] = field(default_factory=_no_subscores)
    context: Mapping[str, int] = field(default_factory=_empty)


def _sum(response: QuestionnaireResponse, items: Sequence[str]) -> int:
    return sum(response.answers[item] for item in items)


def _screen(instrument: Instrument, total: int) -> Subscore:
    positive = total >= SCREEN_CUT_OFF
    return Subscore(
        instrument=instrument,
        total=total,
        cut_off=SCREEN_CUT_OFF,
        positive=positive,
        band=POSITIVE_SCREEN if positive else NEGATIVE_SCREEN,
    )


def score(response: QuestionnaireResponse) -> Score:
    """Total, band, alerts and subscores of one response (clinical-facts §2).

    The response was validated when it was built, so every scored item is present and in
    range. HIT-6 answers are already the scored values 6/8/10/11/13 (§2.1).
    """
    instrument = response.instrument
    total = _sum(response, SCORED_ITEMS[instrument])
    alerts: list[str] = []
    subscores: dict[Instrument, Subscore] = {}
    context: dict[str, int] = {}
    if instrument is Instrument.PHQ9:
        if response.answers["9"] > 0:  # §2.3 item-9 rule
            alerts.append(PHQ9_ITEM9_ALERT)
        subscores[Instrument.PHQ2] = _screen(Instrument.PHQ2, _sum(response, _TWO_ITEMS))
    elif instrument is Instrument.GAD7:
        subscores[Instrument.GAD2] = _screen(Instrument.GAD2, _sum(response, _TWO_ITEMS))
    elif instrument is Instrument.MIDAS:
        context = {k: response.answers[k] for k in _MIDAS_CONTEXT if k in response.answers}
    return Score(
        instrument=instrument,
        date=response.date,
        total=total,
        band=band_of(instrument, total),
        alerts=tuple(alerts),
        subscores=MappingProxyType(subscores),
        context=MappingProxyType(context),
    )


def series(responses: Sequence[QuestionnaireResponse]) -> dict[Instrument, list[Score]]:
    """One patient's scores per instrument, oldest first (same-day responses keep their order).

    Only instruments that were answered appear. A PHQ-2 inside a PHQ-9 stays a subscore of the
    PHQ-9 and is not added to the PHQ-2 series. Responses of more than one patient are refused.
    """
    patients = {r.patient_id for r in responses}
    if len(patients) > 1:
        raise InvalidInput.single("responses", "must all belong to one patient")
    result: dict[Instrument, list[Score]] = {}
    for response in sorted(responses, key=lambda r: r.date):
        result.setdefault(response.instrument, []).append(score(response))
    return result


# --- minimal important change -------------------------------------------------------------

HIT6_MIC: float = 6.0
"""HIT-6 within-person minimal important change, in points (clinical-facts §2.1).

The sources disagree: primary-care migraine gives a within-person MIC of −2.5 to −6, chronic
tension-type headache an MCIC of −8, and chronic migraine a ≥6-point decrease (secondary
summary of Houts 2020). The between-group MID of −1.5 is for comparing arms, not people.

Default 6 because it is the top of the primary-care range and matches the chronic-migraine
threshold, so it holds for the migraine patients this practice mostly sees; it is the
conservative choice within that range, calling an individual improved only beyond the
measurement noise that the lower values (2.5) admit. Alternatives, passed as ``mic=``:
``HIT6_MIC_PRIMARY_CARE_LOW`` (2.5, the lenient end for primary-care migraine) and
``HIT6_MIC_CHRONIC_TTH`` (8, chronic tension-type headache).
"""
HIT6_MIC_PRIMARY_CARE_LOW: float = 2.5
HIT6_MIC_CHRONIC_TTH: float = 8.0

PHQ9_MIC: float = 5.0
"""PHQ-9 individual MCID: 5 points, 2 × SEM (clinical-facts §2.3, Löwe 2004).

§2.3 also lists an alternative of ≈20% reduction (−1.7 points at moderate baseline); pass it
as ``mic=`` when a group-anchored threshold is wanted.
"""

GAD7_MIC_FRACTION: float = 0.20
"""GAD-7 minimal important change as a fraction of the baseline total (clinical-facts §2.4).

§2.4 gives "≈20%; −1.5 points at moderate baseline". The default scales with the baseline,
20% of it, with ``GAD7_MIC_FLOOR`` as the least change that counts so that a baseline near 0
does not turn any one-point move into a verdict. For a fixed threshold pass
``mic=GAD7_MIC_MODERATE_POINTS`` (1.5).
"""
GAD7_MIC_FLOOR: float = 1.0
GAD7_MIC_MODERATE_POINTS: float = 1.5


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_MEANINGFUL_CHANGE = "no meaningful change"
    WORSE = "worse"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """Follow-up against baseline on one instrument, judged against a minimal change.

    ``difference`` is follow-up minus baseline, so negative means better. A difference of at
    most −``mic`` is "improved", of at least +``mic`` "worse" (the same size both ways; the
    sources give thresholds for improvement only), anything between "no meaningful change".
    """

    instrument: Instrument
    baseline: Score
    follow_up: Score
    difference: int
    mic: float
    mic_source: str
    verdict: Verdict


def default_mic(baseline: Score) -> tuple[float, str]:
    """The default minimal important change for ``baseline`` and where it comes from.

    Raises InsufficientData for instruments without a MIC in clinical-facts §2 (MIDAS, and
    PHQ-2 and GAD-2 on their own): the caller must then choose one.
    """
    instrument = baseline.instrument
    if instrument is Instrument.HIT6:
        return HIT6_MIC, (
            f"HIT6_MIC default {HIT6_MIC:g} points: top of the primary-care migraine range "
            "2.5–6 and the chronic-migraine ≥6 decrease; chronic TTH uses 8 (clinical-facts §2.1)"
        )
    if instrument is Instrument.PHQ9:
        return (
            PHQ9_MIC,
            f"PHQ-9 individual MCID {PHQ9_MIC:g} points = 2 × SEM (clinical-facts §2.3)",
        )
    if instrument is Instrument.GAD7:
        fraction = round(GAD7_MIC_FRACTION * baseline.total, 9)
        mic = max(fraction, GAD7_MIC_FLOOR)
        return mic, (
            f"GAD-7: {GAD7_MIC_FRACTION:.0%} of baseline {baseline.total} = {fraction:g}, "
            f"at least {GAD7_MIC_FLOOR:g} point (clinical-facts §2.4)"
        )
    raise InsufficientData(
        f"clinical-facts §2 gives no minimal important change for {instrument}; "
        "pass mic= (in points) to judge the change"
    )


def _check_mic(mic: object) -> float:
    if (
        isinstance(mic, bool)
        or not isinstance(mic, int | float)
        or not math.isfinite(mic)
        or mic <= 0
    ):
        raise InvalidInput.single(
            "mic", "must be a positive number of points (the size of a change; lower is better)"
        )
    return float(mic)


def change(baseline: Score, follow_up: Score, mic: float | None = None) -> Change:
    """How ``follow_up`` differs from ``baseline``, judged against a minimal important change.

    ``mic`` (points, positive) overrides the default of ``default_mic``; it is required for
    MIDAS, PHQ-2 and GAD-2, which have no MIC in clinical-facts §2 (InsufficientData without
    it). Different instruments, or a follow-up dated before its baseline, are refused.
    """
    if baseline.instrument is not follow_up.instrument:
        raise InvalidInput.single(
            "instrument",
            f"baseline is {baseline.instrument} but follow-up is {follow_up.instrument}; "
            "a change compares the same instrument",
        )
    if follow_up.date < baseline.date:
        raise InvalidInput.single("follow_up.date", "must not be before the baseline date")
    if mic is None:
        used, source = default_mic(baseline)
    else:
        used, source = _check_mic(mic), "given by the caller"
    difference = follow_up.total - baseline.total
    if difference <= -used:
        verdict = Verdict.IMPROVED
    elif difference >= used:
        verdict = Verdict.WORSE
    else:
        verdict = Verdict.NO_MEANINGFUL_CHANGE
    return Change(
        instrument=baseline.instrument,
        baseline=baseline,
        follow_up=follow_up,
        difference=difference,
        mic=used,
        mic_source=source,
        verdict=verdict,
    )


def latest_change(
    responses: Sequence[QuestionnaireResponse],
    instrument: Instrument,
    mic: float | None = None,
) -> Change | None:
    """The change from the first to the last ``instrument`` response; None with fewer than two."""
    scores = series(responses).get(instrument, [])
    if len(scores) < 2:
        return None
    return change(scores[0], scores[-1], mic)
