"""Performance across countries, sub-regions, regions and other groups.

For every grouping (a country column at each level of its roll-up, each other
group attribute, and their intersections) this reports each group's accuracy
and error rate with Wilson intervals, the worst group, and the gap between
the best and the worst group. The gap's interval comes from simultaneous
Wilson intervals over the compared groups (Bonferroni), so it holds for the
largest gap whatever the number of groups. The metric, the intervals and the
best/worst summary are accord.fairness's own: a region is only another
grouping of the same cells.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.core import Estimate, ValueStatus
from accord.fairness import (
    METRICS_BY_NAME,
    MISSING_LABEL,
    Confusion,
    Grouping,
    GroupValues,
    Settings,
    Summary,
    summaries,
    wilson,
)
from accord.inclusion._cells import UNRECOGNISED, Cells
from accord.inclusion._models import (
    GroupPerformance,
    InclusionSettings,
    Performance,
    PerformanceGrouping,
)

ACCURACY = METRICS_BY_NAME["accuracy"]
WILSON = "wilson"


def performance(cells: Cells, settings: InclusionSettings) -> Performance | None:
    """Accuracy by group for every grouping of the lattice; None without labels.

    Groups with a missing or unrecognised key are reported but never taken as
    the best or the worst group.
    """
    out = cells.outcome
    if out is None:
        return None
    n_lab = (cells.n * out.labelled).astype(float)
    n_ok = (cells.n * (out.labelled & out.correct)).astype(float)
    fs = Settings(ci_level=settings.ci_level, min_group_size=settings.min_group_size)
    overall = _groups(cells, cells.grouping([]), n_lab, n_ok, settings)[0][0]
    groupings = []
    for names in cells.lattice(settings.max_order):
        grouping = cells.grouping(names)
        groups, gv = _groups(cells, grouping, n_lab, n_ok, settings)
        keys = [g.key for g in groups]
        excluded = np.array(
            [any(v in (MISSING_LABEL, UNRECOGNISED) for v in k.values()) for k in keys]
        )
        comparable = replace(gv, small=gv.small | excluded)
        summary = summaries(comparable, keys, fs, "higher")
        groupings.append(_grouping(list(names), groups, summary))
    labelled = int(n_lab.sum())
    return Performance(
        label=out.label,
        prediction=out.prediction,
        classes=list(out.classes),
        labelled_rows=labelled,
        unlabelled_rows=cells.rows - labelled,
        overall=overall,
        groupings=groupings,
        gap_method=next((g.gap.method for g in groupings if g.gap.method), "none"),
    )


def _groups(
    cells: Cells,
    grouping: Grouping,
    n_lab: np.ndarray,
    n_ok: np.ndarray,
    settings: InclusionSettings,
) -> tuple[list[GroupPerformance], GroupValues]:
    n = grouping.sum(n_lab)
    ok = grouping.sum(n_ok)
    acc = _accuracy(ok, n)
    lo, hi = wilson(acc, n, settings.ci_level)
    small = n < settings.min_group_size
    undefined = ~np.isfinite(acc)
    # A rate: fairness's spread of it takes simultaneous Wilson intervals (n_eff), in [0, 1].
    gv = GroupValues(
        acc,
        lo,
        hi,
        WILSON,
        n.astype(np.int64),
        n,
        small,
        undefined,
        None,
        n,
        n_eff=n,
        limits=(0.0, 1.0),
    )
    keys = cells.keys(grouping) if grouping.attributes else [{}]
    groups = []
    for g, key in enumerate(keys):
        status = (
            ValueStatus.INSUFFICIENT_DATA
            if small[g]
            else ValueStatus.UNDEFINED
            if undefined[g]
            else ValueStatus.OK
        )
        a, e = _estimates(float(acc[g]), float(lo[g]), float(hi[g]), status, float(n[g]))
        groups.append(
            GroupPerformance(key=key, n=int(n[g]), status=status, accuracy=a, error_rate=e)
        )
    return groups, gv


def _accuracy(correct: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Accuracy through fairness's own definition: correct rows as TP, wrong ones as FP."""
    zero = np.zeros_like(correct)
    wrong = n - correct
    conf = Confusion(
        tp=correct, fp=wrong, fn=zero, tn=zero, tp2=correct, fp2=wrong, fn2=zero, tn2=zero
    )
    out: np.ndarray = ACCURACY.value(conf)
    return out


def _estimates(
    acc: float, lo: float, hi: float, status: ValueStatus, n: float
) -> tuple[Estimate, Estimate]:
    if status != ValueStatus.OK:
        missing = Estimate.missing(status, n)
        return missing, missing
    return (
        Estimate(value=acc, ci_low=lo, ci_high=hi, method=WILSON, denominator=n),
        Estimate(value=1 - acc, ci_low=1 - hi, ci_high=1 - lo, method=WILSON, denominator=n),
    )


def _grouping(
    names: list[str], groups: list[GroupPerformance], summary: Summary
) -> PerformanceGrouping:
    by_key = {tuple(g.key.items()): g for g in groups}
    best = by_key.get(tuple(summary.best.items())) if summary.best else None
    worst = by_key.get(tuple(summary.worst.items())) if summary.worst else None
    missing = Estimate.missing(
        summary.max_min_difference.status
        if summary.max_min_difference.status != ValueStatus.OK
        else ValueStatus.INSUFFICIENT_DATA
    )
    return PerformanceGrouping(
        attributes=names,
        groups=groups,
        groups_compared=summary.groups_compared,
        best=summary.best,
        worst=summary.worst,
        best_accuracy=best.accuracy if best else missing,
        worst_accuracy=worst.accuracy if worst else missing,
        worst_error_rate=worst.error_rate if worst else missing,
        gap=summary.max_min_difference,
    )
