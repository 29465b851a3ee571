from __future__ import annotations

import os
from collections.abc import Callable

from rich.console import Console

from accord.core import Finding
from accord.report import AuditResult, render_terminal


def _render(result: AuditResult, width: int) -> str:
    with open(os.devnull, "w") as sink:
        console = Console(width=width, record=True, color_system=None, file=sink)
        render_terminal(result, console)
        return console.export_text()


def test_binary_summary_matches_golden(
    binary_result: AuditResult, golden: Callable[[str, str], None]
) -> None:
    golden("binary.txt", _render(binary_result, 100))


def test_regression_summary_matches_golden_on_a_wide_terminal(
    regression_result: AuditResult, golden: Callable[[str, str], None]
) -> None:
    golden("regression.txt", _render(regression_result, 140))


def test_wide_terminal_names_the_worst_group_per_metric(binary_result: AuditResult) -> None:
    narrow, wide = _render(binary_result, 100), _render(binary_result, 140)
    assert "Worst off" in wide and "Worst off" not in narrow


def test_gap_table_has_one_row_per_directed_metric(binary_result: AuditResult) -> None:
    text = _render(binary_result, 140)
    for m in binary_result.fairness.metrics:
        if m.better is not None:
            assert any(line.lstrip().startswith(m.title) for line in text.splitlines()), m.title


def test_failed_checks_are_shown_and_passes_counted(
    binary_result: AuditResult, findings: list[Finding]
) -> None:
    text = _render(binary_result.model_copy(update={"findings": findings}), 120)
    assert "Policy checks: ✗ 1 fail  ? 1 insufficient data  ✓ 1 pass" in text
    assert "selection-ratio-sex" in text and "tpr-difference-race" not in text


def test_group_labels_are_not_read_as_markup(binary_result: AuditResult) -> None:
    # "[30, 60)" is an age band; rich must print it, not swallow it as a style tag.
    assert "[30, 60)" in _render(binary_result, 100)
