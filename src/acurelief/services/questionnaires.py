"""Use cases for questionnaires: a patient (or staff for them) records answers; alerts.

An alert is what ``outcomes.questionnaires.score`` raises on a response (today: PHQ-9 item 9
above 0, clinical-facts §2.3). It is *open* while the patient's latest response on that
instrument still raises it, so a later PHQ-9 with item 9 = 0 closes it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from acurelief.domain import Instrument, QuestionnaireResponse
from acurelief.domain.access import Action, Actor
from acurelief.errors import InvalidInput, Problems
from acurelief.knowledge.questionnaire_texts import QuestionnaireForm, forms
from acurelief.outcomes.questionnaires import score
from acurelief.services.access import reach_patient
from acurelief.services.ports import UnitOfWork

# Instruments whose score can carry an alert (outcomes.questionnaires.score).
ALERTING_INSTRUMENTS = (Instrument.PHQ9,)
TEXTS_SETTING = "ACURELIEF_QUESTIONNAIRE_TEXTS_FILE"


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionnaireAlert:
    """An open alert: which response raised it and the text to show (from the outcomes)."""

    patient_id: int
    instrument: Instrument
    date: dt.date
    response_id: int | None
    text: str


def parse_instrument(value: Instrument | str) -> Instrument:
    """The instrument named ``value`` ("PHQ-9"); InvalidInput on "instrument" otherwise."""
    try:
        return Instrument(value)
    except ValueError:
        known = ", ".join(i.value for i in Instrument)
        raise InvalidInput.single("instrument", f"must be one of {known}") from None


def record_response(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    instrument: Instrument | str,
    answers: Mapping[str, int],
    date: dt.date,
    now: dt.datetime,
) -> QuestionnaireResponse:
    """Store one completed questionnaire of a patient the actor may answer for; committed.

    The date must not be after the patient's today (in their time zone). Every problem is
    reported together, each naming its field ("date", "answers.9"); nothing is stored then.
    """
    patient = reach_patient(uow, actor, patient_id, Action.ANSWER_QUESTIONNAIRE, now)
    kind = parse_instrument(instrument)
    problems = Problems()
    if date > patient.today(now):
        problems.add("date", "must not be after today")
    response: QuestionnaireResponse | None = None
    try:
        response = QuestionnaireResponse(
            patient_id=patient_id, instrument=kind, date=date, answers=answers
        )
    except InvalidInput as exc:
        problems.extend(exc.problems)
    problems.raise_if_any()
    assert response is not None
    stored = uow.questionnaires.add(response)
    uow.commit()
    return stored


def responses(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime
) -> Sequence[QuestionnaireResponse]:
    """The patient's questionnaire responses, oldest first; audited as a read."""
    reach_patient(uow, actor, patient_id, Action.READ, now)
    found = uow.questionnaires.list_for_patient(patient_id)
    uow.commit()
    return found


def open_alerts(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime
) -> tuple[QuestionnaireAlert, ...]:
    """The patient's open questionnaire alerts; audited as a read."""
    reach_patient(uow, actor, patient_id, Action.READ, now)
    alerts = alerts_for_patients(uow, [patient_id]).get(patient_id, ())
    uow.commit()
    return alerts


def alerts_for_patients(
    uow: UnitOfWork, patient_ids: Iterable[int]
) -> dict[int, tuple[QuestionnaireAlert, ...]]:
    """Open alerts of many patients at once, keyed by patient; those without are absent.

    A building block for use cases that list patients (a worklist): it checks no access and
    writes no audit entry, so call it only with patients the actor has already been allowed
    to see, inside a use case that audits that listing.
    """
    ids = sorted(set(patient_ids))
    found: dict[int, list[QuestionnaireAlert]] = {}
    for instrument in ALERTING_INSTRUMENTS:
        latest = uow.questionnaires.latest_for_patients(ids, instrument)
        for patient_id, response in latest.items():
            for text in score(response).alerts:
                found.setdefault(patient_id, []).append(_alert(response, text))
    return {patient_id: tuple(alerts) for patient_id, alerts in sorted(found.items())}


def _alert(response: QuestionnaireResponse, text: str) -> QuestionnaireAlert:
    return QuestionnaireAlert(
        patient_id=response.patient_id,
        instrument=response.instrument,
        date=response.date,
        response_id=response.id,
        text=text,
    )


def question_forms(texts_file: Path | None = None) -> Mapping[Instrument, QuestionnaireForm]:
    """The forms to render: the standard wording, with a licensed clinic's file laid over it.

    ``texts_file`` is the ``questionnaire_texts_file`` setting (format in
    ``knowledge/data/QUESTIONNAIRE_TEXTS.md``). An unreadable file, bad JSON or a bad key
    raises InvalidInput naming the setting and the key, so call this once at start-up to
    learn of a misconfiguration before a patient does.
    """
    if texts_file is None:
        return forms()
    try:
        raw = json.loads(texts_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.single(TEXTS_SETTING, f"cannot read {texts_file}: {exc}") from exc
    try:
        return forms(raw)
    except InvalidInput as exc:
        raise InvalidInput(exc.problems, where=f"{TEXTS_SETTING} ({texts_file})") from exc
