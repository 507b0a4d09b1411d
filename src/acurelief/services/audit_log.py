"""Browsing and exporting the audit log: admins only, their own clinic only, itself audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from acurelief.domain.access import Action, Actor
from acurelief.domain.audit import AuditQuery, StoredAuditEntry
from acurelief.services.access import audit, require
from acurelief.services.ports import UnitOfWork, UnitOfWorkFactory

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of matching entries, newest first, with what is needed to page on."""

    entries: list[StoredAuditEntry]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _scoped(actor: Actor, query: AuditQuery) -> AuditQuery:
    """The query limited to the admin's clinic, whatever clinic it asked for."""
    return replace(query, clinic_id=actor.clinic_id)


def describe(query: AuditQuery) -> str:
    """The filter as a short note for the audit entry (ids and dates only, no health data)."""
    parts = [
        f"{name}={value}"
        for name, value in (
            ("patient", query.patient_id),
            ("user", query.user_id),
            ("since", query.since.date() if query.since else None),
            ("until", query.until.date() if query.until else None),
            ("action", query.action),
            ("outcome", query.outcome),
        )
        if value is not None
    ]
    return " ".join(parts) or "all"


def browse(
    uow: UnitOfWork, actor: Actor, query: AuditQuery, page: int, now: dt.datetime
) -> AuditPage:
    """Page ``page`` (from 1) of the clinic's entries matching ``query``; audited, committed."""
    require(actor, Action.MANAGE_USERS, uow=uow, now=now)
    scoped = _scoped(actor, query)
    total = uow.audit.count(scoped)
    page = max(1, page)
    entries = list(uow.audit.search(scoped, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE))
    audit(uow, actor, now, "audit_browse", query.patient_id, describe(query))
    uow.commit()
    return AuditPage(entries, total, page, PAGE_SIZE)


def export(
    uow_factory: UnitOfWorkFactory, actor: Actor, query: AuditQuery, now: dt.datetime
) -> Iterator[StoredAuditEntry]:
    """Every matching entry of the clinic, oldest first, streamed.

    The export is authorised and audited (committed) before the first row is read, so an
    export that is cut off is still on record; the rows are then read in a read-only unit of
    work that never holds SQLite's write lock.
    """
    with uow_factory() as uow:
        require(actor, Action.MANAGE_USERS, uow=uow, now=now)
        audit(uow, actor, now, "audit_export", query.patient_id, describe(query))
        uow.commit()
    scoped = _scoped(actor, query)

    def rows() -> Iterator[StoredAuditEntry]:
        with uow_factory(read_only=True) as uow:
            yield from uow.audit.stream(scoped)

    return rows()
