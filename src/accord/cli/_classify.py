"""accord classify: where a described AI system falls under the EU AI Act, and other duties."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, Prompt
from rich.table import Table

from accord.cli._app import app, handle_errors, stderr, stdout
from accord.cli._options import dump_json


@app.command()
@handle_errors
def classify(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="YAML or JSON file of answers "
            "by question id (see --list-questions); without it the "
            "questions are asked interactively.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the classification as JSON.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also write the classification as "
            "JSON to this file (the input of 'accord coverage').",
        ),
    ] = None,
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers", help="Write the answers given interactively to this YAML file."
        ),
    ] = None,
    list_questions: Annotated[
        bool,
        typer.Option(
            "--list-questions", help="List the question ids, their answers and defaults, and exit."
        ),
    ] = False,
) -> None:
    """Classify an AI system under the EU AI Act and list the duties it triggers.

    Tiers: prohibited, high-risk, transparency, general-purpose AI, minimal; each duty comes
    with its article reference and the date it applies from.
    """
    from accord.core import UsageError
    from accord.governance import classify as run

    if list_questions:
        _list_questions(as_json)
        return
    if answers is not None:
        given = read_mapping(answers, "answers")
    elif sys.stdin.isatty():
        given = ask(stderr)
        if save_answers is not None:
            import yaml

            save_answers.write_text(
                yaml.safe_dump(given, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
    else:
        raise UsageError(
            "no answers given and standard input is not a terminal",
            fix="pass --answers answers.yaml (question ids: accord classify --list-questions)",
        )
    result = run(given)
    text = dump_json(result.model_dump(mode="json", by_alias=True), out)
    if as_json:
        print(text)
        return
    render_classification(result, stdout)
    if out is not None:
        stdout.print(f"wrote [bold]{out}[/]")


def read_mapping(path: Path, what: str) -> dict[str, Any]:
    """Read a YAML (or JSON) file that maps question ids to answers."""
    import yaml

    from accord.core import UsageError

    if not path.exists():
        raise UsageError(f"the {what} file does not exist", value=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise UsageError(
            f"cannot parse the {what} file: {exc}",
            value=str(path),
            fix="write one 'question-id: answer' per line",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"the {what} file must map question ids to answers", value=str(path))
    return data


def _list_questions(as_json: bool) -> None:
    from accord.governance import QUESTIONS

    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": q.id,
                        "group": q.group,
                        "text": q.text,
                        "kind": q.kind,
                        "choices": [c for c, _ in q.choices],
                        "default": q.default,
                        "reference": q.ref,
                    }
                    for q in QUESTIONS
                ],
                indent=2,
            )
        )
        return
    table = Table(title="accord classify: question ids")
    for col in ("id", "question", "answer", "default"):
        table.add_column(col)
    for q in QUESTIONS:
        kind = {"bool": "yes/no", "number": "number"}.get(
            q.kind,
            " | ".join(c for c, _ in q.choices)
            if q.kind == "choice"
            else "list of: " + ", ".join(c for c, _ in q.choices),
        )
        table.add_row(q.id, q.text, kind, json.dumps(q.default))
    stdout.print(table)


def ask(console: Console) -> dict[str, Any]:
    """Ask the questionnaire interactively; returns the answers given (relevant ones only)."""
    from accord.governance import QUESTIONS

    answers: dict[str, Any] = {q.id: q.default for q in QUESTIONS}
    given: dict[str, Any] = {}
    group = ""
    for q in QUESTIONS:
        if not q.when(answers):
            continue
        if q.group != group:
            group = q.group
            console.rule(group)
        prompt = f"{q.text} [dim]({q.ref})[/]" if q.ref else q.text
        value: Any
        if q.kind == "bool":
            value = Confirm.ask(prompt, default=bool(q.default), console=console)
        elif q.kind == "number":
            value = FloatPrompt.ask(prompt, default=float(q.default), console=console)
        elif q.kind == "choice":
            for n, (key, label) in enumerate(q.choices, 1):
                console.print(f"  {n}. {label} [dim]({key})[/]")
            pick = Prompt.ask(
                prompt,
                choices=[str(n) for n in range(1, len(q.choices) + 1)],
                default=str([c for c, _ in q.choices].index(q.default) + 1),
                console=console,
            )
            value = q.choices[int(pick) - 1][0]
        else:
            for n, (key, label) in enumerate(q.choices, 1):
                console.print(f"  {n:>2}. {key:<5} {label}")
            while True:
                text = Prompt.ask(
                    prompt + " [dim](numbers separated by commas; empty for none)[/]",
                    default="",
                    console=console,
                )
                try:
                    picks = [int(p) for p in text.replace(" ", "").split(",") if p]
                    value = [q.choices[p - 1][0] for p in picks if 1 <= p <= len(q.choices)]
                    if len(value) == len(picks):
                        break
                except ValueError:
                    pass
                console.print("[red]Give numbers from the list, separated by commas.[/]")
        answers[q.id] = value
        given[q.id] = value
    return given


def render_classification(result: Any, console: Console) -> None:
    """Print a classification: tier, deciding answers, obligations and dates."""
    colour = {
        "prohibited": "red",
        "high_risk": "yellow",
        "transparency": "cyan",
        "minimal": "green",
        "out_of_scope": "dim",
    }[result.tier]
    console.print(f"EU AI Act: [bold {colour}]{result.tier_label}[/]")
    extras = []
    if result.high_risk_route:
        extras.append(
            "route: "
            + (
                "Annex I product"
                + (f" (Section {result.annex_i_section})" if result.annex_i_section else "")
                if result.high_risk_route == "annex_i"
                else "Annex III " + ", ".join(result.annex_iii_points)
            )
        )
    if result.derogation:
        extras.append(f"Art 6(3) derogation: {result.derogation}")
    if result.gpai != "none":
        extras.append(
            "general-purpose AI model"
            + (" with systemic risk" if result.gpai == "gpai_systemic" else "")
        )
    extras.append(
        "NYC Local Law 144 applies" if result.nyc_ll144 else "NYC Local Law 144 does not apply"
    )
    console.print("; ".join(extras))
    if result.deciding:
        table = Table(title="Answers that decided it")
        for col in ("question", "answer", "effect"):
            table.add_column(col)
        for d in result.deciding:
            table.add_row(d.question, json.dumps(d.answer), d.effect)
        console.print(table)
    if result.obligations:
        table = Table(title=f"{len(result.obligations)} obligations")
        for col in ("reference", "title", "duty holder", "applies from", "why"):
            table.add_column(col)
        for o in result.obligations:
            fw = "" if o.framework == "EUAIA" else f"{o.framework} "
            table.add_row(
                fw + o.reference,
                o.title,
                o.duty_holder,
                o.applies_from.isoformat() if o.applies_from else "",
                o.why,
            )
        console.print(table)
    for note in result.notes:
        console.print(f"[dim]note:[/] {note}")
    console.print(f"[dim]{result.disclaimer}[/]")
