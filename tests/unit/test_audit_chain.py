"""The pure hash chain: its canonical form, its HMAC, and what the walker reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from acurelief.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    ChainWalker,
    Outcome,
    canonical,
    chain_hash,
    chained_fields,
)

KEY = b"key"
AT = dt.datetime(2026, 6, 15, 14, 0, 0, 123, tzinfo=dt.timezone(dt.timedelta(hours=2)))
ENTRY = AuditEntry(AT, 4, "read", 9, "", channel="api", clinic_id=1, token_id=3)


def test_the_canonical_form_is_fixed_json_in_utc() -> None:
    assert canonical(1, ENTRY) == (
        b'[1,"2026-06-15T12:00:00.000123",4,1,"read",9,"","api","ok",3,null,null]'
    )


def test_the_hash_is_an_hmac_over_the_previous_hash_and_the_canonical_form() -> None:
    # independent computation: hmac.new(key, bytes.fromhex(prev) + canonical, sha256)
    expected = hmac.new(
        KEY, bytes.fromhex(GENESIS_HASH) + canonical(1, ENTRY), hashlib.sha256
    ).hexdigest()
    assert chain_hash(KEY, GENESIS_HASH, 1, ENTRY) == expected
    assert chain_hash(b"other", GENESIS_HASH, 1, ENTRY) != expected


def _chain(entries: list[AuditEntry]) -> list[tuple[int, int, str, str, tuple[object, ...]]]:
    rows, prev = [], GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        row_hash = chain_hash(KEY, prev, seq, entry)
        rows.append((seq * 10, seq, prev, row_hash, chained_fields(entry)))
        prev = row_hash
    return rows


def test_the_walker_accepts_an_intact_chain_and_checks_the_head() -> None:
    rows = _chain([ENTRY] * 3)
    walker = ChainWalker(KEY)
    assert all(walker.feed(*row) for row in rows)
    assert walker.finish(3, rows[-1][3]).ok
    short = ChainWalker(KEY)
    assert all(short.feed(*row) for row in rows[:2])
    report = short.finish(3, rows[-1][3])
    assert report.row_id == 20
    assert "head records seq 3" in (report.problem or "")


def test_the_walker_names_an_edited_row() -> None:
    rows = _chain([ENTRY] * 3)
    edited = AuditEntry(
        AT, 4, "read", 9, "", channel="api", clinic_id=1, token_id=3, outcome=Outcome.REFUSED
    )
    rows[1] = (*rows[1][:4], chained_fields(edited))
    walker = ChainWalker(KEY)
    assert [walker.feed(*row) for row in rows[:2]] == [True, False]
    assert (
        walker.problem == "row id 20: its fields do not match its row_hash "
        "(altered after it was written, or the audit key has changed)"
    )
