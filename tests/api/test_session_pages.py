"""Charting a session in the browser's form: from a protocol or the last session, a point
picker that suggests the nearest code on a typo, errors beside their fields and nothing
stored until everything is right. On both databases."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from acurelief.domain import (
    AdverseEvent,
    AdverseEventKind,
    NeedlePoint,
    SessionReading,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.services import sessions
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web.pages import session_form
from tests.api.forms import error_beside, login, post_form
from tests.conftest import NOW, PASSWORD, World

BERLIN = dt.timezone(dt.timedelta(hours=2))  # Europe/Berlin in June, the test patients' zone
GOOD: dict[str, Any] = {
    "started_at": "2026-06-15T10:30",
    "points.0.code": "gb 20",
    "points.0.side": "bilateral",
    "points.1.code": "GV20",
    "points.1.side": "",
    "points.2.code": "LIV3",
    "points.2.side": "left",
    "points.3.code": "",
    "points.3.side": "bilateral",
    "stimulation.kind": "electro",
    "stimulation.frequencies_hz": "2/100",
    "stimulation.intensity_ma": "0,8",
    "retention_minutes": "30",
    "de_qi": "yes",
    "before.pain": "6",
    "before.mood": "4",
    "after.pain": "2",
    "after.mood": "7",
    "after.minutes_after_needling": "30",
    "adverse_events": "haematoma",
    "adverse_note": "small, left foot",
    "notes": "Slept badly before.",
}


def _page(world: World, start: str = "") -> str:
    url = f"/patients/{world.patients['p1']}/sessions/new"
    return f"{url}?start={start}" if start else url


def _as_practitioner(client: TestClient, world: World) -> None:
    assert login(client, world.personas["practitioner_a"].email, PASSWORD).status_code == 303


def _post(client: TestClient, world: World, data: dict[str, Any]) -> Any:
    return post_form(client, _page(world), data, page=_page(world))


def _stored(uow_factory: SqlUnitOfWorkFactory, world: World) -> Sequence[TreatmentSession]:
    with uow_factory() as uow:
        return uow.sessions.list_for_patient(world.patients["p1"])


def _rows(page: str) -> list[tuple[str, str]]:
    """(code, side) of every point row shown, the empty row to type into included."""
    codes = re.findall(r'name="points\.\d+\.code"[^>]*value="([^"]*)"', page)
    sides = re.findall(
        r'name="points\.\d+\.side"[^>]*>(?:(?!</select>).)*?value="([^"]*)" selected', page, re.S
    )
    return list(zip(codes, sides, strict=True))


def test_a_session_is_stored_exactly_as_entered_with_standard_codes(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, GOOD)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/patients/{world.patients['p1']}?saved=session"
    (stored,) = _stored(uow_factory, world)
    assert stored.started_at == dt.datetime(2026, 6, 15, 10, 30, tzinfo=BERLIN)
    assert stored.practitioner_id == world.actor("practitioner_a").user_id
    assert stored.points == (
        NeedlePoint(code="GB20", side=Side.BILATERAL),
        NeedlePoint(code="GV20"),
        NeedlePoint(code="LR3", side=Side.LEFT),
    )
    assert stored.stimulation == Stimulation(
        kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0), intensity_ma=0.8
    )
    assert stored.retention_minutes == 30
    assert stored.de_qi is True
    assert stored.before == SessionReading(pain=6, mood=4, minutes_after_needling=0)
    assert stored.after == SessionReading(pain=2, mood=7, minutes_after_needling=30)
    assert stored.adverse_events == (
        AdverseEvent(kind=AdverseEventKind.HAEMATOMA, notes="small, left foot"),
    )
    assert stored.notes == "Slept badly before."
    page = client.get(response.headers["location"]).text
    assert "The session was saved" in page
    assert "LR3" in page


def test_a_point_may_be_typed_by_its_name_or_a_legacy_code(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    data = {
        **GOOD,
        "points.0.code": "Taiyang",
        "points.1.code": "zu san li",
        "points.1.side": "right",
        "points.2.code": "SJ5",
    }
    assert _post(client, world, data).status_code == 303
    (stored,) = _stored(uow_factory, world)
    assert [p.code for p in stored.points] == ["EX-HN5", "ST36", "TE5"]


def test_unanswered_parts_stay_unknown(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    data = {"started_at": "2026-06-15T09:00", "stimulation.kind": "manual", "de_qi": "unknown"}
    assert _post(client, world, data).status_code == 303
    (stored,) = _stored(uow_factory, world)
    assert stored.de_qi is None
    assert stored.before is None
    assert stored.after is None
    assert stored.retention_minutes is None
    assert stored.points == ()


def test_the_blank_chart_starts_now_with_the_logged_in_practitioner(
    client: TestClient, world: World
) -> None:
    _as_practitioner(client, world)
    page = client.get(_page(world)).text
    assert 'value="2026-06-15T14:00"' in page  # 12:00 UTC is 14:00 in Berlin
    me = world.actor("practitioner_a").user_id
    assert re.search(rf'<option value="{me}" selected>', page)
    assert 'name="after.minutes_after_needling"' in page
    assert 'value="30"' in page
    assert '<datalist id="acupoints">' in page
    assert page.count("<option value=") > 361
    assert re.search(r'<option value="LR3" label="Taichong · Liver 3 · also LV3, LIV3"', page)


def test_a_protocol_fills_in_its_points_stimulation_and_retention(
    client: TestClient, world: World
) -> None:
    _as_practitioner(client, world)
    page = client.get(_page(world, "protocol:ctth-chengdu")).text
    assert _rows(page) == [
        ("GB20", "bilateral"),
        ("GV20", ""),
        ("EX-HN5", "bilateral"),
        ("LI4", "bilateral"),
        ("LR3", "bilateral"),
        ("", "bilateral"),
    ]
    assert 'name="stimulation.kind" value="manual" checked' in page
    assert re.search(r'name="retention_minutes"[^>]*value="30"', page)
    assert "Filled in from the protocol Chronic TTH (Chengdu trial)" in page
    electro = client.get(_page(world, "protocol:li2012-shaoyang-specific")).text
    assert 'name="stimulation.kind" value="electro" checked' in electro
    assert re.search(r'name="stimulation.frequencies_hz"[^>]*value="2/100"', electro)


def test_a_practice_protocol_can_be_started_from(client: TestClient, world: World) -> None:
    _as_practitioner(client, world)
    token = client.post(
        "/api/v1/tokens", json={"label": "t"}, headers={"X-CSRF-Token": _csrf(client, world)}
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    body = {
        "name": "Our neck routine",
        "points": [{"code": "GB21", "side": "bilateral"}],
        "stimulation": {"kind": "manual"},
        "retention_minutes": 25,
    }
    assert client.put("/api/v1/clinic/protocols/neck", json=body, headers=headers).is_success
    page = client.get(_page(world)).text
    assert '<optgroup label="This practice\'s protocols">' in page
    filled = client.get(_page(world, "protocol:neck")).text
    assert _rows(filled)[0] == ("GB21", "bilateral")
    assert re.search(r'name="retention_minutes"[^>]*value="25"', filled)


def _csrf(client: TestClient, world: World) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(_page(world)).text)
    assert match is not None
    return match.group(1)


def test_the_last_session_fills_in_its_points(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    earlier = TreatmentSession(
        patient_id=world.patients["p1"],
        practitioner_id=None,
        started_at=NOW - dt.timedelta(days=7),
        points=[NeedlePoint(code="ST36", side=Side.RIGHT), NeedlePoint(code="CV12")],
        stimulation=Stimulation(kind=StimulationKind.SHAM_MINIMAL),
        retention_minutes=20,
    )
    with uow_factory() as uow:
        sessions.record_session(uow, world.actor("practitioner_a"), earlier, NOW)
    _as_practitioner(client, world)
    page = client.get(_page(world, "last")).text
    assert _rows(page) == [("ST36", "right"), ("CV12", ""), ("", "bilateral")]
    assert 'name="stimulation.kind" value="sham_minimal" checked' in page
    assert re.search(r'name="retention_minutes"[^>]*value="20"', page)
    assert "Filled in from the last session (8 Jun 2026)" in page


def test_an_unknown_start_says_so_and_starts_empty(client: TestClient, world: World) -> None:
    _as_practitioner(client, world)
    page = client.get(_page(world, "protocol:nope"))
    assert page.status_code == 200
    assert "There is no such protocol" in page.text
    assert "no earlier session" in client.get(_page(world, "last")).text


def test_a_mistyped_point_suggests_the_nearest_code_and_nothing_is_stored(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {**GOOD, "points.2.code": "GB-21x"})
    assert response.status_code == 422
    message = error_beside(response.text, "points.2.code")
    assert "GB-21x" in message
    assert "did you mean GB21" in message
    assert 'value="use:2:GB21"' in response.text  # a one-click fix
    assert 'value="GB-21x"' in response.text
    assert _stored(uow_factory, world) == []
    fixed = post_form(
        client,
        _page(world),
        {**GOOD, "points.2.code": "GB-21x", "action": "use:2:GB21"},
        page=_page(world),
    )
    assert fixed.status_code == 200
    assert _rows(fixed.text)[2] == ("GB21", "left")
    assert _stored(uow_factory, world) == []


def test_blank_rows_are_dropped_so_errors_sit_beside_the_row_shown(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    data = {**GOOD, "points.1.code": "", "points.7.code": "XX9", "points.7.side": "left"}
    response = _post(client, world, data)
    assert response.status_code == 422
    assert _rows(response.text)[:3] == [("gb 20", "bilateral"), ("LIV3", "left"), ("XX9", "left")]
    assert "XX9" in error_beside(response.text, "points.2.code")
    assert _stored(uow_factory, world) == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"stimulation.frequencies_hz": ""},
            "stimulation.frequencies_hz",
            "needs a frequency in Hz",
        ),
        ({"stimulation.frequencies_hz": "fast"}, "stimulation.frequencies_hz", "number"),
        ({"stimulation.frequencies_hz": "0"}, "stimulation.frequencies_hz", "above 0 Hz"),
        ({"stimulation.intensity_ma": "-1"}, "stimulation.intensity_ma", "above 0 mA"),
        ({"stimulation.kind": ""}, "stimulation.kind", "give the stimulation"),
        ({"started_at": "2026-06-15T14:30"}, "started_at", "must not be in the future"),
        ({"started_at": ""}, "started_at", "date and time"),
        ({"started_at": "yesterday"}, "started_at", "date and time"),
        ({"before.pain": "", "before.mood": ""}, "before", "needs one before it"),
        ({"before.pain": "11"}, "before.pain", "from 0 to 10"),
        ({"after.minutes_after_needling": "0"}, "after.minutes_after_needling", "later than"),
        ({"after.minutes_after_needling": "soon"}, "after.minutes_after_needling", "whole number"),
        ({"retention_minutes": "0"}, "retention_minutes", "from 1 to 240"),
        ({"retention_minutes": "half an hour"}, "retention_minutes", "whole number"),
        ({"points.1.side": "left"}, "points.1.side", "midline point and takes no side"),
        ({"points.0.side": ""}, "points.0.side", "needs a side"),
        ({"points.2.code": "GB20", "points.2.side": "bilateral"}, "points.2", "listed twice"),
        ({"adverse_events": "other", "adverse_note": ""}, "adverse_note", "describe"),
        ({"adverse_events": "", "adverse_note": "felt dizzy"}, "adverse_note", "tick the"),
        ({"practitioner_id": "999999"}, "practitioner_id", "practitioner of your clinic"),
        ({"notes": "x" * 6000}, "notes", "at most 5000 characters"),
    ],
)
def test_a_bad_field_is_refused_beside_it_and_nothing_is_stored(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    changes: dict[str, str],
    field: str,
    words: str,
) -> None:
    _as_practitioner(client, world)
    response = _post(client, world, {**GOOD, **changes})
    assert response.status_code == 422
    assert words in error_beside(response.text, field)
    assert "Nothing was saved" in response.text
    assert 'value="Slept badly before."' not in response.text  # a textarea keeps it inside
    assert "Slept badly before." in response.text or field == "notes"
    assert _stored(uow_factory, world) == []


def test_a_practitioner_of_another_clinic_cannot_be_named(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    other = str(world.actor("practitioner_b").user_id)
    response = _post(client, world, {**GOOD, "practitioner_id": other})
    assert response.status_code == 422
    assert _stored(uow_factory, world) == []


def test_add_and_remove_a_point_row_without_javascript_store_nothing(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as_practitioner(client, world)
    added = _post(client, world, {**GOOD, "action": "add_point"})
    assert added.status_code == 200
    assert [code for code, _ in _rows(added.text)] == ["gb 20", "GV20", "LIV3", "", ""]
    assert re.search(r'name="stimulation.frequencies_hz"[^>]*value="2/100"', added.text)
    assert "Nothing was saved" not in added.text
    removed = _post(client, world, {**GOOD, "action": "remove:0"})
    assert [code for code, _ in _rows(removed.text)] == ["GV20", "LIV3", ""]
    assert _stored(uow_factory, world) == []


def test_the_point_labels_offer_codes_aliases_and_names() -> None:
    by_code = {o.code: o for o in session_form.point_options()}
    assert len(by_code) >= 361
    assert "Fengchi" in by_code["GB20"].label
    assert "SJ5" in by_code["TE5"].label
    assert "GV24+" in by_code["EX-HN3"].label
    assert by_code["GV20"].midline
    assert not by_code["GB20"].midline


def test_only_staff_of_the_clinic_chart_a_session(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    assert login(client, world.personas["p1"].email, PASSWORD).status_code == 303
    assert client.get(_page(world)).status_code == 403
    assert post_form(client, _page(world), GOOD, page="/login").status_code == 403
    client.cookies.clear()
    assert login(client, world.personas["admin_b"].email, PASSWORD).status_code == 303
    assert client.get(_page(world)).status_code == 404
    assert post_form(client, _page(world), GOOD, page="/login").status_code == 404
    assert _stored(uow_factory, world) == []
