"""accord inclusion: who the data and the model leave out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli._app import app, handle_errors, split_csv, stderr, stdout
from accord.cli._options import (
    NaOption,
    SuppressBelowOption,
    disclosure_options,
    parse_bins,
    parse_formats,
    write_reports,
)
from accord.cli._progress import RichProgress

FORMATS = ("html", "json")


@app.command()
@handle_errors
def inclusion(
    data: Annotated[
        str,
        typer.Argument(help="CSV, Parquet or Arrow IPC file, or '-' for CSV on standard input."),
    ],
    groups: Annotated[
        list[str],
        typer.Option(
            "--groups", help="Group attributes, COL[,COL...]: country, language, sex, ..."
        ),
    ],
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Reference population: a .csv or .yaml file of group shares or "
            "counts, or a bundled one (us-census-1990).",
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", help="Column with the true outcome (for performance by group)."),
    ] = None,
    prediction: Annotated[
        str | None, typer.Option("--prediction", help="Column with the model's prediction.")
    ] = None,
    positive: Annotated[
        str | None,
        typer.Option(
            "--positive",
            help="The positive label value, when the label has two values other than 0/1.",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help="Group attributes that hold countries (default: detected); they "
            "roll up to UN M49 sub-regions and regions.",
        ),
    ] = None,
    features: Annotated[
        list[str] | None,
        typer.Option(
            "--features", help="Columns examined as proxies (default: every other column)."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Columns never examined as proxies (a score, an id, ...)."),
    ] = None,
    proxies: Annotated[
        bool,
        typer.Option(
            "--proxies/--no-proxies", help="Measure proxies (--no-proxies: one pass fewer)."
        ),
    ] = True,
    bins: Annotated[
        list[str] | None,
        typer.Option(
            "--bins", help="Bin edges of a numeric group attribute, COL=EDGE,EDGE (repeatable)."
        ),
    ] = None,
    min_group_size: Annotated[
        int, typer.Option("--min-group-size", help="Smaller groups are blind spots.")
    ] = 30,
    ci_width: Annotated[
        float,
        typer.Option(
            "--ci-width",
            help="Interval width a blind spot should reach (0.1: plus or minus 5 points).",
        ),
    ] = 0.1,
    planning_rate: Annotated[
        float | None,
        typer.Option(
            "--planning-rate",
            help="Rate the sample size is planned for (default: the worst case, 0.5).",
        ),
    ] = None,
    max_order: Annotated[
        int, typer.Option("--max-order", help="Largest intersection of group attributes examined.")
    ] = 2,
    bootstrap: Annotated[
        int,
        typer.Option("--bootstrap", help="Bootstrap replicates of the distances' intervals."),
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the bootstrap and of the Monte Carlo test.")
    ] = 0,
    na: NaOption = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for the reports.")] = Path(
        "accord-inclusion"
    ),
    fmt: Annotated[
        str, typer.Option("--format", help="Reports to write: html,json.")
    ] = "html,json",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
    suppress_below: SuppressBelowOption = None,
) -> None:
    """Audit who the data and the model leave out.

    Representation against a reference population, blind spots, performance
    across countries and regions, missing values and proxies.
    """
    from accord.inclusion import assess, make_settings

    formats = parse_formats(fmt, FORMATS)
    settings = make_settings(
        min_group_size=min_group_size,
        ci_width=ci_width,
        planning_rate=planning_rate,
        max_order=max_order,
        bootstrap=bootstrap,
        seed=seed,
        **disclosure_options(suppress_below, None),
    )
    with RichProgress(stderr, enabled=not quiet) as progress:
        result = assess(
            data,
            groups=split_csv(groups),
            reference=reference,
            label=label,
            prediction=prediction,
            positive=positive,
            country=split_csv(country) or None,
            features=split_csv(features) or None,
            exclude=split_csv(exclude),
            bins=parse_bins(bins),
            proxies=proxies,
            settings=settings,
            null_values=split_csv(na) or None,
            progress=progress,
        )
        written = _write(result, out, formats, progress)
    if not quiet:
        _summary(result)
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")


def _write(result: Any, out: Path, formats: list[str], progress: RichProgress) -> list[Path]:
    def html() -> str:
        from accord.report import render_inclusion_page

        progress.stage("Rendering the HTML report")
        return render_inclusion_page(result)

    return write_reports(
        out,
        formats,
        {
            "json": ("inclusion.json", lambda: result.to_json() + "\n"),
            "html": ("inclusion.html", html),
        },
    )


def _summary(result: Any) -> None:
    from rich.table import Table

    from accord.core import disclosure_note

    stats = result.stats
    stdout.print(
        f"accord inclusion: {stats.rows:,} rows, groups {', '.join(result.groups)}, "
        f"{stats.passes} passes"
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("status")
    table.add_column("check")
    table.add_column("what was found", overflow="fold")
    colours = {"fail": "red", "warn": "yellow", "pass": "green"}
    for f in sorted(
        stats.findings,
        key=lambda f: ["fail", "error", "warn", "insufficient_data", "pass"].index(f.status.value),
    ):
        c = colours.get(f.status.value, "white")
        table.add_row(f"[{c}]{f.status.value}[/]", f.title, f.message)
    stdout.print(table)
    stdout.print(f"[dim]{disclosure_note(stats.settings.suppress_below)}[/]")
