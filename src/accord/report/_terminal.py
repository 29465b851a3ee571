"""The summary printed in the terminal after an audit."""

from __future__ import annotations

from rich.console import Console

from accord.report._result import AuditResult


def render_terminal(result: AuditResult, console: Console) -> None:
    """Print a short summary of ``result``."""
    stats = result.fairness
    console.print(f"accord audit: {result.input.rows} rows, task {stats.task}")
