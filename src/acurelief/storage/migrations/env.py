"""Alembic environment: runs migrations on the engine handed over in the config."""

from alembic import context
from sqlalchemy import Engine

from acurelief.storage.tables import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through acurelief.storage.migrate (acurelief init)")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
