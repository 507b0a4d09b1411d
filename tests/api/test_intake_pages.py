"""The headache-history page: plain questions in, the ICHD-3 diagnosis with its reasoning out;
an unanswered question stays unknown, a bad answer is shown beside its field and nothing is
stored. On both databases."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData, UploadFile

from acurelief.diagnosis.intake import DrugClass, Intake, Location, parse_intake
from acurelief.diagnosis.redflags import RedFlag
from acurelief.services import diagnosis
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web.pages import intake_form
from tests.api.conftest import INTAKE
from tests.api.forms import error_beside, login, post_form
from tests.conftest import NOW, PASSWORD, World

MIGRAINE: dict[str, str] = {
    "migraine_like.lifetime_attacks": "30",
    "migraine_like.duration_hours_min": "6",
    "migraine_like.duration_hours_max": "30",
    "migraine_like.location": "unilateral",
    "migraine_like.quality": "pulsating",
    "migraine_like.aggravated_by_activity": "yes",
    "migraine_like.nausea": "yes",
    "migraine_like.photophobia": "yes",
    "migraine_like.phonophobia": "no",
    "frequency.headache_days_per_month": "5",
    "frequency.migraine_like_days_per_month": "5",
    "frequency.months": "12",
    "medication.triptan.days_per_month": "3",
    "medication.triptan.months": "12",
}


def _page(world: World) -> str:
    return f"/patients/{world.patients['p1']}/intake"


def _as_practitioner(client: TestClient, world: World) -> None:
    assert login(client, world.personas["practitioner_a"].email, PASSWORD).status_code == 303


def _post(client: TestClient, world: World, data: dict[str, Any]) -> Any:
    return post_form(client, _page(world), data, page=_page(world))


def _stored(uow_factory: SqlUnitOfWorkFactory, world: World) -> Intake | None:
    with uow_factory() as uow:
        found = uow.intakes.latest(world.patients["p1"])
    return None if found is None else found.intake


def test_every_snnoop10_question_and_every_drug_class_is_asked(
    client: TestClient, world: World
) -> None:
    _as_practitioner(client, world)
    page = client.get(_page(world))
    assert page.status_code == 200
    for flag in RedFlag:
        assert f'name="red_flags.{flag.value}" value="unknown"' in page.text
    for drug in DrugClass:
        assert f'name="medication.{drug.value}.days_per_month"' in page.text
    assert "How many attacks like this has the patient had in their life?" in page.text
    assert "How long does an untreated attack last?" in page.text


def test_a_saved_history_shows_the_diagnosis_with_its_criteria(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, MIGRAINE)
    assert response.status_code == 303
    assert response.headers["location"] == f"{_page(world)}?saved=1"
    page = client.get(response.headers["location"]).text
    assert "The headache history was saved" in page
    assert "1.1 Migraine without aura" in page
    assert '<ul class="trace">' in page
    assert "1.1 C" in page  # the criteria trace, criterion by criterion
    stored = _stored(uow_factory, world)
    assert stored is not None
    assert stored.migraine_like is not None
    assert stored.migraine_like.location is Location.UNILATERAL
    assert stored.migraine_like.phonophobia is False
    assert stored.medication[DrugClass.TRIPTAN].days_per_month == 3
    assert stored.medication[DrugClass.TRIPTAN].months == 12


def test_an_unanswered_question_is_stored_as_unknown_never_as_no(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    data = {
        **MIGRAINE,
        "red_flags.sudden_onset": "no",
        "red_flags.papilloedema": "unknown",
        "migraine_like.vomiting": "unknown",
    }
    assert _post(client, world, data).status_code == 303
    stored = _stored(uow_factory, world)
    assert stored is not None
    assert stored.migraine_like is not None
    assert stored.red_flags == {RedFlag.SUDDEN_ONSET: False}
    assert stored.red_flags.get(RedFlag.PAPILLOEDEMA) is None  # "not asked"
    assert stored.red_flags.get(RedFlag.POSITIONAL) is None  # left untouched
    assert stored.migraine_like.vomiting is None
    assert stored.migraine_like.intensities is None  # no box ticked
    assert stored.tension_like is None  # a part left empty
    assert stored.aura is None
    page = client.get(_page(world)).text
    assert "14 not yet screened" in page


def test_a_red_flag_says_refer_before_treating(client: TestClient, world: World) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {**MIGRAINE, "red_flags.sudden_onset": "yes"})
    page = client.get(response.headers["location"]).text
    assert "Refer before treating" in page
    assert "thunderclap" in page
    assert 'class="flag"' in page


def test_the_form_starts_from_the_latest_history(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with uow_factory() as uow:
        diagnosis.record_intake(
            uow, world.actor("practitioner_a"), world.patients["p1"], INTAKE, NOW
        )
    _as_practitioner(client, world)
    page = client.get(_page(world)).text
    assert re.search(r'name="migraine_like.lifetime_attacks"[^>]*value="30"', page)
    assert re.search(r'name="migraine_like.location" value="unilateral"\s+checked', page)
    assert re.search(r'name="migraine_like.intensities" value="severe"\s+checked', page)
    assert re.search(r'name="migraine_like.vomiting" value="unknown"\s+checked', page)
    assert "Last taken" in page
    assert "1.1 Migraine without aura" in page


FULL = parse_intake(
    {
        **INTAKE.model_dump(mode="json"),
        "tension_like": {"lifetime_attacks": 12, "location": "bilateral", "nausea": False},
        "aura": {
            "lifetime_attacks": 3,
            "symptoms": ["visual", "sensory"],
            "shortest_symptom_minutes": 5,
            "longest_symptom_minutes": 42.5,
            "headache_within_60_minutes": True,
        },
        "medication": {
            "triptan": {"days_per_month": 2.5, "months": 6},
            "opioid": {"days_per_month": 0},
        },
        "menstrual": {"cycles_documented": 3, "cycles_with_attack_in_window": 2},
        "red_flags": {"positional": False, "sudden_onset": True},
    }
)


@pytest.mark.parametrize("history", [INTAKE, FULL, Intake()])
def test_the_prefilled_form_saves_the_same_history_again(history: Intake) -> None:
    """Model → form → model is lossless, so re-saving the pre-filled page changes nothing."""
    values = intake_form.values_of(history)
    items: list[tuple[str, str | UploadFile]] = [
        (k, x) for k, v in values.items() for x in (v if isinstance(v, list) else [v])
    ]
    assert Intake.model_validate(intake_form.intake_data(FormData(items))) == history


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("migraine_like.lifetime_attacks", "-3", "at least 0"),
        ("migraine_like.lifetime_attacks", "many", "whole number"),
        ("migraine_like.lifetime_attacks", "2.5", "whole number"),
        ("migraine_like.duration_hours_max", "9000", "at most 8760"),
        ("migraine_like.duration_hours_min", "forty", "must be a number"),
        ("frequency.headache_days_per_month", "40", "at most 31"),
        ("medication.opioid.days_per_month", "-1", "at least 0"),
        ("menstrual.cycles_documented", "x", "whole number"),
    ],
)
def test_a_bad_number_is_refused_beside_its_field_and_nothing_is_stored(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    field: str,
    typed: str,
    words: str,
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {**MIGRAINE, field: typed})
    assert response.status_code == 422
    assert words in error_beside(response.text, field)
    assert "Nothing was saved" in response.text
    assert f'value="{typed}"' in response.text  # what was typed is kept
    assert 'name="migraine_like.quality" value="pulsating" checked' in response.text
    assert _stored(uow_factory, world) is None


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"migraine_like.duration_hours_min": "30", "migraine_like.duration_hours_max": "6"},
            "migraine_like.duration_hours_min",
            "shortest attack is longer than the longest",
        ),
        (
            {"frequency.migraine_like_days_per_month": "9"},
            "frequency.migraine_like_days_per_month",
            "more days with migraine features than days with headache",
        ),
        (
            {"medication.ergot.months": "6"},
            "medication.ergot.days_per_month",
            "give the days a month too",
        ),
        (
            {"menstrual.cycles_documented": "3", "menstrual.cycles_with_attack_in_window": "4"},
            "menstrual.cycles_with_attack_in_window",
            "more cycles with an attack than cycles documented",
        ),
        ({"migraine_like.location": "everywhere"}, "migraine_like.location", "must be"),
        ({"red_flags.positional": "perhaps"}, "red_flags.positional", "boolean"),
    ],
)
def test_answers_that_contradict_each_other_are_named_in_plain_words(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    changes: dict[str, str],
    field: str,
    words: str,
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {**MIGRAINE, **changes})
    assert response.status_code == 422
    assert words in error_beside(response.text, field)
    assert _stored(uow_factory, world) is None


def test_nausea_severity_counts_only_with_nausea(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    data = {**MIGRAINE, "migraine_like.nausea": "no", "migraine_like.nausea_severity": "mild"}
    assert _post(client, world, data).status_code == 303
    stored = _stored(uow_factory, world)
    assert stored is not None
    assert stored.migraine_like is not None
    assert stored.migraine_like.nausea is False
    assert stored.migraine_like.nausea_severity is None


def test_an_empty_form_is_refused_rather_than_stored_as_all_unknown(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {"red_flags.positional": "unknown"})
    assert response.status_code == 422
    assert "Nothing was answered" in response.text
    assert _stored(uow_factory, world) is None


def test_only_staff_of_the_clinic_take_a_history(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    assert login(client, world.personas["p1"].email, PASSWORD).status_code == 303
    assert client.get(_page(world)).status_code == 403
    assert post_form(client, _page(world), MIGRAINE, page="/login").status_code == 403
    assert _stored(uow_factory, world) is None
    client.cookies.clear()
    assert login(client, world.personas["practitioner_b"].email, PASSWORD).status_code == 303
    assert client.get(_page(world)).status_code == 404


def test_onset_after_50_for_a_patient_under_50_is_refused_beside_the_field(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """p1 is 46: "onset after 50" contradicts the date of birth; nothing is stored."""
    _as_practitioner(client, world)
    response = _post(client, world, {**MIGRAINE, "red_flags.onset_after_50": "yes"})
    assert response.status_code == 422
    assert "younger than 50" in error_beside(response.text, "red_flags.onset_after_50")
    assert _stored(uow_factory, world) is None


def test_the_page_names_the_answers_an_undecided_probable_needs(
    client: TestClient, world: World
) -> None:
    _as_practitioner(client, world)
    data = {k: v for k, v in MIGRAINE.items() if not k.startswith("migraine_like.duration")}
    data["migraine_like.lifetime_attacks"] = "4"
    response = _post(client, world, data)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Not decidable yet" in page
    found = re.search(
        r"1\.5\.1 Probable migraine without aura.*?: needs an answer to: ([^<]+)<",
        page,
    )
    assert found is not None
    # in the form's own words, each question once (duration asks for a min and a max)
    assert html.unescape(found.group(1)).strip() == "How long does an untreated attack last?"
    assert "None" not in page
    assert "unknown–unknown h" in page
