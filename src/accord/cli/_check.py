"""accord check: judge an audit against a policy, as a CI gate.

Exit codes (the same for every output format): 0 nothing fails, 1 a check fails, 2 bad
usage or input (an invalid policy included), 3 a check could not run. ``--fail-on warn``
makes warnings fail too; ``--exit-zero`` turns 1 and 3 into 0 (errors in the input
still exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from accord.cli._app import (
    EXIT_CHECK_ERROR,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    app,
    handle_errors,
    split_csv,
    stderr,
    stdout,
)
from accord.cli._options import (
    DpEpsilonOption,
    NaOption,
    SuppressBelowOption,
    disclosure_options,
    parse_bins,
    write_reports,
)
from accord.cli._progress import RichProgress

OUTPUTS = ("text", "json", "junit", "md")

PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", "-p", help="Policy file (accord.yaml) to judge the audit against."),
]
PresetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--preset",
        help="Built-in policy, repeatable: four-fifths, nyc-ll144, equalized-odds, "
        "calibration-within-groups.",
    ),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param", help="Policy parameter NAME=VALUE (repeatable), e.g. --param sex=gender."
    ),
]


def _fail_on_level(value: str) -> str:
    from accord.policy import FAIL_ON

    if value not in FAIL_ON:
        raise typer.BadParameter(f"use one of {', '.join(FAIL_ON)}")
    return value


FailOnOption = Annotated[
    str,
    typer.Option(
        "--fail-on",
        callback=_fail_on_level,
        help="What fails the gate: fail (default), warn (warnings too), or "
        "insufficient (also checks without enough data).",
    ),
]
ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        help="Exit 0 even when a check fails or cannot run (bad input still exits 2).",
    ),
]
DiscoverOption = Annotated[
    bool,
    typer.Option("--discover", help="Search for the subgroups with the largest significant gaps."),
]
DiscoverMetricOption = Annotated[
    str | None,
    typer.Option(
        "--discover-metric", help="The rate discovery searches (default selection_rate)."
    ),
]
ExploreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--explore",
        help="Columns searched besides the sensitive attributes, COL[,COL...] "
        "(numeric ones binned); implies --discover.",
    ),
]


@app.command()
@handle_errors
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="DATA: a CSV, Parquet or Arrow file, '-' for CSV on standard input, or a saved "
            "audit.json to judge again (default: the policy's data.path). With --validate: the "
            "policy files to validate.",
            show_default=False,
        ),
    ] = None,
    policy: PolicyOption = None,
    preset: PresetOption = None,
    param: ParamOption = None,
    label: Annotated[
        str | None, typer.Option("--label", help="Column with the true outcome.")
    ] = None,
    prediction: Annotated[
        str | None, typer.Option("--prediction", help="Column with the model's prediction.")
    ] = None,
    sensitive: Annotated[
        list[str] | None, typer.Option("--sensitive", help="Sensitive attributes, COL[,COL...].")
    ] = None,
    score: Annotated[
        str | None, typer.Option("--score", help="Column with the predicted probability.")
    ] = None,
    positive: Annotated[
        str | None, typer.Option("--positive", help="The positive label value.")
    ] = None,
    weight: Annotated[str | None, typer.Option("--weight", help="Column of row weights.")] = None,
    reference: Annotated[
        list[str] | None,
        typer.Option("--reference", help="Reference group, COL=VALUE (repeatable)."),
    ] = None,
    min_group_size: Annotated[
        int | None,
        typer.Option("--min-group-size", help="Smaller groups are not judged (default 30)."),
    ] = None,
    bootstrap: Annotated[
        int | None, typer.Option("--bootstrap", help="Bootstrap replicates (default 1000).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the bootstrap.")] = None,
    bins: Annotated[
        list[str] | None,
        typer.Option("--bins", help="Bin edges of a numeric sensitive attribute, COL=EDGE,EDGE."),
    ] = None,
    na: NaOption = None,
    discover: DiscoverOption = False,
    discover_metric: DiscoverMetricOption = None,
    explore: ExploreOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="Output: text, json (the audit with its findings), junit or md."
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the output to this file instead of standard output."
        ),
    ] = None,
    fail_on: FailOnOption = "fail",
    exit_zero: ExitZeroOption = False,
    validate: Annotated[
        bool,
        typer.Option("--validate", help="Only validate policy files (for a pre-commit hook)."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    suppress_below: SuppressBelowOption = None,
    dp_epsilon: DpEpsilonOption = None,
) -> None:
    """Judge predictions (or a saved audit) against a policy; the exit code is the verdict."""
    from accord.core import UsageError

    if fmt not in OUTPUTS:
        raise UsageError(
            "unknown output format", value=fmt, fix=f"use one of {', '.join(OUTPUTS)}"
        )
    files = list(paths or [])
    if validate:
        _validate([Path(f) for f in files] + ([policy] if policy else []))
        return
    resolved = load_cli_policy(policy, preset, param)
    metric: bool | str = discover_metric or discover
    explored = split_csv(explore)
    if resolved is None and not metric and not explored:
        raise UsageError(
            "nothing to check", fix="pass --policy accord.yaml or --preset NAME (or --discover)"
        )
    if len(files) > 1:
        raise UsageError(
            "check takes one data file",
            value=files,
            fix="audit one file at a time (use --validate for policy files)",
        )
    data = (
        files[0]
        if files
        else (str(resolved.data_path) if resolved and resolved.data_path else None)
    )
    if data is None:
        raise UsageError("no data to audit", fix="pass DATA, or set data.path in the policy")
    given = {
        k: v
        for k, v in {
            "label": label,
            "prediction": prediction,
            "score": score,
            "positive": positive,
            "weight": weight,
            "min_group_size": min_group_size,
            "bootstrap": bootstrap,
            "seed": seed,
            "sensitive": split_csv(sensitive) or None,
            "reference": split_csv(reference) or None,
            "bins": parse_bins(bins),
            "null_values": split_csv(na) or None,
        }.items()
        if v is not None
    } | disclosure_options(suppress_below, dp_epsilon)
    result = _run(data, resolved, given, metric, explored, quiet)
    _write(result, fmt, output, fail_on)
    raise typer.Exit(gate_exit_code(result, fail_on, exit_zero))


def load_cli_policy(
    policy: Path | None, presets: list[str] | None, params: list[str] | None
) -> Any:
    """Load the policy named by --policy, --preset and --param (None when none is given)."""
    from accord.policy import load_policy

    presets = split_csv(presets)
    values = parse_params(params)
    if policy is None and not presets:
        if values:
            from accord.core import UsageError

            raise UsageError("--param needs a policy", fix="add --policy or --preset")
        return None
    return load_policy(policy, presets=presets, parameters=values)


def parse_params(values: list[str] | None) -> dict[str, str]:
    """Parse ``--param NAME=VALUE`` (repeatable).

    Examples
    --------
    >>> parse_params(["sex=gender", "rate = scoring_rate"])
    {'sex': 'gender', 'rate': 'scoring_rate'}
    """
    from accord.core import UsageError

    out = {}
    for text in values or []:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(
                "a policy parameter is written NAME=VALUE",
                value=text,
                fix="e.g. --param sex=gender",
            )
        out[name.strip()] = value.strip()
    return out


def gate_exit_code(result: Any, fail_on: str, exit_zero: bool) -> int:
    """Return the exit code of a judged audit.

    0 passed, 1 a check failed, 3 a check could not run (0 for both with ``exit_zero``).
    """
    from accord.policy import verdict

    outcome = verdict(result.findings, fail_on).outcome
    if exit_zero or outcome == "passed":
        return EXIT_OK
    return EXIT_CHECK_FAILED if outcome == "failed" else EXIT_CHECK_ERROR


def finish_audit(
    result: Any, out: Path, formats: list[str], *, fail_on: str, exit_zero: bool, quiet: bool
) -> None:
    """Write, print and gate the findings of ``accord audit`` after its reports.

    JUnit and Markdown findings go next to the reports; the process exits with the
    verdict when the audit was judged against a policy.
    """
    from accord.report import render_findings_markdown, render_findings_terminal, render_junit

    if result.policy is None:
        return
    written = write_reports(
        out,
        formats,
        {
            "junit": ("findings.xml", lambda: render_junit(result, fail_on=fail_on)),
            "md": ("findings.md", lambda: render_findings_markdown(result, fail_on=fail_on)),
        },
    )
    if not quiet:
        render_findings_terminal(result, stdout, fail_on=fail_on)
        for path in written:
            stdout.print(f"wrote [bold]{path}[/]")
    code = gate_exit_code(result, fail_on, exit_zero)
    if code != EXIT_OK:
        raise typer.Exit(code)


def _run(
    data: str,
    resolved: Any,
    given: dict[str, Any],
    metric: bool | str,
    explored: list[str],
    quiet: bool,
) -> Any:
    if data.lower().endswith(".json"):
        from accord.core import UsageError
        from accord.pipeline import judge
        from accord.report import AuditResult

        if metric or explored:
            raise UsageError(
                "discovery needs the data, not a saved audit",
                value=data,
                fix="pass the data file instead of audit.json",
            )
        if resolved is None:
            raise UsageError(
                "judging a saved audit needs a policy", fix="add --policy or --preset"
            )
        if {"suppress_below", "dp_epsilon"} & set(given):
            raise UsageError(
                "a saved audit keeps the counts and the release it was made with",
                value=data,
                fix="drop --suppress-below and --dp-epsilon, or audit the data again",
            )
        try:
            saved = AuditResult.load(data)
        except (OSError, ValueError) as exc:
            raise UsageError(
                f"cannot read the saved audit: {str(exc).splitlines()[0]}", value=data
            ) from None
        return judge(saved, resolved)
    from accord.pipeline import audit

    with RichProgress(stderr, enabled=not quiet) as progress:
        return audit(
            data,
            policy=resolved,
            discover=metric,
            explore=explored or None,
            progress=progress,
            **given,
        )


def _write(result: Any, fmt: str, output: Path | None, fail_on: str) -> None:
    from accord.report import render_findings_markdown, render_findings_terminal, render_junit

    if fmt == "text":
        if output is None:
            render_findings_terminal(result, stdout, fail_on=fail_on)
            return
        with output.open("w", encoding="utf-8") as handle:
            render_findings_terminal(
                result, Console(file=handle, width=120, no_color=True), fail_on=fail_on
            )
        return
    if fmt == "json":
        text = result.to_json() + "\n"
    elif fmt == "junit":
        text = render_junit(result, fail_on=fail_on)
    else:
        text = render_findings_markdown(result, fail_on=fail_on)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _validate(files: list[Path]) -> None:
    from accord.core import PolicyError, UsageError
    from accord.policy import load_policy

    if not files:
        raise UsageError(
            "--validate needs policy files", fix="e.g. accord check --validate accord.yaml"
        )
    bad = 0
    for file in files:
        try:
            resolved = load_policy(file)
        except PolicyError as exc:
            stderr.print(f"[bold red]invalid:[/] {exc}", soft_wrap=True)
            bad += 1
            continue
        bases = ", ".join(
            s.name.rsplit("/", 1)[-1] for s in resolved.sources if s.name != str(file)
        )
        stdout.print(
            f"{file}: valid ({len(resolved.checks)} checks"
            + (f", extends {bases}" if bases else "")
            + ")"
        )
    if bad:
        raise typer.Exit(2)
