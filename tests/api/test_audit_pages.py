"""The admin's audit page and its exports: clinic-scoped filters, paging, streamed exports."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from acurelief.domain.access import Action
from acurelief.services import access
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import login
from tests.conftest import NOW, PASSWORD, World


def _reads(factory: SqlUnitOfWorkFactory, world: World, who: str, patient: str, n: int) -> None:
    with factory() as uow:
        for _ in range(n):
            access.reach_patient(uow, world.actor(who), world.patients[patient], Action.READ, NOW)
        uow.commit()


def test_an_admin_filters_by_patient_within_their_clinic(
    client: TestClient,
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    tokens: dict[str, dict[str, str]],
) -> None:
    _reads(uow_factory, world, "practitioner_a", "p2", 3)
    _reads(uow_factory, world, "practitioner_b", "p3", 2)
    p2 = world.patients["p2"]
    page = client.get(f"/admin/audit?patient_id={p2}", headers=tokens["admin_a"])
    assert page.status_code == 200
    assert "3 entries" in page.text
    assert 'aria-current="page">Audit</a>' in page.text
    other = client.get(f"/admin/audit?patient_id={world.patients['p3']}", headers=tokens["admin_a"])
    assert "0 entries" in other.text  # clinic B's entries are not clinic A's admin's business
    theirs = client.get(
        f"/admin/audit?patient_id={world.patients['p3']}", headers=tokens["admin_b"]
    )
    assert "2 entries" in theirs.text


def test_a_bad_filter_is_named_and_the_page_still_shows(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    page = client.get(
        "/admin/audit?patient_id=abc&since=2026-06-10&until=2026-06-01&outcome=maybe",
        headers=tokens["admin_a"],
    )
    assert page.status_code == 422
    assert "must be a whole number" in page.text
    assert "must not be before" in page.text
    assert "must be ok, refused or failed" in page.text


def test_pages_are_fifty_entries_newest_first(
    client: TestClient,
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    tokens: dict[str, dict[str, str]],
) -> None:
    _reads(uow_factory, world, "practitioner_a", "p1", 60)
    p1 = world.patients["p1"]
    first = client.get(f"/admin/audit?patient_id={p1}&action=read", headers=tokens["admin_a"])
    second = client.get(
        f"/admin/audit?patient_id={p1}&action=read&page=2", headers=tokens["admin_a"]
    )
    assert "60 entries, page 1 of 2" in first.text
    assert first.text.count('<td data-label="Action">read</td>') == 50
    assert second.text.count('<td data-label="Action">read</td>') == 10
    assert f"patient_id={p1}&amp;action=read&amp;page=2" in first.text


def test_the_csv_export_holds_the_filtered_set_and_is_itself_audited(
    client: TestClient,
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    tokens: dict[str, dict[str, str]],
) -> None:
    _reads(uow_factory, world, "practitioner_a", "p2", 4)
    _reads(uow_factory, world, "practitioner_b", "p3", 1)
    user, p2 = world.actor("practitioner_a").user_id, world.patients["p2"]
    wanted = f"user_id={user}&patient_id={p2}"
    response = client.get(f"/admin/audit/export.csv?{wanted}", headers=tokens["admin_a"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4
    assert {r["patient_id"] for r in rows} == {str(world.patients["p2"])}
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)
    as_json = client.get(f"/admin/audit/export.json?{wanted}", headers=tokens["admin_a"])
    assert [r["id"] for r in as_json.json()] == [int(r["id"]) for r in rows]
    exports = client.get("/admin/audit/export.json?action=audit_export", headers=tokens["admin_a"])
    assert [(r["action"], r["detail"]) for r in exports.json()] == [
        ("audit_export", f"patient={p2} user={user}"),
        ("audit_export", f"patient={p2} user={user}"),
        ("audit_export", "action=audit_export"),
    ]


def test_a_practitioner_is_refused_and_the_refusal_is_on_record(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    assert client.get("/admin/audit", headers=tokens["practitioner_a"]).status_code == 403
    refused = client.get("/admin/audit/export.json?outcome=refused", headers=tokens["admin_a"])
    assert [(r["action"], r["user_id"], r["channel"]) for r in refused.json()] == [
        ("manage_users", world.actor("practitioner_a").user_id, "api")
    ]


def test_logins_good_and_failed_are_on_record_for_the_clinic(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    practitioner = world.personas["practitioner_a"]
    assert login(client, practitioner.email, "not the password").status_code != 303
    assert login(client, practitioner.email, PASSWORD).status_code == 303
    logins = client.get(
        f"/admin/audit/export.json?user_id={practitioner.actor.user_id}", headers=tokens["admin_a"]
    ).json()
    assert [
        (r["action"], r["outcome"], r["channel"]) for r in logins if "login" in r["action"]
    ] == [
        ("login_failed", "failed", "web"),
        ("login", "ok", "web"),
    ]
    other_clinic = client.get("/admin/audit/export.json?action=login", headers=tokens["admin_b"])
    assert other_clinic.json() == []
