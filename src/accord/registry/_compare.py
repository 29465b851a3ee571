"""Two audits side by side: settings, data, findings and the spread of every metric."""

from __future__ import annotations

from typing import Any

from accord.registry._views import (
    AuditComparison,
    AuditView,
    FindingChange,
    MetricChange,
)
from accord.report import AuditResult


def compare_audits(
    before: AuditView, before_result: AuditResult, after: AuditView, after_result: AuditResult
) -> AuditComparison:
    """Compare two audits (usually of the same system, the later one second).

    Metric changes are reported for every grouping and metric both audits
    computed, as the change in the spread between groups (largest minus
    smallest), with whether the two confidence intervals overlap.
    """
    a_settings = before_result.settings.model_dump(mode="json")
    b_settings = after_result.settings.model_dump(mode="json")
    settings = {
        k: (a_settings.get(k), b_settings.get(k))
        for k in sorted(set(a_settings) | set(b_settings))
        if a_settings.get(k) != b_settings.get(k)
    }
    return AuditComparison(
        before=AuditView.model_validate(before.model_dump()),
        after=AuditView.model_validate(after.model_dump()),
        same_data=before_result.input.content_sha256 == after_result.input.content_sha256,
        settings_changed=settings,
        findings=_finding_changes(before_result, after_result),
        metrics=_metric_changes(before_result, after_result),
    )


def _finding_changes(a: AuditResult, b: AuditResult) -> list[FindingChange]:
    before = {f.check_id: f.status.value for f in a.findings}
    after = {f.check_id: f.status.value for f in b.findings}
    return [
        FindingChange(check_id=k, before=before.get(k), after=after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]


def _metric_changes(a: AuditResult, b: AuditResult) -> list[MetricChange]:
    out: list[MetricChange] = []
    for ga in a.fairness.groupings:
        gb = b.fairness.grouping(ga.attributes)
        if gb is None:
            continue
        for metric, sa in ga.summaries.items():
            sb = gb.summaries.get(metric)
            if sb is None:
                continue
            ea, eb = sa.max_min_difference, sb.max_min_difference
            change = None if ea.value is None or eb.value is None else eb.value - ea.value
            out.append(
                MetricChange(
                    grouping=list(ga.attributes),
                    metric=metric,
                    measure="max_min_difference",
                    before=ea.value,
                    before_ci=(ea.ci_low, ea.ci_high),
                    after=eb.value,
                    after_ci=(eb.ci_low, eb.ci_high),
                    change=change,
                    intervals_overlap=_overlap((ea.ci_low, ea.ci_high), (eb.ci_low, eb.ci_high)),
                )
            )
    return out


def _overlap(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool | None:
    """Whether two intervals overlap (None when either is missing).

    Examples
    --------
    >>> _overlap((0.1, 0.3), (0.2, 0.4)), _overlap((0.1, 0.2), (0.3, 0.4)), _overlap((None, 1), (0, 1))
    (True, False, None)
    """
    if None in a or None in b:
        return None
    return bool(a[0] <= b[1] and b[0] <= a[1])
