"""Practice protocols, and sessions started from a protocol, on both databases."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import World

Headers = dict[str, dict[str, str]]
OURS: dict[str, Any] = {
    "name": "Our migraine set",
    "indication": "migraine",
    "points": [
        {"code": "GB20", "side": "bilateral"},
        {"code": "gv 20"},
        {"code": "LV3", "side": "left"},
    ],
    "stimulation": {"kind": "electro", "frequencies_hz": [2, 100]},
    "retention_minutes": 25,
}
WHEN = "2026-06-14T09:00:00+02:00"


def _sessions(world: World) -> str:
    return f"/api/v1/patients/{world.patients['p1']}/sessions"


def test_a_practice_protocol_is_stored_and_seen_only_by_its_clinic(
    client: TestClient, tokens: Headers
) -> None:
    put = client.put("/api/v1/clinic/protocols/ours", json=OURS, headers=tokens["practitioner_a"])
    assert put.status_code == 200, put.text
    assert [p["code"] for p in put.json()["points"]] == ["GB20", "GV20", "LR3"]
    again = client.put(
        "/api/v1/clinic/protocols/ours", json={**OURS, "name": "Renamed"}, headers=tokens["admin_a"]
    )
    assert again.status_code == 200
    mine = client.get("/api/v1/clinic/protocols", headers=tokens["p1"]).json()
    assert [p["name"] for p in mine if p["key"] == "ours"] == ["Renamed"]
    theirs = client.get("/api/v1/clinic/protocols", headers=tokens["admin_b"]).json()
    assert "ours" not in {p["key"] for p in theirs}
    assert "ctth-chengdu" in {p["key"] for p in theirs}


def test_a_session_starts_from_a_protocol_and_can_be_individualised(
    client: TestClient, world: World, tokens: Headers
) -> None:
    client.put("/api/v1/clinic/protocols/ours", json=OURS, headers=tokens["practitioner_a"])
    plain = client.post(
        _sessions(world),
        json={"started_at": WHEN, "protocol": "ours"},
        headers=tokens["practitioner_a"],
    )
    assert plain.status_code == 201, plain.text
    session = plain.json()
    assert [p["code"] for p in session["points"]] == ["GB20", "GV20", "LR3"]
    assert session["stimulation"]["frequencies_hz"] == [2.0, 100.0]
    assert session["retention_minutes"] == 25
    own = client.post(
        _sessions(world),
        json={
            "started_at": WHEN,
            "protocol": "li2012-shaoyang-specific",
            "points": [{"code": "GB20", "side": "right"}],
            "retention_minutes": 20,
        },
        headers=tokens["practitioner_a"],
    ).json()
    assert [p["code"] for p in own["points"]] == ["GB20"]
    assert own["stimulation"]["kind"] == "electro"
    assert own["retention_minutes"] == 20


def test_protocol_errors_are_named(client: TestClient, world: World, tokens: Headers) -> None:
    staff = tokens["practitioner_a"]
    unknown = client.post(
        _sessions(world), json={"started_at": WHEN, "protocol": "nope"}, headers=staff
    )
    assert unknown.status_code == 404
    other_clinic = client.put(
        "/api/v1/clinic/protocols/theirs", json=OURS, headers=tokens["admin_b"]
    )
    assert other_clinic.status_code == 200
    hidden = client.post(
        _sessions(world), json={"started_at": WHEN, "protocol": "theirs"}, headers=staff
    )
    assert hidden.status_code == 404
    reserved = client.put("/api/v1/clinic/protocols/ctth-chengdu", json=OURS, headers=staff)
    assert reserved.status_code == 409
    bad = client.put(
        "/api/v1/clinic/protocols/Bad Key!",
        json={**OURS, "points": [{"code": "XX1", "side": "left"}]},
        headers=staff,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"key", "points.0.code"}
    neither = client.post(_sessions(world), json={"started_at": WHEN}, headers=staff)
    assert [e["field"] for e in neither.json()["errors"]] == ["stimulation"]
