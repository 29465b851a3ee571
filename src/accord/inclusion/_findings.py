"""Findings of an inclusion audit: each check's outcome and the requirements it evidences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.core import Estimate, Finding, FindingStatus, ValueStatus, is_small
from accord.inclusion._models import (
    Coverage,
    InclusionSettings,
    Missingness,
    Performance,
    PerformanceGrouping,
    Proxies,
    Representation,
)
from accord.inclusion._requirements import (
    COVERAGE_GAPS,
    MISSINGNESS,
    PERFORMANCE_BY_REGION,
    PROXIES,
    REPRESENTATION,
    requirements_for,
)


def findings(
    representation: Sequence[Representation],
    coverage: Coverage,
    performance: Performance | None,
    missingness: Sequence[Missingness],
    proxies: Sequence[Proxies],
    settings: InclusionSettings,
) -> list[Finding]:
    """Judge every check of an inclusion audit.

    One finding per reference population, per single grouping's performance and
    per attribute's missingness and proxies, and one for coverage gaps.
    """
    out = [_representation(r, settings) for r in representation]
    out.append(_coverage(coverage))
    if performance is not None:
        out += [_performance(g, settings) for g in performance.groupings if len(g.attributes) == 1]
    out += [_missingness(m, settings) for m in missingness]
    out += [_proxies(p, settings) for p in proxies]
    return out


def _representation(r: Representation, s: InclusionSettings) -> Finding:
    title = f"Representation of {r.grouping} against {r.reference_name or 'the reference'}"
    base: dict[str, Any] = {
        "check_id": REPRESENTATION,
        "title": title,
        "metric": "representation_ratio",
        "measure": "min",
        "grouping": [r.grouping],
        "threshold": {"min": s.min_ratio},
        "judge": "ci_upper",
        "requirements": requirements_for(REPRESENTATION),
    }
    if r.rows_compared == 0:
        return Finding(
            status=FindingStatus.INSUFFICIENT_DATA,
            message="no row of the data falls in a group of the reference",
            **base,
        )
    worst = min(r.groups, key=lambda g: g.ratio.value if g.ratio.value is not None else 0.0)
    significant = [
        g for g in r.groups if g.ratio.ci_high is not None and g.ratio.ci_high < s.min_ratio
    ]
    low = [g for g in r.groups if g.ratio.value is not None and g.ratio.value < s.min_ratio]
    status = (
        FindingStatus.FAIL if significant else FindingStatus.WARN if low else FindingStatus.PASS
    )
    breached = significant or low
    parts = []
    for g in breached[:6]:
        if g.n == 0:
            parts.append(f"{g.group} absent (expected {g.expected:.0f} rows)")
        elif is_small(g.n, s.suppress_below):
            # Its ratio would give its count away (the reference share and the total are known).
            parts.append(f"{g.group} fewer than {s.suppress_below} rows")
        else:
            parts.append(f"{g.group} {_ratio(g.ratio)}")
    message = (
        f"ratio of data share to reference share below {s.min_ratio:g}: " + "; ".join(parts)
        if parts
        else f"every group's ratio is at least {s.min_ratio:g}"
    )
    return Finding(
        status=status,
        value=Estimate.missing(ValueStatus.INSUFFICIENT_DATA)
        if is_small(worst.n, s.suppress_below)
        else worst.ratio,
        message=message,
        groups=[{r.grouping: g.group} for g in breached],
        **base,
    )


def _coverage(c: Coverage) -> Finding:
    status = FindingStatus.WARN if c.total else FindingStatus.PASS
    message = (
        f"{c.total} group(s) or intersection(s) have fewer than {c.min_group_size} "
        f"{c.counted}; each needs {c.needed} for a {c.method}"
        if c.total
        else f"every group has at least {c.min_group_size} {c.counted}"
    )
    return Finding(
        check_id=COVERAGE_GAPS,
        title="Coverage gaps (blind spots)",
        status=status,
        severity="warn",
        metric="group_size",
        measure="groups_below_minimum",
        value=Estimate(value=float(c.total)),
        threshold={"min_group_size": c.min_group_size},
        groups=[b.key for b in c.blind_spots[:50]],
        requirements=requirements_for(COVERAGE_GAPS),
        message=message,
    )


def _performance(g: PerformanceGrouping, s: InclusionSettings) -> Finding:
    name = g.attributes[0]
    base: dict[str, Any] = {
        "check_id": PERFORMANCE_BY_REGION,
        "title": f"Accuracy across {name}",
        "metric": "accuracy",
        "measure": "max_min_difference",
        "grouping": g.attributes,
        "threshold": {"max": s.max_accuracy_gap},
        "judge": "ci_lower",
        "requirements": requirements_for(PERFORMANCE_BY_REGION),
    }
    gap = g.gap
    if gap.status != ValueStatus.OK or gap.value is None:
        return Finding(
            status=FindingStatus.INSUFFICIENT_DATA,
            value=gap,
            message=f"fewer than two groups with at least {s.min_group_size} labelled rows",
            **base,
        )
    low = gap.ci_low if gap.ci_low is not None else gap.value
    status = (
        FindingStatus.FAIL
        if low > s.max_accuracy_gap
        else FindingStatus.WARN
        if gap.value > s.max_accuracy_gap
        else FindingStatus.PASS
    )
    worst = ", ".join(g.worst.values()) if g.worst else "?"
    best = ", ".join(g.best.values()) if g.best else "?"
    message = (
        f"worst group {worst}: accuracy {_pct(g.worst_accuracy)}, error rate "
        f"{_pct(g.worst_error_rate)}; best group {best}: {_pct(g.best_accuracy)}; "
        f"gap {_pct(gap)}"
    )
    return Finding(
        status=status, value=gap, groups=[g.worst] if g.worst else [], message=message, **base
    )


def _missingness(m: Missingness, s: InclusionSettings) -> Finding:
    top = m.flags[0] if m.flags else None
    message = (
        f"{len(m.flags)} feature/group pair(s) with far more missing values, e.g. "
        f"{top.feature} missing for {_pct(top.rate)} of {', '.join(top.key.values())} "
        f"against {top.rest_rate * 100:.1f}% elsewhere"
        if top
        else "no feature is missing far more often for one group"
    )
    return Finding(
        check_id=MISSINGNESS,
        title=f"Missing values by {m.attribute}",
        status=FindingStatus.WARN if m.flags else FindingStatus.PASS,
        severity="warn",
        metric="missing_rate",
        measure="difference_to_rest",
        grouping=[m.attribute],
        value=Estimate(value=top.difference) if top else None,
        threshold={"max": s.max_missing_gap},
        groups=[{**f.key, "feature": f.feature} for f in m.flags],
        requirements=requirements_for(MISSINGNESS),
        message=message,
    )


def _proxies(p: Proxies, s: InclusionSettings) -> Finding:
    flagged = [r for r in p.ranking if r.flagged]
    top = p.ranking[0] if p.ranking else None
    value = (
        Estimate(value=top.cramers_v_corrected)
        if top is not None and top.cramers_v_corrected is not None
        else None
    )
    message = (
        ", ".join(f"{r.feature} (V={r.cramers_v_corrected:.2f})" for r in flagged[:5])
        + f" stand in for {p.attribute}"
        if flagged
        else f"no feature reaches a corrected Cramér's V of {s.proxy_threshold:g} with "
        f"{p.attribute}"
    )
    return Finding(
        check_id=PROXIES,
        title=f"Proxies for {p.attribute}",
        status=FindingStatus.WARN if flagged else FindingStatus.PASS,
        severity="warn",
        metric="cramers_v_corrected",
        measure="max",
        grouping=[p.attribute],
        value=value,
        threshold={"max": s.proxy_threshold},
        groups=[{"feature": r.feature} for r in flagged],
        requirements=requirements_for(PROXIES),
        message=message,
    )


def _ratio(e: Estimate) -> str:
    if e.value is None:
        return "n/a"
    if e.ci_low is None or e.ci_high is None:
        return f"{e.value:.2f}"
    return f"{e.value:.2f} [{e.ci_low:.2f}, {e.ci_high:.2f}]"


def _pct(e: Estimate) -> str:
    if e.value is None:
        return e.status.value.replace("_", " ")
    if e.ci_low is None or e.ci_high is None:
        return f"{e.value * 100:.1f}%"
    return f"{e.value * 100:.1f}% [{e.ci_low * 100:.1f}, {e.ci_high * 100:.1f}]"
