"""Questionnaires a patient fills in, and the alerts they raise, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from acurelief.domain import Instrument
from acurelief.errors import InvalidInput, NotFound
from acurelief.outcomes.questionnaires import PHQ9_ITEM9_ALERT
from acurelief.services import questionnaires
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

TODAY_BERLIN = dt.date(2026, 6, 15)


def _phq9(item9: int = 0, rest: int = 1) -> dict[str, int]:
    return {**{str(i): rest for i in range(1, 9)}, "9": item9}


def _record(
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    answers: dict[str, int],
    date: dt.date = TODAY_BERLIN,
    who: str = "p1",
    patient: str = "p1",
    instrument: Instrument | str = Instrument.PHQ9,
) -> None:
    with uow_factory() as uow:
        questionnaires.record_response(
            uow, world.actor(who), world.patients[patient], instrument, answers, date, NOW
        )


def _stored(uow_factory: SqlUnitOfWorkFactory, world: World, patient: str = "p1") -> int:
    with uow_factory() as uow:
        return len(uow.questionnaires.list_for_patient(world.patients[patient]))


def test_a_patient_records_their_own_phq9(uow_factory: SqlUnitOfWorkFactory, world: World) -> None:
    pid = world.patients["p1"]
    with uow_factory() as uow:
        stored = questionnaires.record_response(
            uow, world.actor("p1"), pid, "PHQ-9", _phq9(), TODAY_BERLIN, NOW
        )
    assert stored.id is not None
    assert (stored.instrument, stored.date, dict(stored.answers)) == (
        Instrument.PHQ9,
        TODAY_BERLIN,
        _phq9(),
    )
    with uow_factory() as uow:
        seen = questionnaires.responses(uow, world.actor("practitioner_a"), pid, NOW)
        actions = [e.action for e in uow.audit.for_patient(pid)]
    assert seen == [stored]
    assert actions == ["answer_questionnaire", "read"]


def test_item_9_above_0_opens_an_alert_that_a_later_phq9_closes(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, staff = world.patients["p1"], world.actor("practitioner_a")
    monday = TODAY_BERLIN - dt.timedelta(days=7)
    _record(uow_factory, world, _phq9(item9=1), date=monday)
    with uow_factory() as uow:
        alerts = questionnaires.open_alerts(uow, staff, pid, NOW)
    assert [(a.patient_id, a.instrument, a.date, a.text) for a in alerts] == [
        (pid, Instrument.PHQ9, monday, PHQ9_ITEM9_ALERT)
    ]
    gad7 = {str(i): 0 for i in range(1, 8)}
    _record(uow_factory, world, gad7, instrument=Instrument.GAD7)  # another instrument
    _record(uow_factory, world, _phq9(item9=0), date=monday - dt.timedelta(days=1))  # older
    with uow_factory() as uow:
        assert len(questionnaires.open_alerts(uow, staff, pid, NOW)) == 1  # still the latest
    _record(uow_factory, world, _phq9(item9=0), date=TODAY_BERLIN)
    with uow_factory() as uow:
        assert questionnaires.open_alerts(uow, staff, pid, NOW) == ()


def test_alerts_of_many_patients_come_in_one_call(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    p1, p2, p3 = (world.patients[p] for p in ("p1", "p2", "p3"))
    _record(uow_factory, world, _phq9(item9=2), who="p2", patient="p2")
    _record(uow_factory, world, _phq9(item9=3), who="p3", patient="p3")
    _record(uow_factory, world, _phq9(item9=0))
    with uow_factory() as uow:
        alerts = questionnaires.alerts_for_patients(uow, [p1, p2, p2])
        assert questionnaires.alerts_for_patients(uow, []) == {}
    assert list(alerts) == [p2]
    assert [a.text for a in alerts[p2]] == [PHQ9_ITEM9_ALERT]
    assert p3 not in alerts  # only the patients asked about


def test_a_patient_cannot_answer_for_another(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    for who, patient in (("p1", "p2"), ("practitioner_b", "p1"), ("p3", "p1")):
        with pytest.raises(NotFound):
            _record(uow_factory, world, _phq9(), who=who, patient=patient)
        with pytest.raises(NotFound), uow_factory() as uow:
            questionnaires.open_alerts(uow, world.actor(who), world.patients[patient], NOW)
    _record(uow_factory, world, _phq9(), who="practitioner_a", patient="p2")
    assert (_stored(uow_factory, world, "p1"), _stored(uow_factory, world, "p2")) == (0, 1)


def test_a_date_after_the_patients_today_is_refused(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _record(uow_factory, world, _phq9(), date=TODAY_BERLIN + dt.timedelta(days=1))
    assert [p.field for p in caught.value.problems] == ["date"]
    assert _stored(uow_factory, world) == 0


def test_every_bad_answer_is_named_and_nothing_is_stored(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    answers = _phq9()
    del answers["9"]
    answers["3"] = 4
    with pytest.raises(InvalidInput) as caught:
        _record(uow_factory, world, answers, date=TODAY_BERLIN + dt.timedelta(days=2))
    assert {p.field for p in caught.value.problems} == {"date", "answers.3", "answers.9"}
    with pytest.raises(InvalidInput) as caught:
        _record(uow_factory, world, _phq9(), instrument="PHQ-10")
    assert [p.field for p in caught.value.problems] == ["instrument"]
    assert _stored(uow_factory, world) == 0


def test_the_forms_come_with_a_clinics_licensed_texts(tmp_path: Path) -> None:
    assert questionnaires.question_forms(None)[Instrument.HIT6].items[0].is_label
    licensed = tmp_path / "texts.json"
    licensed.write_text('{"HIT-6": {"1": "Licensed wording one"}}', encoding="utf-8")
    forms = questionnaires.question_forms(licensed)
    assert forms[Instrument.HIT6].items[0].text == "Licensed wording one"
    bad = tmp_path / "bad.json"
    for content, field in (
        ('{"HIT-6": {"7": "x"}}', "HIT-6.7"),
        ("{not json", questionnaires.TEXTS_SETTING),
    ):
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(InvalidInput, match=questionnaires.TEXTS_SETTING) as caught:
            questionnaires.question_forms(bad)
        assert [p.field for p in caught.value.problems] == [field]
    with pytest.raises(InvalidInput, match="cannot read"):
        questionnaires.question_forms(tmp_path / "missing.json")
