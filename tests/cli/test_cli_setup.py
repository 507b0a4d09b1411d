"""``acurelief --version``, ``init``, refusals before ``init`` and in production, both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from acurelief import __version__
from tests.cli.cli_runner import assert_clean_failure, cli_env, flat, run_cli
from tests.conftest import PG_ADMIN_URL, _in_ci

NEW_PASSWORD = "a long enough password"


def test_version_prints_name_and_version(tmp_path: Path) -> None:
    result = run_cli(cli_env(tmp_path), "--version")

    assert result.code == 0, f"{result}"
    assert result.stdout == f"acurelief {__version__}\n"
    assert result.stderr == ""


def test_init_creates_the_database_then_reports_it_up_to_date(tmp_path: Path) -> None:
    env = cli_env(tmp_path)

    first = run_cli(env, "init")
    second = run_cli(env, "init")

    assert first.code == 0, f"{first}"
    assert (tmp_path / "acurelief.db").is_file()
    assert "migrated empty → " in flat(first.stdout), f"{first}"
    assert "SQLite" in first.stdout
    assert second.code == 0, f"{second}"
    assert "already up to date" in flat(second.stdout), f"{second}"
    assert "migrated" not in second.stdout
    assert "Traceback" not in first.stderr + second.stderr


@pytest.mark.parametrize(
    ("args", "extra_env"),
    [
        pytest.param(("patient", "list"), {}, id="patient-list"),
        pytest.param(("demo", "--json"), {}, id="demo"),
        pytest.param(
            ("user", "add", "a@b.org", "--role", "admin", "--clinic", "C"),
            {"ACURELIEF_NEW_PASSWORD": NEW_PASSWORD},
            id="user-add",
        ),
    ],
)
def test_data_commands_before_init_ask_for_init(
    tmp_path: Path, args: tuple[str, ...], extra_env: dict[str, str]
) -> None:
    result = run_cli(cli_env(tmp_path, **extra_env), *args)

    assert_clean_failure(result, code=2, mentions="acurelief init")


def test_demo_is_refused_in_production(tmp_path: Path) -> None:
    env = cli_env(tmp_path, ACURELIEF_ENVIRONMENT="production")

    result = run_cli(env, "demo")

    assert_clean_failure(result, code=2, mentions="production")
    assert not (tmp_path / "acurelief.db").exists(), "refused before touching the database"


def _no_postgres(reason: str) -> NoReturn:
    if _in_ci():
        pytest.fail(f"{reason} (CI must run the PostgreSQL tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def backend_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A CLI environment on an empty database: SQLite in tmp_path, or a throwaway PostgreSQL."""
    env = cli_env(tmp_path)
    if request.param == "sqlite":
        yield env
        return
    name = f"acurelief_cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        _no_postgres(f"PostgreSQL at {PG_ADMIN_URL} is not usable: {exc}".splitlines()[0])
    env["ACURELIEF_DATABASE_URL"] = (
        make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    )
    try:
        yield env
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize(
    "backend_env",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_init_demo_and_list_on_each_database(backend_env: dict[str, str]) -> None:
    on_postgres = "ACURELIEF_DATABASE_URL" in backend_env

    init = run_cli(backend_env, "init")
    demo = run_cli(backend_env, "demo", "--json")
    listed = run_cli(backend_env, "patient", "list", "--json")

    assert init.code == 0, f"{init}"
    assert "migrated empty → " in flat(init.stdout), f"{init}"
    assert ("PostgreSQL" if on_postgres else "SQLite") in init.stdout
    summary = demo.json()
    assert summary["patients"] >= 12
    assert summary["diary_days"] > 0
    assert summary["sessions"] > 0
    assert len(summary["logins"]) == 4
    patients = listed.json()
    assert len(patients) == summary["patients"]
    assert len({p["id"] for p in patients}) == len(patients)
