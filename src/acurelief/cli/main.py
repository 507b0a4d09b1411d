"""The ``acurelief`` command: set up the database, seed a demo, serve the app, look around."""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer

from acurelief import __version__
from acurelief.cli import (
    analyze,
    audit,
    backup,
    context,
    diagnose,
    knowledge,
    patients,
    simulate,
    trial,
    users,
)
from acurelief.cli.context import console, errors
from acurelief.errors import AcureliefError, Conflict, InvalidInput

app = typer.Typer(
    name="acurelief",
    help="Does acupuncture relieve, prevent and lift mood? Headache diaries linked to sessions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(users.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(patients.app, name="patient")
app.add_typer(simulate.app, name="simulate")
app.add_typer(analyze.app, name="analyze")
app.add_typer(trial.app, name="trial")
app.add_typer(knowledge.points_app, name="points")
app.add_typer(knowledge.protocols_app, name="protocols")
app.command("diagnose")(diagnose.diagnose)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


def _version(value: bool) -> None:
    if value:
        console.print(f"acurelief {__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """acurelief command line."""


@app.command()
def init() -> None:
    """Create the database, or bring its schema up to date (safe to run again)."""
    from acurelief.storage.migrate import current_revision, upgrade

    factory = context.uow_factory()
    before = current_revision(factory.engine)
    upgrade(factory.engine, audit_key=factory.audit_key)
    after = current_revision(factory.engine)
    where = (
        "SQLite in " + str(context.settings().data_dir)
        if context.settings().is_sqlite()
        else "PostgreSQL"
    )
    state = "already up to date" if before == after else f"migrated {before or 'empty'} → {after}"
    console.print(f"Database ({where}): {state}.")


@app.command()
def demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Skip if a clinic exists.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the demo practice.")] = 2026,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Seed a demo practice: staff, 14 patients, baselines, treatment courses and diaries."""
    from acurelief.config import Environment
    from acurelief.services.demo import seed_demo

    if context.settings().environment is Environment.PRODUCTION:
        raise InvalidInput.single("ACURELIEF_ENVIRONMENT", "the demo is not seeded in production")
    factory = context.migrated_uow_factory()
    with factory() as work:
        if if_empty and work.clinics.count() > 0:
            console.print("The database already holds a practice; no demo seeded.")
            return
        with console.status("Seeding the demo practice…"):
            summary = seed_demo(work, context.now(), seed=seed)
    logins = [
        {"email": x.email, "password": x.password, "role": x.role.value} for x in summary.logins
    ]
    if json_out:
        context.print_json(
            {
                "patients": summary.patients,
                "diary_days": summary.diary_days,
                "sessions": summary.sessions,
                "logins": logins,
            }
        )
        return
    console.print(
        f"Seeded the demo practice: {summary.patients} patients, "
        f"{summary.diary_days} diary days, {summary.sessions} sessions."
    )
    for login in logins:
        console.print(f"  {login['role']:<13} {login['email']:<24} password: {login['password']}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Worker processes; more than 1 needs PostgreSQL."),
    ] = 1,
) -> None:
    """Serve the web app and the API (docs at /docs)."""
    import uvicorn

    settings = context.settings()
    context.migrated_uow_factory()
    host, port = host or settings.host, port or settings.port
    if workers > 1 and settings.is_sqlite():
        raise InvalidInput.single(
            "--workers",
            "SQLite is served by one worker; for several, set ACURELIEF_DATABASE_URL to a "
            "PostgreSQL database (see README, 'Production set-up')",
        )
    # Checked (production) or created (development) once here, before any worker starts, so
    # that every worker signs session cookies with the same key.
    settings.session_secret()
    console.print(
        f"acurelief {__version__} on http://{host}:{port}  (API docs: /docs)"
        + (f"  {workers} workers" if workers > 1 else "")
    )
    if workers > 1:  # each worker process builds its own app (and engine) from the settings
        uvicorn.run(
            "acurelief.web.app:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
        )
        return
    from acurelief.web import create_app

    application = create_app(settings, uow_factory=context.uow_factory())
    uvicorn.run(application, host=host, port=port, access_log=False, log_level="warning")


def _usage_error(exc: typer.TyperException) -> NoReturn:
    """Click's usage errors exit 2 with click's message, which names the option; one line."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # a group called alone: its help, as click does
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        sys.exit(exc.exit_code)
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    errors.print(f"error: {exc.format_message()}{hint}", markup=False, highlight=False)
    sys.exit(exc.exit_code)


def run() -> None:
    """Entry point: one clear line and a non-zero exit code for any expected failure."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        errors.print("Aborted.")
        sys.exit(130)
    except Conflict as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(3)
    except AcureliefError as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(2 if isinstance(exc, InvalidInput) else 1)
    except typer.TyperException as exc:  # click's own errors (typer vendors click)
        _usage_error(exc)
    except Exception as exc:  # a bug or an outage: still one line, never a traceback
        errors.print(
            f"error: {type(exc).__name__}: {exc}".splitlines()[0], markup=False, highlight=False
        )
        sys.exit(1)
