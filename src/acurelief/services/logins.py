"""Logging in: throttling with back-off, server-side sessions, and the second factor.

Throttling counts failed logins under two keys, each a SHA-256 digest so that the table names
nobody: the account ("account:" + the normalised e-mail, whether or not such a login exists)
and the client's address. After ``account_failures`` failures on an account (or
``address_failures`` from one address) the key is blocked for ``backoff``, doubling with each
further failure up to ``max_backoff``. While blocked, a login is refused *before* the password
is checked, so the answer and its timing are the same for existing and unknown accounts, and
a right password does not get through. Failures older than ``forget_after`` are forgotten.

A session is a random id in the cookie; the database keeps only its digest, with when it
began and was last seen. It ends at logout, after ``idle_timeout`` without a request, after
``absolute_timeout`` in all, and when the password changes or the login is deactivated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from acurelief.domain.access import Actor, Channel
from acurelief.domain.audit import Outcome
from acurelief.errors import AcureliefError, NotAuthenticated
from acurelief.services import accounts, two_factor
from acurelief.services.access import audit
from acurelief.services.ports import LoginSessionRecord, UnitOfWork

TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
REFUSED = "wrong e-mail or password"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many failures are allowed, how long the back-off is, and when sessions end."""

    account_failures: int = 5
    address_failures: int = 20
    backoff: dt.timedelta = dt.timedelta(seconds=30)
    max_backoff: dt.timedelta = dt.timedelta(minutes=15)
    forget_after: dt.timedelta = dt.timedelta(hours=24)
    idle_timeout: dt.timedelta = dt.timedelta(minutes=30)
    absolute_timeout: dt.timedelta = dt.timedelta(hours=8)


class Throttled(AcureliefError):
    """Too many failed logins: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"too many failed logins; wait {minutes} minute{'s' if minutes > 1 else ''} "
            "and try again"
        )


@dataclass(frozen=True, slots=True)
class Login:
    """A session just begun: its id goes into the cookie and is never stored or logged."""

    session_id: str = field(repr=False)
    actor: Actor
    second_factor_needed: bool


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def account_key(email: str) -> str:
    return _digest("account:" + email.strip().lower())


def address_key(address: str | None) -> str:
    return _digest("address:" + (address or "unknown"))


def session_digest(session_id: str) -> str:
    return _digest(session_id)


def _retry_after(uow: UnitOfWork, keys: tuple[str, ...], now: dt.datetime) -> int:
    """Seconds until every key is free again; 0 when none is blocked."""
    waits = [0]
    for key in keys:
        record = uow.logins.throttle(key)
        if record is not None and record.blocked_until is not None and record.blocked_until > now:
            waits.append(int(-(-(record.blocked_until - now).total_seconds() // 1)))
    return max(waits)


def _count_failure(
    uow: UnitOfWork, policy: LoginPolicy, key: str, limit: int, now: dt.datetime
) -> None:
    record = uow.logins.throttle(key)
    if record is not None and now - record.last_failure_at > policy.forget_after:
        uow.logins.clear_throttle(key)
    failures = uow.logins.count_failure(key, now)
    if failures >= limit:
        delay = min(policy.backoff * 2 ** min(failures - limit, 20), policy.max_backoff)
        uow.logins.block(key, now + delay)


def _fail(
    uow: UnitOfWork,
    policy: LoginPolicy,
    email: str,
    address: str | None,
    now: dt.datetime,
    user_id: int | None,
    reason: str,
) -> None:
    _count_failure(uow, policy, account_key(email), policy.account_failures, now)
    _count_failure(uow, policy, address_key(address), policy.address_failures, now)
    detail = f"{reason}; account {account_key(email)[:12]}"
    user = uow.users.get(user_id) if user_id is not None else None
    audit(
        uow,
        None,
        now,
        "login_failed",
        None,
        detail,
        outcome=Outcome.FAILED,
        channel=Channel.WEB,
        user_id=user_id,
        clinic_id=user.clinic_id if user is not None else None,
    )
    uow.commit()


def check_throttle(uow: UnitOfWork, email: str, address: str | None, now: dt.datetime) -> None:
    """Refuse (Throttled) while the account or the address is blocked."""
    wait = _retry_after(uow, (account_key(email), address_key(address)), now)
    if wait > 0:
        raise Throttled(wait)


def log_in(
    uow: UnitOfWork,
    policy: LoginPolicy,
    email: str,
    password: str,
    now: dt.datetime,
    *,
    address: str | None = None,
    user_agent: str | None = None,
) -> Login:
    """Check the password (throttled) and begin a session; committed, failures too.

    Raises Throttled while blocked and NotAuthenticated (one vague message) otherwise. A
    login with two-factor enabled begins a session that still owes the code
    (``second_factor_needed``); it opens nothing until ``confirm_second_factor``.
    """
    check_throttle(uow, email, address, now)
    try:
        actor = accounts.authenticate(uow, email, password)
    except NotAuthenticated:
        found = uow.users.credentials(email.strip())
        user_id = found.user.id if found is not None else None
        uow.rollback()
        _fail(uow, policy, email, address, now, user_id, "password")
        raise
    uow.logins.clear_throttle(account_key(email))
    _, totp_on = uow.logins.totp(actor.user_id)
    session_id = secrets.token_urlsafe(32)
    uow.logins.add_session(
        LoginSessionRecord(
            id=session_digest(session_id),
            user_id=actor.user_id,
            created_at=now,
            last_seen_at=now,
            second_factor_pending=totp_on,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    audit(uow, actor, now, "login_password_ok" if totp_on else "login", None, channel=Channel.WEB)
    uow.commit()
    return Login(session_id, actor, totp_on)


@dataclass(frozen=True, slots=True)
class SessionUpkeep:
    """A write a session check found due: note the visit, or end a session past a timeout."""

    session_hash: str = field(repr=False)
    end: bool


def _check(
    uow: UnitOfWork, policy: LoginPolicy, session_id: str, now: dt.datetime
) -> tuple[LoginSessionRecord | None, SessionUpkeep | None]:
    """The session if it is still open, and the upkeep it needs; reads only."""
    if not session_id or len(session_id) > 200:
        return None, None
    record = uow.logins.session(session_digest(session_id))
    if record is None or record.ended_at is not None:
        return None, None
    if (
        now - record.created_at >= policy.absolute_timeout
        or now - record.last_seen_at >= policy.idle_timeout
    ):
        return None, SessionUpkeep(record.id, end=True)
    if now - record.last_seen_at >= TOUCH_EVERY:
        return record, SessionUpkeep(record.id, end=False)
    return record, None


def session_actor(
    uow: UnitOfWork, policy: LoginPolicy, session_id: str, now: dt.datetime
) -> tuple[Actor | None, SessionUpkeep | None]:
    """The actor of an open, fully logged-in session, and the upkeep due; reads only, so it
    can run in a read-only unit of work (then pass the upkeep to ``keep_up``)."""
    record, upkeep = _check(uow, policy, session_id, now)
    if record is None or record.second_factor_pending:
        return None, upkeep if upkeep is not None and upkeep.end else None
    actor = accounts.actor_for_user(uow, record.user_id)
    return actor, upkeep if actor is not None else None


def keep_up(uow: UnitOfWork, upkeep: SessionUpkeep, now: dt.datetime) -> None:
    """Note the visit or end the timed-out session. Committed."""
    if upkeep.end:
        uow.logins.end_session(upkeep.session_hash, now)
    else:
        uow.logins.touch_session(upkeep.session_hash, now)
    uow.commit()


def pending_actor(
    uow: UnitOfWork, policy: LoginPolicy, session_id: str, now: dt.datetime
) -> Actor | None:
    """The actor of a session that got the password right and still owes the second factor."""
    record, _ = _check(uow, policy, session_id, now)
    if record is None or not record.second_factor_pending:
        return None
    return accounts.actor_for_user(uow, record.user_id)


def confirm_second_factor(
    uow: UnitOfWork,
    policy: LoginPolicy,
    session_id: str,
    code: str,
    now: dt.datetime,
    *,
    address: str | None = None,
) -> Actor:
    """Complete a login with a TOTP code or a recovery code; throttled like the password.

    Raises NotAuthenticated when the session no longer waits for a code (log in again),
    InvalidInput on "code" for a wrong code, Throttled while blocked. Committed.
    """
    actor = pending_actor(uow, policy, session_id, now)
    user = uow.users.get(actor.user_id) if actor is not None else None
    if actor is None or user is None:
        raise NotAuthenticated("the login has expired; log in again")
    check_throttle(uow, user.email, address, now)
    if not two_factor.verify_login_code(uow, actor.user_id, code, now):
        uow.rollback()
        _fail(uow, policy, user.email, address, now, actor.user_id, "second factor")
        raise two_factor.wrong_code()
    uow.logins.clear_throttle(account_key(user.email))
    uow.logins.confirm_second_factor(session_digest(session_id))
    audit(uow, actor, now, "login", None, "with second factor", channel=Channel.WEB)
    uow.commit()
    return actor


def log_out(uow: UnitOfWork, session_id: str, now: dt.datetime) -> None:
    """End the session, so that a copy of its cookie opens nothing any more. Committed."""
    if not session_id or len(session_id) > 200:
        return
    record = uow.logins.session(session_digest(session_id))
    if record is None or record.ended_at is not None:
        return
    uow.logins.end_session(record.id, now)
    user = uow.users.get(record.user_id)
    clinic_id = user.clinic_id if user is not None else None
    audit(
        uow,
        None,
        now,
        "logout",
        None,
        channel=Channel.WEB,
        user_id=record.user_id,
        clinic_id=clinic_id,
    )
    uow.commit()


def start_session(
    uow: UnitOfWork, user_id: int, now: dt.datetime, user_agent: str | None = None
) -> Login:
    """A new session for a user who proved who they are without the password form (a
    one-time link just redeemed); it still owes the second factor when that is on.
    Committed."""
    session_id = secrets.token_urlsafe(32)
    _, totp_on = uow.logins.totp(user_id)
    uow.logins.add_session(
        LoginSessionRecord(
            id=session_digest(session_id),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            second_factor_pending=totp_on,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    uow.commit()
    return Login(session_id, accounts.actor_of_id(uow, user_id), totp_on)
