"""The headache history as plain questions, generated from the ``Intake`` model.

The model decides which questions exist, in which part, of which kind (yes/no, one choice,
several choices, a number) and what is valid; this module adds the words a practitioner
reads (``WORDING``: field → question and hint) and names the question behind any intake
field (``question_of``), so that the intake form, the diagnosis trace and the command line
ask the same thing in the same words.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from acurelief.diagnosis.intake import (
    Aura,
    AuraSymptom,
    DrugClass,
    Frequency,
    HeadacheKind,
    Intake,
    Intensity,
    Location,
    Menstrual,
    Quality,
)
from acurelief.diagnosis.redflags import QUESTIONS as RED_FLAG_QUESTIONS
from acurelief.diagnosis.redflags import RedFlag


class Kind(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI = "multi"
    NUMBER = "number"
    RANGE = "range"


@dataclass(frozen=True, slots=True)
class Words:
    """How one field is asked. ``upto`` joins the next field as the upper end of a range."""

    question: str
    hint: str = ""
    unit: str = ""
    upto: str | None = None
    show_if: str | None = None  # a yes/no field of the same part that must be "yes"
    clash: str = ""  # the plain message when the model refuses how this field fits the others


WORDING: Mapping[tuple[type[BaseModel], str], Words] = {
    (HeadacheKind, "lifetime_attacks"): Words(
        "How many attacks like this has the patient had in their life?",
        "A rough count is fine",
        "attacks",
    ),
    (HeadacheKind, "duration_hours_min"): Words(
        "How long does an untreated attack last?",
        "Or one that treatment did not help; shortest to longest",
        "hours",
        upto="duration_hours_max",
        clash="the shortest attack is longer than the longest",
    ),
    (HeadacheKind, "location"): Words("Where is the pain?"),
    (HeadacheKind, "quality"): Words("What does the pain feel like?"),
    (HeadacheKind, "intensities"): Words("How bad does it get?", "Tick every level it reaches"),
    (HeadacheKind, "aggravated_by_activity"): Words(
        "Does routine activity make it worse, or does the patient avoid it?",
        "Walking, climbing stairs",
    ),
    (HeadacheKind, "nausea"): Words("Does the patient feel sick (nausea)?"),
    (HeadacheKind, "nausea_severity"): Words(
        "How bad is the nausea?",
        show_if="nausea",
        clash="leave this empty when there is no nausea",
    ),
    (HeadacheKind, "vomiting"): Words("Does the patient vomit?"),
    (HeadacheKind, "photophobia"): Words("Is light unpleasant during an attack?"),
    (HeadacheKind, "phonophobia"): Words("Is noise unpleasant during an attack?"),
    (Aura, "lifetime_attacks"): Words(
        "How many attacks with aura has the patient had in their life?", unit="attacks"
    ),
    (Aura, "symptoms"): Words("What happens during the aura?", "Tick every kind"),
    (Aura, "fully_reversible"): Words("Do the aura symptoms go away completely?"),
    (Aura, "shortest_symptom_minutes"): Words(
        "How long does each aura symptom last?",
        "Shortest to longest",
        "minutes",
        upto="longest_symptom_minutes",
        clash="the shortest symptom lasts longer than the longest",
    ),
    (Aura, "spreads_gradually"): Words(
        "Does at least one symptom spread gradually over 5 minutes or more?"
    ),
    (Aura, "symptoms_in_succession"): Words("Do two or more symptoms come one after another?"),
    (Aura, "unilateral"): Words("Is at least one symptom on one side only?"),
    (Aura, "positive_symptoms"): Words(
        "Is at least one symptom positive?", "Flickering lights, pins and needles"
    ),
    (Aura, "headache_within_60_minutes"): Words(
        "Does a headache come with the aura or within 60 minutes of it?"
    ),
    (Frequency, "headache_days_per_month"): Words(
        "On how many days a month does the patient have a headache?", "Any kind; 0–31", "days"
    ),
    (Frequency, "migraine_like_days_per_month"): Words(
        "On how many of those days does it have migraine features?",
        "Or felt like migraine at first and a triptan or ergot relieved it",
        "days",
        clash="more days with migraine features than days with headache",
    ),
    (Frequency, "tension_like_days_per_month"): Words(
        "On how many of those days is it a milder, pressing headache?",
        unit="days",
        clash="more days of pressing headache than days with headache",
    ),
    (Frequency, "acute_medication_days_per_month"): Words(
        "On how many days a month does the patient take any medicine for headache?",
        "All kinds together, including medicines not listed below",
        "days",
    ),
    (Frequency, "months"): Words("For how many months has it been like this?", unit="months"),
    (Menstrual, "cycles_documented"): Words(
        "How many menstrual cycles has a diary documented?",
        "At least 3 are needed for the diagnosis",
        "cycles",
    ),
    (Menstrual, "cycles_with_attack_in_window"): Words(
        "In how many of them was there an attack from 2 days before to 3 days after bleeding "
        "began?",
        "Days −2 to +3 of the cycle",
        "cycles",
        clash="more cycles with an attack than cycles documented",
    ),
    (Menstrual, "attacks_outside_window"): Words(
        "How many attacks came at other times of the cycle?", unit="attacks"
    ),
}

OPTION_LABELS: Mapping[Enum, str] = {
    Location.UNILATERAL: "One side",
    Location.BILATERAL: "Both sides",
    Quality.PULSATING: "Throbbing",
    Quality.PRESSING: "Pressing or tight",
    Intensity.MILD: "Mild",
    Intensity.MODERATE: "Moderate",
    Intensity.SEVERE: "Severe",
    AuraSymptom.VISUAL: "Seeing things (flicker, zigzags, blind spot)",
    AuraSymptom.SENSORY: "Pins and needles or numbness",
    AuraSymptom.SPEECH_LANGUAGE: "Trouble speaking",
    AuraSymptom.MOTOR: "Weakness",
    AuraSymptom.BRAINSTEM: "Vertigo, double vision, slurred speech",
    AuraSymptom.RETINAL: "Loss of sight in one eye",
    DrugClass.TRIPTAN: "Triptans (e.g. sumatriptan)",
    DrugClass.ERGOT: "Ergots (e.g. ergotamine)",
    DrugClass.SIMPLE_ANALGESIC: "Simple painkillers (paracetamol, ibuprofen, aspirin)",
    DrugClass.COMBINATION_ANALGESIC: "Combination painkillers (e.g. with caffeine)",
    DrugClass.OPIOID: "Opioids (e.g. codeine, tramadol)",
}


@dataclass(frozen=True, slots=True)
class Part:
    """How one part of the intake is introduced."""

    title: str
    intro: str


PARTS: Mapping[str, Part] = {
    "migraine_like": Part(
        "Attacks with migraine features",
        "The patient's worse attacks. Leave this part empty if they have none.",
    ),
    "tension_like": Part(
        "Milder, pressing headaches",
        "Headaches like a band or pressure around the head, if the patient has these.",
    ),
    "aura": Part(
        "Aura",
        "Symptoms before or with an attack that come and go within an hour. "
        "Leave empty if the patient never has them.",
    ),
    "frequency": Part("How often", "A usual month, over the last months."),
    "medication": Part(
        "Medicine for headache, by kind",
        "Days a month with each kind of acute medicine, and for how many months. "
        "Leave a row empty if the patient does not take it.",
    ),
    "menstrual": Part(
        "Attacks and the menstrual cycle",
        "Only from cycles documented in a diary (ICHD-3 appendix A1.1). Leave empty otherwise.",
    ),
    "red_flags": Part(
        "Red flags (SNNOOP10)",
        "Ask every question. Any “yes” means the patient should see a doctor before "
        "acupuncture. A question not asked counts as not screened.",
    ),
}


@dataclass(frozen=True, slots=True)
class Question:
    """One question on the form; ``name`` is the dotted path of its field in the model."""

    name: str
    kind: Kind
    question: str
    hint: str = ""
    unit: str = ""
    options: tuple[tuple[str, str], ...] = ()
    integer: bool = False
    upto: str | None = None
    show_if: str | None = None
    clash: str = ""


@dataclass(frozen=True, slots=True)
class MedicationRow:
    drug: str
    label: str
    days: str  # field names
    months: str


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...] = ()
    medication: tuple[MedicationRow, ...] = ()
    optional: bool = True

    def fields(self) -> tuple[str, ...]:
        """Every form field name of this part."""
        found = [q.name for q in self.questions] + [q.upto for q in self.questions if q.upto]
        found += [n for row in self.medication for n in (row.days, row.months)]
        return tuple(found)


def _bare(annotation: Any) -> Any:
    """The type under ``Optional[...]`` and ``Annotated[...]``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _options(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, OPTION_LABELS.get(m, str(m.value).replace("_", " "))) for m in enum)


def _question(model: type[BaseModel], prefix: str, name: str) -> Question:
    words = WORDING[(model, name)]
    bare = _bare(model.model_fields[name].annotation)
    options: tuple[tuple[str, str], ...] = ()
    if bare is bool:
        kind = Kind.YES_NO
    elif get_origin(bare) is frozenset:
        kind, options = Kind.MULTI, _options(get_args(bare)[0])
    elif isinstance(bare, type) and issubclass(bare, Enum):
        kind, options = Kind.CHOICE, _options(bare)
    elif bare in (int, float):
        kind = Kind.RANGE if words.upto else Kind.NUMBER
    else:
        raise TypeError(f"{model.__name__}.{name}: no form control for {bare!r}")
    return Question(
        name=f"{prefix}.{name}",
        kind=kind,
        question=words.question,
        hint=words.hint,
        unit=words.unit,
        options=options,
        integer=bare is int,
        upto=f"{prefix}.{words.upto}" if words.upto else None,
        show_if=f"{prefix}.{words.show_if}=yes" if words.show_if else None,
        clash=words.clash,
    )


def _model_section(key: str, model: type[BaseModel], optional: bool) -> Section:
    uppers = {w.upto for (m, _), w in WORDING.items() if m is model and w.upto}
    questions = tuple(_question(model, key, n) for n in model.model_fields if n not in uppers)
    return Section(key, PARTS[key].title, PARTS[key].intro, questions, optional=optional)


def _build() -> tuple[Section, ...]:
    sections: list[Section] = []
    for key, info in Intake.model_fields.items():
        bare = _bare(info.annotation)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            sections.append(_model_section(key, bare, optional=not info.is_required()))
        elif key == "medication":
            rows = tuple(
                MedicationRow(
                    d.value,
                    OPTION_LABELS[d],
                    f"medication.{d.value}.days_per_month",
                    f"medication.{d.value}.months",
                )
                for d in DrugClass
            )
            sections.append(Section(key, PARTS[key].title, PARTS[key].intro, medication=rows))
        elif key == "red_flags":
            flags = tuple(
                Question(f"red_flags.{f.value}", Kind.YES_NO, RED_FLAG_QUESTIONS[f])
                for f in RedFlag
            )
            sections.append(Section(key, PARTS[key].title, PARTS[key].intro, flags))
        else:
            raise TypeError(f"Intake.{key}: no form section")
    return tuple(sections)


SECTIONS: tuple[Section, ...] = _build()
QUESTIONS: Mapping[str, Question] = {q.name: q for s in SECTIONS for q in s.questions}


def question_of(field: str) -> str:
    """The form's own words for an intake field (or for a whole part left blank), so that
    what a diagnosis still needs reads as the question to ask; the field name otherwise."""
    found = QUESTIONS.get(field)
    if found is not None:
        return found.question
    for q in QUESTIONS.values():
        if q.upto == field:
            return q.question
    for row in (r for s in SECTIONS for r in s.medication):
        if field == row.days:
            return f"{row.label}: on how many days a month?"
        if field == row.months:
            return f"{row.label}: for how many months?"
    if field in PARTS:
        return f"the part “{PARTS[field].title}”"
    return field
