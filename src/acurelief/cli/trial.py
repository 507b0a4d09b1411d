"""``acurelief trial``: analyse a two-arm trial from a one-row-per-patient CSV file.

pandas and statsmodels are imported inside the command: the CLI starts without them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from acurelief.analysis.trial_outcome import OutcomeType
from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    from acurelief.analysis.trial import BinaryOutcome, TwoArmAnalysis
    from acurelief.analysis.trial_means import MeanDifference

app = typer.Typer(help="Analyse two-arm trials from CSV files.", no_args_is_help=True)

# The loader names its parameters; the user typed these options.
OPTION_OF = {
    "outcome": "--outcome",
    "baseline": "--baseline",
    "arm": "--arm",
    "covariates": "--covariates",
    "missing_if_empty": "--missing-if-empty",
    "id_column": "--id",
    "treatment": "--treatment",
    "outcome_type": "--outcome-type",
}


def parse_names(text: str | None, option: str) -> tuple[str, ...]:
    """'age,sex,migraine' → ('age', 'sex', 'migraine')."""
    if text is None:
        return ()
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise InvalidInput.single(option, f"{text!r}: an empty name; write a,b,c")
    return names


def parse_pairs(text: str | None) -> dict[str, str]:
    """'f5=pk5,f2=pk2' → {'f5': 'pk5', 'f2': 'pk2'}: f5 is missing wherever pk5 is empty."""
    pairs: dict[str, str] = {}
    for part in parse_names(text, "--missing-if-empty"):
        target, sep, indicator = (p.strip() for p in part.partition("="))
        if not (sep and target and indicator):
            raise InvalidInput.single(
                "--missing-if-empty", f"{part!r}: write COLUMN=OTHER, e.g. f5=pk5"
            )
        if target in pairs:
            raise InvalidInput.single("--missing-if-empty", f"{target!r} is given twice")
        pairs[target] = indicator
    return pairs


def _as_options(exc: InvalidInput) -> InvalidInput:
    return InvalidInput(
        [FieldProblem(OPTION_OF.get(p.field, p.field), p.message) for p in exc.problems],
        where=exc.where,
    )


@app.command("analyze")
def analyze(
    file: Annotated[Path, typer.Argument(help="CSV file, one row per randomised patient.")],
    outcome: Annotated[
        str, typer.Option(help="Outcome column, e.g. pk5; the difference is treatment − reference.")
    ],
    arm: Annotated[str, typer.Option(help="Column of the randomised arm (two levels).")],
    baseline: Annotated[
        str | None,
        typer.Option(
            help="Baseline column of the outcome, e.g. pk1 (ANCOVA); without it a number is "
            "compared by the difference of means (Welch)."
        ),
    ] = None,
    outcome_type: Annotated[
        OutcomeType,
        typer.Option(
            "--outcome-type",
            help="auto: yes/no when every value is 1/0, yes/no, true/false or y/n (and no "
            "--baseline); binary: risks, RD, RR, OR, NNT, Fisher; continuous: a number.",
        ),
    ] = OutcomeType.AUTO,
    event_is_harm: Annotated[
        bool,
        typer.Option(
            "--event-is-harm",
            help="A yes/no outcome is a harm (e.g. an adverse event): fewer is better, NNH.",
        ),
    ] = False,
    covariates: Annotated[
        str | None, typer.Option(help="Further adjustment columns: age,sex,migraine.")
    ] = None,
    treatment: Annotated[
        str | None,
        typer.Option(
            help="The arm level that is the treatment (default: the arm that is not sham, "
            "control, placebo, usual care or waiting list; else the higher level, 1 of 0/1)."
        ),
    ] = None,
    responders: Annotated[
        bool, typer.Option("--responders", help="Also compare ≥50% responders per arm.")
    ] = False,
    missing_if_empty: Annotated[
        str | None,
        typer.Option(
            "--missing-if-empty",
            help="COLUMN=OTHER,…: COLUMN is missing wherever OTHER is empty (f5=pk5,f2=pk2).",
        ),
    ] = None,
    id_column: Annotated[
        str, typer.Option("--id", help="Patient id column, checked for repeats; '' for none.")
    ] = "id",
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Compare two arms: ANCOVA, difference of means, or a yes/no outcome; n, missing data."""
    from acurelief.analysis.trial import load_trial_csv

    try:
        data = load_trial_csv(
            file,
            outcome=outcome,
            baseline=baseline,
            arm=arm,
            covariates=parse_names(covariates, "--covariates"),
            missing_if_empty=parse_pairs(missing_if_empty),
            id_column=id_column or None,
            outcome_type=outcome_type,
        )
        if data.outcome_type is OutcomeType.BINARY:
            if responders:
                raise InvalidInput.single(
                    "--responders", f"{outcome!r} is yes/no already: leave --responders out"
                )
            events = data.compare_events(treatment=treatment, event_is_good=not event_is_harm)
        elif baseline is None:
            if responders:
                raise InvalidInput.single("--responders", "responders need a --baseline")
            means = data.compare_means(treatment=treatment)
        else:
            result = data.analyse(treatment=treatment)
            responder = data.responders(treatment=treatment) if responders else None
    except InvalidInput as exc:
        raise _as_options(exc) from None
    if data.outcome_type is OutcomeType.BINARY:
        _show_events(events, file, json_out)
        return
    if baseline is None:
        _show_means(means, file, json_out)
        return
    if json_out:
        context.print_json(
            {
                "file": str(file),
                "analysis": result.as_dict(),
                "responders": None if responder is None else responder.as_dict(),
            }
        )
        return
    _print_analysis(result, file)
    if responder is not None:
        _print_responders(responder)


def _show_events(result: BinaryOutcome, file: Path, json_out: bool) -> None:
    if json_out:
        context.print_json({"file": str(file), "binary": result.as_dict()})
        return
    _print_binary(result, f"{file.name}: {result.event}, by {result.arm}", "events")


def _show_means(result: MeanDifference, file: Path, json_out: bool) -> None:
    if json_out:
        context.print_json({"file": str(file), "difference_of_means": result.as_dict()})
        return
    conf = f"{100 * (1 - result.alpha):.0f}% CI"
    table = Table(
        "arm",
        "randomised",
        "analysed",
        f"{result.outcome} mean (SD)",
        title=f"{file.name}: {result.outcome} by {result.arm} (no baseline)",
    )
    for a in result.arms:
        table.add_row(
            _arm_name(a.level, a.role), str(a.randomised), str(a.n), f"{a.mean:.2f} ({a.sd:.2f})"
        )
    console.print(table)
    d = result.difference
    t, r = result.treatment.level, result.reference.level
    console.print(
        f"Difference of means ({result.arm} {t} − {r}): {d.estimate:.2f} ({conf} {d.low:.2f} "
        f"to {d.high:.2f}; Welch), {_p(d.p_value)}; n = {result.n}",
        highlight=False,
    )
    _print_caveats(result.caveats)


def _bound(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f}"


def _p(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "p not available"
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"


def _arm_name(level: str, role: str) -> str:
    return f"{level} ({role})"


def _print_analysis(result: TwoArmAnalysis, file: Path) -> None:
    conf = f"{100 * (1 - result.alpha):.0f}% CI"
    table = Table(
        "arm",
        "randomised",
        "analysed",
        result.outcome,
        result.baseline,
        "change",
        title=f"{file.name}: {result.outcome} (baseline {result.baseline}), mean (SD) of the "
        f"analysed, by {result.arm}: treatment {result.treatment.level}, reference "
        f"{result.reference.level}",
    )
    for a in result.arms:
        table.add_row(
            a.level,
            str(a.randomised),
            str(a.n),
            f"{a.outcome_mean:.2f} ({a.outcome_sd:.2f})",
            f"{a.baseline_mean:.2f} ({a.baseline_sd:.2f})",
            f"{a.change_pct:+.1f}%",
        )
    console.print(table)
    t, r = result.treatment.level, result.reference.level
    adj, raw = result.adjusted, result.unadjusted
    console.print(
        f"Adjusted difference ({result.arm} {t} − {r}): {adj.estimate:.2f} "
        f"({conf} {adj.low:.2f} to {adj.high:.2f}), {_p(adj.p_value)}",
        highlight=False,
    )
    console.print(f"  ANCOVA (OLS): {result.formula}; n = {result.n_model}", highlight=False)
    console.print(
        f"Unadjusted difference (Welch): {raw.estimate:.2f} "
        f"({conf} {raw.low:.2f} to {raw.high:.2f}), {_p(raw.p_value)}",
        highlight=False,
    )
    missing = Table(
        "arm", "randomised", "no outcome", "no baseline", "no covariate", "analysed",
        title="Missing data",
    )  # fmt: skip
    for row in result.missing_report():
        missing.add_row(*(str(v) for v in row.values()))
    console.print(missing)
    _print_caveats(result.caveats)


def _print_responders(result: BinaryOutcome) -> None:
    _print_binary(result, f"Responders: {result.event}", "responders")


def _print_binary(result: BinaryOutcome, title: str, events: str) -> None:
    conf = f"{100 * (1 - result.alpha):.0f}% CI"
    table = Table("arm", events, "risk", conf, title=title)
    for a in result.arms:
        table.add_row(
            _arm_name(a.level, a.role),
            f"{a.events} of {a.n}",
            f"{100 * a.risk:.1f}%",
            f"{100 * a.low:.1f}–{100 * a.high:.1f}%",
        )
    console.print(table)
    rd, rr = result.risk_difference, result.risk_ratio
    console.print(
        f"Risk difference: {100 * rd.estimate:.1f} points ({conf} {100 * rd.low:.1f} to "
        f"{100 * rd.high:.1f}; Newcombe)",
        highlight=False,
    )
    console.print(
        f"Risk ratio: {rr.estimate:.2f} ({conf} {rr.low:.2f} to {rr.high:.2f}; log)",
        highlight=False,
    )
    o = result.odds_ratio
    console.print(
        f"Odds ratio: {o.estimate:.2f} ({conf} {o.low:.2f} to {o.high:.2f}; logit)",
        highlight=False,
    )
    console.print(f"{result.nnt.text}", highlight=False)
    if result.nnt.crosses_infinity:
        console.print(
            "  The risk difference's interval includes 0: the data fit a benefit (NNT "
            f"{_bound(result.nnt.low)} or more) as well as a harm (NNH {_bound(result.nnt.high)} "
            "or more); they do not show which.",
            highlight=False,
        )
    console.print(f"Fisher's exact test: {_p(result.fisher_p)}", highlight=False)
    _print_caveats(result.caveats)


def _print_caveats(caveats: tuple[str, ...]) -> None:
    if not caveats:
        return
    console.print("Caveats:", style="yellow")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for caveat in caveats:
        grid.add_row("  -", caveat)
    console.print(grid, highlight=False)
