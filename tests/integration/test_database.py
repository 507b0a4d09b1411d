"""The embedded SQLite engine's settings, which the rest of the storage relies on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from acurelief.config import Settings
from acurelief.storage.database import SQLITE_BUSY_TIMEOUT_MS, make_engine


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'a.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
    engine.dispose()
    assert (tmp_path / "nested" / "dir" / "a.db").exists()


def test_the_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.is_sqlite()
    assert settings.sqlalchemy_url() == f"sqlite:///{tmp_path.resolve() / 'acurelief.db'}"
