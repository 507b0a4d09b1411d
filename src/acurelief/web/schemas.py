"""API schemas, one family per entity. They are neither tables nor domain objects.

Validation runs in two rounds, as in most APIs. First pydantic checks each field on its own:
its type (strictly for booleans, so "yes" is not taken for true) and its range, using the
domain's own rule functions so that a rule lives in one place. When every field is fine on
its own, ``to_domain`` builds the domain objects, which check how fields fit together (a
no-headache day without pain, readings in time order, a frequency for electro stimulation).
Either round answers 422 naming every bad field it found, in the same shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
)

from acurelief.diagnosis.classify import Assessment
from acurelief.diagnosis.intake import Intake
from acurelief.diagnosis.redflags import QUESTIONS, RedFlag
from acurelief.domain import (
    AdverseEvent,
    AdverseEventKind,
    DiaryDay,
    HeadacheFeatures,
    MedicationClass,
    NeedlePoint,
    Patient,
    SessionReading,
    Sex,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.domain.diary import MAX_NOTES_LENGTH, HeadacheSide, PainQuality, intake_problem
from acurelief.domain.scales import HOURS_PER_DAY, range_problem, rating_problem
from acurelief.domain.sizes import ENUM_MAP_LEEWAY, size_problem
from acurelief.domain.text import text_problem
from acurelief.errors import Problems
from acurelief.knowledge.protocols import Protocol
from acurelief.services.diary import MAX_DAYS_PER_WRITE
from acurelief.services.ports import StoredIntake

NOTE_MAX_CHARS = 5000  # a clinical note, not a document: longer text is refused, not cut
MAX_LISTED_ERRORS = 100  # a 422 lists this many bad fields and counts the rest
MAX_ID = 2**31 - 1  # an id in a body, like one in a path, fits every database's integer
MAX_POINTS = 60  # needles in one session or protocol; far more than any protocol uses
MAX_FREQUENCIES = 4  # electro-acupuncture alternates two (dense-disperse), rarely more
MAX_ADVERSE_EVENTS = 20
MAX_QUESTIONNAIRE_ITEMS = 50


def _rule(problem: Callable[[Any], str | None]) -> AfterValidator:
    """A pydantic validator applying one of the domain's rules, so all errors come together."""

    def check(value: Any) -> Any:
        if (message := problem(value)) is not None:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def _at_most(limit: int, what: str, hint: str = "", *, leeway: int = 0) -> BeforeValidator:
    """Refuses a list or map of more than ``limit`` entries before any entry is validated, so
    a body with a million entries costs one error (pydantic checks a map's size only after
    validating every entry, and then reports an error per bad one)."""

    def check(value: Any) -> Any:
        if (message := size_problem(value, limit, what, hint, leeway=leeway)) is not None:
            raise ValueError(message)
        return value

    return BeforeValidator(check)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


Rating = Annotated[int, Field(description="0–10 numeric rating scale"), _rule(rating_problem)]
Intakes = Annotated[int, _rule(intake_problem)]
Hours = Annotated[
    float,
    Field(description=f"hours, 0–{HOURS_PER_DAY}"),
    _rule(lambda v: range_problem(v, 0, HOURS_PER_DAY, "hours")),
]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        """Every text field of every schema refuses what no database stores (NUL, controls).

        One rule for all fields, so a new text field cannot forget it: 422 naming the field.
        """
        if (message := text_problem(value)) is not None:
            raise ValueError(message)
        return value

    @classmethod
    def of(cls, entity: object) -> Self:
        """The public form of a domain object, read from its attributes of the same names."""
        return cls.model_validate(entity, from_attributes=True)


class PatientPublic(Schema):
    id: int
    clinic_id: int
    practitioner_id: int | None
    name: str
    date_of_birth: dt.date
    sex: Sex
    time_zone: str


class PatientCreate(Schema):
    name: str  # the domain bounds it (and says so in its own words, beside the page's field)
    date_of_birth: dt.date
    sex: Sex
    time_zone: str = "Europe/London"
    practitioner_id: Id | None = None

    def to_domain(self, clinic_id: int) -> Patient:
        return Patient(
            clinic_id=clinic_id,
            practitioner_id=self.practitioner_id,
            name=self.name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            time_zone=self.time_zone,
        )


class FeaturesSchema(Schema):
    side: HeadacheSide | None = None
    quality: PainQuality | None = None
    aggravated_by_activity: StrictBool | None = None
    nausea: StrictBool | None = None
    vomiting: StrictBool | None = None
    photophobia: StrictBool | None = None
    phonophobia: StrictBool | None = None
    aura: StrictBool | None = None


class DiaryDayBody(Schema):
    """A diary day as sent to ``PUT …/diary/{date}`` (the date is in the path)."""

    headache: StrictBool
    peak_pain: Rating | None = None
    headache_hours: Hours | None = None
    features: FeaturesSchema = Field(default_factory=FeaturesSchema)
    medications: Annotated[
        dict[MedicationClass, Intakes],
        Field(max_length=len(MedicationClass)),
        _at_most(
            len(MedicationClass),
            "medication classes",
            "one entry per class",
            leeway=ENUM_MAP_LEEWAY,
        ),
    ] = Field(default_factory=dict, description="intakes per medication class")
    menstruation: StrictBool | None = None
    mood: Rating | None = None
    sleep_hours: Hours | None = None
    stress: Rating | None = None
    notes: str | None = Field(None, max_length=MAX_NOTES_LENGTH)

    def to_domain(self, patient_id: int, date: dt.date) -> DiaryDay:
        fields = self.model_dump(exclude={"features", "date"})
        features = HeadacheFeatures(**self.features.model_dump())
        return DiaryDay(patient_id=patient_id, date=date, features=features, **fields)


class DiaryDayPublic(DiaryDayBody):
    date: dt.date


class DiaryBatch(Schema):
    """Several days at once: stored all together or not at all."""

    days: Annotated[
        list[DiaryDayPublic],
        Field(max_length=MAX_DAYS_PER_WRITE),
        _at_most(MAX_DAYS_PER_WRITE, "days at once", "split the import into several batches"),
    ]


class PointSchema(Schema):
    code: str = Field(max_length=40, examples=["GB20"])
    side: Side | None = None


class StimulationSchema(Schema):
    kind: StimulationKind
    frequencies_hz: Annotated[
        list[float], Field(max_length=MAX_FREQUENCIES), _at_most(MAX_FREQUENCIES, "frequencies")
    ] = Field(default_factory=list, examples=[[2, 100]])
    intensity_ma: float | None = None


class ReadingSchema(Schema):
    pain: Rating | None = None
    mood: Rating | None = None
    minutes_after_needling: int


class AdverseEventSchema(Schema):
    kind: AdverseEventKind
    notes: str | None = Field(None, max_length=NOTE_MAX_CHARS)


class SessionCreate(Schema):
    started_at: AwareDatetime
    practitioner_id: Id | None = None
    protocol: str | None = Field(
        None,
        max_length=60,
        description="start from this protocol; points, stimulation and retention given "
        "here replace the protocol's (individualised)",
    )
    points: Annotated[
        list[PointSchema], Field(max_length=MAX_POINTS), _at_most(MAX_POINTS, "points")
    ] = Field(default_factory=list)
    stimulation: StimulationSchema | None = None
    retention_minutes: int | None = None
    de_qi: StrictBool | None = None
    before: ReadingSchema | None = None
    after: ReadingSchema | None = None
    adverse_events: Annotated[
        list[AdverseEventSchema],
        Field(max_length=MAX_ADVERSE_EVENTS),
        _at_most(MAX_ADVERSE_EVENTS, "adverse events"),
    ] = Field(default_factory=list)
    notes: str | None = Field(None, max_length=NOTE_MAX_CHARS)

    def to_domain(self, patient_id: int, protocol: Protocol | None = None) -> TreatmentSession:
        """The domain session; every bad field of every point, reading or event is reported.

        With a ``protocol``, what this body leaves out comes from it."""
        problems = Problems()
        points = [
            problems.attempt(f"points.{i}", NeedlePoint, **p.model_dump())
            for i, p in enumerate(self.points)
        ]
        if not self.points and protocol is not None:
            points = list(protocol.points)
        stim = self.stimulation
        stimulation: Stimulation | None = None
        if stim is not None:
            stimulation = problems.attempt(
                "stimulation",
                Stimulation,
                kind=stim.kind,
                frequencies_hz=tuple(stim.frequencies_hz),
                intensity_ma=stim.intensity_ma,
            )
        elif protocol is not None:
            stimulation = protocol.stimulation
        else:
            problems.add("stimulation", "give the stimulation, or start from a protocol")
        retention = self.retention_minutes
        if retention is None and protocol is not None:
            retention = protocol.retention_minutes
        before = (
            problems.attempt("before", SessionReading, **self.before.model_dump())
            if self.before
            else None
        )
        after = (
            problems.attempt("after", SessionReading, **self.after.model_dump())
            if self.after
            else None
        )
        events = [
            problems.attempt(f"adverse_events.{i}", AdverseEvent, **e.model_dump())
            for i, e in enumerate(self.adverse_events)
        ]
        problems.raise_if_any()
        assert stimulation is not None
        return TreatmentSession(
            patient_id=patient_id,
            practitioner_id=self.practitioner_id,
            started_at=self.started_at,
            points=[p for p in points if p is not None],
            stimulation=stimulation,
            retention_minutes=retention,
            de_qi=self.de_qi,
            before=before,
            after=after,
            adverse_events=[e for e in events if e is not None],
            notes=self.notes,
        )


class SessionPublic(SessionCreate):
    id: int
    patient_id: int


class TokenCreate(Schema):
    label: str = Field(default="api", max_length=100)
    days: int = Field(default=90, ge=1, le=365, description="How long the token works.")


class TokenIssued(Schema):
    id: int
    token: str
    label: str
    expires_at: dt.datetime


class TokenPublic(Schema):
    """A token as listed to its owner: never the token itself."""

    id: int
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class Me(Schema):
    user_id: int
    role: str
    clinic_id: int
    patient_id: int | None


class FieldError(Schema):
    """One bad field: its dotted path in the request (``days.3.peak_pain``) and what to fix."""

    field: str
    message: str


class Problem(Schema):
    """Every refusal of the API (401, 403, 404, 409, 413, 422): what went wrong and how to fix it.

    Invalid input lists the bad fields in ``errors``, at most ``MAX_LISTED_ERRORS`` of them,
    and counts them all in ``error_count``, so a request with a million bad entries gets a short
    answer."""

    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(None, max_length=MAX_LISTED_ERRORS)
    error_count: int | None = Field(None, ge=0, description="all bad fields, listed or not")


class Health(Schema):
    status: str
    version: str
    database: str


class PointPublic(Schema):
    code: str
    meridian: str
    number: int
    pinyin: str
    region: str
    midline: bool


class ProtocolPublic(Schema):
    key: str
    name: str
    indication: str
    points: list[PointSchema]
    stimulation: StimulationSchema
    retention_minutes: int | None
    sessions: int | None
    weeks: float | None
    source: str
    notes: str

    @classmethod
    def of_protocol(cls, p: Protocol) -> ProtocolPublic:
        return cls.model_validate(p, from_attributes=True)


class CheckPublic(Schema):
    label: str
    text: str
    status: str
    evidence: str
    parts: list[CheckPublic]


class DiagnosisPublic(Schema):
    code: str
    name: str
    probable: bool
    note: str
    trace: CheckPublic


class UndecidedPublic(Schema):
    """A code the answers neither give nor rule out; ``missing`` names the answers (intake
    field paths) that would decide it."""

    code: str
    name: str
    note: str
    missing: list[str]
    trace: CheckPublic


class RedFlagPublic(Schema):
    flag: str
    text: str


class AssessmentPublic(Schema):
    source: str
    diagnoses: list[DiagnosisPublic]
    undecided: list[UndecidedPublic]
    refer: bool
    red_flags: list[RedFlagPublic]
    not_screened: list[RedFlagPublic]
    contradicted: list[RedFlagPublic]
    advice: str

    @classmethod
    def of_assessment(cls, a: Assessment, source: str) -> AssessmentPublic:
        def flags(items: Sequence[RedFlag]) -> list[RedFlagPublic]:
            return [RedFlagPublic(flag=f.value, text=QUESTIONS[f]) for f in items]

        return cls(
            source=source,
            diagnoses=[
                DiagnosisPublic(
                    code=d.code,
                    name=d.name,
                    probable=d.probable,
                    note=d.note,
                    trace=CheckPublic.of(d.check),
                )
                for d in a.diagnoses
            ],
            undecided=[
                UndecidedPublic(
                    code=u.code,
                    name=u.name,
                    note=u.note,
                    missing=list(u.missing),
                    trace=CheckPublic.of(u.check),
                )
                for u in a.undecided
            ],
            refer=a.refer,
            red_flags=flags(a.red_flags.present),
            not_screened=flags(a.red_flags.not_screened),
            contradicted=flags(a.red_flags.contradicted),
            advice=a.red_flags.advice(),
        )


class IntakePublic(Schema):
    recorded_at: dt.datetime
    recorded_by: int | None
    intake: Intake

    @classmethod
    def of_stored(cls, stored: StoredIntake) -> IntakePublic:
        return cls(
            recorded_at=stored.recorded_at, recorded_by=stored.recorded_by, intake=stored.intake
        )


KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{1,59}$"


class ProtocolCreate(Schema):
    name: str = Field(min_length=1, max_length=200)
    indication: str = Field(default="", max_length=200)
    points: Annotated[
        list[PointSchema],
        Field(min_length=1, max_length=MAX_POINTS),
        _at_most(MAX_POINTS, "points"),
    ]
    stimulation: StimulationSchema
    retention_minutes: int | None = None
    sessions: int | None = Field(None, ge=1, le=200)
    weeks: float | None = Field(None, gt=0, le=104)
    notes: str = Field(default="", max_length=2000)

    def to_protocol(self, key: str) -> Protocol:
        problems = Problems()
        if not re.match(KEY_PATTERN, key):
            problems.add("key", "use 2–60 lower-case letters, digits and hyphens")
        points = [
            problems.attempt(f"points.{i}", NeedlePoint, **p.model_dump())
            for i, p in enumerate(self.points)
        ]
        stim = self.stimulation
        stimulation = problems.attempt(
            "stimulation",
            Stimulation,
            kind=stim.kind,
            frequencies_hz=tuple(stim.frequencies_hz),
            intensity_ma=stim.intensity_ma,
        )
        if self.retention_minutes is not None and not 0 < self.retention_minutes <= 240:
            problems.add("retention_minutes", "must be from 1 to 240")
        problems.raise_if_any()
        assert stimulation is not None
        return Protocol(
            key=key,
            name=self.name,
            indication=self.indication,
            points=tuple(p for p in points if p is not None),
            stimulation=stimulation,
            retention_minutes=self.retention_minutes,
            sessions=self.sessions,
            weeks=self.weeks,
            source="practice",
            notes=self.notes,
        )


class QuestionnaireBody(Schema):
    """A completed questionnaire as its form sends it: the day answered and each item's
    answer by item key ("1", "2", … and MIDAS "A", "B"); the domain checks the rest."""

    date: dt.date
    answers: Annotated[
        dict[Annotated[str, Field(max_length=10)], int],
        Field(max_length=MAX_QUESTIONNAIRE_ITEMS),
        _at_most(MAX_QUESTIONNAIRE_ITEMS, "answers"),
    ] = Field(default_factory=dict)
