"""accord coverage: which framework requirements an audit gives evidence for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli._app import app, handle_errors, split_csv, stdout
from accord.cli._options import dump_json

#: Short column heads for the terminal; the legend under the table spells them out.
SHORT = {
    "failing": "fail",
    "evidenced": "pass",
    "measured": "measured",
    "inconclusive": "inconcl.",
    "attested": "yes",
    "process_gap": "no",
    "not_applicable": "n/a",
    "needs_answer": "to answer",
    "uncovered": "none",
}
STYLE = {
    "failing": "red",
    "evidenced": "green",
    "measured": "cyan",
    "inconclusive": "magenta",
    "attested": "green",
    "process_gap": "red",
    "not_applicable": "dim",
    "needs_answer": "yellow",
    "uncovered": "dim",
}


@app.command()
@handle_errors
def coverage(
    audit: Annotated[
        Path | None,
        typer.Option("--audit", help="An audit record (audit.json from 'accord audit')."),
    ] = None,
    classification: Annotated[
        Path | None,
        typer.Option(
            "--classification",
            help="The JSON from 'accord classify --out': decides which obligations are in scope.",
        ),
    ] = None,
    checklist: Annotated[
        Path | None,
        typer.Option(
            "--checklist",
            help="YAML answers to the "
            "process checks: QUESTION-ID: yes | no | na, or "
            "{answer, evidence, note}.",
        ),
    ] = None,
    frameworks: Annotated[
        list[str] | None,
        typer.Option(
            "--frameworks",
            help="Frameworks to "
            "report, ID[,ID...]; default: those the "
            "classification triggers plus NIST-RMF and "
            "ISO42001.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the coverage as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the coverage JSON here.")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML page here.")
    ] = None,
    checklist_template: Annotated[
        Path | None,
        typer.Option(
            "--checklist-template", help="Write a checklist answer file to fill in, and exit."
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every requirement, not only the failing, unanswered and uncovered ones.",
        ),
    ] = False,
) -> None:
    """Show which framework requirements an audit gives evidence for.

    Each requirement is evidenced by a passing or failing check, needs a process answer, or
    is covered by nothing yet.
    """
    from accord.core import UsageError
    from accord.governance import compute_coverage, parse_checklist_answers

    if checklist_template is not None:
        write_template(checklist_template)
        stdout.print(f"wrote [bold]{checklist_template}[/]")
        return
    if audit is None and checklist is None:
        raise UsageError(
            "give the evidence to weigh",
            fix="pass --audit audit.json and/or --checklist answers.yaml",
        )
    findings: list[Any] = []
    measured: list[str] = []
    if audit is not None:
        from accord.governance import evidence_from_audit

        ev = evidence_from_audit(_read_json(audit, "audit"))
        findings, measured = ev.findings, ev.measured
    cls = None
    if classification is not None:
        from accord.governance import Classification

        cls = Classification.model_validate(
            _read_json(classification, "classification")
        ).model_dump(mode="json", by_alias=True)
    answers = (
        parse_checklist_answers(_read_checklist(checklist)) if checklist is not None else None
    )
    cov = compute_coverage(
        findings=findings,
        measured=measured,
        classification=cls,
        checklist=answers,
        frameworks=split_csv(frameworks) or None,
    )
    text = dump_json(cov.model_dump(mode="json", by_alias=True), out)
    if html is not None:
        from accord.report._coverage import render_coverage_page

        html.write_text(render_coverage_page(cov), encoding="utf-8")
    if as_json:
        print(text)
        return
    render_coverage(cov, stdout, show_all=show_all)
    for path in (out, html):
        if path is not None:
            stdout.print(f"wrote [bold]{path}[/]")


def _read_json(path: Path, what: str) -> Any:
    from accord.core import UsageError

    if not path.exists():
        raise UsageError(f"the {what} file does not exist", value=str(path))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"the {what} file is not valid JSON: {exc}", value=str(path)) from None


def _read_checklist(path: Path) -> dict[str, Any]:
    from accord.cli._classify import read_mapping

    data = read_mapping(path, "checklist")
    # Answers may be kept under their area for readability; flatten them.
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and not ({"answer", "evidence", "note"} & set(value)):
            flat.update(value)
        else:
            flat[key] = value
    return flat


def write_template(path: Path) -> None:
    """Write every process-check question as a commented answer file."""
    from accord.governance import load_catalog

    lines = [
        "# accord process checks: answer yes, no or na; add evidence: <link> and note.",
        "# Remove the questions you do not answer.",
        "",
    ]
    area = ""
    for q in load_catalog().checklist:
        if q.area != area:
            area = q.area
            lines.append(f"# --- {area}")
        lines.append(f"# {q.question}")
        lines.append(f"#   expected evidence: {q.expected_evidence}")
        lines.append(f"{q.id}: {{answer: null, evidence: null}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def render_coverage(cov: Any, console: Console, *, show_all: bool = False) -> None:
    """Print a coverage summary per framework, then the requirements that need attention."""
    from accord.governance import STATUS_LABELS, STATUSES

    if cov.tier_label:
        console.print(f"EU AI Act classification: [bold]{cov.tier_label}[/]")
    table = Table(title="Evidence coverage")
    table.add_column("framework")
    table.add_column("requirements", justify="right")
    shown = [s for s in STATUSES if any(f.counts.get(s) for f in cov.frameworks)]
    for s in shown:
        table.add_column(f"[{STYLE[s]}]{SHORT[s]}[/]", justify="right")
    for f in cov.frameworks:
        table.add_row(f.title, str(f.total), *[str(f.counts.get(s, 0)) for s in shown])
    console.print(table)
    console.print(
        "[dim]" + "; ".join(f"{SHORT[s]}: {STATUS_LABELS[s].lower()}" for s in shown) + "[/]"
    )
    attention = ("failing", "inconclusive", "process_gap", "needs_answer", "uncovered")
    rows = [r for r in cov.requirements if show_all or r.status in attention]
    if rows:
        detail = Table(title="Requirements" if show_all else "Requirements that need attention")
        for col in ("requirement", "status", "evidence"):
            detail.add_column(col)
        for r in rows:
            ev = "; ".join(f"{c.check_id} ({c.status})" for c in r.checks[:4])
            if not ev and r.process:
                ev = "; ".join(f"{p.question}: {p.answer or 'unanswered'}" for p in r.process)
            detail.add_row(
                f"{r.requirement}\n{r.title}",
                f"[{STYLE[r.status]}]{STATUS_LABELS[r.status]}[/]",
                ev,
            )
        console.print(detail)
    for note in (f"{f.title}: {f.note}" for f in cov.frameworks if f.note):
        console.print(f"[dim]note:[/] {note}")
    if cov.unmapped_checks:
        console.print(
            "[dim]checks accord cannot map to requirements:[/] " + ", ".join(cov.unmapped_checks)
        )
    console.print(f"[dim]{cov.disclaimer}[/]")
