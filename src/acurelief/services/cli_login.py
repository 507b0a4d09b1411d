"""Who a CLI command acts for: a login proven by its password, or an operator acting as one.

The command line has no session. A user proves who they are with the login's password
(prompted, or ``ACURELIEF_PASSWORD``). Operating-system users named in
``ACURELIEF_CLI_OPERATORS`` may act as any login without its password (impersonation: the
audit records no acting login, the login in ``on_behalf_of`` and the OS user). Every CLI
actor carries channel "cli" and the OS user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from acurelief.domain import Role
from acurelief.domain.access import Actor, Channel
from acurelief.domain.audit import Outcome
from acurelief.errors import InvalidInput, NotAuthenticated, NotFound
from acurelief.services import accounts
from acurelief.services.access import audit
from acurelief.services.ports import UnitOfWork

NO_CREDENTIALS = (
    "give the login's password (asked for, or ACURELIEF_PASSWORD), or run as an operator "
    "named in ACURELIEF_CLI_OPERATORS"
)


def cli_actor(
    uow: UnitOfWork,
    email: str | None,
    *,
    os_user: str,
    operators: frozenset[str],
    password: Callable[[], str | None],
    now: dt.datetime,
) -> Actor:
    """The actor for ``--as EMAIL`` (or, for an operator, the only admin when none is given).

    ``password`` is asked only when needed. A wrong password is audited as a failed login.
    """
    operator = os_user in operators
    if not email:
        if not operator:
            raise InvalidInput.single("--as", "say which login to act as: --as EMAIL")
        clinics = uow.clinics.list_all()
        if len(clinics) == 1 and clinics[0].id is not None:
            admins = [u for u in uow.users.list_for_clinic(clinics[0].id) if u.role is Role.ADMIN]
            if len(admins) == 1:
                return _mark(accounts.actor_of(admins[0]), os_user, impersonated=True)
        raise InvalidInput.single("--as", "say which login to act as: --as EMAIL")
    if operator:
        found = uow.users.credentials(email.strip())
        if found is None:
            raise NotFound("user", email)
        if not found.user.active:
            raise InvalidInput.single("--as", f"the login {email!r} is deactivated")
        return _mark(accounts.actor_of(found.user), os_user, impersonated=True)
    given = password()
    if given is None:
        raise InvalidInput.single("--as", NO_CREDENTIALS)
    try:
        actor = accounts.authenticate(uow, email, given)
    except NotAuthenticated:
        found = uow.users.credentials(email.strip())
        audit(
            uow,
            None,
            now,
            "login",
            None,
            "command line",
            outcome=Outcome.FAILED,
            channel=Channel.CLI,
            user_id=found.user.id if found else None,
            clinic_id=found.user.clinic_id if found else None,
        )
        raise
    return _mark(actor, os_user, impersonated=False)


def _mark(actor: Actor, os_user: str, *, impersonated: bool) -> Actor:
    return replace(actor, channel=Channel.CLI, os_user=os_user[:64], impersonated=impersonated)
