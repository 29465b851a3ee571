"""accord audit: a fairness audit of predictions from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli._app import app, handle_errors, split_csv, stderr, stdout
from accord.cli._check import (
    DiscoverMetricOption,
    DiscoverOption,
    ExploreOption,
    ExitZeroOption,
    FailOnOption,
    ParamOption,
    PolicyOption,
    PresetOption,
    finish_audit,
    load_cli_policy,
)
from accord.cli._options import parse_bins
from accord.cli._progress import RichProgress

FORMATS = ("html", "json", "md", "junit")


@app.command()
@handle_errors
def audit(
    data: str = typer.Argument(..., help="CSV, Parquet or Arrow IPC file, or '-' for CSV on "
                               "standard input."),
    label: str | None = typer.Option(None, "--label", help="Column with the true outcome "
                                     "(required unless the policy names it)."),
    prediction: str | None = typer.Option(None, "--prediction", help="Column with the "
                                          "model's prediction."),
    sensitive: list[str] | None = typer.Option(None, "--sensitive", help="Sensitive "
                                               "attributes, COL[,COL...]; every intersection "
                                               "is audited too."),
    score: str | None = typer.Option(None, "--score", help="Column with the predicted "
                                     "probability of the positive class."),
    positive: str | None = typer.Option(None, "--positive", help="The positive label value "
                                        "(when the label is not 0/1 or boolean)."),
    weight: str | None = typer.Option(None, "--weight", help="Column of row weights."),
    task: str = typer.Option("classification", "--task",
                             help="classification (binary or multiclass) or regression."),
    reference: list[str] | None = typer.Option(None, "--reference", help="Reference group, "
                                               "COL=VALUE (repeatable); default: the largest."),
    max_order: int | None = typer.Option(None, "--max-order", help="Largest intersection "
                                         "audited (default: all attributes together)."),
    min_group_size: int = typer.Option(30, "--min-group-size", help="Smaller groups are "
                                       "reported as insufficient data."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap replicates for "
                                  "intervals of differences and ratios (0: none)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    bins: list[str] | None = typer.Option(None, "--bins", help="Bin edges of a numeric "
                                          "sensitive attribute, COL=EDGE,EDGE (repeatable)."),
    ci_level: float = typer.Option(0.95, "--ci-level", help="Confidence level."),
    correction: str = typer.Option("holm", "--correction", help="holm or bh."),
    na: list[str] | None = typer.Option(None, "--na", help="Extra strings meaning 'missing' "
                                        "in a CSV file, e.g. --na '?'."),
    force: bool = typer.Option(False, "--force", help="Audit a sensitive attribute even when "
                               "it has more than 1000 distinct values."),
    out: Path = typer.Option(Path("accord-report"), "--out", help="Directory for the reports."),
    fmt: str = typer.Option("html,json", "--format", help="Reports to write: "
                            "html,json,md,junit (junit and md also write the findings)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print no summary."),
    policy: PolicyOption = None,
    preset: PresetOption = None,
    param: ParamOption = None,
    fail_on: FailOnOption = "fail",
    exit_zero: ExitZeroOption = False,
    discover: DiscoverOption = False,
    discover_metric: DiscoverMetricOption = None,
    explore: ExploreOption = None,
) -> None:
    """Audit predictions for disparities between groups (and their intersections)."""
    import accord
    from accord.core import UsageError
    from accord.report import render_terminal

    formats = split_csv([fmt])
    for f in formats:
        if f not in FORMATS:
            raise UsageError("unknown report format", value=f,
                             fix=f"use any of {', '.join(FORMATS)}")
    with RichProgress(stderr, enabled=not quiet) as progress:
        result = accord.audit(
            data, label=label, prediction=prediction, sensitive=split_csv(sensitive),
            score=score, positive=positive, weight=weight, task=task,  # type: ignore[arg-type]
            reference=split_csv(reference) or None, max_order=max_order,
            min_group_size=min_group_size, bootstrap=bootstrap, seed=seed,
            bins=parse_bins(bins), ci_level=ci_level,
            correction=correction,  # type: ignore[arg-type]
            force=force, null_values=split_csv(na) or None, progress=progress,
            policy=load_cli_policy(policy, preset, param),
            discover=discover_metric or discover, explore=split_csv(explore) or None,
        )
        written = write_reports(result, out, formats, progress)
    if not quiet:
        render_terminal(result, stdout)
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")
    finish_audit(result, out, formats, fail_on=fail_on, exit_zero=exit_zero, quiet=quiet)


def write_reports(result: object, out: Path, formats: list[str], progress: RichProgress
                  ) -> list[Path]:
    """Write the requested reports into ``out``."""
    from accord.report import AuditResult

    assert isinstance(result, AuditResult)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if "json" in formats:
        result.to_json(out / "audit.json")
        written.append(out / "audit.json")
    if "md" in formats:
        (out / "audit.md").write_text(result.to_markdown(), encoding="utf-8")
        written.append(out / "audit.md")
    if "html" in formats:
        progress.stage("Rendering the HTML report")
        result.to_html(out / "audit.html")
        written.append(out / "audit.html")
    return written
