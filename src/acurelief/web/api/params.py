"""Path parameters shared by the API routes, bounded so that no value reaches the database
out of its range.

An identifier is a positive 32-bit integer on every database (PostgreSQL's ``integer``);
a larger one would make PostgreSQL (or, past 2⁶³−1, SQLite's driver) fail with a server
error, so it is refused as invalid input (422) before any query runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**31 - 1
MAX_CODE_CHARS = 40  # a point code or alias ("GB20", "EX-HN5", "GV24+") is far shorter

PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="a patient's id")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="a personal token's id")]
PointCode = Annotated[
    str, Path(min_length=1, max_length=MAX_CODE_CHARS, description="e.g. GB20, LV3, EX-HN5")
]
ProtocolKey = Annotated[
    str, Path(min_length=1, max_length=60, description="2–60 lower-case letters, digits, -")
]
