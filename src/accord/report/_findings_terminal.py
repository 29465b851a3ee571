"""Findings in the terminal: the verdict, then one row per finding, failures first."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accord.core import FindingStatus
from accord.policy import FAIL_ON, format_estimate, format_threshold, verdict
from accord.report._digest import disclosure_text
from accord.report._policy_layout import (
    Layout,
    discovery_layout,
    distinct_tables,
    impact_layout,
)
from accord.report._result import AuditResult

STYLE = {
    FindingStatus.FAIL: "bold red",
    FindingStatus.ERROR: "bold magenta",
    FindingStatus.WARN: "yellow",
    FindingStatus.INSUFFICIENT_DATA: "cyan",
    FindingStatus.PASS: "green",
}
OUTCOME_STYLE = {"passed": "bold green", "failed": "bold red", "error": "bold magenta"}


def render_findings_terminal(
    result: AuditResult, console: Console, *, fail_on: str = "fail"
) -> None:
    """Print the verdict and the findings of ``result``, then impact tables and discovery.

    Parameters
    ----------
    result
        An audit judged against a policy.
    console
        Where to print.
    fail_on
        Which statuses fail the gate (``fail``, ``warn``, ``insufficient``).

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [1, 1, 0, 1] * 30,
    ...                    "g": ["a"] * 70 + ["b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                       preset=["four-fifths"])
    >>> import io
    >>> from rich.console import Console
    >>> console = Console(record=True, width=100, file=io.StringIO())
    >>> render_findings_terminal(result, console)
    >>> "four-fifths" in console.export_text()
    True
    """
    v = verdict(result.findings, fail_on)
    for f in result.findings:
        failing = f.status in FAIL_ON[fail_on] or f.status == FindingStatus.ERROR
        label = f.status.value.replace("_", " ")
        line = Text()
        line.append(f"{label.upper() if failing else label:<17}", style=STYLE[f.status])
        line.append(f.check_id, style="bold")
        if f.grouping:
            line.append(f" [{' × '.join(f.grouping)}]")
        if f.value is not None:
            line.append(f"  {format_estimate(f.value)}")
        line.append(f"  {format_threshold(f.threshold, f.judge)}", style="dim")
        console.print(line, soft_wrap=True)
        console.print(Text(f"{'':<17}{f.message}", style="dim"), soft_wrap=True)
    if result.policy is not None:
        for t in distinct_tables(result.policy.impact_tables):
            render_layout_terminal(impact_layout(t), console)
        if result.policy.discovery is not None:
            render_layout_terminal(discovery_layout(result.policy.discovery), console)
    console.print(Text(disclosure_text(result), style="dim"), soft_wrap=True)
    console.print(Text(f"policy {v.outcome}: {v.summary}", style=OUTCOME_STYLE[v.outcome]))


def render_layout_terminal(layout: Layout, console: Console) -> None:
    """Print a laid-out table (an impact table, discovery results) and its notes."""
    out = Table(title=layout.title, title_justify="left", show_edge=False)
    for i, col in enumerate(layout.columns):
        out.add_column(col, justify="right" if i in layout.numeric else "left", overflow="fold")
    for row in layout.rows:
        out.add_row(*row)
    console.print(out)
    for note in layout.notes:
        console.print(f"  {note}", soft_wrap=True)
