"""``acurelief diagnose``: ICHD-3 diagnoses, with their reasons, from a headache history file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from acurelief.cli import context
from acurelief.cli.context import console
from acurelief.errors import InvalidInput

STATUS_STYLE = {"met": "green", "not met": "red", "unknown": "yellow"}


def _read(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput.single("history", f"{path} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidInput.single("history", f"{path} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput.single("history", f"{path} line {exc.lineno}: {exc.msg}") from None


def diagnose(
    history: Annotated[
        Path,
        typer.Argument(
            help="A headache history as JSON (e.g. examples/history-migraine.json; its JSON "
            "Schema is served at GET /api/v1/intake-schema)."
        ),
    ],
    age: Annotated[
        int | None, typer.Option(help="Age in years (under 18: 1.1 B allows 2 h).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Classify a headache history by ICHD-3, showing every criterion, and screen red flags."""
    from acurelief.diagnosis.classify import classify
    from acurelief.diagnosis.intake import parse_intake
    from acurelief.diagnosis.logic import Check
    from acurelief.diagnosis.questions import question_of  # the intake form's own words

    assessment = classify(parse_intake(_read(history)), age=age)
    if json_out:
        from acurelief.web.schemas import AssessmentPublic

        context.print_json(AssessmentPublic.of_assessment(assessment, "intake").model_dump())
        return

    def show(check: Check, depth: int = 0) -> None:
        style = STATUS_STYLE[check.status.value]
        tail = f" [dim]— {escape(check.evidence)}[/]" if check.evidence else ""
        console.print(
            f"{'  ' * depth}[{style}]{check.status.value:>7}[/] "
            f"{escape(check.label)}: {escape(check.text)}{tail}"
        )
        for part in check.parts:
            show(part, depth + 1)

    flags = assessment.red_flags
    console.print(f"[bold {'red' if flags.refer else 'green'}]{escape(flags.advice())}[/]")
    if not assessment.diagnoses:
        console.print("No ICHD-3 diagnosis is fulfilled by this history.")
    for d in assessment.diagnoses:
        kind = "probable" if d.probable else "diagnosis"
        note = f" ({escape(d.note)})" if d.note else ""
        console.print(f"\n[bold]{d.code} {escape(d.name)}[/] — {kind}{note}")
        show(d.check, 1)
    if assessment.undecided:
        console.print("\n[bold]Not decidable with these answers:[/]")
        for u in assessment.undecided:
            asked = dict.fromkeys(question_of(m) for m in u.missing)  # min and max: one question
            needs = "; ".join(asked) or "more answers"
            note = f" ({escape(u.note)})" if u.note else ""
            console.print(f"  {u.code} {escape(u.name)}{note} — needs {escape(needs)}")
