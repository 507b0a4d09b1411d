"""The dashboard's and My progress's charts as images (GET /patients/{id}/charts/{name}.svg):
linked by the page with the size they will take, drawn on request, authorised and audited
like the page, and the same drawing whether or not the page's description was kept."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web.deps import AppState
from tests.api.dashboard_data import course
from tests.api.forms import login
from tests.conftest import PASSWORD, World

STAFF_CHARTS = ("headache-chart", "medication-chart", "pain-chart", "mood-chart")
IMG = re.compile(
    r'<img src="(?P<src>/patients/(?P<pid>\d+)/charts/(?P<name>[a-z-]+)\.svg'
    r'\?v=(?P<v>[0-9a-f]{16}))"'
    r' width="(?P<w>\d+)" height="(?P<h>\d+)" alt="(?P<alt>[^"]+)"'
    r' aria-describedby="(?P<described>[a-z-]+)"'
)


def _links(page: str) -> dict[str, re.Match[str]]:
    return {m.group("name"): m for m in IMG.finditer(page)}


def _ratio(svg: str) -> float:
    """Width over height of an SVG document, from its viewBox."""
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert box is not None
    return float(box.group(1)) / float(box.group(2))


def _shelf(app: FastAPI) -> AppState:
    state = app.state.acurelief
    assert isinstance(state, AppState)
    return state


def _audits(factory: SqlUnitOfWorkFactory, pid: int) -> int:
    with factory() as uow:
        return len(uow.audit.for_patient(pid))


def test_the_dashboard_links_each_chart_and_each_link_draws_it(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    page = client.get(f"/patients/{pid}").text
    links = _links(page)
    assert set(STAFF_CHARTS) <= set(links)
    assert "scores-chart" not in links  # no questionnaire: nothing to draw, no image
    for name in STAFF_CHARTS:
        link = links[name]
        assert link.group("pid") == str(pid)
        assert link.group("described") == f"{name}-caption"
        assert f'<figcaption id="{name}-caption">' in page
        assert int(link.group("w")) == 442  # 4.6 inches at 96 CSS pixels per inch
        response = client.get(link.group("src"))
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.headers["cache-control"] == "private, no-store"
        svg = response.text
        assert svg.startswith("<svg ")
        assert 'xmlns="http://www.w3.org/2000/svg"' in svg
        assert _ratio(svg) == pytest.approx(int(link.group("w")) / int(link.group("h")), 0.01)
        assert "<text" in svg
    assert "baseline 14.0" in client.get(links["headache-chart"].group("src")).text


def test_each_image_is_an_audited_read_of_the_patient(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    links = _links(client.get(f"/patients/{pid}").text)
    before = _audits(uow_factory, pid)
    client.get(links["pain-chart"].group("src"))
    assert _audits(uow_factory, pid) == before + 1


def test_a_page_no_longer_kept_is_drawn_from_the_data_as_they_are(
    app: FastAPI, client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    """Another worker, a restart or an old tab: the image is the same drawing all the same."""
    pid = course(uow_factory, world)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    links = _links(client.get(f"/patients/{pid}").text)
    kept = {name: client.get(link.group("src")).text for name, link in links.items()}
    _shelf(app).chart_shelf.clear()
    for name, link in links.items():
        assert client.get(link.group("src")).text == kept[name], name
        assert client.get(f"/patients/{pid}/charts/{name}.svg?v=0").text == kept[name], name


def test_unknown_charts_and_charts_with_nothing_to_draw_are_not_found(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    for name in ("scores-chart", "nonsense", "progress-nothing"):
        assert client.get(f"/patients/{pid}/charts/{name}.svg").status_code == 404, name


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        ("p1", "progress-headache", 200),  # the patient's own chart, in plain words
        ("p1", "headache-chart", 404),  # the practitioner's wording stays with staff
        ("p2", "progress-headache", 404),  # another patient of the clinic
        ("practitioner_b", "headache-chart", 404),  # staff of another clinic
        ("admin_a", "headache-chart", 200),
    ],
)
def test_who_may_see_which_image(
    client: TestClient,
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    who: str,
    name: str,
    expected: int,
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    src = _links(client.get(f"/patients/{pid}").text)["headache-chart"].group("src")
    client.cookies.clear()
    login(client, world.personas[who].email, PASSWORD)
    url = src.replace("headache-chart", name)
    assert client.get(url).status_code == expected


def test_my_progress_links_the_patients_own_charts(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["p1"].email, PASSWORD)
    links = _links(client.get("/progress").text)
    assert {"progress-headache", "progress-mood"} <= set(links)
    for link in links.values():
        assert link.group("pid") == str(pid)
        svg = client.get(link.group("src")).text
        assert svg.startswith("<svg ")
    assert "before treatment" in client.get(links["progress-headache"].group("src")).text
