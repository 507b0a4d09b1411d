"""Server-side sessions (logout, idle and absolute timeouts, password change, deactivation,
reset links) and personal tokens (expiry, list, revoke, no minting from a token)."""

from __future__ import annotations

import base64
import json
import re

import pytest
from fastapi.testclient import TestClient

from acurelief.domain.audit import AuditQuery
from acurelief.services import accounts, invitations
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import error_beside, login, post_form
from tests.api.login_clock import Clock, second_client
from tests.conftest import NOW, PASSWORD, World

NEW_PASSWORD = "a brand new passphrase"


def _logged_in(client: TestClient, world: World, who: str = "practitioner_a") -> TestClient:
    assert login(client, world.personas[who].email, PASSWORD).status_code == 303
    return client


def _me(client: TestClient) -> int:
    return client.get("/api/v1/me").status_code


def _with_cookie(client: TestClient, cookie: str) -> TestClient:
    """Another browser holding a copy of ``cookie``."""
    thief = second_client(client)
    thief.cookies.set("acurelief_session", cookie)
    return thief


def test_the_cookie_holds_no_user_id_and_a_copy_stops_working_at_logout(
    timed_client: TestClient, world: World
) -> None:
    _logged_in(timed_client, world)
    cookie = timed_client.cookies["acurelief_session"]
    # Sealed (tests/api/test_session_cookie.py): nothing in it can be read, not even the id.
    assert b"sid" not in base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
    thief = _with_cookie(timed_client, cookie)
    assert _me(thief) == 200

    post_form(timed_client, "/logout", page="/account")

    assert _me(thief) == 401
    assert _me(timed_client) == 401


def test_a_session_ends_after_30_idle_minutes_but_not_while_used(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    _logged_in(timed_client, world)
    for _ in range(4):
        clock.advance(minutes=29)
        assert _me(timed_client) == 200
    clock.advance(minutes=30)
    assert _me(timed_client) == 401
    clock.advance(minutes=-30)  # even back in time the ended session stays ended
    assert _me(timed_client) == 401


def test_a_session_ends_after_8_hours_however_busy(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    _logged_in(timed_client, world)
    for _ in range(16):
        clock.advance(minutes=29, seconds=59)
        assert _me(timed_client) == 200
    clock.advance(minutes=1)
    assert _me(timed_client) == 401


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    timed_client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    other = _logged_in(second_client(timed_client), world)
    _logged_in(timed_client, world)

    changed = post_form(
        timed_client,
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        page="/account",
    )

    assert changed.status_code == 303
    assert _me(timed_client) == 200
    assert _me(other) == 401
    assert (
        login(
            second_client(timed_client), world.personas["practitioner_a"].email, PASSWORD
        ).status_code
        == 401
    )
    with uow_factory() as uow:
        email = world.personas["practitioner_a"].email
        assert accounts.authenticate(uow, email, NEW_PASSWORD) == world.actor("practitioner_a")


def test_a_password_change_needs_the_current_password_and_a_good_new_one(
    timed_client: TestClient, world: World
) -> None:
    _logged_in(timed_client, world)

    def change(current: str, new: str, repeat: str | None = None) -> str:
        answer = post_form(
            timed_client,
            "/account/password",
            {"current": current, "password": new, "repeat": new if repeat is None else repeat},
            page="/account",
        )
        assert answer.status_code == 422
        return answer.text

    assert "is not your current password" in change("wrong current one", NEW_PASSWORD)
    assert "most commonly used" in change(PASSWORD, "password1234")
    assert "at least 12 characters" in change(PASSWORD, "short one")
    assert "not the same" in change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")


def test_deactivation_ends_sessions_and_tokens_and_refuses_logins(
    timed_client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _logged_in(timed_client, world)
    email = world.personas["practitioner_a"].email
    with uow_factory() as uow:
        token = accounts.issue_token(uow, world.actor("practitioner_a").user_id, "cli", NOW)
        uow.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 200

    with uow_factory() as uow:
        accounts.set_active(uow, email, False, NOW)

    assert _me(timed_client) == 401
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 401
    assert login(second_client(timed_client), email, PASSWORD).status_code == 401
    with uow_factory() as uow:
        accounts.set_active(uow, email, True, NOW)
    assert login(second_client(timed_client), email, PASSWORD).status_code == 303
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 401  # stays revoked


def test_a_reset_link_sets_the_password_once_and_ends_every_session(
    timed_client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    email = world.personas["practitioner_a"].email
    other = _logged_in(second_client(timed_client), world)
    with uow_factory() as uow:
        link = invitations.issue_reset_link(uow, email, NOW)
    page = f"/welcome/{link.token}"

    done = post_form(
        timed_client, page, {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD}, page=page
    )

    assert done.status_code == 303
    assert done.headers["location"] == "/patients"
    assert _me(timed_client) == 200  # the new session of the link
    assert _me(other) == 401
    assert timed_client.get(page).status_code == 410  # used up


def test_tokens_are_issued_from_a_session_listed_and_revoked(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    _logged_in(timed_client, world)
    csrf = {"X-CSRF-Token": _csrf(timed_client), "Origin": "http://testserver"}
    issued = timed_client.post("/api/v1/tokens", json={"label": "laptop", "days": 7}, headers=csrf)
    assert issued.status_code == 201
    body = issued.json()
    bearer = {"Authorization": f"Bearer {body['token']}"}

    minted = timed_client.post("/api/v1/tokens", json={"label": "copy"}, headers=bearer)
    clock.advance(minutes=5)
    listed = timed_client.get("/api/v1/tokens", headers=bearer).json()

    assert minted.status_code == 403  # a token may not mint tokens
    assert [t["label"] for t in listed] == ["laptop"]
    assert body["token"] not in json.dumps(listed)
    assert listed[0]["expires_at"].startswith("2026-06-22T12:00")
    assert listed[0]["last_used_at"] is not None
    assert timed_client.delete(f"/api/v1/tokens/{body['id']}", headers=csrf).status_code == 204
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 401
    assert timed_client.get("/api/v1/tokens").json()[0]["revoked_at"] is not None


def test_a_token_stops_at_its_expiry_and_is_not_revocable_by_others(
    timed_client: TestClient, world: World, clock: Clock, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with uow_factory() as uow:
        token = accounts.issue_token(uow, world.actor("practitioner_a").user_id, "x", clock.now)
        other = accounts.issue_token(uow, world.actor("admin_a").user_id, "y", clock.now)
        uow.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    others = timed_client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {other}"})
    theirs = others.json()[0]["id"]
    assert timed_client.delete(f"/api/v1/tokens/{theirs}", headers=bearer).status_code == 404
    clock.advance(days=90, seconds=-1)
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 200
    clock.advance(seconds=1)
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 401


def test_a_token_lifetime_beyond_a_year_is_refused(timed_client: TestClient, world: World) -> None:
    _logged_in(timed_client, world)
    csrf = {"X-CSRF-Token": _csrf(timed_client), "Origin": "http://testserver"}
    answer = timed_client.post("/api/v1/tokens", json={"days": 366}, headers=csrf)
    assert answer.status_code == 422
    assert "days" in answer.text


def _csrf(client: TestClient) -> str:
    from tests.api.forms import csrf_token

    return csrf_token(client, "/account")


def test_the_account_page_issues_a_token_shown_once_and_it_works(
    timed_client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _logged_in(timed_client, world)
    issued = post_form(
        timed_client,
        "/account/tokens",
        {"label": "  export script ", "days": "30"},
        page="/account",
    )
    assert issued.status_code == 303
    assert issued.headers["location"] == "/account/tokens/new#tokens"
    shown = timed_client.get("/account/tokens/new")
    token = re.search(r'<code class="token-value">([^<]+)</code>', shown.text)
    assert token is not None
    assert "works until 2026-07-15" in shown.text  # NOW + 30 days
    assert shown.headers["cache-control"] == "no-store"
    again = timed_client.get("/account/tokens/new")  # a reload: the token is gone
    assert again.status_code == 303
    assert token.group(1) not in timed_client.get("/account").text

    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    assert timed_client.get("/api/v1/me", headers=bearer).status_code == 200
    listed = timed_client.get("/api/v1/tokens").json()
    assert [(t["label"], t["expires_at"][:10]) for t in listed] == [("export script", "2026-07-15")]
    with uow_factory(read_only=True) as uow:
        found = uow.audit.search(AuditQuery(action="token_issued"), offset=0, limit=5)
    assert [e.entry.user_id for e in found] == [world.actor("practitioner_a").user_id]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"label": "x", "days": "0"}, "days", "from 1 to 365"),
        ({"label": "x", "days": "366"}, "days", "from 1 to 365"),
        ({"label": "x", "days": "ten"}, "days", "whole number"),
        ({"label": "x", "days": ""}, "days", "whole number"),
        ({"label": "x" * 101, "days": "30"}, "label", "100 characters"),
    ],
)
def test_the_token_form_names_a_bad_field_and_issues_nothing(
    timed_client: TestClient, world: World, fields: dict[str, str], field: str, message: str
) -> None:
    _logged_in(timed_client, world)
    answer = post_form(timed_client, "/account/tokens", fields, page="/account")
    assert answer.status_code == 422
    assert message in error_beside(answer.text, field)
    assert f'value="{fields["label"]}"' in answer.text  # what was typed is kept
    assert timed_client.get("/api/v1/tokens").json() == []


def test_a_patient_issues_a_token_from_the_account_page_too(
    timed_client: TestClient, world: World
) -> None:
    _logged_in(timed_client, world, "p1")
    issued = post_form(
        timed_client, "/account/tokens", {"label": "my app", "days": "7"}, page="/account"
    )
    assert issued.status_code == 303
    assert 'class="token-value"' in timed_client.get("/account/tokens/new").text
