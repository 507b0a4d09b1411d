"""A practitioner manages their own login in the browser, at a desk and on a phone: changes
the password (a common one is refused beside the field), issues an API token (shown once)
and revokes another, turns on two-factor login and logs in with a code; and sets a new
password from a reset link.

The live server's clock stands still at ``tests.conftest.NOW``, so the authenticator app is
played by pyotp computing the code for that same instant.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page

from acurelief.services import accounts, invitations
from tests.browser.conftest import LiveApp, check_page, log_in
from tests.conftest import NOW

EMAIL = "lin@demo.example"
PASSWORD = "acurelief-demo"
NEW_PASSWORD = "tea kettle on the windowsill"
COMMON = "password1234"
WIDTHS = ["desktop", "phone"]


def _user_id(app: LiveApp) -> int:
    with app.uow_factory() as uow:
        found = uow.users.credentials(EMAIL)
    assert found is not None
    assert found.user.id is not None
    return found.user.id


def _wrong_code(secret: str) -> str:
    """A 6-digit code that matches none of the steps the server accepts around NOW."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(NOW, counter_offset=offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def _log_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")


def _open_account(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.wait_for_url("**/account")
    page.get_by_role("heading", name="Your account").wait_for()


def _new_password_fields(page: Page, password: str) -> None:
    page.get_by_label(re.compile(r"^New password")).fill(password)
    page.get_by_label(re.compile(r"^The (new|same) password again$")).fill(password)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_practitioner_changes_the_password_and_revokes_a_token(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    with live_app.uow_factory() as uow:
        token = accounts.issue_token(uow, _user_id(live_app), "laptop script", NOW)
        uow.commit()
    log_in(page, live_app, EMAIL, PASSWORD)
    _open_account(page)
    check_page(page, "account")

    page.get_by_label("Current password").fill(PASSWORD)
    _new_password_fields(page, COMMON)
    page.get_by_role("button", name="Change password").click()
    assert page.locator("#password-error").inner_text() == (
        "The new password is one of the most commonly used passwords; please choose another."
    )
    assert page.get_by_label(re.compile(r"^New password")).get_attribute("aria-invalid") == "true"
    check_page(page, "account-password-refused")
    page.get_by_label("Current password").fill(PASSWORD)
    _new_password_fields(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_role("status").filter(has_text="Your password is changed").wait_for()

    page.get_by_label(re.compile(r"^Label")).fill("export script")
    page.get_by_label(re.compile(r"^Valid for")).fill("400")
    page.get_by_role("button", name="Issue token").click()
    assert "from 1 to 365" in page.locator("#days-error").inner_text()
    page.get_by_label(re.compile(r"^Valid for")).fill("30")
    page.get_by_role("button", name="Issue token").click()
    page.wait_for_url(
        "**/account/tokens/new#tokens"
    )  # post, redirect, get: a reload shows it no more
    issued = page.locator("#tokens code.token-value").inner_text()
    assert issued.startswith("acr_")
    assert "works until 2026-07-15" in page.locator("#tokens .new-token").inner_text()
    page.locator("#tokens .new-token").scroll_into_view_if_needed()
    check_page(page, "account-token-issued")
    with live_app.uow_factory() as uow:
        assert accounts.actor_for_token(uow, issued, NOW) is not None

    row = page.locator("#tokens tbody tr").filter(has_text="laptop script")
    row.get_by_role("button", name="Revoke").click()
    page.get_by_role("status").filter(has_text="The token is revoked").wait_for()
    assert row.get_by_role("button", name="Revoke").count() == 0
    assert "revoked" in row.inner_text()
    with live_app.uow_factory() as uow:
        assert accounts.actor_for_token(uow, token, NOW) is None

    _log_out(page)
    log_in(page, live_app, EMAIL, PASSWORD)
    assert page.url.endswith("/login")
    assert page.get_by_role("alert").is_visible()
    log_in(page, live_app, EMAIL, NEW_PASSWORD)
    assert page.url.endswith("/patients")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_practitioner_turns_on_two_factor_login_and_logs_in_with_a_code(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    log_in(page, live_app, EMAIL, PASSWORD)
    _open_account(page)
    page.get_by_role("button", name="Set up two-factor login").click()
    page.wait_for_url("**/account#two-factor")
    secret = page.locator("#two-factor code.secret").inner_text()
    uri = page.locator("#two-factor code.uri").inner_text()
    assert uri.startswith("otpauth://totp/")
    assert f"secret={secret}" in uri
    check_page(page, "account-two-factor-setup")

    page.get_by_label("Code from the app").fill(_wrong_code(secret))
    page.get_by_role("button", name="Turn on two-factor login").click()
    assert page.locator("#code-error").inner_text().startswith("The code does not match;")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).at(NOW))
    page.get_by_role("button", name="Turn on two-factor login").click()
    page.wait_for_url("**/account/two-factor/codes")  # post, redirect, get: a reload is safe
    codes = page.locator("#two-factor ul.recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{8}", c) for c in codes.all_inner_texts())
    check_page(page, "account-recovery-codes")

    _log_out(page)
    log_in(page, live_app, EMAIL, PASSWORD)
    page.wait_for_url(re.compile(r"/login/code\?"))
    page.get_by_role("heading", name="Your login code").wait_for()
    check_page(page, "login-code")
    page.get_by_label("Code").fill(_wrong_code(secret))
    page.get_by_role("button", name="Log in").click()
    assert "The code is not right" in page.locator("#code-error").inner_text()
    assert page.get_by_label("Code").get_attribute("aria-invalid") == "true"
    check_page(page, "login-code-wrong")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(NOW))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/patients")
    _open_account(page)
    assert (
        "Two-factor login is on. 10 recovery codes left."
        in page.locator("#two-factor").inner_text()
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reset_link_asks_for_a_new_password_and_the_old_one_stops_working(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    with live_app.uow_factory() as uow:
        link = invitations.issue_reset_link(uow, EMAIL, NOW)

    page.goto(f"{live_app.url}/welcome/{link.token}")
    page.get_by_role("heading", name=f"Set a new password for {EMAIL}").wait_for()
    assert "diary" not in page.locator("main").inner_text()
    check_page(page, "reset")
    _new_password_fields(page, COMMON)
    page.get_by_role("button", name="Set my new password").click()
    assert "most commonly used passwords" in page.locator("#password-error").inner_text()
    page.get_by_role("heading", name=f"Set a new password for {EMAIL}").wait_for()
    check_page(page, "reset-refused")
    _new_password_fields(page, NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    page.wait_for_url("**/patients")

    _log_out(page)
    log_in(page, live_app, EMAIL, PASSWORD)
    assert page.url.endswith("/login")
    log_in(page, live_app, EMAIL, NEW_PASSWORD)
    assert page.url.endswith("/patients")
