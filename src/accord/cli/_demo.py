"""accord demo: the audit of the bundled demo data, through the same path as accord audit."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import typer

from accord.cli._app import app, handle_errors, stdout
from accord.cli._audit import FORMATS, audit_and_report
from accord.cli._options import (
    DpEpsilonOption,
    SuppressBelowOption,
    disclosure_options,
    parse_formats,
)

#: The bundled demo data (src/accord/data/README.md says what it is and where it comes from).
DEMO_FILE = "data/adult_demo.parquet"

#: The roles of the demo data's columns, as ``accord audit`` options.
DEMO_AUDIT = {
    "label": "income",
    "prediction": "prediction",
    "score": "score",
    "positive": ">50K",
    "sensitive": ["sex", "race", "age"],
    "bins": {"age": [25.0, 45.0]},
}


@app.command()
@handle_errors
def demo(
    out: Path = typer.Option(Path("accord-report"), "--out", help="Directory for the reports."),
    fmt: str = typer.Option("html,json,md", "--format", help="Reports to write: html,json,md."),
    bootstrap: int = typer.Option(
        1000,
        "--bootstrap",
        help="Bootstrap replicates for intervals of differences and ratios (0: none).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    suppress_below: SuppressBelowOption = None,
    dp_epsilon: DpEpsilonOption = None,
) -> None:
    """Audit the bundled demo data: a model's income predictions on the UCI Adult test set.

    The same audit as accord audit with --label income --prediction prediction --score score
    --positive '>50K' --sensitive sex,race,age --bins age=25,45.
    """
    formats = parse_formats(fmt, FORMATS)
    stdout.print(
        "Auditing the demo data: a gradient-boosting model's income predictions "
        "(>50K a year) for the 16,281 people of the UCI Adult test set (CC BY 4.0)."
    )
    with as_file(files("accord").joinpath(DEMO_FILE)) as path:
        audit_and_report(
            path,
            out=out,
            formats=formats,
            quiet=False,
            bootstrap=bootstrap,
            seed=seed,
            **DEMO_AUDIT,
            **disclosure_options(suppress_below, dp_epsilon),
        )
