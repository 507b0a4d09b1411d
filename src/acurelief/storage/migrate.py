"""Creates or upgrades the database schema with Alembic; the only way tables come to exist."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None, audit_key: bytes = b"") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    config.attributes["audit_key"] = audit_key  # chains existing audit rows (0005)
    return config


def upgrade(engine: Engine, revision: str = "head", *, audit_key: bytes = b"") -> None:
    """Bring the schema up to ``revision`` (default: the newest).

    ``audit_key`` keys the hash chain of audit rows that a migration backfills; pass the
    application's (``Settings.audit_chain_key()``) so that ``acurelief audit verify`` agrees.
    """
    command.upgrade(alembic_config(engine, audit_key), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
