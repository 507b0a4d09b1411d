"""The login repository: server-side sessions, API tokens, throttling and second factors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from acurelief.services.ports import LoginSessionRecord, ThrottleRecord, TokenRecord
from acurelief.storage.sealed import SecretBox
from acurelief.storage.tables import (
    ApiTokenRow,
    LoginSessionRow,
    LoginThrottleRow,
    RecoveryCodeRow,
    UserRow,
)


def _token(row: ApiTokenRow) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _session(row: LoginSessionRow) -> LoginSessionRecord:
    return LoginSessionRecord(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        ended_at=row.ended_at,
        second_factor_pending=row.second_factor_pending,
        user_agent=row.user_agent,
    )


class SqlLogins:
    def __init__(self, session: Session, key: bytes = b"") -> None:
        self._s = session
        self._box = SecretBox(key)  # TOTP keys are stored sealed (storage/sealed.py)

    # --- sessions -------------------------------------------------------------------------

    def add_session(self, record: LoginSessionRecord) -> None:
        self._s.add(
            LoginSessionRow(
                id=record.id,
                user_id=record.user_id,
                created_at=record.created_at,
                last_seen_at=record.last_seen_at,
                ended_at=record.ended_at,
                second_factor_pending=record.second_factor_pending,
                user_agent=record.user_agent,
            )
        )
        self._s.flush()

    def session(self, session_hash: str) -> LoginSessionRecord | None:
        row = self._s.get(LoginSessionRow, session_hash, populate_existing=True)
        return _session(row) if row else None

    def touch_session(self, session_hash: str, at: dt.datetime) -> None:
        self._s.execute(
            update(LoginSessionRow)
            .where(LoginSessionRow.id == session_hash)
            .values(last_seen_at=at)
        )

    def confirm_second_factor(self, session_hash: str) -> None:
        self._s.execute(
            update(LoginSessionRow)
            .where(LoginSessionRow.id == session_hash)
            .values(second_factor_pending=False)
        )

    def end_session(self, session_hash: str, at: dt.datetime) -> None:
        self._s.execute(
            update(LoginSessionRow)
            .where(LoginSessionRow.id == session_hash, LoginSessionRow.ended_at.is_(None))
            .values(ended_at=at)
        )

    def end_sessions(self, user_id: int, at: dt.datetime, keep: str | None = None) -> int:
        """End every open session of the user but ``keep``; how many were ended."""
        query = update(LoginSessionRow).where(
            LoginSessionRow.user_id == user_id, LoginSessionRow.ended_at.is_(None)
        )
        if keep is not None:
            query = query.where(LoginSessionRow.id != keep)
        return int(getattr(self._s.execute(query.values(ended_at=at)), "rowcount", 0))

    # --- tokens ---------------------------------------------------------------------------

    def add_token(
        self,
        user_id: int,
        token_hash: str,
        label: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> TokenRecord:
        row = ApiTokenRow(
            user_id=user_id,
            token_hash=token_hash,
            label=label,
            created_at=created_at,
            expires_at=expires_at,
        )
        self._s.add(row)
        self._s.flush()
        return _token(row)

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self._s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return _token(row) if row else None

    def touch_token(self, token_id: int, at: dt.datetime) -> None:
        self._s.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at)
        )

    def tokens_of(self, user_id: int) -> Sequence[TokenRecord]:
        rows = self._s.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        )
        return [_token(r) for r in rows]

    def revoke_token(self, user_id: int, token_id: int, at: dt.datetime) -> bool:
        """Revoke the user's token; False if it is not theirs or was already revoked."""
        result = self._s.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.id == token_id,
                ApiTokenRow.user_id == user_id,
                ApiTokenRow.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    def revoke_tokens(self, user_id: int, at: dt.datetime) -> int:
        result = self._s.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(getattr(result, "rowcount", 0))

    # --- the user's login state -----------------------------------------------------------

    def set_active(self, user_id: int, active: bool) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def password_changed(self, user_id: int, at: dt.datetime) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(password_changed_at=at))

    def totp(self, user_id: int) -> tuple[str | None, bool]:
        row = self._s.execute(
            select(UserRow.totp_secret, UserRow.totp_enabled).where(UserRow.id == user_id)
        ).first()
        return (self._box.open(row[0]), bool(row[1])) if row else (None, False)

    def set_totp(self, user_id: int, secret: str | None, enabled: bool) -> None:
        self._s.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(totp_secret=self._box.seal(secret), totp_enabled=enabled, totp_last_step=None)
        )

    def use_totp_step(self, user_id: int, step: int) -> bool:
        """Record ``step`` as used if it is later than the last one used: one conditional
        UPDATE, so two requests (or two workers) replaying the same code cannot both win."""
        done = self._s.execute(
            update(UserRow)
            .where(
                UserRow.id == user_id,
                or_(UserRow.totp_last_step.is_(None), UserRow.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return bool(getattr(done, "rowcount", 0))

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None:
        self._s.query(RecoveryCodeRow).filter(RecoveryCodeRow.user_id == user_id).delete()
        self._s.add_all(RecoveryCodeRow(user_id=user_id, code_hash=h) for h in code_hashes)
        self._s.flush()

    def use_recovery_code(self, user_id: int, code_hash: str, at: dt.datetime) -> bool:
        """Use the code up; False if it is not the user's or was used (one statement, so two
        concurrent logins cannot both use it)."""
        result = self._s.execute(
            update(RecoveryCodeRow)
            .where(
                RecoveryCodeRow.user_id == user_id,
                RecoveryCodeRow.code_hash == code_hash,
                RecoveryCodeRow.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    def unused_recovery_codes(self, user_id: int) -> int:
        return (
            self._s.scalar(
                select(func.count())
                .select_from(RecoveryCodeRow)
                .where(RecoveryCodeRow.user_id == user_id, RecoveryCodeRow.used_at.is_(None))
            )
            or 0
        )

    # --- throttling -----------------------------------------------------------------------

    def throttle(self, key: str) -> ThrottleRecord | None:
        row = self._s.get(LoginThrottleRow, key, populate_existing=True)
        if row is None:
            return None
        return ThrottleRecord(row.failures, row.last_failure_at, row.blocked_until)

    def count_failure(self, key: str, at: dt.datetime) -> int:
        """Add one failure under ``key`` in one statement (safe across workers); the new count."""
        dialect = self._s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(LoginThrottleRow).values(key=key, failures=1, last_failure_at=at)
        self._s.execute(
            stmt.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "failures": LoginThrottleRow.failures + 1,
                    "last_failure_at": stmt.excluded.last_failure_at,
                },
            )
        )
        return int(
            self._s.scalar(select(LoginThrottleRow.failures).where(LoginThrottleRow.key == key))
            or 0
        )

    def block(self, key: str, until: dt.datetime) -> None:
        self._s.execute(
            update(LoginThrottleRow).where(LoginThrottleRow.key == key).values(blocked_until=until)
        )

    def clear_throttle(self, key: str) -> None:
        self._s.query(LoginThrottleRow).filter(LoginThrottleRow.key == key).delete()
