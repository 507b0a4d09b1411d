"""Every route against every persona: who is refused what, and how (401, 403 or 404).

The routes are enumerated from the app itself: a new route that is not in ``CASES`` or
``PUBLIC`` fails ``test_every_route_is_in_the_matrix``, so nothing can slip past.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from acurelief.web import pages
from tests.api.conftest import SEEDED_DATE
from tests.conftest import World

STAFF_A = {"admin_a", "practitioner_a"}
PATIENTS = {"p1", "p2", "p3"}
PERSONAS = ("admin_a", "practitioner_a", "p1", "p2", "admin_b", "practitioner_b", "p3", "anonymous")
DAY_BODY = {"headache": True, "peak_pain": 4}
SESSION_BODY = {
    "started_at": "2026-06-14T09:00:00+02:00",
    "stimulation": {"kind": "manual"},
    "points": [{"code": "GB20", "side": "bilateral"}],
}
PROTOCOL_BODY = {
    "name": "Ours",
    "points": [{"code": "GB20", "side": "bilateral"}],
    "stimulation": {"kind": "manual"},
}
PATIENT_BODY = {"name": "New Patient", "date_of_birth": "1985-03-02", "sex": "female"}


@dataclass(frozen=True)
class Case:
    """How one route answers each persona. ``expect(persona)`` gives the status code."""

    body: dict[str, Any] | None
    expect: Callable[[str], int]
    form: dict[str, Any] | None = None  # a page form, sent as form data instead of ``body``


def patient_data(ok: int) -> Callable[[str], int]:
    """Patient P1's data: clinic A's staff and P1 reach it; for everyone else it is absent."""
    return lambda who: ok if who in STAFF_A | {"p1"} else 404


def session_write(who: str) -> int:
    return 201 if who in STAFF_A else 403 if who == "p1" else 404


def intake_write(who: str) -> int:
    return 200 if who in STAFF_A else 403 if who == "p1" else 404


def staff_only(ok: int) -> Callable[[str], int]:
    return lambda who: 403 if who in PATIENTS else ok


def admins_only(ok: int) -> Callable[[str], int]:
    """The audit log: each clinic's admin sees their own clinic's; everyone else is refused."""
    return lambda who: ok if who in {"admin_a", "admin_b"} else 403


def anyone(ok: int) -> Callable[[str], int]:
    return lambda _who: ok


def page_list(who: str) -> int:
    return 303 if who in PATIENTS else 200  # a patient is sent to their own page


def own_diary(who: str) -> int:
    return 200 if who in PATIENTS else 303  # a patient's own diary pages; staff go to /patients


def dashboard(who: str) -> int:
    """P1's dashboard: clinic A's staff see it, P1 is sent to My progress, others see nothing."""
    return 200 if who in STAFF_A else 303 if who == "p1" else 404


def manage_patient(ok: int) -> Callable[[str], int]:
    """P1's record for staff pages that manage it: refused to P1, absent for everyone else."""
    return lambda who: ok if who in STAFF_A else 403 if who == "p1" else 404


def staff_view(who: str) -> int:
    """A staff page about P1: patients are sent to their own page, other clinics see nothing."""
    return 200 if who in STAFF_A else 303 if who in PATIENTS else 404


NEW_PATIENT_FORM = {"name": "New Patient", "date_of_birth": "1985-03-02", "sex": "female"}
PHQ9_FORM = {"date": "2026-06-14", **{f"answers.{i}": "0" for i in range(1, 10)}}
INTAKE_FORM = {"frequency.headache_days_per_month": "4", "red_flags.sudden_onset": "no"}
SESSION_FORM = {
    "started_at": "2026-06-14T09:00",
    "stimulation.kind": "manual",
    "points.0.code": "GB20",
    "points.0.side": "bilateral",
}

P = "/patients/{patient_id}"
CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/me"): Case(None, anyone(200)),
    # a token may not mint tokens: only a browser session may (tests/api/test_sessions_tokens.py)
    ("POST", "/api/v1/tokens"): Case({"label": "t"}, anyone(403)),
    ("GET", "/api/v1/tokens"): Case(None, anyone(200)),
    ("DELETE", "/api/v1/tokens/{token_id}"): Case(None, anyone(404)),  # nobody's but its owner's
    ("GET", "/account"): Case(None, anyone(200)),
    ("POST", "/account/password"): Case(
        None, anyone(422), form={"current": "wrong one", "password": "x", "repeat": "x"}
    ),
    ("POST", "/account/two-factor"): Case(None, staff_only(303), form={}),
    ("POST", "/account/two-factor/confirm"): Case(None, staff_only(422), form={"code": "1"}),
    ("GET", "/account/two-factor/codes"): Case(None, anyone(303)),  # none waiting: to /account
    ("POST", "/account/tokens/{token_id}/revoke"): Case(None, anyone(404), form={}),
    # the matrix calls with bearer tokens, and a token may not mint tokens from the page either
    ("POST", "/account/tokens"): Case(None, anyone(403), form={"label": "t", "days": "7"}),
    ("GET", "/account/tokens/new"): Case(None, anyone(303)),  # none waiting: to /account
    ("GET", "/api/v1/patients"): Case(None, anyone(200)),
    ("POST", "/api/v1/patients"): Case(PATIENT_BODY, staff_only(201)),
    ("GET", f"/api/v1{P}"): Case(None, patient_data(200)),
    ("GET", f"/api/v1{P}/diary"): Case(None, patient_data(200)),
    ("GET", f"/api/v1{P}/diary/{{date}}"): Case(None, patient_data(200)),
    ("PUT", f"/api/v1{P}/diary/{{date}}"): Case(DAY_BODY, patient_data(200)),
    ("POST", f"/api/v1{P}/diary/batch"): Case(
        {"days": [{"date": "2026-06-02", "headache": False}]}, patient_data(200)
    ),
    ("GET", f"/api/v1{P}/sessions"): Case(None, patient_data(200)),
    ("POST", f"/api/v1{P}/sessions"): Case(SESSION_BODY, session_write),
    ("GET", "/patients"): Case(None, page_list),
    ("GET", "/today"): Case(None, own_diary),
    ("GET", "/diary"): Case(None, own_diary),
    ("GET", "/diary/{date}"): Case(None, own_diary),
    ("POST", "/diary/{date}"): Case(None, anyone(303), form={"headache": "no"}),
    ("GET", P): Case(None, dashboard),
    ("GET", "/progress"): Case(None, own_diary),
    # P1 has one diary day: nothing to draw, so no one finds the chart; who may see a chart is
    # tested on a patient with data in test_chart_images.py.
    ("GET", f"{P}/charts/{{name}}.svg"): Case(None, anyone(404)),
    ("GET", "/patients/new"): Case(None, staff_only(200)),
    ("POST", "/patients/new"): Case(None, staff_only(303), form=NEW_PATIENT_FORM),
    ("GET", f"{P}/invite"): Case(None, manage_patient(200)),
    ("POST", f"{P}/invite"): Case(None, manage_patient(303), form={"email": ""}),
    ("GET", f"{P}/invite/link"): Case(None, manage_patient(303)),
    ("GET", "/questionnaires"): Case(None, own_diary),
    ("GET", "/questionnaires/{instrument}"): Case(None, own_diary),
    ("POST", "/questionnaires/{instrument}"): Case(None, anyone(303), form=PHQ9_FORM),
    ("GET", f"{P}/questionnaires"): Case(None, staff_view),
    ("GET", f"{P}/intake"): Case(None, manage_patient(200)),
    ("POST", f"{P}/intake"): Case(None, manage_patient(303), form=INTAKE_FORM),
    ("GET", f"{P}/sessions/new"): Case(None, manage_patient(200)),
    ("POST", f"{P}/sessions/new"): Case(None, manage_patient(303), form=SESSION_FORM),
    ("PUT", f"/api/v1{P}/intake"): Case(
        {"frequency": {"headache_days_per_month": 4}}, intake_write
    ),
    ("GET", f"/api/v1{P}/intake"): Case(None, patient_data(200)),
    ("GET", f"/api/v1{P}/diagnosis"): Case(None, patient_data(200)),
    ("GET", f"/api/v1{P}/outcomes"): Case(None, patient_data(200)),
    ("GET", "/api/v1/practice"): Case(None, staff_only(200)),
    ("GET", "/admin/audit"): Case(None, admins_only(200)),
    ("GET", "/admin/audit/export.csv"): Case(None, admins_only(200)),
    ("GET", "/admin/audit/export.json"): Case(None, admins_only(200)),
    ("GET", "/api/v1/clinic/protocols"): Case(None, anyone(200)),
    ("PUT", "/api/v1/clinic/protocols/{key}"): Case(PROTOCOL_BODY, staff_only(200)),
}
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/login/code"),  # the second factor: only a session that got the password right
    ("POST", "/login/code"),
    ("GET", "/api/v1/points"),
    ("GET", "/api/v1/points/{code}"),
    ("GET", "/api/v1/protocols"),
    ("GET", "/api/v1/intake-schema"),
    ("GET", "/welcome/{token}"),  # the one-time link: its token is the only key
    ("POST", "/welcome/{token}"),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every API route (from the OpenAPI schema, which lists all of them) and every page."""
    found = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route in _page_routes(pages.router):
        found |= {(m, route.path) for m in route.methods or ()}
    return found


def _page_routes(router: APIRouter) -> list[APIRoute]:
    """The page routes, also those of routers included (lazily, in this FastAPI) into it."""
    found: list[APIRoute] = []
    for route in router.routes:
        if isinstance(route, APIRoute):
            found.append(route)
        else:
            included = getattr(route, "original_router", None)
            assert isinstance(included, APIRouter), f"unexpected route {route!r}"
            found += _page_routes(included)
    return found


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    assert app_routes(app) == set(CASES) | PUBLIC


def _url(path: str, world: World) -> str:
    return path.format(
        patient_id=world.patients["p1"],
        date=SEEDED_DATE.isoformat(),
        key="our-protocol",
        instrument="PHQ-9",
        name="headache-chart",
        token_id=999999,
    )


@pytest.mark.parametrize(("method", "path"), sorted(CASES))
def test_each_persona_gets_exactly_its_reach(
    client: TestClient,
    world: World,
    tokens: dict[str, dict[str, str]],
    method: str,
    path: str,
) -> None:
    case = CASES[(method, path)]
    answers = {}
    for who in PERSONAS:
        response = client.request(
            method, _url(path, world), json=case.body, data=case.form, headers=tokens[who]
        )
        answers[who] = response.status_code
    is_page = not path.startswith("/api/")
    expected = {who: case.expect(who) for who in PERSONAS}
    # an anonymous page POST has no CSRF token, so it is refused (403) before the login check
    expected["anonymous"] = (303 if method == "GET" else 403) if is_page else 401
    assert answers == expected


def test_a_patient_of_another_clinic_looks_exactly_like_one_that_does_not_exist(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    foreign = client.get(f"/api/v1/patients/{world.patients['p3']}", headers=tokens["admin_a"])
    missing = client.get("/api/v1/patients/999999", headers=tokens["admin_a"])
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json().keys() == missing.json().keys()


def test_lists_are_filtered_to_the_callers_reach(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    def ids(who: str) -> set[int]:
        return {p["id"] for p in client.get("/api/v1/patients", headers=tokens[who]).json()}

    assert ids("practitioner_a") == {world.patients["p1"], world.patients["p2"]}
    assert ids("practitioner_b") == {world.patients["p3"]}
    assert ids("p2") == {world.patients["p2"]}


def test_a_bad_token_is_refused_even_with_a_valid_cookie(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer acr_not-a-token"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
