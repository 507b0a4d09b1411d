"""The sessions API on both databases."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import World

Headers = dict[str, dict[str, str]]
GOOD: dict[str, Any] = {
    "started_at": "2026-06-14T09:00:00+02:00",
    "points": [
        {"code": "gb 20", "side": "bilateral"},
        {"code": "GV20"},
        {"code": "LV3", "side": "left"},
    ],
    "stimulation": {"kind": "electro", "frequencies_hz": [2, 100], "intensity_ma": 0.6},
    "retention_minutes": 30,
    "de_qi": True,
    "before": {"pain": 6, "mood": 4, "minutes_after_needling": 0},
    "after": {"pain": 2, "mood": 7, "minutes_after_needling": 30},
    "adverse_events": [{"kind": "haematoma"}],
}


def _url(world: World) -> str:
    return f"/api/v1/patients/{world.patients['p1']}/sessions"


def test_a_session_is_stored_with_standard_codes(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {**GOOD, "points": GOOD["points"][:2]}
    created = client.post(_url(world), json=body, headers=tokens["practitioner_a"])
    assert created.status_code == 201, created.text
    session = created.json()
    assert [p["code"] for p in session["points"]] == ["GB20", "GV20"]
    assert session["practitioner_id"] == world.actor("practitioner_a").user_id
    listed = client.get(_url(world), headers=tokens["p1"]).json()
    assert listed == [session]


def test_every_bad_field_of_a_session_is_named(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        **GOOD,
        "points": [{"code": "XX9", "side": "left"}, {"code": "GV20", "side": "left"}],
        "stimulation": {"kind": "electro"},
        "before": {"pain": 6, "minutes_after_needling": 0},
        "adverse_events": [{"kind": "other"}],
    }
    response = client.post(_url(world), json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "points.0.code",
        "points.1.side",
        "stimulation.frequencies_hz",
        "adverse_events.0.notes",
    }


def test_readings_must_come_in_order(client: TestClient, world: World, tokens: Headers) -> None:
    body = {**GOOD, "after": {"pain": 3, "minutes_after_needling": 0}}
    response = client.post(_url(world), json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["after.minutes_after_needling"]


def test_a_time_without_zone_is_refused(client: TestClient, world: World, tokens: Headers) -> None:
    body = {**GOOD, "started_at": "2026-06-14T09:00:00"}
    response = client.post(_url(world), json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["started_at"]


def test_nothing_is_stored_when_a_session_is_refused(
    client: TestClient, world: World, tokens: Headers
) -> None:
    client.post(
        _url(world), json={**GOOD, "retention_minutes": 0}, headers=tokens["practitioner_a"]
    )
    assert client.get(_url(world), headers=tokens["practitioner_a"]).json() == []


def test_field_types_and_ranges_are_named_together(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        **GOOD,
        "before": {"pain": 11, "mood": "low", "minutes_after_needling": 0},
        "stimulation": {"kind": "laser"},
        "de_qi": "yes",
    }
    response = client.post(_url(world), json=body, headers=tokens["practitioner_a"])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "before.pain",
        "before.mood",
        "stimulation.kind",
        "de_qi",
    }
