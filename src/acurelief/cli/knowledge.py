"""``acurelief points`` and ``acurelief protocols``: the acupoint catalogue and protocols."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.errors import InvalidInput, NotFound

points_app = typer.Typer(
    help="The WHO standard acupuncture points (and extra points).", no_args_is_help=True
)
protocols_app = typer.Typer(help="Point protocols from the headache trials.", no_args_is_help=True)
JsonOut = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _point_record(p: object) -> dict[str, object]:
    fields = ("code", "meridian", "number", "pinyin", "region", "midline")
    return {f: getattr(p, f) for f in fields}


@points_app.command("list")
def list_points(
    meridian: Annotated[
        str | None, typer.Option(help="Only this meridian (GB, LR or LV, EX …).")
    ] = None,
    json_out: JsonOut = False,
) -> None:
    """List the points, optionally of one meridian."""
    from acurelief.knowledge.acupoints import catalogue

    cat = catalogue()
    if meridian is None:
        found = [*cat.standard(), *cat.extra()]
    else:
        found = cat.by_meridian(meridian)
        if not found:
            raise InvalidInput.single("--meridian", f"{meridian!r} is not a meridian code")
    if json_out:
        context.print_json([_point_record(p) for p in found])
        return
    table = Table("code", "pinyin", "region", "midline", title=f"{len(found)} points")
    for p in found:
        table.add_row(p.code, p.pinyin, p.region, "yes" if p.midline else "")
    console.print(table)


@points_app.command("show")
def show_point(code: str, json_out: JsonOut = False) -> None:
    """One point, by its code or a common alias (LV3, SJ5, GV24+, 'gb 20')."""
    from acurelief.knowledge.acupoints import UnknownPoint, catalogue

    try:
        point = catalogue().parse(code)
    except UnknownPoint as exc:
        raise InvalidInput.single("code", str(exc)) from None
    if json_out:
        context.print_json(_point_record(point))
        return
    side = "midline, no side" if point.midline else "paired: left, right or bilateral"
    console.print(
        f"[bold]{point.code}[/] {point.pinyin} · meridian {point.meridian} · "
        f"region {point.region} · {side}"
    )


@protocols_app.command("list")
def list_protocols(json_out: JsonOut = False) -> None:
    """The published protocols, with their sources."""
    from acurelief.knowledge.protocols import PROTOCOLS

    if json_out:
        context.print_json(
            [
                {
                    "key": p.key,
                    "name": p.name,
                    "indication": p.indication,
                    "points": [pt.code for pt in p.points],
                    "source": p.source,
                }
                for p in PROTOCOLS.values()
            ]
        )
        return
    table = Table("name", "for", "points", "course")
    table.add_column("key", no_wrap=True)
    for p in PROTOCOLS.values():
        course = f"{p.sessions} over {p.weeks:g} wk" if p.sessions and p.weeks else "–"
        table.add_row(p.name, p.indication, " ".join(pt.code for pt in p.points), course, p.key)
    console.print(table)


@protocols_app.command("show")
def show_protocol(key: str, json_out: JsonOut = False) -> None:
    """One protocol: points with sides, stimulation, course and source."""
    from acurelief.knowledge.protocols import PROTOCOLS

    protocol = PROTOCOLS.get(key)
    if protocol is None:
        raise NotFound("protocol", f"{key!r} (see 'acurelief protocols list')")
    points = [f"{p.code}{' ' + p.side.value if p.side else ''}" for p in protocol.points]
    stim = protocol.stimulation
    record = {
        "key": protocol.key,
        "name": protocol.name,
        "indication": protocol.indication,
        "points": points,
        "stimulation": stim.kind.value,
        "frequencies_hz": list(stim.frequencies_hz),
        "retention_minutes": protocol.retention_minutes,
        "sessions": protocol.sessions,
        "weeks": protocol.weeks,
        "source": protocol.source,
        "notes": protocol.notes,
    }
    if json_out:
        context.print_json(record)
        return
    for name, value in record.items():
        if value not in (None, "", []):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            console.print(f"[bold]{name.replace('_', ' ')}:[/] {shown}")
