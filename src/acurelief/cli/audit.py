"""``acurelief audit``: check that the audit log's hash chain is intact."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from acurelief.cli import context
from acurelief.cli.context import console, errors

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Walk the whole chain; print "OK: N rows", or name the first altered row and exit 1.

    Run it with the same ACURELIEF_AUDIT_KEY (or secret key) as the server: the chain is an
    HMAC under that key. Note the printed head hash somewhere else: if the newest rows and
    the head are ever replaced together, the old head hash is what shows it.
    """
    from acurelief.storage.audit import verify_chain

    factory = context.migrated_uow_factory()
    started = time.perf_counter()
    report = verify_chain(factory.engine, factory.audit_key)
    seconds = time.perf_counter() - started
    if json_out:
        context.print_json(
            {
                "ok": report.ok,
                "rows": report.rows,
                "head_seq": report.head_seq,
                "head_hash": report.head_hash,
                "problem": report.problem,
                "row_id": report.row_id,
                "seconds": round(seconds, 3),
            }
        )
    elif report.ok:
        console.print(
            f"OK: {report.rows} rows, head {report.head_hash[:16]}… ({seconds:.1f} s)",
            highlight=False,
        )
    else:
        errors.print(
            f"audit chain broken after {report.rows} good rows: {report.problem}",
            markup=False,
            highlight=False,
        )
    if not report.ok:
        sys.exit(1)  # click returns (not raises) typer.Exit when not standalone
