from __future__ import annotations

import re
from collections.abc import Callable

from accord.core import Finding
from accord.report import AuditResult
from accord.report._markdown import md


def test_binary_summary_matches_golden(
    binary_result: AuditResult, golden: Callable[[str, str], None]
) -> None:
    golden("binary.md", binary_result.to_markdown())


def test_regression_summary_matches_golden(
    regression_result: AuditResult, golden: Callable[[str, str], None]
) -> None:
    golden("regression.md", regression_result.to_markdown())


def test_findings_are_listed_failures_first(
    binary_result: AuditResult, findings: list[Finding], golden: Callable[[str, str], None]
) -> None:
    text = binary_result.model_copy(update={"findings": findings}).to_markdown()
    golden("binary_findings.md", text)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert [r.split("`")[1] for r in rows] == [
        "selection-ratio-sex",
        "auc-small-groups",
        "tpr-difference-race",
    ]
    assert "≥ 0.800" in rows[0] and "female" in rows[0]


def test_small_groups_are_named_with_counts_never_values(binary_result: AuditResult) -> None:
    text = binary_result.to_markdown()
    small = [
        (grouping, g)
        for grouping in binary_result.fairness.groupings
        for g in grouping.groups
        if g.status == "insufficient_data"
    ]
    assert small, "the fixture is meant to have groups below the minimum size"
    line = next(x for x in text.splitlines() if x.startswith("**Too small"))
    threshold = binary_result.fairness.suppress_below
    for _, g in small[:8]:
        assert f"(n={g.n:,})" in line if g.n is not None else f"(n\\<{threshold})" in line


def test_markdown_escapes_text_from_data() -> None:
    assert md("a|b") == "a\\|b"
    assert md("<script>") == "\\<script\\>"
    assert md("*x*_y_") == "\\*x\\*\\_y\\_"


def test_every_key_metric_has_a_row_with_an_interval(binary_result: AuditResult) -> None:
    text = binary_result.to_markdown()
    sig = binary_result.fairness.significance
    assert sig is not None
    titles = {m.name: m.title for m in binary_result.fairness.metrics}
    for name in sig.metrics:
        row = next(x for x in text.splitlines() if x.startswith(f"| {titles[name]} |"))
        # The difference and the ratio both carry an interval.
        assert len(re.findall(r"\\\[-?[\d.,]+, -?[\d.,]+\\\]", row)) == 2, row
