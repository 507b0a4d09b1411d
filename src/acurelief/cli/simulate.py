"""``acurelief simulate``: virtual patients, virtual trials and Monte Carlo power."""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.domain import Stimulation, StimulationKind
from acurelief.errors import InvalidInput
from acurelief.mechanism.horizon import BeyondCalibrationWarning
from acurelief.mechanism.profiles import HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial_endpoint import Endpoint

if TYPE_CHECKING:  # the model (NumPy and all) is imported by the command that runs it
    import numpy as np

    from acurelief.mechanism.trial import TrialDesign

app = typer.Typer(help="Simulate virtual patients, trials and power.", no_args_is_help=True)
CHUNK = 2000


class Design(StrEnum):
    OPEN = "open"
    SHAM = "sham"


Seed = Annotated[int, typer.Option(help="Random seed: the same seed gives the same output.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Sessions = Annotated[int, typer.Option(help="Sessions in the course.")]
Weeks = Annotated[float, typer.Option(help="Weeks the course is spread over.")]
StimOption = Annotated[
    str, typer.Option(help="manual, sham, or electro frequencies in Hz: 2, 100, 2/100.")
]
TypeOption = Annotated[HeadacheType, typer.Option("--type", help="Headache type.")]


def parse_stimulation(text: str) -> Stimulation:
    """'manual', 'sham' or electro frequencies such as '2', '100' or '2/100'."""
    word = text.strip().lower()
    if word == "manual":
        return Stimulation(kind=StimulationKind.MANUAL)
    if word in ("sham", "minimal", "sham_minimal"):
        return Stimulation(kind=StimulationKind.SHAM_MINIMAL)
    try:
        hz = tuple(float(part) for part in word.split("/"))
    except ValueError:
        raise InvalidInput.single(
            "--stimulation", f"{text!r}: use manual, sham, or frequencies like 2/100"
        ) from None
    return Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=hz)


@contextmanager
def _model_warnings() -> Iterator[None]:
    """Print the model's warnings (e.g. past its calibrated horizon) plainly, once each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    ours = [w for w in caught if issubclass(w.category, BeyondCalibrationWarning)]
    for message in dict.fromkeys(str(w.message) for w in ours):
        context.errors.print(f"warning: {message}", style="yellow", highlight=False)
    for w in caught:
        if w not in ours:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _progress() -> Progress:
    """A progress bar on stderr, shown only to a person at a terminal (not in logs or pipes)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=context.errors,
        transient=True,
        disable=not context.errors.is_terminal,
    )


@app.command("patients")
def patients(
    out: Annotated[Path, typer.Option(help="Where to write: a .parquet or .csv file.")],
    n: Annotated[int, typer.Option(help="Number of virtual patients.")] = 100,
    days: Annotated[int, typer.Option(help="Days of diary after the first session.")] = 168,
    baseline: Annotated[int, typer.Option(help="Baseline days before the first session.")] = 28,
    headache_type: TypeOption = HeadacheType.MIGRAINE_WITHOUT_AURA,
    sessions: Sessions = 12,
    weeks: Weeks = 8,
    stimulation: StimOption = "manual",
    seed: Seed = 1,
    json_out: JsonOut = False,
) -> None:
    """Virtual patients' diaries (one row per recorded day) and session readings."""
    import numpy as np

    from acurelief.mechanism import export
    from acurelief.mechanism.cohort import Cohort, simulate_cohort
    from acurelief.mechanism.trial import Blinding, nonspecific_effect

    fmt = out.suffix.lower()
    if fmt not in (".parquet", ".csv"):
        raise InvalidInput.single("--out", "name a .parquet or .csv file")
    if n <= 0:
        raise InvalidInput.single("--n", f"must be at least 1, got {n}")
    schedule = Schedule.evenly(sessions, weeks, parse_stimulation(stimulation))
    placebo = NonSpecific(effect=nonspecific_effect(headache_type)[Blinding.OPEN])
    rng = np.random.default_rng(seed)
    parts: list[Cohort] = []
    with _model_warnings(), _progress() as bar:
        task = bar.add_task("Simulating patients", total=n)
        for start in range(0, n, CHUNK):
            size = min(CHUNK, n - start)
            parts.append(
                simulate_cohort(
                    size,
                    rng=rng,
                    schedule=schedule,
                    baseline_days=baseline,
                    follow_days=days,
                    types=headache_type,
                    nonspecific=placebo,
                )
            )
            bar.advance(task, size)
    cohort = Cohort.concat(parts)
    diary = export.diary_columns(cohort)
    readings = export.session_columns(cohort)
    sessions_out = out.with_name(f"{out.stem}.sessions{fmt}")
    _write(diary, out)
    _write(readings, sessions_out)
    summary = {
        "patients": n,
        "diary_rows": len(diary["day"]),
        "session_rows": len(readings["day"]),
        "files": [str(out), str(sessions_out)],
        "baseline_headache_days_per_28": _mean(cohort.per_28(cohort.headache, -baseline, 0)),
    }
    if json_out:
        context.print_json(summary)
    else:
        console.print(
            f"Wrote {summary['diary_rows']} diary rows for {n} patients to {out} "
            f"and {summary['session_rows']} session rows to {sessions_out}."
        )


def _mean(values: np.ndarray[Any, Any]) -> float:
    import numpy as np

    return round(float(np.nanmean(values)), 2)


def _write(columns: dict[str, Any], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pa.table(columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)


def _design(
    design: Design,
    n_per_arm: int,
    sessions: int,
    weeks: float,
    stimulation: str,
    headache_type: HeadacheType,
) -> TrialDesign:
    from acurelief.mechanism.trial import Arm, TrialDesign

    control = Arm.SHAM if design is Design.SHAM else Arm.USUAL_CARE
    return TrialDesign(
        arms=(Arm.ACUPUNCTURE, control),
        n_per_arm=n_per_arm,
        schedule=Schedule.evenly(sessions, weeks, parse_stimulation(stimulation)),
        headache_type=headache_type,
    )


def _counted(plan: TrialDesign) -> str:
    return "migraine" if plan.counts_migraine_days else "headache"


@app.command("trial")
def trial(
    design: Annotated[
        Design, typer.Option(help="open: vs usual care; sham: vs sham.")
    ] = Design.OPEN,
    n_per_arm: Annotated[int, typer.Option(help="Patients per arm.")] = 200,
    headache_type: TypeOption = HeadacheType.MIGRAINE_WITHOUT_AURA,
    sessions: Sessions = 12,
    weeks: Weeks = 8,
    stimulation: StimOption = "manual",
    seed: Seed = 1,
    json_out: JsonOut = False,
) -> None:
    """A virtual two-arm trial: migraine (tension-type: headache) days per 28, ≥50% responders."""
    import numpy as np

    from acurelief.mechanism.trial import run_trial

    plan = _design(design, n_per_arm, sessions, weeks, stimulation, headache_type)
    with _model_warnings(), _progress() as bar:
        task = bar.add_task("Running arms", total=len(plan.arms))
        result = run_trial(plan, np.random.default_rng(seed), progress=lambda _a: bar.advance(task))
    rows = result.table()
    if json_out:
        context.print_json(rows)
        return
    table = Table(
        "arm",
        "analysed",
        "baseline /28",
        "weeks 9–12 /28",
        "change (SD)",
        "≥50% responders",
        title=f"Virtual trial ({design.value}), {_counted(plan)} days per 28",
    )
    for r in rows:
        table.add_row(
            str(r["arm"]),
            f"{r['n']} of {r['randomised']}",
            f"{r['baseline_mean']:.2f}",
            f"{r['outcome_mean']:.2f}",
            f"{r['change_mean']:+.2f} ({r['change_sd']:.2f})",
            f"{100 * float(r['responder_rate']):.1f}% ({100 * float(r['responder_low']):.1f}–"
            f"{100 * float(r['responder_high']):.1f})",
        )
    console.print(table)
    console.print(
        "Simulated, not observed: the model is calibrated to Cochrane's responder rates "
        "(docs/mechanism.md).",
        style="dim",
    )


@app.command("power")
def power(
    design: Annotated[
        Design, typer.Option(help="open: vs usual care; sham: vs sham.")
    ] = Design.SHAM,
    n_per_arm: Annotated[int | None, typer.Option(help="Power at this n per arm.")] = None,
    target: Annotated[
        float | None, typer.Option(help="Search the n that reaches this power.")
    ] = None,
    replicates: Annotated[int, typer.Option(help="Virtual trials per estimate.")] = 200,
    endpoint: Annotated[
        Endpoint, typer.Option(help="responders (Fisher) or days (Welch t).")
    ] = Endpoint.RESPONDERS,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    headache_type: TypeOption = HeadacheType.MIGRAINE_WITHOUT_AURA,
    sessions: Sessions = 12,
    weeks: Weeks = 8,
    stimulation: StimOption = "manual",
    seed: Seed = 1,
    json_out: JsonOut = False,
) -> None:
    """Monte Carlo power of a two-arm trial, or the n per arm that reaches a target power."""
    import numpy as np

    from acurelief.mechanism.power import PowerEstimate, estimate_power, sample_size

    if (n_per_arm is None) == (target is None):
        raise InvalidInput.single("--n-per-arm", "give either --n-per-arm or --target")
    plan = _design(design, n_per_arm or 50, sessions, weeks, stimulation, headache_type)
    rng = np.random.default_rng(seed)
    with _progress() as bar:
        if target is None:
            task = bar.add_task("Virtual trials", total=replicates)
            result = estimate_power(
                plan,
                replicates=replicates,
                rng=rng,
                alpha=alpha,
                endpoint=endpoint,
                progress=lambda: bar.advance(task),
            )
        else:
            task = bar.add_task("Searching n per arm", total=None)

            def step(est: PowerEstimate) -> None:
                bar.update(task, description=f"n={est.n_per_arm}: power {est.power:.2f}")

            result = sample_size(
                plan,
                target=target,
                replicates=replicates,
                rng=rng,
                alpha=alpha,
                endpoint=endpoint,
                progress=step,
            )
    record = {
        "design": design.value,
        "endpoint": endpoint.value,
        "n_per_arm": result.n_per_arm,
        "power": result.power,
        "low": result.low,
        "high": result.high,
        "replicates": result.replicates,
        "alpha": alpha,
    }
    if json_out:
        context.print_json(record)
        return
    console.print(
        f"n = {result.n_per_arm} per arm: power {100 * result.power:.1f}% "
        f"(95% CI {100 * result.low:.1f}–{100 * result.high:.1f}%, "
        f"{result.replicates} virtual trials, α = {alpha}, {endpoint.value})."
    )
    if target is not None and math.isfinite(result.low) and result.low < target:
        console.print(
            "The interval reaches below the target: raise --replicates to be sure.", style="yellow"
        )


DEFAULT_COURSES = ["6/6", "12/6", "12/8", "6/12"]


def parse_course(text: str, stimulation: Stimulation) -> Schedule:
    """'SESSIONS/WEEKS', e.g. '12/8' for 12 sessions spread over 8 weeks."""
    try:
        sessions, weeks = text.split("/")
        return Schedule.evenly(int(sessions), float(weeks), stimulation)
    except ValueError:
        raise InvalidInput.single(
            "--course", f"{text!r}: write sessions/weeks, e.g. 12/8"
        ) from None


@app.command("schedules")
def schedules(
    course: Annotated[
        list[str] | None,
        typer.Option(help="A course as SESSIONS/WEEKS (repeatable). Default: 6/6 12/6 12/8 6/12."),
    ] = None,
    n: Annotated[int, typer.Option(help="Virtual patients (the same for every course).")] = 2000,
    days: Annotated[int, typer.Option(help="Days followed after the first session.")] = 168,
    headache_type: TypeOption = HeadacheType.MIGRAINE_WITHOUT_AURA,
    stimulation: StimOption = "manual",
    seed: Seed = 1,
    json_out: JsonOut = False,
) -> None:
    """What-if: headache days per 28 over time under different courses, and under none."""
    import numpy as np

    from acurelief.mechanism.whatif import schedule_course

    if n <= 0:
        raise InvalidInput.single("--n", f"must be at least 1, got {n}")
    stim = parse_stimulation(stimulation)
    plans: dict[str, Schedule | None] = {"no treatment": None}
    for text in course or DEFAULT_COURSES:
        plan = parse_course(text, stim)
        if plan.last_day >= days:
            raise InvalidInput.single("--days", f"course {text} runs past day {days}")
        plans[f"{text.split('/')[0]} over {text.split('/')[1]} wk"] = plan
    with _model_warnings(), _progress() as bar:
        bar.add_task("Simulating courses", total=None)
        result = schedule_course(
            plans,
            n=n,
            follow_days=days,
            rng=np.random.default_rng(seed),
            headache_type=headache_type,
        )
    if json_out:
        context.print_json(
            {name: [dataclasses.asdict(w) for w in rows] for name, rows in result.items()}
        )
        return
    table = Table("weeks", *result, title=f"Headache days per 28 (mean, {n} virtual patients)")
    for i, window in enumerate(next(iter(result.values()))):
        label = (
            "baseline" if window.start < 0 else f"{window.start // 7 + 1}–{window.start // 7 + 4}"
        )
        table.add_row(
            label,
            *(f"{rows[i].mean:.2f} ±{rows[i].high - rows[i].mean:.2f}" for rows in result.values()),
        )
    console.print(table)
    console.print(
        "± is the 95% interval of the mean. Simulated from the calibrated model "
        "(docs/mechanism.md), not observed.",
        style="dim",
    )
