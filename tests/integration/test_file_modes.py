"""Health data at rest is private to the server's user: data folder 0700, files 0600."""

from __future__ import annotations

import stat
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from acurelief.config import Settings
from acurelief.storage.database import make_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = make_engine(f"sqlite:///{data / 'acurelief.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (note TEXT)"))
        conn.execute(text("INSERT INTO t VALUES ('x')"))
    files = {p.name: _mode(p) for p in data.iterdir()}
    engine.dispose()
    assert _mode(data) == 0o700
    assert {"acurelief.db", "acurelief.db-wal", "acurelief.db-shm"} <= files.keys()
    assert set(files.values()) == {0o600}, files


def test_an_existing_open_database_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "acurelief.db").touch(mode=0o644)
    data.chmod(0o755)
    (data / "acurelief.db").chmod(0o644)
    engine = make_engine(f"sqlite:///{data / 'acurelief.db'}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    assert _mode(data) == 0o700
    assert _mode(data / "acurelief.db") == 0o600


def test_the_generated_secret_key_is_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh")
    secret = settings.session_secret()
    key = tmp_path / "fresh" / "secret_key"
    assert key.read_text(encoding="utf-8") == secret
    assert _mode(key) == 0o600
    assert _mode(tmp_path / "fresh") == 0o700
    assert Settings(data_dir=tmp_path / "fresh").session_secret() == secret  # kept
    assert Settings(secret_key=SecretStr("k" * 40)).session_secret() == "k" * 40
