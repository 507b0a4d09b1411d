"""What every command needs: settings, the database, the clock, and who is acting.

Nothing here imports the database or the science stack at import time: ``acurelief --help``
stays fast, and each command pays only for what it uses.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.console import Console

from acurelief.errors import InvalidInput

if TYPE_CHECKING:  # the database stack is imported by the commands that use it
    from acurelief.config import Settings
    from acurelief.domain.access import Actor
    from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

console = Console()
errors = Console(stderr=True, soft_wrap=True)


@lru_cache(maxsize=1)
def settings() -> Settings:
    from acurelief.config import Settings

    return Settings()


@lru_cache(maxsize=1)
def uow_factory() -> SqlUnitOfWorkFactory:
    from acurelief.storage.database import make_engine
    from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

    return SqlUnitOfWorkFactory(
        make_engine(settings().sqlalchemy_url()), audit_key=settings().audit_chain_key()
    )


def migrated_uow_factory() -> SqlUnitOfWorkFactory:
    """The unit-of-work factory, after checking that ``acurelief init`` has been run."""
    from acurelief.storage.migrate import current_revision, head_revision

    factory = uow_factory()
    if current_revision(factory.engine) != head_revision():
        raise InvalidInput.single(
            "database", "is not initialised or is outdated: run 'acurelief init'"
        )
    return factory


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def os_user() -> str:
    """The operating-system login running the command (recorded in the audit)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def login_password() -> str | None:
    """The login's password from ACURELIEF_PASSWORD, or asked for on a terminal."""
    import os

    given = os.environ.get("ACURELIEF_PASSWORD")
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return None
    import typer

    return str(typer.prompt("Password", hide_input=True))


def acting_as(email: str | None) -> Actor:
    """The login the command acts for (see ``services.cli_login``): ``--as EMAIL`` with its
    password, or, for an operator, any login, or the admin when there is only one."""
    from acurelief.services.cli_login import cli_actor

    factory = migrated_uow_factory()
    with factory() as work:
        actor = cli_actor(
            work,
            email,
            os_user=os_user(),
            operators=settings().operators(),
            password=login_password,
            now=now(),
        )
        work.commit()
    return actor


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
