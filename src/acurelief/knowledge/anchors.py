"""Published responder rates a practice can be compared with (clinical-facts §3.1).

≥50% responders after treatment, Cochrane reviews (Linde 2016). The sham rates for episodic
migraine differ between the two sets of trials (41% in trials against no acupuncture is the
acupuncture arm; 50% vs 41% in sham-controlled trials), so the sham anchor is a range.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

MIGRAINE_SOURCE = "https://evidence.unboundmedicine.com/evidence/view/EBMG/451995/all/Acupuncture_for_migraine_prophylaxis"
TTH_SOURCE = "https://cochrane.org/CD007587/SYMPT_acupuncture-tension-type-headache"


@dataclass(frozen=True, slots=True)
class Anchor:
    arm: str
    low: float
    high: float
    source: str
    note: str = ""


PUBLISHED = MappingProxyType(
    {
        "episodic migraine": (
            Anchor("acupuncture (vs no acupuncture trials)", 0.41, 0.41, MIGRAINE_SOURCE),
            Anchor("no acupuncture", 0.17, 0.17, MIGRAINE_SOURCE),
            Anchor(
                "sham",
                0.41,
                0.50,
                MIGRAINE_SOURCE,
                "41% sham vs 50% acupuncture in sham-controlled trials",
            ),
        ),
        "tension-type headache": (
            Anchor("acupuncture", 0.48, 0.48, TTH_SOURCE),
            Anchor("usual care", 0.17, 0.17, TTH_SOURCE),
            Anchor("sham", 0.43, 0.43, TTH_SOURCE, "52 vs 43 per 100 in sham-controlled trials"),
        ),
    }
)
