"""``acurelief backup FILE`` and ``acurelief restore FILE``: the whole database, one file.

Both need an admin (``--as EMAIL``, or the only admin of a single-clinic database) and are
audited ("backup", "restore"). The file format is described in ``acurelief.storage.backup``;
it restores into SQLite or PostgreSQL alike, whichever wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from acurelief.cli import context
from acurelief.cli.context import console

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

    from sqlalchemy import Connection

    from acurelief.domain.access import Actor
    from acurelief.services.ports import UnitOfWork
    from acurelief.storage.backup import Progress

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="E-mail of the admin acting (with ACURELIEF_PASSWORD)."),
]


def _require_admin(actor: Actor) -> None:
    from acurelief.domain import Role
    from acurelief.errors import Forbidden

    if actor.role is not Role.ADMIN:
        raise Forbidden(f"a {actor.role} may not back up or restore the database: use --as ADMIN")


def _progress_bar(label: str, total: int) -> AbstractContextManager[Progress]:
    """A rich progress bar over all rows, fed by the storage layer's per-table callback."""
    from contextlib import contextmanager

    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as RichProgress

    @contextmanager
    def bar() -> Iterator[Progress]:
        done_per_table: dict[str, int] = {}
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        quiet = not console.is_terminal  # no bar (nor its blank line) in a pipe or a log
        with RichProgress(*columns, console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task(label, total=total)

            def advance(table: str, done: int, _in_table: int) -> None:
                done_per_table[table] = done
                completed = sum(done_per_table.values())
                progress.update(task, completed=completed, description=f"{label} {table}")

            yield advance

    return bar()


def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (gzip'd JSON lines).")],
    acting: AsOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write every row of the database to FILE (mode 0600), safely while the app serves."""
    from acurelief.services.access import audit
    from acurelief.storage.backup import check_target, count_rows, write_backup

    check_target(file, overwrite=force)
    actor = context.acting_as(acting)
    _require_admin(actor)
    factory = context.migrated_uow_factory()
    with factory() as work:  # audited first, so the backup holds its own entry
        audit(work, actor, context.now(), "backup", None)
        work.commit()
    with factory.engine.connect() as conn:
        total = sum(count_rows(conn).values())
    with _progress_bar("Backing up", total) as progress:
        summary = write_backup(factory.engine, file, overwrite=force, progress=progress)
    console.print(
        f"Backed up {summary.total_rows} rows of {len(summary.rows)} tables "
        f"(schema revision {summary.revision}) to {file}."
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by 'acurelief backup'.")],
    acting: AsOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace everything the database holds now.")
    ] = False,
) -> None:
    """Load FILE into the database, all of it or nothing; an empty database unless --force.

    The database must be initialised ('acurelief init') at the backup's schema revision.
    The admin acting (--as, with the password or as an operator) must be an admin in the
    backup, and with --force also in the database now.
    """
    from acurelief.storage.backup import is_empty, read_summary, restore_backup

    summary = read_summary(file)
    factory = context.migrated_uow_factory()
    with factory.engine.connect() as conn:
        empty = is_empty(conn)
    if not empty and force:  # replacing data needs an admin of the data being replaced
        _require_admin(context.acting_as(acting))

    def authorise_and_audit(conn: Connection) -> None:
        from sqlalchemy.orm import sessionmaker

        from acurelief.services.access import audit
        from acurelief.storage.unit_of_work import SqlUnitOfWork

        sessions = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        with SqlUnitOfWork(sessions, factory.audit_key) as work:
            actor = _admin_in(work, acting)
            detail = f"{summary.total_rows} rows, schema revision {summary.revision}"
            audit(work, actor, context.now(), "restore", None, detail)
            work.commit()

    with _progress_bar("Restoring", summary.total_rows) as progress:
        restored = restore_backup(
            factory.engine, file, replace=force, progress=progress, after=authorise_and_audit
        )
    console.print(
        f"Restored {sum(restored.rows.values())} rows of {len(restored.rows)} tables "
        f"(schema revision {restored.revision}) from {file}."
    )


def _admin_in(work: UnitOfWork, email: str | None) -> Actor:
    """The admin acting, proven against the restored logins (password, or an operator)."""
    from acurelief.services.cli_login import cli_actor

    actor = cli_actor(
        work,
        email,
        os_user=context.os_user(),
        operators=context.settings().operators(),
        password=context.login_password,
        now=context.now(),
    )
    _require_admin(actor)
    return actor
