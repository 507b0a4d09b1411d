"""``acurelief user``: add logins."""

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
