"""``acurelief audit``: check that the audit log's hash chain is intact."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Annotated

import typer

from acurelief.cli import context
from acurelief.cli.context import console, errors

if TYPE_CHECKING:  # the science and storage stacks load only when a command runs
    from sqlalchemy import Engine

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


MIN_HASH_PREFIX = 16


def _rows_text(count: int, kind: str = "") -> str:
    """The count with its noun in the right number: 1 row, 3 good rows."""
    return f"{count:,} {kind}row{'' if count == 1 else 's'}"


def _noted_head(text: str | None) -> tuple[int, str] | None:
    """``SEQ:HASH`` as ``audit verify`` printed it, or a usage error naming the option."""
    if text is None:
        return None
    seq, _, digest = text.partition(":")
    digest = digest.rstrip("…").lower()
    if (
        not seq.isdigit()
        or len(digest) < MIN_HASH_PREFIX
        or not all(c in "0123456789abcdef" for c in digest)
    ):
        raise typer.BadParameter(
            f"give the head as verify printed it, SEQ:HASH with at least {MIN_HASH_PREFIX} "
            "hex digits of the hash (e.g. 1234:9f86d081884c7d65)",
            param_hint="--expect",
        )
    return int(seq), digest


def _cut_problem(engine: Engine, noted: tuple[int, str]) -> str | None:
    """Why the log no longer holds a head noted earlier, or None if it still does."""
    from acurelief.domain.audit import GENESIS_HASH
    from acurelief.storage.audit import row_hash_at

    seq, digest = noted
    stored = GENESIS_HASH if seq == 0 else row_hash_at(engine, seq)  # 0: the empty log
    if stored is None:
        return f"the noted head row {seq} is gone: the newest rows were removed"
    if not stored.startswith(digest):
        return f"row {seq} no longer has the noted hash: rows up to it were replaced"
    return None


@app.command("verify")
def verify(
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="SEQ:HASH",
            help="A head printed by an earlier verify and kept elsewhere: it must still be in "
            "the chain, with the same hash (catches removal of the newest rows with the head).",
        ),
    ] = None,
) -> None:
    """Walk the whole chain; print "OK: N rows" and the head, or name the first altered row
    and exit 1.

    Run it with the same ACURELIEF_AUDIT_KEY (or secret key) as the server: the chain is an
    HMAC under that key. Keep the printed head (SEQ:HASH) somewhere else and pass it later
    with --expect: if the newest rows and the head are ever removed or replaced together,
    the chain alone still looks whole; the noted head is what shows it.
    """
    from acurelief.storage.audit import verify_chain

    noted = _noted_head(expect)
    factory = context.migrated_uow_factory()
    started = time.perf_counter()
    report = verify_chain(factory.engine, factory.audit_key)
    cut = _cut_problem(factory.engine, noted) if noted is not None and report.ok else None
    seconds = time.perf_counter() - started
    ok = report.ok and cut is None
    if json_out:
        context.print_json(
            {
                "ok": ok,
                "rows": report.rows,
                "head_seq": report.head_seq,
                "head_hash": report.head_hash,
                "problem": report.problem or cut,
                "row_id": report.row_id,
                "seconds": round(seconds, 3),
            }
        )
    elif ok:
        console.print(
            f"OK: {_rows_text(report.rows)}, head {report.head_seq}:{report.head_hash[:16]}… "
            f"({seconds:.1f} s)",
            highlight=False,
        )
    elif cut is not None:
        errors.print(f"audit log cut short: {cut}", markup=False, highlight=False)
    else:
        errors.print(
            f"audit chain broken after {_rows_text(report.rows, 'good ')}: {report.problem}",
            markup=False,
            highlight=False,
        )
    if not ok:
        sys.exit(1)  # click returns (not raises) typer.Exit when not standalone
