"""The invitation repository: one-time password links, kept as token digests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from acurelief.services.ports import InvitationRecord
from acurelief.storage.tables import InvitationRow


def _record(row: InvitationRow) -> InvitationRecord:
    return InvitationRecord(
        id=row.id,
        user_id=row.user_id,
        token_hash=row.token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        created_by=row.created_by,
    )


class SqlInvitations:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, invitation: InvitationRecord) -> InvitationRecord:
        row = InvitationRow(
            user_id=invitation.user_id,
            token_hash=invitation.token_hash,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            used_at=invitation.used_at,
            created_by=invitation.created_by,
        )
        self._s.add(row)
        self._s.flush()
        return _record(row)

    def by_token_hash(self, token_hash: str) -> InvitationRecord | None:
        row = self._s.scalar(select(InvitationRow).where(InvitationRow.token_hash == token_hash))
        return _record(row) if row else None

    def mark_used(self, invitation_id: int, at: dt.datetime) -> bool:
        """Mark the invitation used; False if it already was (one statement, so that two
        concurrent redemptions of the same link cannot both succeed)."""
        result = self._s.execute(
            update(InvitationRow)
            .where(InvitationRow.id == invitation_id, InvitationRow.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    def expire_unused(self, user_id: int, at: dt.datetime) -> int:
        """Let every unused, still-open link of the user expire at ``at``; how many did."""
        result = self._s.execute(
            update(InvitationRow)
            .where(
                InvitationRow.user_id == user_id,
                InvitationRow.used_at.is_(None),
                InvitationRow.expires_at > at,
            )
            .values(expires_at=at)
        )
        return int(getattr(result, "rowcount", 0))
