"""Logging in: throttling with back-off, the same answer for unknown accounts, the second
factor, and the audit trail of it all."""

from __future__ import annotations

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from acurelief.storage.tables import AuditRow
from tests.api.forms import login, post_form
from tests.api.login_clock import Clock
from tests.conftest import PASSWORD, World


def _email(world: World, who: str = "practitioner_a") -> str:
    return world.personas[who].email


def test_thirty_wrong_passwords_block_the_right_one_until_the_back_off_passes(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    email = _email(world)
    answers = [login(timed_client, email, f"wrong password {i}").status_code for i in range(30)]
    refused = login(timed_client, email, PASSWORD)

    assert answers[:5] == [401] * 5  # five tries, then the back-off
    assert set(answers[5:]) == {429}
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 30  # blocked attempts do not lengthen it
    assert "Too many failed logins" in refused.text
    clock.advance(seconds=29)
    assert login(timed_client, email, PASSWORD).status_code == 429
    clock.advance(seconds=1)
    assert login(timed_client, email, PASSWORD).status_code == 303


def test_the_back_off_doubles_with_each_further_failure(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    email = _email(world)
    waits = []
    for _ in range(4):
        while (answer := login(timed_client, email, "not the password!")).status_code == 401:
            pass
        waits.append(int(answer.headers["Retry-After"]))
        clock.advance(seconds=waits[-1])
    assert waits == [30, 60, 120, 240]


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(
    timed_client: TestClient, world: World
) -> None:
    real = [login(timed_client, _email(world), "wrong password!").text for _ in range(6)]
    unknown = [login(timed_client, "nobody@a.example", "wrong password!").text for _ in range(6)]

    def shown(page: str) -> str:
        return page.split('role="alert">', 1)[1].split("<", 1)[0]

    assert [shown(p) for p in real] == [shown(p) for p in unknown]
    assert shown(real[0]) == "wrong e-mail or password"
    assert shown(real[5]).startswith("Too many failed logins")


def test_one_address_is_throttled_across_accounts(timed_client: TestClient, world: World) -> None:
    answers = [
        login(timed_client, f"guess{i}@a.example", "wrong password!").status_code for i in range(21)
    ]
    assert answers[:20] == [401] * 20
    assert answers[20] == 429
    assert login(timed_client, _email(world), PASSWORD).status_code == 429


def test_failed_logins_are_audited_without_the_email_or_password(
    timed_client: TestClient, world: World, engine: Engine
) -> None:
    login(timed_client, _email(world), "wrong password!")
    login(timed_client, "nobody@a.example", "secret guess 1")
    login(timed_client, _email(world), PASSWORD)

    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditRow.user_id, AuditRow.action, AuditRow.detail).order_by(AuditRow.id)
        ).all()
    actions = [(r.user_id, r.action) for r in rows if r.action.startswith("login")]
    pid = world.actor("practitioner_a").user_id
    assert actions == [(pid, "login_failed"), (None, "login_failed"), (pid, "login")]
    text = " ".join(r.detail for r in rows)
    assert "nobody" not in text
    assert "secret guess" not in text
    assert "a.example" not in text


def _enrol(client: TestClient, world: World, clock: Clock) -> tuple[str, list[str]]:
    assert login(client, _email(world), PASSWORD).status_code == 303
    assert post_form(client, "/account/two-factor", page="/account").status_code == 303
    page = client.get("/account").text
    secret = page.split('<code class="secret">', 1)[1].split("<", 1)[0]
    code = pyotp.TOTP(secret).at(clock.now)
    posted = post_form(client, "/account/two-factor/confirm", {"code": code}, page="/account")
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == "/account/two-factor/codes"
    done = client.get(posted.headers["location"])
    assert done.status_code == 200
    codes = [c.split("</code>")[0] for c in done.text.split("<li><code>")[1:]]
    again = client.get(posted.headers["location"])  # a reload shows them no more
    assert again.status_code == 303
    assert "<li><code>" not in client.get(again.headers["location"]).text
    return secret, codes


def test_a_practitioner_enrols_totp_then_logging_in_asks_for_the_code(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    secret, codes = _enrol(timed_client, world, clock)
    assert len(codes) == 10
    post_form(timed_client, "/logout", page="/account")

    first = login(timed_client, _email(world), PASSWORD)
    assert first.headers["location"].startswith("/login/code")
    assert timed_client.get("/api/v1/me").status_code == 401  # the password alone opens nothing
    wrong = post_form(timed_client, "/login/code", {"code": "000000"}, page="/login/code")
    assert wrong.status_code == 401
    code = pyotp.TOTP(secret).at(clock.now)
    right = post_form(timed_client, "/login/code", {"code": code}, page="/login/code")
    assert right.status_code == 303
    assert right.headers["location"] == "/patients"
    assert timed_client.get("/api/v1/me").json()["user_id"] == world.actor("practitioner_a").user_id


def test_a_recovery_code_works_once(timed_client: TestClient, world: World, clock: Clock) -> None:
    _, codes = _enrol(timed_client, world, clock)
    post_form(timed_client, "/logout", page="/account")

    def with_code(code: str) -> int:
        login(timed_client, _email(world), PASSWORD)
        answer = post_form(timed_client, "/login/code", {"code": code}, page="/login/code")
        post_form(timed_client, "/logout", page="/login")
        return answer.status_code

    assert with_code(codes[3]) == 303
    assert with_code(codes[3]) == 401
    assert with_code(codes[4].upper()) == 303


def test_a_code_opens_one_login_not_two(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    """A code seen over someone's shoulder (or replayed from a log) within its 30-second
    window opens nothing once it has been used; the next step's code works."""
    secret, _ = _enrol(timed_client, world, clock)
    post_form(timed_client, "/logout", page="/account")

    def with_code(code: str) -> int:
        login(timed_client, _email(world), PASSWORD)
        answer = post_form(timed_client, "/login/code", {"code": code}, page="/login/code")
        post_form(timed_client, "/logout", page="/login")
        return answer.status_code

    code = pyotp.TOTP(secret).at(clock.now)
    assert with_code(code) == 303
    clock.advance(seconds=10)
    assert with_code(code) == 401
    clock.advance(seconds=30)
    assert with_code(pyotp.TOTP(secret).at(clock.now)) == 303


def test_wrong_codes_are_throttled_too(
    timed_client: TestClient, world: World, clock: Clock
) -> None:
    secret, _ = _enrol(timed_client, world, clock)
    post_form(timed_client, "/logout", page="/account")
    login(timed_client, _email(world), PASSWORD)
    answers = [
        post_form(timed_client, "/login/code", {"code": "123456"}, page="/login/code").status_code
        for _ in range(6)
    ]
    right = pyotp.TOTP(secret).at(clock.now)
    blocked = post_form(timed_client, "/login/code", {"code": right}, page="/login/code")
    assert answers == [401] * 5 + [429]
    assert blocked.status_code == 429


def test_a_patient_cannot_enrol_totp(timed_client: TestClient, world: World) -> None:
    assert login(timed_client, _email(world, "p1"), PASSWORD).status_code == 303
    assert "Two-factor" not in timed_client.get("/account").text
    assert post_form(timed_client, "/account/two-factor", page="/account").status_code == 403
