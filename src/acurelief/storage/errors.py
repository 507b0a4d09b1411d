"""Database errors told without the data: what failed and where, never the row's values.

A driver's message may quote the row it refused: PostgreSQL adds "DETAIL: Key (email)=(…)"
to a duplicate and "Failing row contains (…)" to a check or not-null violation, which would
put a patient's name, date of birth or diary note into the server log with the traceback.
The unit of work therefore replaces any SQLAlchemy database error with a ``StorageError``
that keeps only value-free facts: the kind of failure, the driver's error class, the
SQLSTATE or SQLite error name, and the constraint, table or column named by the database.
"""

from __future__ import annotations

import re
from typing import Final

from sqlalchemy import exc as sa_exc

KINDS: Final = (
    (sa_exc.IntegrityError, "integrity"),
    (sa_exc.DataError, "data"),
    (sa_exc.OperationalError, "operational"),
    (sa_exc.ProgrammingError, "programming"),
)

# SQLite's messages that name only schema objects, never values; anything else is dropped.
_SAFE_SQLITE = re.compile(
    r"(?:(?:UNIQUE|CHECK|NOT NULL|FOREIGN KEY) constraint failed(?:: [\w.,\s]+)?"
    r"|no such (?:table|column): [\w.]+|database is locked|database table is locked"
    r"|attempt to write a readonly database|disk I/O error|database or disk is full)"
)


class StorageError(Exception):
    """The database refused or failed a statement; the message carries no stored values."""

    def __init__(
        self,
        kind: str,
        driver_error: str,
        *,
        code: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.kind = kind
        self.driver_error = driver_error
        self.code = code
        self.detail = detail
        parts = [f"{kind} error in the database ({driver_error}"]
        if code:
            parts.append(f", {code}")
        parts.append(")")
        if detail:
            parts.append(f": {detail}")
        parts.append("; the unit of work was rolled back, nothing was stored")
        super().__init__("".join(parts))


def storage_error(error: sa_exc.DBAPIError) -> StorageError:
    """A value-free ``StorageError`` telling what ``error`` was about."""
    kind = next((name for cls, name in KINDS if isinstance(error, cls)), "database")
    orig = error.orig
    driver_error = type(orig).__name__ if orig is not None else type(error).__name__
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: structured fields, none of which holds a value
        names = [
            f"{label} {value}"
            for label, value in (
                ("constraint", getattr(diag, "constraint_name", None)),
                ("table", getattr(diag, "table_name", None)),
                ("column", getattr(diag, "column_name", None)),
            )
            if value
        ]
        return StorageError(
            kind,
            driver_error,
            code=getattr(orig, "sqlstate", None),
            detail=", ".join(names) or None,
        )
    message = str(orig) if orig is not None else ""
    detail = message if _SAFE_SQLITE.fullmatch(message) else None
    return StorageError(
        kind, driver_error, code=getattr(orig, "sqlite_errorname", None), detail=detail
    )
