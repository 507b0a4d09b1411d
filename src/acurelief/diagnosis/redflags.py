"""The SNNOOP10 red-flag screen: warning signs of a secondary headache → refer before treating.

SNNOOP10 (Do et al., Neurology 2019) lists the signs; any sign present means the headache
needs a medical assessment before acupuncture. An unanswered sign is reported as not
screened, so "no flags" is only said when every sign was asked about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class RedFlag(StrEnum):
    SYSTEMIC = "systemic_symptoms"
    NEOPLASM = "neoplasm_history"
    NEUROLOGICAL_DEFICIT = "neurological_deficit"
    SUDDEN_ONSET = "sudden_onset"
    OLDER_AGE_ONSET = "onset_after_50"
    PATTERN_CHANGE = "pattern_change_or_new"
    POSITIONAL = "positional"
    PRECIPITATED = "precipitated_by_cough_sneeze_exercise"
    PAPILLOEDEMA = "papilloedema"
    PROGRESSIVE = "progressive_or_atypical"
    PREGNANCY = "pregnancy_or_puerperium"
    PAINFUL_EYE = "painful_eye_with_autonomic_features"
    POST_TRAUMATIC = "post_traumatic_onset"
    IMMUNE = "immune_suppression"
    PAINKILLER_OR_NEW_DRUG = "painkiller_overuse_or_new_drug"


QUESTIONS: Mapping[RedFlag, str] = {
    RedFlag.SYSTEMIC: "Systemic symptoms, including fever",
    RedFlag.NEOPLASM: "History of neoplasm",
    RedFlag.NEUROLOGICAL_DEFICIT: "Neurological deficit or dysfunction (incl. reduced alertness)",
    RedFlag.SUDDEN_ONSET: "Onset of headache is sudden or abrupt (thunderclap)",
    RedFlag.OLDER_AGE_ONSET: "Onset after 50 years of age",
    RedFlag.PATTERN_CHANGE: "Pattern change, or recent onset of new headache",
    RedFlag.POSITIONAL: "Positional headache",
    RedFlag.PRECIPITATED: "Precipitated by sneezing, coughing or exercise",
    RedFlag.PAPILLOEDEMA: "Papilloedema",
    RedFlag.PROGRESSIVE: "Progressive headache and atypical presentations",
    RedFlag.PREGNANCY: "Pregnancy or puerperium",
    RedFlag.PAINFUL_EYE: "Painful eye with autonomic features",
    RedFlag.POST_TRAUMATIC: "Post-traumatic onset of headache",
    RedFlag.IMMUNE: "Pathology of the immune system such as HIV",
    RedFlag.PAINKILLER_OR_NEW_DRUG: "Painkiller overuse or new drug at onset of headache",
}


@dataclass(frozen=True, slots=True)
class Screen:
    present: tuple[RedFlag, ...]
    not_screened: tuple[RedFlag, ...]

    @property
    def refer(self) -> bool:
        """Any sign present: refer for medical assessment before treating."""
        return bool(self.present)

    def advice(self) -> str:
        if self.present:
            reasons = "; ".join(QUESTIONS[f] for f in self.present)
            return f"Refer before treating: {reasons}."
        if self.not_screened:
            return f"No red flag among those asked; {len(self.not_screened)} not yet screened."
        return "No red flags (all SNNOOP10 signs screened)."


def screen(answers: Mapping[RedFlag, bool | None]) -> Screen:
    present = tuple(f for f in RedFlag if answers.get(f) is True)
    not_screened = tuple(f for f in RedFlag if answers.get(f) is None)
    return Screen(present, not_screened)
