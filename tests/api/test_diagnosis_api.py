"""Intake, diagnosis and reference routes on both databases."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from acurelief.domain import DiaryDay, HeadacheFeatures, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.services import diary
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

Headers = dict[str, dict[str, str]]


def _base(world: World) -> str:
    return f"/api/v1/patients/{world.patients['p1']}"


def test_the_intake_gives_a_diagnosis_with_its_reasons(
    client: TestClient, world: World, tokens: Headers
) -> None:
    result = client.get(f"{_base(world)}/diagnosis", headers=tokens["p1"]).json()
    assert [d["code"] for d in result["diagnoses"]] == ["1.1"]
    trace = result["diagnoses"][0]["trace"]
    assert [p["label"] for p in trace["parts"]] == ["1.1 A", "1.1 B", "1.1 C", "1.1 D", "1.1 E"]
    assert all(p["status"] == "met" for p in trace["parts"])
    assert result["refer"] is False
    assert len(result["not_screened"]) == 15


def test_a_red_flag_says_refer(client: TestClient, world: World, tokens: Headers) -> None:
    body = {
        "red_flags": {"sudden_onset": True, "onset_after_50": False},
        "frequency": {"headache_days_per_month": 3},
    }
    stored = client.put(f"{_base(world)}/intake", json=body, headers=tokens["practitioner_a"])
    assert stored.status_code == 200, stored.text
    result = client.get(f"{_base(world)}/diagnosis", headers=tokens["admin_a"]).json()
    assert result["refer"] is True
    assert result["red_flags"] == [
        {"flag": "sudden_onset", "text": "Onset of headache is sudden or abrupt (thunderclap)"}
    ]
    assert result["advice"].startswith("Refer before treating")


def test_a_malformed_history_is_refused_naming_each_field(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        "migraine_like": {"lifetime_attacks": -1, "nausea": "yes"},
        "frequency": {"headache_days_per_month": 40},
        "medication": {"aspirin": {"days_per_month": 3}},
    }
    response = client.put(f"{_base(world)}/intake", json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {
        "migraine_like.lifetime_attacks",
        "migraine_like.nausea",
        "frequency.headache_days_per_month",
    } <= fields
    assert any(f.startswith("medication.aspirin") for f in fields)
    still = client.get(f"{_base(world)}/intake", headers=tokens["practitioner_a"]).json()
    assert still["intake"]["migraine_like"]["lifetime_attacks"] == 30  # nothing lost


def test_a_diary_too_short_is_insufficient(
    client: TestClient, world: World, tokens: Headers
) -> None:
    response = client.get(
        f"{_base(world)}/diagnosis", params={"source": "diary"}, headers=tokens["p1"]
    )
    assert response.status_code == 422
    assert "90 are needed" in response.json()["detail"]


def test_four_months_of_diary_give_a_diagnosis(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = world.patients["p1"]
    migraine = HeadacheFeatures(
        side=HeadacheSide.UNILATERAL,
        quality=PainQuality.PULSATING,
        aggravated_by_activity=True,
        nausea=True,
        photophobia=True,
        phonophobia=True,
    )
    days = []
    for offset in range(130):
        date = dt.date(2026, 6, 14) - dt.timedelta(days=offset)
        if offset % 2 == 0:
            days.append(
                DiaryDay(
                    patient_id=pid,
                    date=date,
                    headache=True,
                    peak_pain=7,
                    headache_hours=12,
                    features=migraine,
                    medications={MedicationClass.TRIPTAN: 1},
                )
            )
        else:
            days.append(
                DiaryDay(patient_id=pid, date=date, headache=True, peak_pain=3, headache_hours=5)
            )
    with uow_factory() as uow:
        diary.record_days(uow, world.actor("practitioner_a"), pid, days, NOW)
    result = client.get(
        f"{_base(world)}/diagnosis", params={"source": "diary"}, headers=tokens["p1"]
    ).json()
    assert [d["code"] for d in result["diagnoses"]] == ["1.3", "8.2.2"]


def test_points_accept_aliases_and_suggest(client: TestClient) -> None:
    assert client.get("/api/v1/points/LV3").json()["code"] == "LR3"
    assert len(client.get("/api/v1/points", params={"meridian": "GB"}).json()) == 44
    assert len(client.get("/api/v1/points").json()) >= 361
    missing = client.get("/api/v1/points/GB45")
    assert missing.status_code == 404
    assert "GB44" in missing.json()["detail"]
    assert client.get("/api/v1/intake-schema").json()["$schema"].endswith("2020-12/schema")
    protocols = client.get("/api/v1/protocols").json()
    assert protocols[0]["points"][0] == {"code": "TE5", "side": "bilateral"}


def test_onset_after_50_is_refused_for_a_patient_under_50_naming_the_field(
    client: TestClient, world: World, tokens: Headers
) -> None:
    """p1 is 46 on NOW (born 1980-05-01): the headache cannot have begun after 50."""
    body = {"red_flags": {"onset_after_50": True}, "frequency": {"headache_days_per_month": 3}}
    response = client.put(f"{_base(world)}/intake", json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "red_flags.onset_after_50"
    assert "younger than 50" in error["message"]
    still = client.get(f"{_base(world)}/intake", headers=tokens["practitioner_a"]).json()
    assert still["intake"]["red_flags"].get("onset_after_50") is not True  # nothing stored
    body["red_flags"] = {"onset_after_50": False}
    stored = client.put(f"{_base(world)}/intake", json=body, headers=tokens["practitioner_a"])
    assert stored.status_code == 200, stored.text


def test_an_undecided_probable_names_its_missing_answers_and_no_trace_says_none(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        "migraine_like": {
            "lifetime_attacks": 4,
            "location": "unilateral",
            "quality": "pulsating",
            "nausea": True,
        },
        "frequency": {"headache_days_per_month": 3, "migraine_like_days_per_month": 3},
    }
    stored = client.put(f"{_base(world)}/intake", json=body, headers=tokens["practitioner_a"])
    assert stored.status_code == 200, stored.text
    response = client.get(f"{_base(world)}/diagnosis", headers=tokens["practitioner_a"])
    result = response.json()
    assert result["diagnoses"] == []
    (probable,) = [u for u in result["undecided"] if u["code"] == "1.5.1"]
    assert probable["name"] == "Probable migraine without aura"
    assert probable["missing"] == [
        "migraine_like.duration_hours_min",
        "migraine_like.duration_hours_max",
    ]
    assert probable["trace"]["label"] == "1.1"
    assert all(u["missing"] for u in result["undecided"])
    assert "None" not in response.text
    assert "unknown–unknown h" in response.text
