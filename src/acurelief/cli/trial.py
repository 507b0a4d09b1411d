"""``acurelief trial``: analyse a two-arm trial from a one-row-per-patient CSV file.

pandas and statsmodels are imported inside the command: the CLI starts without them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    from acurelief.analysis.trial import BinaryOutcome, TwoArmAnalysis

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
    baseline: Annotated[str, typer.Option(help="Baseline column of the outcome, e.g. pk1.")],
    arm: Annotated[str, typer.Option(help="Column of the randomised arm (two levels).")],
    covariates: Annotated[
        str | None, typer.Option(help="Further adjustment columns: age,sex,migraine.")
    ] = None,
    treatment: Annotated[
        str | None,
        typer.Option(help="The arm level that is the treatment (default: the higher level)."),
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
    """Compare two arms: ANCOVA, per-arm n, mean and SD, missing data, responders."""
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
        )
        result = data.analyse(treatment=treatment)
        responder = data.responders(treatment=treatment) if responders else None
    except InvalidInput as exc:
        raise _as_options(exc) from None
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
    conf = f"{100 * (1 - result.alpha):.0f}% CI"
    table = Table("arm", "responders", "risk", conf, title=f"Responders: {result.event}")
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
    console.print(f"{result.nnt.text}", highlight=False)
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
