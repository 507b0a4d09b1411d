"""Settings, read from ``ACURELIEF_*`` environment variables; nothing is built at import.

The embedded default is a SQLite file in the data directory; PostgreSQL is chosen with
``ACURELIEF_DATABASE_URL`` (for example ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Outside development a secret key must be given; in development one is generated once and kept
in the data directory so that logins survive a restart.
"""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from acurelief.errors import InvalidInput

DEFAULT_DATA_DIR = Path("data")
SECRET_FILE_NAME = "secret_key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024


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
    # /docs, /redoc and /openapi.json; unset: on in development and tests, off in production.
    api_docs: bool | None = None
    # A proxy in front terminates TLS: send Strict-Transport-Security even on its http hop.
    behind_tls: bool = False
    session_max_age_seconds: int = 8 * 3600  # a login session's absolute timeout
    session_idle_minutes: int = 30  # a login session ends after this long without a request
    # Throttling: back-off starts after this many failed logins on one account, or from one
    # address (higher: a practice's staff may share one), lasting login_backoff_seconds and
    # doubling with each further failure up to login_backoff_max_seconds.
    login_account_failures: int = 5
    login_address_failures: int = 20
    login_backoff_seconds: int = 30
    login_backoff_max_seconds: int = 900
    # The largest request body taken, in bytes; a larger one answers 413 before it is read.
    # A full 3,660-day diary batch is about 1.7 MB as compact JSON (2.4 MB with a 200-character
    # note on every day), so 4 MiB leaves room for pretty-printed JSON and longer notes.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # Keys the audit log's HMAC chain (domain/audit.py); defaults to the secret key. Set it
    # apart to be able to rotate the secret key without leaving old audit rows unverifiable.
    audit_key: SecretStr | None = None
    # Operating-system users who may run CLI commands as any login without its password
    # ("operators", comma-separated); everyone else must give the login's password.
    cli_operators: str = ""
    # A JSON file with a clinic's licensed questionnaire wording (HIT-6, MIDAS), laid over the
    # standard texts; format in acurelief/knowledge/data/QUESTIONNAIRE_TEXTS.md.
    questionnaire_texts_file: Path | None = None

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be from 1 to 65535")
        return value

    @field_validator("max_body_bytes")
    @classmethod
    def _body_limit_positive(cls, value: int) -> int:
        if value < 1024:
            raise ValueError("must be at least 1024 bytes (the default is 4194304, 4 MiB)")
        return value

    def sqlalchemy_url(self) -> str:
        """The database URL; the SQLite file in the data directory unless one is given."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'acurelief.db').resolve()}"

    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url().startswith("sqlite")

    def docs_enabled(self) -> bool:
        """Whether the API documentation is served (``ACURELIEF_API_DOCS``)."""
        if self.api_docs is not None:
            return self.api_docs
        return self.environment is not Environment.PRODUCTION

    def audit_chain_key(self) -> bytes:
        """The key of the audit chain's HMAC: ``audit_key``, else the session secret."""
        if self.audit_key is not None:
            return self.audit_key.get_secret_value().encode("utf-8")
        return self.session_secret().encode("utf-8")

    def operators(self) -> frozenset[str]:
        """The operating-system users named in ``cli_operators``."""
        return frozenset(name.strip() for name in self.cli_operators.split(",") if name.strip())

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
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = secrets.token_urlsafe(48)
        # Created 0600 from the first byte (no window in which others could read it).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(value)
        return value
