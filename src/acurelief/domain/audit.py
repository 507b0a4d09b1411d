"""The audit log's entries and the hash chain that makes tampering with them visible.

Every entry is chained to the one before it: ``row_hash = HMAC-SHA256(key, prev_hash ||
canonical(entry))``, where ``canonical`` is a fixed JSON serialisation of every field,
including the entry's sequence number. Changing, deleting or inserting a row breaks the
chain at that row, which ``acurelief audit verify`` names.

Why a keyed HMAC and not a plain SHA-256: with a plain hash anyone who can write to the
database can edit a row and recompute every later hash, leaving a valid-looking chain. Keyed
with the application's audit key (``ACURELIEF_AUDIT_KEY``, else the secret key), the chain
can only be recomputed by someone who also holds that key. Without any key (tests, a fresh
development database) the HMAC uses an empty key, which is a plain hash chain: it still
detects edits, but not a rewrite of the whole tail.

Pure: no I/O, only the standard library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum

GENESIS_HASH = "0" * 64  # the predecessor of the first entry


class Outcome(StrEnum):
    """How the audited attempt ended."""

    OK = "ok"
    REFUSED = "refused"  # authorisation refused it (403, or 404 for a patient out of reach)
    FAILED = "failed"  # authentication failed (a wrong password, an unknown e-mail)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to which patient's data, when, how and with what result.

    Holds no health data itself: ``detail`` is a short note (a count, a label), never a
    diary value or a name. ``user_id`` is the login that acted (None for a failed login of
    an unknown e-mail, or an operator acting without a login); ``on_behalf_of`` the login
    whose rights an operator used (CLI impersonation).
    """

    at: dt.datetime
    user_id: int | None
    action: str
    patient_id: int | None
    detail: str = ""
    channel: str = "system"
    outcome: Outcome = Outcome.OK
    clinic_id: int | None = None
    token_id: int | None = None
    os_user: str | None = None
    on_behalf_of: int | None = None


@dataclass(frozen=True, slots=True)
class StoredAuditEntry:
    """An entry as stored: its row id and its place (``seq``) in the chain."""

    id: int
    seq: int
    entry: AuditEntry


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """A filter over the audit log; None means "any". ``until`` is exclusive."""

    clinic_id: int | None = None
    patient_id: int | None = None
    user_id: int | None = None  # matches the acting login or the one acted on behalf of
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    action: str | None = None
    outcome: Outcome | None = None


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def chained_fields(entry: AuditEntry) -> tuple[object, ...]:
    """The entry's fields in the chain's fixed order (``at`` as naive UTC)."""
    return (
        entry.at.astimezone(dt.UTC).replace(tzinfo=None),
        entry.user_id,
        entry.clinic_id,
        entry.action,
        entry.patient_id,
        entry.detail,
        str(entry.channel),
        str(entry.outcome),
        entry.token_id,
        entry.os_user,
        entry.on_behalf_of,
    )


def canonical_of(seq: int, fields: tuple[object, ...]) -> bytes:
    """Compact JSON of ``[seq, *fields]`` (see ``chained_fields``); what the chain hashes."""
    at = fields[0]
    assert isinstance(at, dt.datetime)
    return _ENCODE([seq, at.isoformat(timespec="microseconds"), *fields[1:]]).encode("utf-8")


def canonical(seq: int, entry: AuditEntry) -> bytes:
    """The entry's fields in a fixed order as compact JSON; what the chain hashes."""
    return canonical_of(seq, chained_fields(entry))


class ChainHasher:
    """Computes chain hashes under one key, reusing the keyed HMAC state (fast for a walk)."""

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, prev_hash: str, seq: int, fields: tuple[object, ...]) -> str:
        mac = self._base.copy()
        mac.update(bytes.fromhex(prev_hash))
        mac.update(canonical_of(seq, fields))
        return mac.hexdigest()


def chain_hash(key: bytes, prev_hash: str, seq: int, entry: AuditEntry) -> str:
    """The hex HMAC-SHA256 that links ``entry`` (number ``seq``) to ``prev_hash``."""
    return ChainHasher(key)(prev_hash, seq, chained_fields(entry))


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of walking the chain: rows checked, and the first break if any."""

    rows: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    row_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class ChainWalker:
    """Checks rows fed in ``seq`` order; stops at the first break and says what it is.

    Kept pure so that storage streams rows into it and tests can feed it by hand.
    """

    def __init__(self, key: bytes) -> None:
        self._hash = ChainHasher(key)
        self.rows = 0
        self.last_seq = 0
        self.last_hash = GENESIS_HASH
        self.last_id: int | None = None
        self.problem: str | None = None
        self.row_id: int | None = None

    def feed(
        self, row_id: int, seq: int, prev_hash: str, row_hash: str, fields: tuple[object, ...]
    ) -> bool:
        """Check one row (``fields`` in the order of ``chained_fields``); False (with
        ``problem`` set) at the first break."""
        after = f"after row id {self.last_id}" if self.last_id is not None else "at the start"
        if seq != self.last_seq + 1:
            if seq > self.last_seq + 1:
                missing = (
                    f"seq {self.last_seq + 1}"
                    if seq == self.last_seq + 2
                    else f"seq {self.last_seq + 1}..{seq - 1}"
                )
                return self._fail(row_id, f"row id {row_id}: {missing} missing {after} (deleted)")
            return self._fail(
                row_id, f"row id {row_id}: seq {seq} out of order {after} (inserted or renumbered)"
            )
        if prev_hash != self.last_hash:
            return self._fail(
                row_id,
                f"row id {row_id}: prev_hash does not match the row_hash of the row before it "
                f"({after}; a row was inserted, replaced or rehashed)",
            )
        expected = self._hash(prev_hash, seq, fields)
        if not hmac.compare_digest(expected, row_hash):
            return self._fail(
                row_id,
                f"row id {row_id}: its fields do not match its row_hash "
                "(altered after it was written, or the audit key has changed)",
            )
        self.rows += 1
        self.last_seq, self.last_hash, self.last_id = seq, row_hash, row_id
        return True

    def finish(self, head_seq: int, head_hash: str) -> ChainReport:
        """The report, checking that the chain reaches the recorded head (no lost tail)."""
        if self.problem is None and (head_seq, head_hash) != (self.last_seq, self.last_hash):
            self.problem = (
                f"the chain ends at seq {self.last_seq} (row id {self.last_id}) but the head "
                f"records seq {head_seq}: rows at the end were deleted or the head was altered"
            )
            self.row_id = self.last_id
        return ChainReport(self.rows, head_seq, head_hash, self.problem, self.row_id)

    def _fail(self, row_id: int, problem: str) -> bool:
        self.problem, self.row_id = problem, row_id
        return False
