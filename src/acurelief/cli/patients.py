"""``acurelief patient``: list and show patients, as a named user (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console

app = typer.Typer(help="Look at patients.", no_args_is_help=True)

AsUser = Annotated[str | None, typer.Option("--as", help="Act as this user (e-mail).")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@app.command("list")
def list_(as_user: AsUser = None, json_out: JsonOut = False) -> None:
    """The patients the user may see."""
    from acurelief.services import patients

    actor = context.acting_as(as_user)
    with context.migrated_uow_factory()(read_only=True) as work:
        found = patients.list_patients(work, actor, context.now())
    if json_out:
        context.print_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "date_of_birth": p.date_of_birth,
                    "sex": p.sex.value,
                    "time_zone": p.time_zone,
                    "practitioner_id": p.practitioner_id,
                }
                for p in found
            ]
        )
        return
    table = Table("id", "name", "born", "sex", "time zone", title=f"{len(found)} patients")
    for p in found:
        table.add_row(str(p.id), p.name, str(p.date_of_birth), p.sex.value, p.time_zone)
    console.print(table)


@app.command("show")
def show(patient_id: int, as_user: AsUser = None, json_out: JsonOut = False) -> None:
    """One patient: record, last 28 diary days and sessions."""
    from acurelief.services import diary, patients, sessions

    actor = context.acting_as(as_user)
    factory = context.migrated_uow_factory()
    now = context.now()
    with factory(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
    today = patient.today(now)
    with factory(read_only=True) as work:
        days = diary.diary_between(
            work, actor, patient_id, today - dt.timedelta(days=27), today, now
        )
    with factory(read_only=True) as work:
        found = sessions.list_sessions(work, actor, patient_id, now)
    headache = sum(1 for d in days if d.headache)
    if json_out:
        context.print_json(
            {
                "id": patient.id,
                "name": patient.name,
                "date_of_birth": patient.date_of_birth,
                "sex": patient.sex.value,
                "time_zone": patient.time_zone,
                "last_28_days": {"recorded": len(days), "headache_days": headache},
                "sessions": len(found),
            }
        )
        return
    console.print(
        f"[bold]{patient.name}[/] (patient {patient.id}) · born {patient.date_of_birth}"
        f" · {patient.sex.value} · {patient.time_zone}"
    )
    console.print(
        f"Last 28 days: {len(days)} recorded, {28 - len(days)} missing, "
        f"{headache} with headache (of the recorded days)."
    )
    table = Table(
        "date", "points", "stimulation", "pain before→after", title=f"{len(found)} sessions"
    )
    for s in found[-10:]:
        change = f"{s.before.pain}→{s.after.pain}" if s.before and s.after else "–"
        table.add_row(
            s.started_at.date().isoformat(),
            " ".join(p.code for p in s.points),
            s.stimulation.kind.value,
            change,
        )
    console.print(table)
