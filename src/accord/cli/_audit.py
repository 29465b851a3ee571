"""accord audit: a fairness audit of predictions from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli._app import app, handle_errors, split_csv, stderr, stdout
from accord.cli._check import (
    DiscoverMetricOption,
    DiscoverOption,
    ExitZeroOption,
    ExploreOption,
    FailOnOption,
    ParamOption,
    PolicyOption,
    PresetOption,
    finish_audit,
    load_cli_policy,
)
from accord.cli._options import (
    DpEpsilonOption,
    NaOption,
    SuppressBelowOption,
    disclosure_options,
    parse_bins,
    parse_formats,
    write_reports,
)
from accord.cli._progress import RichProgress

FORMATS = ("html", "json", "md", "junit")


@app.command()
@handle_errors
def audit(
    data: str | None = typer.Argument(
        None, help="CSV, Parquet or Arrow IPC file, or '-' for CSV on standard input."
    ),
    label: str | None = typer.Option(
        None, "--label", help="Column with the true outcome (unless the policy names it)."
    ),
    prediction: str | None = typer.Option(
        None, "--prediction", help="Column with the model's prediction."
    ),
    sensitive: list[str] | None = typer.Option(
        None,
        "--sensitive",
        help="Sensitive attributes, COL[,COL...]; every intersection is audited too.",
    ),
    score: str | None = typer.Option(
        None, "--score", help="Column with the predicted probability of the positive class."
    ),
    positive: str | None = typer.Option(
        None, "--positive", help="The positive label value (when the label is not 0/1 or boolean)."
    ),
    weight: str | None = typer.Option(None, "--weight", help="Column of row weights."),
    task: str = typer.Option(
        "classification", "--task", help="classification (binary or multiclass) or regression."
    ),
    reference: list[str] | None = typer.Option(
        None,
        "--reference",
        help="Reference group, COL=VALUE (repeatable); default: the largest. Or a reference "
        "population (.csv / .yaml file, or us-census-1990): adds an inclusion section.",
    ),
    max_order: int | None = typer.Option(
        None,
        "--max-order",
        help="Largest intersection audited (default: all attributes together).",
    ),
    min_group_size: int = typer.Option(
        30, "--min-group-size", help="Smaller groups are reported as insufficient data."
    ),
    bootstrap: int = typer.Option(
        1000,
        "--bootstrap",
        help="Bootstrap replicates for intervals of differences and ratios (0: none).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    bins: list[str] | None = typer.Option(
        None,
        "--bins",
        help="Bin edges of a numeric sensitive attribute, COL=EDGE,EDGE (repeatable).",
    ),
    ci_level: float = typer.Option(0.95, "--ci-level", help="Confidence level."),
    score_bins: int = typer.Option(
        1000, "--score-bins", help="Bins of the score histogram that AUC is computed from."
    ),
    correction: str = typer.Option("holm", "--correction", help="holm or bh."),
    na: NaOption = None,
    force: bool = typer.Option(
        False,
        "--force",
        help="Audit a sensitive attribute even when it has more than 1000 distinct values.",
    ),
    engine: str = typer.Option(
        "polars", "--engine", help="Engine that reads the file: polars, duckdb or spark."
    ),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="Spark master URL with --engine spark (default: local)."
    ),
    sql: str | None = typer.Option(
        None, "--sql", help="Audit a table in a SQL database: its URL (with --table)."
    ),
    table: str | None = typer.Option(None, "--table", help="The table to audit, with --sql."),
    out: Path = typer.Option(Path("accord-report"), "--out", help="Directory for the reports."),
    fmt: str = typer.Option(
        "html,json",
        "--format",
        help="Reports to write: html,json,md,junit (with a policy, "
        "md and junit also write the findings).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print no summary."),
    system: str | None = typer.Option(None, "--system", help="With --push: the system audited."),
    version: str | None = typer.Option(None, "--version", help="With --push: its version."),
    push: bool = typer.Option(False, "--push", help="Record the audit in the registry."),
    server: str | None = typer.Option(
        None,
        "--server",
        help="With --push: a registry server URL (token in $ACCORD_TOKEN); else local.",
    ),
    policy: PolicyOption = None,
    preset: PresetOption = None,
    param: ParamOption = None,
    fail_on: FailOnOption = "fail",
    exit_zero: ExitZeroOption = False,
    discover: DiscoverOption = False,
    discover_metric: DiscoverMetricOption = None,
    explore: ExploreOption = None,
    suppress_below: SuppressBelowOption = None,
    dp_epsilon: DpEpsilonOption = None,
) -> None:
    """Audit predictions for disparities between groups (and their intersections)."""
    source = _data_source(data, sql, table)
    formats = parse_formats(fmt, FORMATS)
    result = audit_and_report(
        source,
        out=out,
        formats=formats,
        quiet=quiet,
        label=label,
        prediction=prediction,
        sensitive=split_csv(sensitive),
        score=score,
        positive=positive,
        weight=weight,
        task=task,
        reference=split_csv(reference) or None,
        max_order=max_order,
        min_group_size=min_group_size,
        bootstrap=bootstrap,
        seed=seed,
        bins=parse_bins(bins),
        ci_level=ci_level,
        score_bins=score_bins,
        correction=correction,
        force=force,
        null_values=split_csv(na) or None,
        engine=engine,
        spark_master=spark_master,
        policy=load_cli_policy(policy, preset, param),
        discover=discover_metric or discover,
        explore=split_csv(explore) or None,
        **disclosure_options(suppress_below, dp_epsilon),
    )
    if push:
        from accord.cli._registry import record_audit

        record_audit(result, system=system, version=version, server=server)
    finish_audit(result, out, formats, fail_on=fail_on, exit_zero=exit_zero, quiet=quiet)


def audit_and_report(
    data: object, *, out: Path, formats: list[str], quiet: bool, **options: Any
) -> object:
    """Run ``accord.audit(data, **options)`` with a progress bar, write the reports into
    ``out`` and print the summary: what every command that audits predictions does.
    """
    from accord.pipeline import audit
    from accord.report import render_terminal

    with RichProgress(stderr, enabled=not quiet) as progress:
        result = audit(data, progress=progress, **options)
        written = _write(result, out, formats, progress)
    if not quiet:
        render_terminal(result, stdout)
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")
    return result


def _data_source(data: str | None, sql: str | None, table: str | None) -> object:
    """The DATA argument, or the SQL table named by --sql and --table."""
    from accord.core import UsageError

    if sql is None and table is None:
        if data is None:
            raise UsageError(
                "name the data to audit", fix="pass a file, '-', or --sql URL --table NAME"
            )
        return data
    if data is not None:
        raise UsageError("give either a DATA file or --sql/--table, not both", value=data)
    if sql is None or table is None:
        raise UsageError(
            "--sql and --table go together",
            fix="pass both, e.g. --sql postgresql://user@host/db --table predictions",
        )
    from accord.io import open_sql

    return open_sql(sql, table)


def _write(result: object, out: Path, formats: list[str], progress: RichProgress) -> list[Path]:
    """Write the requested reports into ``out``."""
    from accord.report import AuditResult

    assert isinstance(result, AuditResult)

    def html() -> str:
        progress.stage("Rendering the HTML report")
        return result.to_html()

    return write_reports(
        out,
        formats,
        {
            "json": ("audit.json", lambda: result.to_json() + "\n"),
            "md": ("audit.md", result.to_markdown),
            "html": ("audit.html", html),
        },
    )
