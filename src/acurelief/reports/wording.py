"""Plain words over results: the verdict on a before/after rate ratio, and window names.

Everything here is wording over numbers already computed (``analysis.prevention.RateRatio``):
no statistic is estimated. The verdict is read off the interval alone, so that the sentence
can never disagree with the numbers printed under it:

- the whole interval below 1 → fewer headache days than before treatment;
- the whole interval above 1 → more;
- the interval reaching 1 (either end exactly 1 included) → no clear change yet;
- no ratio (too few diary days, no headache at baseline, no session) → says what is missing.

Whatever the verdict, a before/after comparison cannot tell the needles from regression to
the mean or from the non-specific (placebo) response; both wordings say so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from acurelief.analysis.prevention import RateRatio

# analysis.prevention.rate_ratio's default ``min_days``: the recorded days each period needs
# (a test checks the two agree).
MIN_DAYS = 21
BASELINE_DAYS = 28  # DESIGN.md: baseline is the 28 days before the first session

CAVEAT = (
    "A before/after comparison: regression to the mean (treatment often starts after a bad "
    "spell, and bad spells pass) and the non-specific (placebo) response are part of any "
    "change, not only the needling."
)
PATIENT_CAVEAT = (
    "These numbers cannot show what caused a change: headaches often ease by themselves after "
    "a bad spell — which is often when people start treatment — and part of any improvement "
    "may come from the care and expectation around treatment, not the needles themselves."
)


class Direction(StrEnum):
    FEWER = "fewer"
    MORE = "more"
    UNCLEAR = "no clear change"
    NOT_EVALUABLE = "not evaluable"
    NO_TREATMENT = "no treatment yet"


@dataclass(frozen=True, slots=True)
class Verdict:
    """One sentence for the practitioner, one for the patient, and the caveat for each."""

    direction: Direction
    headline: str
    patient: str
    caveat: str = CAVEAT
    patient_caveat: str = PATIENT_CAVEAT

    @property
    def evaluable(self) -> bool:
        return self.direction in (Direction.FEWER, Direction.MORE, Direction.UNCLEAR)


def verdict(rr: RateRatio | None, window: str, patient_window: str) -> Verdict:
    """The verdict on ``rr``, the rate ratio of ``window`` (e.g. "weeks 1–12") against the
    baseline; ``patient_window`` names the same days for the patient ("your first 12 weeks of
    treatment"). ``None`` means there is no session yet, hence no baseline."""
    if rr is None:
        return Verdict(
            Direction.NO_TREATMENT,
            "No treatment session yet: the 28 diary days before the first session will be the "
            "baseline to compare with.",
            "Keep filling in your diary: we need 28 days before your first session to compare.",
        )
    if not rr.evaluable or math.isnan(rr.low) or math.isnan(rr.high):
        return _not_evaluable(rr, window)
    interval = f"{window} against baseline, 95% CI {ratio(rr.low)}–{ratio(rr.high)}"
    if rr.high < 1:
        return Verdict(
            Direction.FEWER,
            f"Fewer headache days than before treatment ({interval}: the interval excludes 1).",
            f"In {patient_window} you had fewer headache days than in the 4 weeks before it.",
        )
    if rr.low > 1:
        return Verdict(
            Direction.MORE,
            f"More headache days than before treatment ({interval}: the interval excludes 1).",
            f"In {patient_window} you had more headache days than in the 4 weeks before it. "
            "Please talk to your practitioner about it.",
        )
    return Verdict(
        Direction.UNCLEAR,
        f"No clear change yet ({interval}: the interval includes 1).",
        f"In {patient_window} the number of headache days has not clearly changed from the 4 "
        "weeks before it.",
    )


def _not_evaluable(rr: RateRatio, window: str) -> Verdict:
    if rr.baseline_days < MIN_DAYS:
        return Verdict(
            Direction.NOT_EVALUABLE,
            f"Not enough diary yet: {rr.baseline_days} of {BASELINE_DAYS} baseline days "
            f"recorded ({MIN_DAYS} needed), so no comparison is made.",
            f"There are not enough diary days from the 4 weeks before your first treatment "
            f"to compare with: {rr.baseline_days} of {BASELINE_DAYS} were filled in.",
        )
    if rr.window_days < MIN_DAYS:
        return Verdict(
            Direction.NOT_EVALUABLE,
            f"Not enough diary yet: {rr.window_days} days recorded in {window} "
            f"({MIN_DAYS} needed), so no comparison is made.",
            f"Keep filling in your diary: we can compare once {MIN_DAYS} days since your "
            f"first treatment are filled in (so far {rr.window_days}).",
        )
    if rr.baseline_events == 0:
        return Verdict(
            Direction.NOT_EVALUABLE,
            "Not evaluable: no headache day at baseline, so there is nothing a change could "
            "be measured against.",
            "You had no headache days in the 4 weeks before your first treatment, so there is "
            "nothing to compare with.",
        )
    reason = rr.caveats[0] if rr.caveats else "the ratio cannot be computed"
    return Verdict(
        Direction.NOT_EVALUABLE,
        f"Not evaluable: {reason}.",
        "These diary days cannot be compared yet.",
    )


# --- numbers and windows in words ------------------------------------------------------------


def ratio(value: float) -> str:
    """A rate ratio or one of its bounds: two decimals; ∞ for an unbounded end."""
    return "∞" if math.isinf(value) else f"{value:.2f}"


def per_28(events: int, days: int) -> float:
    """Events per 28 recorded days (NaN without a recorded day)."""
    return events / days * 28 if days else math.nan


def window_name(start: int, stop: int) -> str:
    """The days [start, stop) counted from the first session (day 0) as the windows are named:
    "baseline", "weeks 1–12", or "days 1–40" when they are not whole weeks."""
    if (start, stop) == (-BASELINE_DAYS, 0):
        return "baseline"
    if start % 7 == 0 and stop % 7 == 0 and start >= 0:
        return f"weeks {start // 7 + 1}–{stop // 7}"
    if start >= 0:
        return f"days {start + 1}–{stop}"
    return f"days {start}–{stop - 1}"


def patient_window_name(start: int, stop: int) -> str:
    """The same days for a patient: "your first 12 weeks of treatment"."""
    days = stop - start
    if start == 0 and days % 7 == 0:
        weeks = days // 7
        return (
            "your first week of treatment"
            if weeks == 1
            else f"your first {weeks} weeks of treatment"
        )
    if start == 0:
        return f"the first {days} days of your treatment"
    return f"the {days} days from day {start + 1} of your treatment"


def short_date(date: dt.date, year: bool = True) -> str:
    """9 Jun 2026 (or 9 Jun)."""
    return f"{date.day} {date:%b}" + (f" {date.year}" if year else "")


def long_date(date: dt.date) -> str:
    """Tuesday 9 June."""
    return f"{date:%A} {date.day} {date:%B}"


def date_span(first: dt.date, last: dt.date) -> str:
    """1 Mar – 23 May 2026; 3 Dec 2025 – 2 Jan 2026; both days included."""
    if first == last:
        return short_date(first)
    return f"{short_date(first, year=first.year != last.year)} – {short_date(last)}"


def days_span(anchor: dt.date, start: int, stop: int) -> str:
    """The calendar dates of days [start, stop) counted from ``anchor`` (day 0)."""
    return date_span(anchor + dt.timedelta(days=start), anchor + dt.timedelta(days=stop - 1))


def days_word(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
