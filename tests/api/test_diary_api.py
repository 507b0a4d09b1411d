"""The diary API on both databases: idempotent PUT, ranges, batches, and bad input."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import World

Headers = dict[str, dict[str, str]]


def _base(world: World) -> str:
    return f"/api/v1/patients/{world.patients['p1']}/diary"


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {e["field"] for e in response.json()["errors"]}


def test_putting_the_same_day_twice_stores_it_once(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        "headache": True,
        "peak_pain": 6,
        "medications": {"triptan": 1},
        "features": {"side": "unilateral", "nausea": True},
    }
    first = client.put(f"{_base(world)}/2026-06-10", json=body, headers=tokens["p1"])
    again = client.put(f"{_base(world)}/2026-06-10", json=body, headers=tokens["p1"])
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    listed = client.get(
        _base(world), params={"start": "2026-06-10", "end": "2026-06-10"}, headers=tokens["p1"]
    ).json()
    assert listed == [first.json()]
    assert listed[0]["features"]["nausea"] is True


def test_a_later_put_replaces_the_day(client: TestClient, world: World, tokens: Headers) -> None:
    url = f"{_base(world)}/2026-06-11"
    client.put(url, json={"headache": True, "peak_pain": 8}, headers=tokens["p1"])
    client.put(url, json={"headache": False, "mood": 7}, headers=tokens["practitioner_a"])
    got = client.get(url, headers=tokens["p1"]).json()
    assert (got["headache"], got["peak_pain"], got["mood"]) == (False, None, 7)


def test_a_day_without_entry_is_404_not_a_no_headache_day(
    client: TestClient, world: World, tokens: Headers
) -> None:
    response = client.get(f"{_base(world)}/2026-06-12", headers=tokens["p1"])
    assert response.status_code == 404


def test_out_of_range_values_are_named_each(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        "headache": True,
        "peak_pain": 11,
        "mood": -1,
        "sleep_hours": 30,
        "medications": {"triptan": -2},
    }
    response = client.put(f"{_base(world)}/2026-06-10", json=body, headers=tokens["p1"])
    assert _fields(response) == {"peak_pain", "mood", "sleep_hours", "medications.triptan"}


def test_wrong_types_unknown_fields_and_bad_dates_are_named(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {
        "headache": "yes",
        "peak_pain": "severe",
        "colour": "red",
        "medications": {"aspirin": 1},
    }
    response = client.put(f"{_base(world)}/2026-06-10", json=body, headers=tokens["p1"])
    assert {"headache", "peak_pain", "colour"} <= _fields(response)
    assert any(f.startswith("medications") for f in _fields(response))
    bad_date = client.put(
        f"{_base(world)}/2026-02-30", json={"headache": False}, headers=tokens["p1"]
    )
    assert _fields(bad_date) == {"path.date"}


def test_a_day_after_today_is_refused(client: TestClient, world: World, tokens: Headers) -> None:
    response = client.put(
        f"{_base(world)}/2026-06-16", json={"headache": False}, headers=tokens["p1"]
    )
    assert _fields(response) == {"date"}


def test_a_no_headache_day_with_pain_is_inconsistent(
    client: TestClient, world: World, tokens: Headers
) -> None:
    response = client.put(
        f"{_base(world)}/2026-06-10", json={"headache": False, "peak_pain": 5}, headers=tokens["p1"]
    )
    assert _fields(response) == {"peak_pain"}


def test_a_batch_is_all_or_nothing(client: TestClient, world: World, tokens: Headers) -> None:
    days = [{"date": f"2026-05-{d:02d}", "headache": False} for d in range(1, 6)]
    days[3] = {"date": "2026-05-04", "headache": True, "peak_pain": 12}
    response = client.post(f"{_base(world)}/batch", json={"days": days}, headers=tokens["p1"])
    assert _fields(response) == {"days.3.peak_pain"}
    stored = client.get(
        _base(world), params={"start": "2026-05-01", "end": "2026-05-31"}, headers=tokens["p1"]
    ).json()
    assert stored == []
    days[3] = {"date": "2026-05-04", "headache": True, "peak_pain": 7}
    ok = client.post(f"{_base(world)}/batch", json={"days": days}, headers=tokens["p1"])
    assert ok.json() == {"stored": 5}


def test_a_range_must_run_forwards(client: TestClient, world: World, tokens: Headers) -> None:
    response = client.get(
        _base(world), params={"start": "2026-06-10", "end": "2026-06-01"}, headers=tokens["p1"]
    )
    assert _fields(response) == {"end"}


def test_type_and_range_errors_are_reported_together(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = {"headache": True, "peak_pain": 12, "mood": "good", "headache_hours": 25}
    response = client.put(f"{_base(world)}/2026-06-10", json=body, headers=tokens["p1"])
    assert _fields(response) == {"peak_pain", "mood", "headache_hours"}


def test_messages_say_how_to_fix_the_field(
    client: TestClient, world: World, tokens: Headers
) -> None:
    response = client.put(
        f"{_base(world)}/2026-06-10", json={"headache": True, "peak_pain": 12}, headers=tokens["p1"]
    )
    assert response.json()["errors"] == [
        {"field": "peak_pain", "message": "must be from 0 to 10, got 12"}
    ]
