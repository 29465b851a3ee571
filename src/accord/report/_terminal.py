"""The summary printed in the terminal after an audit (rich)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.report import _format as fmt
from accord.report._digest import (
    all_warnings,
    disclosure_text,
    dp_text,
    group_count,
    key_metrics,
    largest_gaps,
    short_title,
    small_groups,
    source_name,
    table_metrics,
    task_text,
    worst_off,
)
from accord.report._result import AuditResult

#: Small groups named before "and N more".
MAX_SMALL_LISTED = 10
#: From this console width on, the gap table also names each metric's worst-off group.
WIDE = 130
STATUS_STYLE = {
    "fail": "bold red",
    "error": "bold red",
    "warn": "yellow",
    "insufficient_data": "yellow",
    "pass": "green",
}


def render_terminal(result: AuditResult, console: Console) -> None:
    """Print a summary of ``result``: the largest gap per metric, the worst-off group, the
    groups too small to report, the policy checks when there are any, and the warnings.

    Examples
    --------
    >>> import polars as pl, accord
    >>> from rich.console import Console
    >>> df = pl.DataFrame({"y": [0, 1] * 40, "p": [0, 1, 1, 1] * 20, "g": ["a", "b"] * 40})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    >>> console = Console(width=100, record=True, color_system=None)
    >>> render_terminal(result, console)  # doctest: +ELLIPSIS
    accord audit · 80 rows · binary classification...
    """
    stats = result.fairness
    level = fmt.percent(stats.ci_level)
    source = source_name(result)
    head = " · ".join(
        p
        for p in (
            "[bold]accord audit[/]",
            escape(source) if source else "",
            f"{result.input.rows:,} rows",
            escape(task_text(stats)),
            f"{fmt.plural(len(stats.groupings), 'grouping')} of "
            f"{fmt.plural(group_count(stats), 'group')}",
        )
        if p
    )
    console.print(head)
    _findings(result, console, level)
    gaps = largest_gaps(stats, table_metrics(stats))
    if gaps:
        table = Table(
            title=f"Largest gap per metric, across groupings ({level} CI)",
            title_justify="left",
            header_style="bold",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        table.add_column("Metric", min_width=12)
        table.add_column("Grouping")
        table.add_column("Max − min", justify="right", no_wrap=True)
        table.add_column("Min / max", justify="right", no_wrap=True)
        wide = console.width >= WIDE
        if wide:
            table.add_column("Worst off", min_width=14)
        table.add_column("Differ¹", justify="right", no_wrap=True)
        for gap in gaps:
            loser = gap.worst
            cells = [
                escape(short_title(gap.metric)),
                escape(fmt.grouping(gap.grouping.attributes)),
                fmt.estimate(gap.summary.max_min_difference),
                fmt.estimate(gap.summary.min_max_ratio) if gap.ratio_meaningful else "—",
            ]
            if wide:
                cells.append(
                    escape(fmt.group(loser.key, gap.grouping.attributes)) if loser else "—"
                )
            table.add_row(*cells, gap.tests_text())
        console.print(table)
        if stats.significance is not None:
            console.print(
                f"¹ groups that differ from their reference group after "
                f"{escape(stats.significance.correction)} correction",
                style="dim",
            )
    else:
        console.print("No metric could be compared: no grouping has two groups with enough data.")
    keys = {m.name for m in key_metrics(stats)}
    key_gaps = [g for g in gaps if g.metric.name in keys]
    worst = worst_off(key_gaps or gaps)
    if worst is not None:
        first = worst.gaps[0]
        m = first.metric.name
        attrs = worst.grouping.attributes
        line = (
            f"[bold]Worst-off group:[/] {escape(fmt.group(worst.group.key, attrs))} "
            f"({escape(fmt.grouping(attrs))}, {fmt.n_of(worst.group.n, stats.suppress_below)}) — worst on "
            f"{escape(fmt.join_words([fmt.lower_first(short_title(g.metric)) for g in worst.gaps]))}; "
            f"{escape(fmt.lower_first(short_title(first.metric)))} "
            f"{escape(fmt.estimate(worst.group.metrics[m]))}"
        )
        if first.reference is not None:
            line += (
                f" vs {escape(fmt.estimate(first.reference.metrics[m]))} for the "
                f"reference {escape(fmt.group(first.reference.key, attrs))}"
            )
        console.print(line)
    _small(result, console)
    warnings = all_warnings(result)
    for w in warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}")


def _findings(result: AuditResult, console: Console, level: str) -> None:
    findings = sorted(result.findings, key=lambda f: fmt.STATUS_ORDER.index(f.status))
    if not findings:
        return
    counts = [
        f"[{STATUS_STYLE[s.value]}]{fmt.STATUS_MARK[s]} {n} {s.value.replace('_', ' ')}[/]"
        for s in fmt.STATUS_ORDER
        if (n := sum(1 for f in findings if f.status == s))
    ]
    console.print("[bold]Policy checks:[/] " + "  ".join(counts))
    shown = [f for f in findings if f.status.value != "pass"]
    if not shown:
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("Status", "Check", "Metric", f"Value ({level} CI)", "Threshold", "Groups"):
        table.add_column(name)
    for f in shown:
        table.add_row(
            f"[{STATUS_STYLE[f.status.value]}]{fmt.STATUS_MARK[f.status]} "
            f"{f.status.value.replace('_', ' ')}[/]",
            escape(f.check_id),
            escape(f"{f.metric} ({f.measure})"),
            escape(fmt.estimate(f.value)) if f.value is not None else "—",
            escape(fmt.threshold_text(f.threshold)),
            escape("; ".join(fmt.group(g) for g in f.groups)) or "—",
        )
    console.print(table)


def _small(result: AuditResult, console: Console) -> None:
    stats = result.fairness
    small = small_groups(stats)
    minimum = stats.min_group_size
    if not small:
        console.print(f"Every group has at least {minimum} rows.")
    else:
        named = ", ".join(
            f"{escape(fmt.group(g.key, grouping.attributes))} ({fmt.n_of(g.n, stats.suppress_below)})"
            for grouping, g in small[:MAX_SMALL_LISTED]
        )
        more = (
            f" and {len(small) - MAX_SMALL_LISTED} more" if len(small) > MAX_SMALL_LISTED else ""
        )
        console.print(
            f"[bold]Too small to report[/] (< {minimum} rows, insufficient data): {named}{more}"
        )
    console.print(escape(disclosure_text(result)), style="dim")
    if (dp := dp_text(result)) is not None:
        console.print(escape(dp))
