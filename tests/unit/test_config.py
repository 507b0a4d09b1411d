"""Settings: secrets never print, production refuses to run without one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.errors import InvalidInput


def test_secrets_do_not_show_in_repr(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        secret_key=SecretStr("k" * 40),
        database_url=SecretStr("postgresql+psycopg://u:hunter2@db/x"),
    )
    assert "hunter2" not in repr(settings)
    assert "kkkk" not in repr(settings)
    assert not settings.is_sqlite()


def test_production_needs_a_long_secret(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="ACURELIEF_SECRET_KEY"):
        Settings(environment=Environment.PRODUCTION, data_dir=tmp_path).session_secret()
    with pytest.raises(InvalidInput, match="at least 32"):
        Settings(data_dir=tmp_path, secret_key=SecretStr("short")).session_secret()


def test_development_generates_one_secret_and_keeps_it(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).session_secret()
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path).session_secret() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_port_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="port"):
        Settings(port=70000)
