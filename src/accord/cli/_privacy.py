"""accord privacy | pii | anonymize: re-identification risk, direct identifiers, anonymisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli._app import app, handle_errors, split_csv, stderr, stdout
from accord.cli._options import NaOption, parse_formats, write_reports
from accord.cli._progress import RichProgress

FORMATS = ("html", "json")


@app.command()
@handle_errors
def privacy(
    data: str = typer.Argument(
        ..., help="CSV, Parquet or Arrow IPC file, or '-' for CSV on standard input."
    ),
    quasi_identifiers: list[str] | None = typer.Option(
        None,
        "--quasi-identifiers",
        help="Columns an attacker may know, COL[,COL...]; leave out to have accord suggest them.",
    ),
    sensitive: list[str] | None = typer.Option(
        None, "--sensitive", help="Sensitive attributes, for l-diversity and t-closeness."
    ),
    population_size: float | None = typer.Option(
        None, "--population-size", help="Size of the population the data was drawn from."
    ),
    population: str | None = typer.Option(
        None,
        "--population",
        help="A region instead of a size: usa, uk, china, india, germany, ...",
    ),
    population_table: str | None = typer.Option(
        None,
        "--population-table",
        help="A table of the population (journalist and marketer risk, delta-presence).",
    ),
    risk_threshold: float = typer.Option(
        0.2,
        "--risk-threshold",
        help="A record is at risk above this re-identification probability.",
    ),
    recursive_l: int = typer.Option(
        2, "--recursive-l", help="The l of recursive (c, l)-diversity."
    ),
    max_order: int = typer.Option(
        2,
        "--max-order",
        min=1,
        help="Largest combination of quasi-identifiers in the risk ranking.",
    ),
    suppress_below: int = typer.Option(
        10,
        "--suppress-below",
        help="Counts of records below this are suppressed in the reports (0 or 1: off).",
    ),
    dp_epsilon: float | None = typer.Option(
        None,
        "--dp-epsilon",
        help="Also release the "
        "class-size histogram with this epsilon of "
        "differential privacy (OpenDP).",
    ),
    na: NaOption = None,
    out: Path = typer.Option(Path("accord-privacy"), "--out", help="Directory for the reports."),
    fmt: str = typer.Option("html,json", "--format", help="Reports to write: html,json."),
    quiet: bool = typer.Option(False, "--quiet", help="Print no summary."),
) -> None:
    """Measure re-identification risk: k, l, t, attacker models, population uniqueness."""
    from accord.privacy import assess

    formats = parse_formats(fmt, FORMATS)
    with RichProgress(stderr, enabled=not quiet) as progress:
        result = assess(
            data,
            quasi_identifiers=split_csv(quasi_identifiers) or None,
            sensitive=split_csv(sensitive),
            population_size=population_size,
            population=population,
            population_table=population_table,
            risk_threshold=risk_threshold,
            recursive_l=recursive_l,
            max_order=max_order,
            suppress_below=suppress_below,
            dp_epsilon=dp_epsilon,
            null_values=split_csv(na) or None,
            progress=progress,
        )
        from accord.report import privacy_html

        progress.stage("Writing the reports")
        written = write_reports(
            out,
            formats,
            {
                "json": ("privacy.json", lambda: result.to_json() + "\n"),
                "html": ("privacy.html", lambda: privacy_html(result)),
            },
        )
    if not quiet:
        _summary(result)
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")


def _summary(result: Any) -> None:
    from rich.table import Table

    from accord.core import coarsen_count, disclosure_note

    t = result.settings.suppress_below
    stdout.print(
        f"[bold]accord privacy[/]: {result.input.rows:,} records, quasi-identifiers "
        f"{', '.join(result.quasi_identifiers)}"
    )
    table = Table(show_header=False, box=None)
    table.add_row("k-anonymity", str(result.k_anonymity))
    table.add_row("equivalence classes", f"{result.classes.count:,}")
    table.add_row("records unique in the data", coarsen_count(result.classes.sample_uniques, t))
    p = result.risk.prosecutor
    table.add_row(
        f"records at risk (> {result.risk.threshold})", f"{100 * (p.records_at_risk or 0):.2f}%"
    )
    table.add_row("average risk (prosecutor)", f"{100 * p.success_rate:.2f}%")
    for d, c in zip(result.l_diversity, result.t_closeness, strict=True):
        table.add_row(f"{d.attribute}: distinct l / t", f"{d.distinct} / {c.t:.4f}")
    if result.population_uniqueness is not None:
        d = result.population_uniqueness.estimate("dankar")
        table.add_row(
            "population uniques (Dankar)",
            f"{100 * d.fraction:.4f}%" if d.fraction is not None else "failed",
        )
    stdout.print(table)
    stdout.print(f"[dim]{disclosure_note(t)}[/]")
    for w in result.warnings:
        stdout.print(f"[yellow]warning:[/] {w}")


@app.command()
@handle_errors
def anonymize(
    data: str = typer.Argument(..., help="CSV, Parquet or Arrow IPC file."),
    config: Path = typer.Option(
        ...,
        "--config",
        help="anonymize.yaml: quasi-identifiers and "
        "hierarchies, privacy models, suppression limit, utility.",
    ),
    out: Path = typer.Option(..., "--out", help="The anonymised data (.parquet, .csv, .arrow)."),
    report: Path | None = typer.Option(
        None, "--report", help="Directory for the JSON and HTML reports (default: next to --out)."
    ),
    na: NaOption = None,
    quiet: bool = typer.Option(False, "--quiet", help="Print no summary."),
) -> None:
    """Anonymise data: the loss-optimal generalisation that meets k, l, t or risk targets.

    Optimal full-domain generalisation (or Mondrian local recoding) with a suppression
    limit; the recoded rows are written lazily to a file.
    """
    from accord.privacy import anonymize as run
    from accord.report import anonymization_html

    with RichProgress(stderr, enabled=not quiet) as progress:
        result = run(
            data, config, output=out, null_values=split_csv(na) or None, progress=progress
        )
        folder = report or out.parent
        folder.mkdir(parents=True, exist_ok=True)
        stem = out.name.split(".")[0]
        result.to_json(folder / f"{stem}.report.json")
        (folder / f"{stem}.report.html").write_text(anonymization_html(result), encoding="utf-8")
    if not quiet:
        levels = ", ".join(f"{q}={lv}" for q, lv in result.levels.items()) or "local recoding"
        stdout.print(f"[bold]accord anonymize[/]: {result.method}; {levels}")
        stdout.print(
            f"  k = {result.privacy_after.k_anonymity}, {result.classes:,} classes, "
            f"{result.suppressed_records:,} records suppressed "
            f"({100 * result.suppressed_share:.2f}%), loss "
            f"{result.utility_after.loss:.4f}"
        )
        stdout.print(
            f"wrote [bold]{out}[/] ({result.output_rows:,} rows) and its report in "
            f"[bold]{folder}[/]"
        )


@app.command()
@handle_errors
def pii(
    data: str = typer.Argument(
        ..., help="CSV, Parquet or Arrow IPC file, or '-' for CSV on standard input."
    ),
    columns: list[str] | None = typer.Option(
        None, "--columns", help="Columns to scan (default: all)."
    ),
    sample: int = typer.Option(10_000, "--sample", help="Rows looked at, spread evenly."),
    na: NaOption = None,
    out: Path = typer.Option(Path("accord-pii"), "--out", help="Directory for the reports."),
    fmt: str = typer.Option("html,json", "--format", help="Reports to write: html,json."),
    quiet: bool = typer.Option(False, "--quiet", help="Print no summary."),
) -> None:
    """Find direct identifiers (e-mail, phone, card, IBAN, national ids, ...) in the data.

    Scans columns by name and content, and free text, for e-mail addresses, phone numbers,
    payment cards, IBANs, IP addresses, dates of birth, national ids and person names.
    """
    from rich.table import Table

    from accord.privacy import scan_pii
    from accord.report import pii_html

    formats = parse_formats(fmt, FORMATS)
    with RichProgress(stderr, enabled=not quiet) as progress:
        result = scan_pii(
            data,
            columns=split_csv(columns) or None,
            sample=sample,
            null_values=split_csv(na) or None,
            progress=progress,
        )
    written = write_reports(
        out,
        formats,
        {
            "json": ("pii.json", lambda: result.to_json() + "\n"),
            "html": ("pii.html", lambda: pii_html(result)),
        },
    )
    if not quiet:
        stdout.print(
            f"[bold]accord pii[/]: {result.rows:,} rows ({result.sampled_rows:,} "
            f"looked at), {len(result.columns)} columns"
        )
        table = Table("column", "identifier", "where", "share", "confidence", "examples")
        for f in result.findings:
            table.add_row(
                f.column,
                f.entity,
                f.kind,
                f"{100 * f.share:.1f}%",
                f"{f.confidence:.2f}",
                " ".join(f.examples),
            )
        stdout.print(table if result.findings else "no direct identifier found")
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")
