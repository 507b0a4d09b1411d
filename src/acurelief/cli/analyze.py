"""``acurelief analyze``: a patient's outcomes, with intervals and the data they rest on."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console

app = typer.Typer(help="Analyse outcomes.", no_args_is_help=True)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


@app.command("patient")
def patient(
    patient_id: int,
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user (e-mail).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Headache days per 28 by window, prevention, immediate relief, carry-over and mood."""
    from acurelief.services.outcomes import patient_outcomes
    from acurelief.web.outcomes_view import outcomes_record

    actor = context.acting_as(as_user)
    with context.migrated_uow_factory()() as work:
        record = outcomes_record(patient_outcomes(work, actor, patient_id, context.now()))
    if json_out:
        context.print_json(record)
        return
    table = Table(
        "window",
        "recorded days",
        "headache /28",
        "migraine /28",
        "medication /28",
        "mean peak pain",
        "note",
        title=f"Patient {patient_id}: diary endpoints",
    )
    for w in record["windows"]:
        table.add_row(
            w["window"],
            str(w["recorded_days"]),
            _fmt(w["headache_days_per_28"]),
            _fmt(w["migraine_days_per_28"]),
            _fmt(w["acute_medication_days_per_28"]),
            _fmt(w["mean_peak_pain"]),
            w["not_evaluable"] or "",
        )
    console.print(table)
    rr = record["rate_ratio"]
    if rr:
        console.print(
            f"Headache days, weeks 1–12 vs baseline: rate ratio {_fmt(rr['estimate'], 2)} "
            f"(95% CI {_fmt(rr['low'], 2)}–{_fmt(rr['high'], 2)}; "
            f"{rr['window']['headache_days']}/{rr['window']['days']} vs "
            f"{rr['baseline']['headache_days']}/{rr['baseline']['days']} days). "
            f"{'; '.join(rr['caveats'])}"
        )
    relief = record["immediate_relief"]
    if relief:
        console.print(
            f"Immediate relief: pain falls {_fmt(relief['mean_drop'])} points "
            f"(95% CI {_fmt(relief['low'])}–{_fmt(relief['high'])}) over "
            f"{relief['sessions']} sessions; meaningful in "
            f"{_fmt(100 * relief['meaningful_share'], 0)}% of them."
        )
    carry = record["carry_over"]
    if carry["identified"]:
        low, high = carry["half_life_interval"]
        console.print(
            f"Protection half-life {_fmt(carry['half_life_days'])} days ({_fmt(low)}–"
            f"{_fmt(high)}); book the next session by {carry['book_next_session_by']}."
        )
    else:
        console.print(f"Carry-over: {carry['note'] or 'not identified'}.")
    for note in record["notes"]:
        console.print(note, style="yellow")
