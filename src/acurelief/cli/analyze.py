"""``acurelief analyze``: a patient's outcomes, with intervals and the data they rest on."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    from acurelief.analysis.cohort import CohortRateRatio, PooledRate

app = typer.Typer(help="Analyse outcomes.", no_args_is_help=True)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _drop(r: dict[str, Any]) -> str:
    ci = "no interval" if r["low"] is None else f"95% CI {_fmt(r['low'])} to {_fmt(r['high'])}"
    return (
        f"pain falls {_fmt(r['mean_drop'])} points ({ci}); "
        f"meaningful in {r['meaningful']} of {r['sessions']}"
    )


def _print_relief(r: dict[str, Any], title: str) -> None:
    """All sessions, then apart those that started with a headache, and how many did not."""
    console.print(f"{title}, all {r['sessions']} sessions: {_drop(r)}.", highlight=False)
    ache = r["with_headache"]
    if ache:
        who = f" of {ache['patients']} patients" if ache["patients"] > 1 else ""
        console.print(
            f"  Started with a headache (pain ≥{r['min_start_pain']}): {ache['sessions']} "
            f"sessions{who}, {_drop(ache)}.",
            highlight=False,
        )
        console.print(f"  {'; '.join(ache['caveats'])}.", style="dim", highlight=False)
    else:
        console.print(f"  {r['with_headache_note'].capitalize()}.", highlight=False)
    console.print(f"  {r['started_below_note']}.", highlight=False)


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
    with context.migrated_uow_factory()(read_only=True) as work:
        record = outcomes_record(patient_outcomes(work, actor, patient_id, context.now()))
    if json_out:
        context.print_json(record)
        return
    print_outcomes(record, patient_id)


def print_outcomes(record: dict[str, Any], patient_id: int) -> None:
    """A patient's outcomes record as tables and sentences, each caveat said once."""
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
    said: set[str] = set()  # caveats already printed: each is said once
    if rr:
        console.print(
            f"Headache days, weeks 1–12 vs baseline: rate ratio {_fmt(rr['estimate'], 2)} "
            f"(95% CI {_fmt(rr['low'], 2)}–{_fmt(rr['high'], 2)}; "
            f"{rr['window']['headache_days']}/{rr['window']['days']} vs "
            f"{rr['baseline']['headache_days']}/{rr['baseline']['days']} days)."
        )
        _print_caveats(rr["caveats"], said)
    if record["immediate_relief"]:
        _print_relief(record["immediate_relief"], "Immediate relief")
    carry = record["carry_over"]
    if carry["identified"]:
        low, high = carry["half_life_interval"]
        console.print(
            f"Protection half-life {_fmt(carry['half_life_days'])} days ({_fmt(low)}–"
            f"{_fmt(high)}); book the next session by {carry['book_next_session_by']}."
        )
    else:
        console.print(f"Carry-over: {carry['note'] or 'not identified'}.")
    _print_caveats(carry["caveats"], said)
    for note in record["notes"]:
        console.print(note, style="yellow")


def _print_caveats(caveats: list[str], said: set[str]) -> None:
    """The caveats not printed yet, as one dim sentence."""
    fresh = [c for c in caveats if c not in said]
    said.update(fresh)
    if fresh:
        text = "; ".join(fresh)
        console.print(f"{text[:1].upper()}{text[1:]}.", style="dim", highlight=False)


# The core names the ColumnMap fields; the user typed these options.
DIARY_OPTION_OF = {
    "patient": "--patient",
    "headache": "--headache",
    "day": "--day",
    "date": "--date",
    "first_treatment": "--first-treatment",
    "pain": "--pain",
    "medication": "--medication",
    "menstruation": "--menstruation",
    "min_share": "--min-share",
}


def _as_diary_options(exc: InvalidInput) -> InvalidInput:
    return InvalidInput(
        [FieldProblem(DIARY_OPTION_OF.get(p.field, p.field), p.message) for p in exc.problems],
        where=exc.where,
    )


def _per_28(value: float, days: int) -> str:
    return "–" if math.isnan(value) else f"{value:.1f} ({days} d)"


@app.command("diary")
def diary(
    file: Annotated[Path, typer.Argument(help="CSV or Parquet file, one row per patient-day.")],
    patient: Annotated[str | None, typer.Option(help="Patient id column (required).")] = None,
    headache: Annotated[
        str | None, typer.Option(help="Headache yes/no column (required); empty = missing day.")
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(help="Day column: days from the first treatment (0), baseline negative."),
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Date column (YYYY-MM-DD), instead of --day.")
    ] = None,
    first_treatment: Annotated[
        str | None,
        typer.Option(
            "--first-treatment", help="Column of each patient's first treatment date (--date)."
        ),
    ] = None,
    pain: Annotated[str | None, typer.Option(help="Peak pain column, 0–10.")] = None,
    medication: Annotated[
        str | None, typer.Option(help="Acute medication column, yes/no or a count.")
    ] = None,
    menstruation: Annotated[str | None, typer.Option(help="Menstruation yes/no column.")] = None,
    min_share: Annotated[
        float,
        typer.Option(
            "--min-share",
            min=0.01,
            max=1.0,
            help="Completeness rule: a 28-day window counts when at least this share of its "
            "days is recorded (responders, per-28 figures, the cohort).",
        ),
    ] = 0.8,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Diaries kept elsewhere: per patient and for the cohort, with intervals and n."""
    from rich.markup import escape

    from acurelief.outcomes.endpoints import EndpointRules
    from acurelief.outcomes.long_format import ColumnMap, analyze_frame, read_table

    try:
        columns = ColumnMap(
            patient=patient or "",
            headache=headache or "",
            day=day,
            date=date,
            first_treatment=first_treatment,
            pain=pain,
            medication=medication,
            menstruation=menstruation,
        )
        report = analyze_frame(read_table(file), columns, EndpointRules(min_share=min_share))
    except InvalidInput as exc:
        raise _as_diary_options(exc) from None
    if json_out:
        context.print_json({"file": str(file), **report.as_dict()})
        return
    table = Table(
        title=f"{escape(file.name)}: headache days per 28 recorded days (d = recorded days)",
        caption="RR: rate ratio of headache days, weeks 1–12 against baseline",
    )
    table.add_column("patient", overflow="fold")
    table.add_column("baseline /28", no_wrap=True)
    table.add_column("latest window /28", min_width=10)
    table.add_column("RR (95% CI)", no_wrap=True)
    table.add_column("note", min_width=14)
    for p in report.patients:
        base, latest, rr = p.baseline, p.latest, p.rate_ratio
        table.add_row(
            escape(p.patient),
            "–" if base is None else _per_28(base.headache_days_per_28, base.recorded_days),
            "–"
            if latest is None
            else f"{_per_28(latest.headache_days_per_28, latest.recorded_days)} {latest.window}",
            "–"
            if rr is None or not rr.evaluable
            else f"{rr.estimate:.2f} ({rr.low:.2f}–{rr.high:.2f})",
            escape(p.note),
        )
    console.print(table)
    s = report.summary
    r = s.responders
    console.print(
        f"Patients: {s.patients} in the file, {s.evaluable} analysed, "
        f"{s.not_evaluable} not evaluable.",
        highlight=False,
    )
    console.print(
        "≥50% responders (latest evaluable window vs baseline): "
        + (
            "none evaluable (n = 0)"
            if r.n == 0
            else f"{r.responders} of {r.n} ({100 * r.rate:.1f}%, 95% CI "
            f"{100 * r.low:.1f}–{100 * r.high:.1f}%; Wilson)"
        ),
        highlight=False,
    )
    b, w = s.baseline_headache_days, s.weeks_9_12_headache_days
    console.print(
        f"Median headache days per 28: baseline {_fmt(None if b.n == 0 else b.value)} "
        f"(n = {b.n}); weeks 9–12 {_fmt(None if w.n == 0 else w.value)} (n = {w.n}).",
        highlight=False,
    )
    console.print(
        f"Rate ratios (weeks 1–12 vs baseline) evaluable for {s.rate_ratio_evaluable} "
        f"of {s.evaluable}; {'; '.join(report.caveats)}.",
        style="yellow",
        highlight=False,
    )
    _print_cohort(report.pooled, report.cohort_rate_ratio, report.min_share)


def _print_cohort(
    pooled: tuple[PooledRate, ...], ratio: CohortRateRatio | None, min_share: float
) -> None:
    """The cohort's answer: pooled headache days per 28 by window, and its rate ratio."""
    table = Table(
        "window",
        "headache days /28",
        "95% CI",
        "patients",
        "patient-days",
        title="The cohort: headache days per 28 recorded days (Poisson GEE, by patient)",
        caption=f"windows with ≥{100 * min_share:.0f}% of days recorded",
    )
    for w in pooled:
        table.add_row(
            w.window,
            _fmt(None if math.isnan(w.per_28) else w.per_28),
            w.reason or f"{w.low:.1f}–{w.high:.1f}",
            str(w.patients),
            f"{w.patient_days:,}",
        )
    console.print(table)
    if ratio is not None:
        console.print(ratio.conclusion, style="bold", highlight=False)


@app.command("practice")
def practice(
    as_user: Annotated[str | None, typer.Option("--as", help="Act as this user (e-mail).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """The practice's responder rates against the published arms, and pooled rate ratios."""
    from acurelief.services.practice import practice as practice_report
    from acurelief.web.outcomes_view import practice_record

    actor = context.acting_as(as_user)
    record = practice_record(practice_report(context.migrated_uow_factory(), actor, context.now()))
    if json_out:
        context.print_json(record)
        return
    table = Table(
        "group",
        "responders",
        "rate (95% CI)",
        "published ≥50% responders",
        title="≥50% fewer headache days (latest window vs baseline)",
    )
    for row in [record["overall"], *record["by_diagnosis"], *record["by_practitioner"]]:
        rate = (
            f"{100 * row['rate']:.0f}% ({100 * row['low']:.0f}–{100 * row['high']:.0f})"
            if row["rate"] is not None
            else "–"
        )
        published = "; ".join(
            f"{a['arm']} {100 * a['low']:.0f}"
            + (f"–{100 * a['high']:.0f}" if a["high"] != a["low"] else "")
            + "%"
            for a in row["published"]
        )
        table.add_row(row["label"], f"{row['responders']} of {row['evaluable']}", rate, published)
    console.print(table)
    pooled = record["pooled_rate_ratio"]
    if pooled:
        console.print(
            f"Pooled rate ratio of headache days: {pooled['estimate']:.2f} "
            f"({pooled['low']:.2f}–{pooled['high']:.2f}) over {pooled['patients']} patients; "
            f"between-patient variance τ² = {pooled['tau2']:.3f}."
        )
    relief = record["immediate_relief"]
    if relief:
        _print_relief(relief, f"Immediate relief over {relief['patients']} patients")
    console.print(
        f"{record['not_evaluable']} patients not evaluable. " + "; ".join(record["caveats"]),
        style="dim",
    )
