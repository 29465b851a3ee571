"""What several commands parse from their options, and how they write their reports."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli._app import split_csv
from accord.core import UsageError

#: --suppress-below and --dp-epsilon: what every command that audits predictions accepts.
SuppressBelowOption = Annotated[
    int | None,
    typer.Option(
        "--suppress-below",
        help="A group of fewer rows has its count shown as <N and its metrics withheld in "
        "every report (default 10; 0 or 1: counts shown).",
    ),
]
DpEpsilonOption = Annotated[
    float | None,
    typer.Option(
        "--dp-epsilon",
        help="Add a differentially private release of every group's counts and rates, "
        "with this privacy budget (e.g. 1); the noise is not seeded.",
    ),
]

#: --na (or --null-values, the Python keyword's name): what every command that reads a CSV
#: accepts.
NaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--na",
        "--null-values",
        help="Extra strings meaning 'missing' in a CSV file (repeatable or comma-separated), "
        "e.g. --na '?'.",
    ),
]


def disclosure_options(suppress_below: int | None, dp_epsilon: float | None) -> dict[str, Any]:
    """The audit keywords of --suppress-below and --dp-epsilon, for the options given.

    Examples
    --------
    >>> disclosure_options(None, 1.0)
    {'dp_epsilon': 1.0}
    """
    given = {"suppress_below": suppress_below, "dp_epsilon": dp_epsilon}
    return {k: v for k, v in given.items() if v is not None}


def parse_bins(values: list[str] | None) -> dict[str, list[float]] | None:
    """Parse ``--bins age=25,45`` (repeatable) into ``{"age": [25.0, 45.0]}``.

    Examples
    --------
    >>> parse_bins(["age=25,45", "income=1e4"])
    {'age': [25.0, 45.0], 'income': [10000.0]}
    """
    if not values:
        return None
    out: dict[str, list[float]] = {}
    current: str | None = None
    for text in values:
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            if "=" in part:
                current, part = (s.strip() for s in part.split("=", 1))
                out[current] = []
            if current is None:
                raise UsageError(
                    "bins are written COL=EDGE,EDGE", value=text, fix="e.g. --bins age=25,45"
                )
            try:
                out[current].append(float(part))
            except ValueError:
                raise UsageError(
                    "a bin edge is not a number",
                    column=current,
                    value=part,
                    fix="e.g. --bins age=25,45",
                ) from None
    return out


def parse_formats(fmt: str, allowed: Sequence[str]) -> list[str]:
    """Check the report formats named in ``--format html,json`` against ``allowed``.

    Examples
    --------
    >>> parse_formats("html, json", ("html", "json", "md"))
    ['html', 'json']
    """
    formats = split_csv([fmt])
    for f in formats:
        if f not in allowed:
            raise UsageError(
                "unknown report format", value=f, fix=f"use any of {', '.join(allowed)}"
            )
    return formats


def write_reports(
    out: Path, formats: Sequence[str], reports: Mapping[str, tuple[str, Callable[[], str]]]
) -> list[Path]:
    """Write into ``out`` the reports that ``formats`` asks for, in the order of ``reports``.

    ``reports`` maps a format to its file name and a function that renders its text, so
    that a report nobody asked for is never rendered.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_reports(Path(tmp), ["json"], {"json": ("a.json", lambda: "{}"),
    ...                                                 "html": ("a.html", lambda: "<p>")})
    ...     [p.name for p in paths]
    ['a.json']
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, (name, render) in reports.items():
        if fmt in formats:
            (out / name).write_text(render(), encoding="utf-8")
            written.append(out / name)
    return written


def dump_json(data: Any, out: Path | None = None) -> str:
    """``data`` as indented JSON (non-ASCII kept as is); also written to ``out``, with a final
    newline, when given.

    Examples
    --------
    >>> print(dump_json({"tier": "minimal", "notes": ["Art 50"]}))
    {
      "tier": "minimal",
      "notes": [
        "Art 50"
      ]
    }
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text
