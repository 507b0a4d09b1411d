"""audit chain: channel, token, OS user, impersonation, outcome, clinic; hash-chained rows

Existing rows get channel "unknown", outcome "ok", the clinic of their user (or patient), and
are chained in id order with the audit key handed over by ``storage.migrate.upgrade``
(``config.attributes["audit_key"]``; an empty key when none is given).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 17:00:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from acurelief.domain.audit import GENESIS_HASH, AuditEntry, Outcome, chain_hash

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("patient_id", sa.Integer()),
    sa.column("detail", sa.String()),
    sa.column("clinic_id", sa.Integer()),
    sa.column("channel", sa.String()),
    sa.column("outcome", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("row_hash", sa.String()),
)


def _utc(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):  # SQLite through a plain DateTime column
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clinic_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("os_user", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    _backfill()
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        for name, length in (("channel", 10), ("outcome", 10), ("prev_hash", 64), ("row_hash", 64)):
            batch_op.alter_column(name, existing_type=sa.String(length=length), nullable=False)
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_log_on_behalf_of"), ["on_behalf_of"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])


def _backfill() -> None:
    """Fill the new columns of existing rows and chain them in id order."""
    bind = op.get_bind()
    key = context.config.attributes.get("audit_key", b"")
    assert isinstance(key, bytes)
    bind.execute(
        sa.text(
            "UPDATE audit_log SET channel = 'unknown', outcome = 'ok', clinic_id = COALESCE("
            "(SELECT users.clinic_id FROM users WHERE users.id = audit_log.user_id),"
            "(SELECT patients.clinic_id FROM patients WHERE patients.id = audit_log.patient_id))"
        )
    )
    seq, prev, after = 0, GENESIS_HASH, 0
    while True:
        rows = bind.execute(
            sa.select(_audit).where(_audit.c.id > after).order_by(_audit.c.id).limit(_BATCH)
        ).all()
        updates = []
        for row in rows:
            seq += 1
            entry = AuditEntry(
                at=_utc(row.at),
                user_id=row.user_id,
                action=row.action,
                patient_id=row.patient_id,
                detail=row.detail or "",
                channel=row.channel,
                outcome=Outcome(row.outcome),
                clinic_id=row.clinic_id,
            )
            row_hash = chain_hash(key, prev, seq, entry)
            updates.append({"rid": row.id, "s": seq, "p": prev, "h": row_hash})
            prev = row_hash
        if updates:
            bind.execute(
                _audit.update()
                .where(_audit.c.id == sa.bindparam("rid"))
                .values(
                    seq=sa.bindparam("s"), prev_hash=sa.bindparam("p"), row_hash=sa.bindparam("h")
                ),
                updates,
            )
        if len(rows) < _BATCH:
            break
        after = rows[-1].id
    bind.execute(
        sa.text("INSERT INTO audit_head (id, seq, row_hash) VALUES (1, :seq, :hash)"),
        {"seq": seq, "hash": prev},
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_audit_log_on_behalf_of"))
        batch_op.drop_index(batch_op.f("ix_audit_log_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        for name in (
            "row_hash",
            "prev_hash",
            "seq",
            "outcome",
            "on_behalf_of",
            "os_user",
            "token_id",
            "channel",
            "clinic_id",
        ):
            batch_op.drop_column(name)
    op.drop_table("audit_head")
