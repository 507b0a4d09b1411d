"""The SNNOOP10 red-flag screen: warning signs of a secondary headache → refer before treating.

SNNOOP10 (Do et al., Neurology 2019) lists the signs; any sign present means the headache
needs a medical assessment before acupuncture. An unanswered sign is reported as not
screened, so "no flags" is only said when every sign was asked about. A "yes" the patient's
age rules out (onset after 50 in a patient not yet 50) is a contradiction to correct, never a
flag present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from acurelief.errors import FieldProblem, InvalidInput


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


OLDER_AGE = 50  # SNNOOP10 "onset after 50 years of age"
CONTRADICTIONS: Mapping[RedFlag, str] = {
    RedFlag.OLDER_AGE_ONSET: (
        f"answered yes, but the patient is younger than {OLDER_AGE} by the date of birth, so "
        "the headache cannot have begun after 50: correct the answer or the date of birth"
    ),
}
# The sign that points to 8.2 medication-overuse headache, a diagnosis ICHD-3 codes beside the
# pre-existing primary headache rather than instead of it (8.2 "coded elsewhere").
OVERUSE_FLAG = RedFlag.PAINKILLER_OR_NEW_DRUG


@dataclass(frozen=True, slots=True)
class Screen:
    present: tuple[RedFlag, ...]
    not_screened: tuple[RedFlag, ...]
    contradicted: tuple[RedFlag, ...] = ()  # "yes" answers the patient's age rules out

    @property
    def others(self) -> tuple[RedFlag, ...]:
        """The signs present other than painkiller overuse (which 8.2 may explain)."""
        return tuple(f for f in self.present if f is not OVERUSE_FLAG)

    def contradictions(self) -> tuple[FieldProblem, ...]:
        return tuple(
            FieldProblem(f"red_flags.{f.value}", CONTRADICTIONS[f]) for f in self.contradicted
        )

    @property
    def refer(self) -> bool:
        """Any sign present: refer for medical assessment before treating."""
        return bool(self.present)

    def advice(self) -> str:
        return " ".join([self._advice(), *(self._contradiction(f) for f in self.contradicted)])

    @staticmethod
    def _contradiction(flag: RedFlag) -> str:
        return f"Contradiction: “{QUESTIONS[flag]}” is {CONTRADICTIONS[flag]}."

    def _advice(self) -> str:
        if self.present:
            reasons = "; ".join(QUESTIONS[f] for f in self.present)
            return f"Refer before treating: {reasons}."
        if self.not_screened:
            return f"No red flag among those asked; {len(self.not_screened)} not yet screened."
        return "No red flags (all SNNOOP10 signs screened)."


def ruled_out(answers: Mapping[RedFlag, bool | None], age: int | None) -> tuple[RedFlag, ...]:
    """The "yes" answers that the patient's age (completed years today) makes impossible."""
    if age is not None and age < OLDER_AGE and answers.get(RedFlag.OLDER_AGE_ONSET) is True:
        return (RedFlag.OLDER_AGE_ONSET,)
    return ()


def check_against_age(answers: Mapping[RedFlag, bool | None], age: int | None) -> None:
    """Refuse (``InvalidInput`` naming the field) answers the patient's age rules out."""
    contradicted = ruled_out(answers, age)
    if contradicted:
        raise InvalidInput(Screen((), (), contradicted).contradictions())


def screen(answers: Mapping[RedFlag, bool | None], age: int | None = None) -> Screen:
    """The signs present, those not asked, and those the patient's age contradicts (which
    count as not screened: the answer must be corrected before it can be trusted)."""
    contradicted = ruled_out(answers, age)
    present = tuple(f for f in RedFlag if answers.get(f) is True and f not in contradicted)
    not_screened = tuple(f for f in RedFlag if answers.get(f) is None or f in contradicted)
    return Screen(present, not_screened, contradicted)
