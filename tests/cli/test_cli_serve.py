"""``acurelief serve --workers``: several workers need PostgreSQL; SQLite is refused clearly.

Serving with several workers on PostgreSQL is exercised by tests/integration/test_load_bench.py
(the real server under concurrent writes)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli


def test_several_workers_on_sqlite_are_refused_with_the_way_out(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert run_cli(env, "init").code == 0

    result = run_cli(env, "serve", "--workers", "2", "--port", "1")
    zero = run_cli(env, "serve", "--workers", "0")

    line = assert_clean_failure(result, code=2, mentions="--workers")
    assert "ACURELIEF_DATABASE_URL" in line
    assert_clean_failure(zero, code=2, mentions="--workers")
