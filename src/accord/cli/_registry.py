"""accord registry list | show | history | export | verify, and recording an audit."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli._app import app, handle_errors, stderr, stdout
from accord.cli._serve import DB_HELP, open_registry

registry_app = typer.Typer(
    help="The inventory of AI systems and their audits, from the terminal.", no_args_is_help=True
)
app.add_typer(registry_app, name="registry")

_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "warn": "yellow",
    "error": "bold yellow",
    "no_checks": "dim",
}


def _registry(db: str | None) -> object:
    from accord.registry import Registry

    reg = open_registry(db)
    assert isinstance(reg, Registry)
    return reg


def _status(status: str | None) -> str:
    if status is None:
        return "[dim]never audited[/]"
    return f"[{_STYLE.get(status, 'white')}]{status.replace('_', ' ')}[/]"


@registry_app.command("list")
@handle_errors
def list_systems(
    q: str | None = typer.Option(None, "--search", help="Search name, owner, purpose, domain."),
    risk_tier: str | None = typer.Option(None, "--risk-tier", help="Only this risk tier."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Every system with its risk tier, latest audit status and owner."""
    from accord.registry import Registry

    reg = _registry(db)
    assert isinstance(reg, Registry)
    page = reg.list_systems(q=q, risk_tier=risk_tier, limit=500)
    if as_json:
        stdout.print_json(page.model_dump_json())
        return
    table = Table("System", "Risk tier", "Latest audit", "Last audited", "Version", "Owner")
    for s in page.items:
        la = s.latest_audit
        table.add_row(
            s.name,
            s.risk_tier or "-",
            _status(la.status if la else None),
            la.created_at.strftime("%Y-%m-%d") if la else "-",
            la.version if la else "-",
            s.owner or "-",
        )
    stdout.print(table)
    stdout.print(f"{page.total} system(s)")


@registry_app.command("show")
@handle_errors
def show(
    name: str = typer.Argument(..., help="The system."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """One system: its facts, versions and aliases, latest findings, checklist, sign-offs."""
    from accord.registry import Registry

    reg = _registry(db)
    assert isinstance(reg, Registry)
    system = reg.get_system(name)
    versions = reg.list_versions(name)
    latest = reg.get_audit(system.latest_audit.id) if system.latest_audit else None
    if as_json:
        stdout.print_json(
            json.dumps(
                {
                    "system": system.model_dump(mode="json"),
                    "versions": [v.model_dump(mode="json") for v in versions],
                    "latest_audit": latest.model_dump(mode="json") if latest else None,
                    "checklist": [c.model_dump(mode="json") for c in reg.checklist(name)],
                    "signoffs": [x.model_dump(mode="json") for x in reg.list_signoffs(name).items],
                }
            )
        )
        return
    stdout.print(f"[bold]{system.name}[/]  {system.purpose}")
    stdout.print(
        f"owner: {system.owner or '-'} · domain: {system.domain or '-'} · stage: "
        f"{system.lifecycle} · risk tier: {system.risk_tier or 'not classified'}"
    )
    if system.countries or system.languages:
        stdout.print(
            f"countries: {', '.join(system.countries) or '-'} · languages: "
            f"{', '.join(system.languages) or '-'}"
        )
    vt = Table("Version", "Aliases", "Audits", title="Versions")
    for v in versions:
        vt.add_row(v.name, ", ".join(v.aliases) or "-", str(v.audits))
    stdout.print(vt)
    if latest:
        ft = Table(
            "Check",
            "Status",
            "Value",
            title=f"Findings of audit {latest.id} "
            f"({latest.version}, {latest.created_at:%Y-%m-%d})",
        )
        for f in latest.findings:
            ft.add_row(
                f.title or f.check_id,
                _status(f.status),
                "-" if f.value is None else f"{f.value:.3f}",
            )
        stdout.print(ft if latest.findings else "the latest audit ran no checks")
    status = reg.checklist_status(name)
    answered = [c for c in status if c.answer is not None]
    stdout.print(
        f"checklist: {sum(c.status == 'answered' for c in status)} of "
        f"{sum(c.status != 'not_in_checklist' for c in status)} questions answered"
    )
    for c in answered:
        assert c.answer is not None
        link = f" {c.answer.evidence_url}" if c.answer.evidence_url else ""
        stdout.print(
            escape(f"  {c.id}: {c.answer.answer}{link} ({c.answer.answered_by})"),
            soft_wrap=True,
        )
    for x in reg.list_signoffs(name, limit=10).items:
        stdout.print(
            f"sign-off: {x.decision} {x.version} for {x.use!r} by {x.signed_by} "
            f"on {x.signed_at:%Y-%m-%d}"
        )


@registry_app.command("classify")
@handle_errors
def classify_system(
    name: str = typer.Argument(..., help="The system."),
    answers: Path = typer.Option(
        ...,
        "--answers",
        help="YAML or JSON file of answers to the EU AI Act questionnaire, by the question "
        "ids of 'accord classify' (accord classify --list-questions).",
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Classify a system under the EU AI Act from an answer file, and store the tier, the
    answers that decided it and the obligations with their dates.
    """
    from accord.cli._classify import read_mapping, render_classification
    from accord.governance import Classification
    from accord.registry import Registry, local_principal

    reg = _registry(db)
    assert isinstance(reg, Registry)
    view = reg.classify_system(local_principal().actor, name, read_mapping(answers, "answers"))
    render_classification(Classification.model_validate(view.classification), stdout)


@registry_app.command("answer")
@handle_errors
def answer_question(
    name: str = typer.Argument(..., help="The system."),
    question: str = typer.Argument(
        ..., help="A question id of the governance checklist, e.g. PC-GOV-01."
    ),
    answer: str = typer.Argument(..., help="yes, no, partial or not_applicable (na)."),
    evidence: str | None = typer.Option(None, "--evidence", help="A link to the evidence."),
    comment: str = typer.Option("", "--comment", help="A note on the answer."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Answer a question of the governance checklist for a system (the latest answer counts;
    earlier ones stay in the log).
    """
    from accord.registry import Registry, local_principal

    reg = _registry(db)
    assert isinstance(reg, Registry)
    view = reg.answer_checklist(
        local_principal().actor, name, question, answer, evidence_url=evidence, comment=comment
    )
    stdout.print(
        escape(f"{name} {view.item_id}: {view.answer}" + (f" ({evidence})" if evidence else "")),
        soft_wrap=True,
    )


@registry_app.command("history")
@handle_errors
def history(
    name: str = typer.Argument(..., help="The system."),
    events: bool = typer.Option(
        False, "--events", help="Show the event log instead of the audits."
    ),
    limit: int = typer.Option(50, "--limit", help="How many, newest first."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """A system's audits over time with their key disparities (or its event log)."""
    from accord.registry import Registry

    reg = _registry(db)
    assert isinstance(reg, Registry)
    if events:
        et = Table("#", "When", "Who", "What")
        for e in reg.list_events(system=name, limit=limit).items:
            et.add_row(str(e.seq), f"{e.at:%Y-%m-%d %H:%M}", e.actor, f"{e.action} {e.subject}")
        stdout.print(et)
        return
    table = Table("Audit", "Run", "Version", "Status", "Largest gaps between groups (CI)")
    for a in reg.list_audits(system=name, limit=limit).items:
        gaps = "; ".join(
            f"{d.metric} by {d.attribute} {d.value:.3f} [{d.ci_low or 0:.3f}, "
            f"{d.ci_high or 0:.3f}]"
            if d.value is not None
            else f"{d.metric} by {d.attribute}: {d.status}"
            for d in a.key_disparities
        )
        table.add_row(
            str(a.id), f"{a.created_at:%Y-%m-%d}", a.version, _status(a.status), gaps or "-"
        )
    stdout.print(table)


@registry_app.command("export")
@handle_errors
def export(
    system: str | None = typer.Option(None, "--system", help="Only this system."),
    out: Path | None = typer.Option(None, "--out", help="Write here instead of stdout."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Everything (systems, versions, audits with their full results, checklist, sign-offs,
    events and the chain status) as one JSON document.
    """
    from accord.core import dumps
    from accord.registry import Registry

    reg = _registry(db)
    assert isinstance(reg, Registry)
    text = dumps(reg.export(system))
    if out is None:
        print(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        stderr.print(f"wrote {out}")


@registry_app.command("verify")
@handle_errors
def verify(
    expect_head: str | None = typer.Option(
        None,
        "--expect-head",
        help="A head hash printed by an earlier verify: it must still be in the chain.",
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Check the event log's hash chain; exit 1 if any event was changed or removed."""
    from accord.registry import IntegrityCheckError, Registry

    reg = _registry(db)
    assert isinstance(reg, Registry)
    status = reg.verify(expect_head=expect_head)
    if not status.ok:
        for problem in status.problems:
            stderr.print(f"[bold red]tampered:[/] {problem}", soft_wrap=True)
        raise IntegrityCheckError(
            f"the event chain does not verify ({len(status.problems)} problem(s))",
            fix="restore the database from a backup and compare exports to find what changed",
        )
    stdout.print(f"chain ok: {status.events} events, head {status.head_seq} {status.head_hash}")


def record_audit(
    result: object, *, system: str | None, version: str | None, server: str | None
) -> None:
    """Record an audit from ``accord audit --push``: through the API when ``server`` is
    given (token from $ACCORD_TOKEN), else in the local registry ($ACCORD_DB or the
    default SQLite file, upgraded and created as needed).
    """
    from accord.core import UsageError
    from accord.report import AuditResult

    assert isinstance(result, AuditResult)
    if not system or not version:
        raise UsageError(
            "--push needs --system and --version",
            fix="e.g. --system credit-scoring --version 2.1 --push",
        )
    if server:
        from accord.server import push_audit

        data = push_audit(server, result, system=system, version=version)
        stderr.print(
            f"recorded audit {data['id']} of {system} {version} on {server} "
            f"(status {data['status']})"
        )
        return
    from accord.registry import Registry, describe_url, local_principal

    reg = open_registry(None, upgrade=True)
    assert isinstance(reg, Registry)
    view = reg.record_audit(local_principal().actor, system, version, result, create_system=True)
    stderr.print(
        f"recorded audit {view.id} of {system} {version} in "
        f"{describe_url(reg.engine)} (status {view.status})"
    )
