"""The structured headache history a practitioner takes at intake; published as JSON Schema.

``None`` always means "not asked or not known" and makes the criteria that need it
*unknown*, never *not met*. Contradictory answers (more migraine days than headache days, a
shortest duration above the longest …) are refused naming the field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    model_validator,
)

from acurelief.diagnosis.redflags import RedFlag
from acurelief.domain.sizes import ENUM_MAP_LEEWAY, size_problem
from acurelief.errors import FieldProblem, InvalidInput

Count = Annotated[int, Field(ge=0, strict=True)]
DaysPerMonth = Annotated[float, Field(ge=0, le=31, strict=True)]
Hours = Annotated[float, Field(ge=0, le=24 * 365, strict=True)]
Minutes = Annotated[float, Field(ge=0, le=7 * 24 * 60, strict=True)]  # motor aura: up to 72 h


def _at_most(limit: int, what: str, *, leeway: int = 0) -> BeforeValidator:
    """Refuses a list or map of more than ``limit`` entries before any entry is validated, so a
    huge body costs one error instead of one per entry."""

    def check(value: Any) -> Any:
        if (message := size_problem(value, limit, what, leeway=leeway)) is not None:
            raise ValueError(message)
        return value

    return BeforeValidator(check)


class Location(StrEnum):
    UNILATERAL = "unilateral"
    BILATERAL = "bilateral"


class Quality(StrEnum):
    PULSATING = "pulsating"
    PRESSING = "pressing"  # pressing or tightening (non-pulsating)


class Intensity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class AuraSymptom(StrEnum):
    VISUAL = "visual"
    SENSORY = "sensory"
    SPEECH_LANGUAGE = "speech_language"
    MOTOR = "motor"
    BRAINSTEM = "brainstem"
    RETINAL = "retinal"


class DrugClass(StrEnum):
    TRIPTAN = "triptan"
    ERGOT = "ergot"
    SIMPLE_ANALGESIC = "simple_analgesic"
    COMBINATION_ANALGESIC = "combination_analgesic"
    OPIOID = "opioid"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeadacheKind(Model):
    """The patient's typical attacks of one kind of headache."""

    lifetime_attacks: Count | None = None
    duration_hours_min: Hours | None = Field(
        None, description="shortest typical attack, untreated or unsuccessfully treated"
    )
    duration_hours_max: Hours | None = Field(None, description="longest typical attack")
    location: Location | None = None
    quality: Quality | None = None
    intensities: (
        Annotated[
            frozenset[Intensity],
            Field(max_length=len(Intensity)),
            _at_most(len(Intensity), "items"),
        ]
        | None
    ) = Field(None, description="intensities the attacks reach (any of mild/moderate/severe)")
    aggravated_by_activity: StrictBool | None = None
    nausea: StrictBool | None = None
    nausea_severity: Intensity | None = Field(
        None, description="how bad the nausea is, when there is any (2.3 allows mild nausea)"
    )
    vomiting: StrictBool | None = None
    photophobia: StrictBool | None = None
    phonophobia: StrictBool | None = None

    @model_validator(mode="after")
    def _durations_in_order(self) -> Self:
        if self.nausea is False and self.nausea_severity is not None:
            raise ValueError("nausea_severity is given although nausea is false")
        low, high = self.duration_hours_min, self.duration_hours_max
        if low is not None and high is not None and low > high:
            raise ValueError("duration_hours_min is above duration_hours_max")
        return self


class Aura(Model):
    """Attacks with aura and what the aura is like (ICHD-3 1.2)."""

    lifetime_attacks: Count | None = None
    symptoms: (
        Annotated[
            frozenset[AuraSymptom],
            Field(max_length=len(AuraSymptom)),
            _at_most(len(AuraSymptom), "symptoms"),
        ]
        | None
    ) = None
    fully_reversible: StrictBool | None = None
    shortest_symptom_minutes: Minutes | None = None
    longest_symptom_minutes: Minutes | None = None
    spreads_gradually: StrictBool | None = Field(None, description="over ≥5 minutes")
    symptoms_in_succession: StrictBool | None = None
    unilateral: StrictBool | None = None
    positive_symptoms: StrictBool | None = None
    headache_within_60_minutes: StrictBool | None = None

    @model_validator(mode="after")
    def _durations_in_order(self) -> Self:
        low, high = self.shortest_symptom_minutes, self.longest_symptom_minutes
        if low is not None and high is not None and low > high:
            raise ValueError("shortest_symptom_minutes is above longest_symptom_minutes")
        return self


class Frequency(Model):
    headache_days_per_month: DaysPerMonth | None = None
    migraine_like_days_per_month: DaysPerMonth | None = Field(
        None,
        description="days with migraine features, or believed migraine at onset and "
        "relieved by a triptan or ergot",
    )
    tension_like_days_per_month: DaysPerMonth | None = None
    acute_medication_days_per_month: DaysPerMonth | None = Field(
        None, description="days with any acute headache medication (8.2.6 counts these)"
    )
    months: Count | None = Field(None, description="for how many months at this frequency")

    @model_validator(mode="after")
    def _parts_within_whole(self) -> Self:
        whole = self.headache_days_per_month
        for name in ("migraine_like_days_per_month", "tension_like_days_per_month"):
            part = getattr(self, name)
            if whole is not None and part is not None and part > whole:
                raise ValueError(f"{name} is above headache_days_per_month")
        return self


class MedicationUse(Model):
    days_per_month: DaysPerMonth
    months: Count | None = None


class Menstrual(Model):
    """Prospectively documented cycles (ICHD-3 appendix A1.1.1/A1.1.2, clinical-facts §6)."""

    cycles_documented: Count
    cycles_with_attack_in_window: Count
    attacks_outside_window: Count | None = None

    @model_validator(mode="after")
    def _within(self) -> Self:
        if self.cycles_with_attack_in_window > self.cycles_documented:
            raise ValueError("cycles_with_attack_in_window is above cycles_documented")
        return self


class Intake(Model):
    """A headache history. Every part is optional; what is missing stays unknown."""

    migraine_like: HeadacheKind | None = None
    tension_like: HeadacheKind | None = None
    aura: Aura | None = None
    frequency: Frequency = Field(default_factory=Frequency)
    medication: Annotated[
        dict[DrugClass, MedicationUse],
        Field(max_length=len(DrugClass)),
        _at_most(len(DrugClass), "drug classes", leeway=ENUM_MAP_LEEWAY),
    ] = Field(default_factory=dict)
    menstrual: Menstrual | None = None
    red_flags: Annotated[
        dict[RedFlag, StrictBool],
        Field(max_length=len(RedFlag)),
        _at_most(len(RedFlag), "red flags", leeway=ENUM_MAP_LEEWAY),
    ] = Field(default_factory=dict, description="SNNOOP10 signs asked about: true = present")


def json_schema() -> dict[str, Any]:
    """The intake's JSON Schema (draft 2020-12), for forms and other systems."""
    schema = Intake.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "acurelief headache intake"
    return schema


def parse_intake(data: object) -> Intake:
    """An ``Intake`` from JSON-like data; every problem is named by its field path."""
    try:
        return Intake.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = ".".join(str(p) for p in error["loc"]) or "intake"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(FieldProblem(path, message))
        raise InvalidInput(problems) from None
