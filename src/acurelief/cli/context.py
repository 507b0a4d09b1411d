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

from acurelief.errors import InvalidInput, NotFound

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

    return SqlUnitOfWorkFactory(make_engine(settings().sqlalchemy_url()))


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


def acting_as(email: str | None) -> Actor:
    """The user the command acts for: ``--as EMAIL``, or the admin when there is only one."""
    from acurelief.domain import Role
    from acurelief.services.accounts import actor_of

    factory = migrated_uow_factory()
    with factory() as work:
        if email:
            found = work.users.credentials(email)
            if found is None:
                raise NotFound("user", email)
            return actor_of(found.user)
        clinics = work.clinics.list_all()
        if len(clinics) == 1 and clinics[0].id is not None:
            admins = [u for u in work.users.list_for_clinic(clinics[0].id) if u.role is Role.ADMIN]
            if len(admins) == 1:
                return actor_of(admins[0])
    raise InvalidInput.single("--as", "say which user to act as: --as EMAIL")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
