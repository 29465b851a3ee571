"""What the registry indexes from an AuditResult: status, counts, key disparities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.core import Finding, FindingStatus
from accord.report import AuditResult

#: Metrics whose spread across groups the timelines show, in order of preference.
KEY_METRICS = ("selection_rate", "tpr", "fpr", "accuracy", "auc", "mae", "rmse")
KEY_METRICS_PER_AUDIT = 3


def audit_status(findings: Sequence[Finding]) -> str:
    """One word for the audit: ``fail``, ``error``, ``warn``, ``pass`` or ``no_checks``.

    A check that could not run (``error``) ranks above a warning; a check without
    enough data counts as a warning, never as a pass.

    Examples
    --------
    >>> audit_status([Finding(check_id="a", status="pass", metric="m", measure="ratio"),
    ...               Finding(check_id="b", status="warn", metric="m", measure="ratio")])
    'warn'
    >>> audit_status([])
    'no_checks'
    """
    statuses = {f.status for f in findings}
    if not statuses:
        return "no_checks"
    if FindingStatus.FAIL in statuses:
        return "fail"
    if FindingStatus.ERROR in statuses:
        return "error"
    if statuses & {FindingStatus.WARN, FindingStatus.INSUFFICIENT_DATA}:
        return "warn"
    return "pass"


def finding_counts(result: AuditResult) -> dict[str, int]:
    """How many findings the audit has, and how many failed, warned, passed."""
    counts = {"n_findings": len(result.findings), "n_fail": 0, "n_warn": 0, "n_pass": 0}
    for f in result.findings:
        if f.status is FindingStatus.FAIL:
            counts["n_fail"] += 1
        elif f.status is FindingStatus.PASS:
            counts["n_pass"] += 1
        else:
            counts["n_warn"] += 1
    return counts


def key_disparities(result: AuditResult) -> list[dict[str, Any]]:
    """The spread (largest minus smallest group) of the key metrics, per single attribute.

    These are what the system page plots across audits; the full statistics stay
    in the stored AuditResult.
    """
    stats = result.fairness
    available = {m.name for m in stats.metrics}
    metrics = [m for m in KEY_METRICS if m in available][:KEY_METRICS_PER_AUDIT]
    out: list[dict[str, Any]] = []
    for grouping in stats.groupings:
        if len(grouping.attributes) != 1:
            continue
        for metric in metrics:
            summary = grouping.summaries.get(metric)
            if summary is None:
                continue
            est = summary.max_min_difference
            out.append(
                {
                    "attribute": grouping.attributes[0],
                    "metric": metric,
                    "measure": "difference",
                    "value": est.value,
                    "ci_low": est.ci_low,
                    "ci_high": est.ci_high,
                    "status": est.status.value,
                    "groups": summary.groups_compared,
                }
            )
    return out


def finding_rows(result: AuditResult) -> list[dict[str, Any]]:
    """The audit's findings as flat rows for the ``findings`` table."""
    rows = []
    for f in result.findings:
        est = f.value
        rows.append(
            {
                "check_id": f.check_id,
                "title": f.title,
                "status": f.status.value,
                "severity": f.severity,
                "metric": f.metric,
                "measure": f.measure,
                "grouping": list(f.grouping),
                "value": est.value if est else None,
                "ci_low": est.ci_low if est else None,
                "ci_high": est.ci_high if est else None,
                "message": f.message,
                "requirements": list(f.requirements),
            }
        )
    return rows
