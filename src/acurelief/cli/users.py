"""``acurelief user``: add logins, (de)activate them, set passwords, issue reset links."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.domain import Clinic, Role
from acurelief.errors import InvalidInput

app = typer.Typer(help="Manage logins.", no_args_is_help=True)


@app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="Login e-mail.")],
    role: Annotated[Role, typer.Option(help="admin, practitioner or patient.")],
    clinic: Annotated[str, typer.Option(help="Clinic name; created if it does not exist.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    patient_id: Annotated[int | None, typer.Option(help="A patient login's record.")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="ACURELIEF_NEW_PASSWORD", help="Password (asked for when not given)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Add a login to a clinic."""
    from acurelief.services import accounts
    from acurelief.services.access import audit_administration

    if password is None:
        if not sys.stdin.isatty():
            raise InvalidInput.single("--password", "give a password or set ACURELIEF_NEW_PASSWORD")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    factory = context.migrated_uow_factory()
    with factory() as work:
        found = work.clinics.by_name(clinic) or work.clinics.add(Clinic(name=clinic))
        assert found.id is not None
        user = accounts.create_user(
            work,
            clinic_id=found.id,
            email=email,
            display_name=name or email.split("@")[0],
            role=role,
            password=password,
            patient_id=patient_id,
        )
        audit_administration(work, context.now(), "user_added", user, context.os_user())
        work.commit()
    if json_out:
        context.print_json(
            {
                "id": user.id,
                "email": user.email,
                "role": user.role.value,
                "clinic_id": user.clinic_id,
            }
        )
    else:
        console.print(f"Added {user.role.value} {user.email} (user {user.id}) to {clinic}.")


def _read_new_password(prompt: str = "New password") -> str:
    """Asked twice with hidden input on a terminal; else the first line of standard input (or
    ACURELIEF_NEW_PASSWORD), so that scripts and tests can set one."""
    import os

    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))
    from_env = os.environ.get("ACURELIEF_NEW_PASSWORD")
    if from_env:
        return from_env
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput.single(
            "password", "type it on standard input (one line) or set ACURELIEF_NEW_PASSWORD"
        )
    return line


def _set_active(email: str, active: bool) -> None:
    from acurelief.services import accounts

    factory = context.migrated_uow_factory()
    with factory() as work:
        user = accounts.set_active(work, email, active, context.now(), os_user=context.os_user())
    state = "reactivated" if active else "deactivated: its sessions ended and its tokens revoked"
    console.print(f"Login {user.email} (user {user.id}) {state}.")


@app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="Login e-mail.")]) -> None:
    """Stop a login: it can no longer log in; its sessions end and its tokens are revoked."""
    _set_active(email, active=False)


@app.command("reactivate")
def reactivate(email: Annotated[str, typer.Argument(help="Login e-mail.")]) -> None:
    """Let a deactivated login log in again (its old tokens stay revoked)."""
    _set_active(email, active=True)


@app.command("password")
def password(email: Annotated[str, typer.Argument(help="Login e-mail.")]) -> None:
    """Set a login's password (asked twice, hidden). Every session and token of it ends."""
    from acurelief.services import accounts

    new = _read_new_password()
    factory = context.migrated_uow_factory()
    with factory() as work:
        user = accounts.set_password_by_admin(
            work, email, new, context.now(), os_user=context.os_user()
        )
    console.print(f"Password of {user.email} set; its sessions and tokens have ended.")


@app.command("reset-link")
def reset_link(
    email: Annotated[str, typer.Argument(help="Login e-mail.")],
    base_url: Annotated[
        str, typer.Option(help="The address users open the app at, e.g. https://clinic.example.")
    ] = "",
    hours: Annotated[int, typer.Option(min=1, max=24 * 30, help="How long the link works.")] = 24,
) -> None:
    """Print a one-time link with which the login sets a new password (hand it over in person
    or by a trusted channel). Redeeming it ends every session of the login."""
    import datetime as dt

    from acurelief.services import invitations

    settings = context.settings()
    base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    factory = context.migrated_uow_factory()
    with factory() as work:
        link = invitations.issue_reset_link(
            work, email, context.now(), dt.timedelta(hours=hours), os_user=context.os_user()
        )
    typer.echo(f"{base}/welcome/{link.token}")
    typer.echo(
        f"Works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC, for {link.email}.", err=True
    )
