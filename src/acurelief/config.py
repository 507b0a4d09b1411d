"""Settings, read from ``ACURELIEF_*`` environment variables; nothing is built at import.

The embedded default is a SQLite file in the data directory; PostgreSQL is chosen with
``ACURELIEF_DATABASE_URL`` (for example ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Outside development a secret key must be given; in development one is generated once and kept
in the data directory so that logins survive a restart.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from acurelief.errors import InvalidInput

DEFAULT_DATA_DIR = Path("data")
SECRET_FILE_NAME = "secret_key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACURELIEF_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: SecretStr | None = None
    secret_key: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    session_max_age_seconds: int = 8 * 3600
    # A JSON file with a clinic's licensed questionnaire wording (HIT-6, MIDAS), laid over the
    # standard texts; format in acurelief/knowledge/data/QUESTIONNAIRE_TEXTS.md.
    questionnaire_texts_file: Path | None = None

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be from 1 to 65535")
        return value

    def sqlalchemy_url(self) -> str:
        """The database URL; the SQLite file in the data directory unless one is given."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'acurelief.db').resolve()}"

    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url().startswith("sqlite")

    def session_secret(self) -> str:
        """The key that signs session cookies; refuses a missing or short one in production."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < MIN_SECRET_LENGTH:
                raise InvalidInput.single(
                    "ACURELIEF_SECRET_KEY", f"must be at least {MIN_SECRET_LENGTH} characters"
                )
            return value
        if self.environment is Environment.PRODUCTION:
            raise InvalidInput.single(
                "ACURELIEF_SECRET_KEY",
                "must be set in production (generate one: python -c "
                "'import secrets; print(secrets.token_urlsafe(48))')",
            )
        return self._development_secret()

    def _development_secret(self) -> str:
        path = self.data_dir / SECRET_FILE_NAME
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        return value
