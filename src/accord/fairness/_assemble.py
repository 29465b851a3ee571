"""Turn per-grouping arrays into the published models (shared by every task)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord.core import Estimate, ValueStatus, is_small
from accord.fairness._disparity import (
    GroupValues,
    all_disparity_bounds,
    derived_replicates,
    disparities,
    status_of,
    summaries,
)
from accord.fairness._lattice import Grouping
from accord.fairness._models import (
    AttributeInfo,
    GroupingStats,
    GroupStats,
    ReliabilityPoint,
    Summary,
)
from accord.fairness._reference import choose_reference
from accord.fairness._settings import Settings
from accord.fairness._significance import adjust

#: (grouping index, metric name, group index) -> (p-value, adjusted p-value, test name)
PValues = dict[tuple[int, str, int], tuple[float, float, str]]
#: A test of one metric across one grouping: (group, p-value, test name) per tested group.
Tester = Callable[[GroupValues, int | None], list[tuple[int, float, str]]]


def labels_of(grouping: Grouping, infos: Sequence[AttributeInfo]) -> list[dict[str, str]]:
    """Each group's key as attribute -> level label."""
    by_name = {i.name: i for i in infos}
    return [
        {a: by_name[a].levels[int(code)] for a, code in zip(grouping.attributes, row, strict=True)}
        for row in grouping.keys
    ]


def estimate_of(
    value: float, lo: float, hi: float, method: str, status: ValueStatus, denominator: float | None
) -> Estimate:
    """An Estimate, with no number unless the status is ok."""
    den = float(denominator) if denominator is not None and math.isfinite(denominator) else None
    if status != ValueStatus.OK or not math.isfinite(value):
        return Estimate.missing(status if status != ValueStatus.OK else ValueStatus.UNDEFINED, den)
    finite = math.isfinite(lo) and math.isfinite(hi)
    return Estimate(
        value=float(value),
        ci_low=float(lo) if finite else None,
        ci_high=float(hi) if finite else None,
        method=method if finite else None,
        denominator=den,
    )


def metric_estimates(
    values: Mapping[str, GroupValues],
    g: int,
    always_shown: Sequence[str] = ("share",),
    suppress_below: int = 0,
) -> dict[str, Estimate]:
    """Every metric of group ``g``. ``always_shown`` metrics are facts about the group (its
    share of the data), reported whatever its size, unless its count is withheld
    (``suppress_below``): then they would give the count away, and read insufficient data.
    A denominator below ``suppress_below`` is withheld too (it is a count of people).
    """
    out = {}
    hidden = is_small(next(iter(values.values())).lists.n[g], suppress_below)
    for name, gv in values.items():
        at = gv.lists
        status = status_of(at.small[g], at.undefined[g])
        if name in always_shown and not at.undefined[g] and not hidden:
            status = ValueStatus.OK
        den = at.denominator[g]
        shown = None if hidden or is_small(den, suppress_below) else den
        out[name] = estimate_of(at.value[g], at.ci_low[g], at.ci_high[g], gv.method, status, shown)
    return out


def group_stats(
    g: int,
    key: dict[str, str],
    values: Mapping[str, GroupValues],
    reliability: list[list[ReliabilityPoint]] | None = None,
    suppress_below: int = 0,
) -> GroupStats:
    """One group's published statistics; its count, weight and share are withheld when it
    has fewer rows than ``suppress_below`` (and none is withheld for the whole population,
    ``key`` empty: totals are published).
    """
    first = next(iter(values.values())).lists
    small = first.small[g]
    t = suppress_below if key else 0
    hidden = is_small(first.n[g], t)
    curve = reliability[g] if reliability is not None else None
    return GroupStats(
        key=key,
        n=None if hidden else int(first.n[g]),
        weight=None if hidden else float(first.weight[g]),
        status=ValueStatus.INSUFFICIENT_DATA if small else ValueStatus.OK,
        metrics=metric_estimates(values, g, suppress_below=t),
        reliability=None if hidden or curve is None else [_safe_point(p, t) for p in curve],
    )


def _safe_point(point: ReliabilityPoint, suppress_below: int) -> ReliabilityPoint:
    """A reliability bin with its count withheld when it holds fewer rows than the threshold
    (the bin is a cell of the group: score range x group).
    """
    if not is_small(point.n, suppress_below):
        return point
    return point.model_copy(
        update={
            "n": None,
            "weight": None,
            "mean_score": None,
            "observed": Estimate.missing(ValueStatus.INSUFFICIENT_DATA),
        }
    )


def run_tests(
    per_grouping: Sequence[tuple[Grouping, list[dict[str, str]], Mapping[str, GroupValues]]],
    tested: Sequence[str],
    tester: Tester,
    ref_metric: str,
    settings: Settings,
) -> tuple[PValues, list[str]]:
    """Test every tested metric of every group against its grouping's reference, and adjust
    all p-values together: the whole audit is one family of comparisons.
    """
    raw: list[tuple[int, str, int, float, str]] = []
    for gi, (grouping, labels, values) in enumerate(per_grouping):
        ref = choose_reference(grouping, labels, values[ref_metric], settings)
        for name in tested:
            if name in values:
                for g, p, test in tester(values[name], ref):
                    raw.append((gi, name, g, p, test))
    adjusted = adjust(np.array([r[3] for r in raw]), settings.correction)
    pvals: PValues = {
        (gi, name, g): (p, float(pa), test)
        for (gi, name, g, p, test), pa in zip(raw, adjusted, strict=True)
    }
    return pvals, sorted({r[4] for r in raw})


@dataclass(frozen=True)
class _Derived:
    """What the disparities of one grouping derive from: the reference group, each metric's
    replicates and their method, and which groups can be compared.
    """

    ref: int | None
    rule: str
    methods: dict[str, str]
    replicates: dict[str, np.ndarray]
    eligible: dict[str, np.ndarray]


def _derive(
    grouping: Grouping,
    labels: list[dict[str, str]],
    values: Mapping[str, GroupValues],
    ref_metric: str,
    settings: Settings,
    no_disparity: Sequence[str],
) -> _Derived:
    ref, rule = choose_reference(grouping, labels, values[ref_metric], settings, with_rule=True)
    derived = {
        name: derived_replicates(gv, settings)
        for name, gv in values.items()
        if name not in no_disparity
    }
    replicates = {name: reps for name, (reps, _) in derived.items() if reps is not None}
    return _Derived(
        ref,
        rule,
        {name: method for name, (_, method) in derived.items()},
        replicates,
        {name: values[name].eligible() for name in replicates},
    )


def all_grouping_stats(
    labelled: Sequence[tuple[Grouping, list[dict[str, str]], Mapping[str, GroupValues]]],
    ref_metric: str,
    directions: Mapping[str, str | None],
    settings: Settings,
    pvals: PValues,
    reliability: Sequence[list[list[ReliabilityPoint]] | None] | None = None,
    no_disparity: Sequence[str] = ("share",),
) -> list[GroupingStats]:
    """Every grouping's published statistics: groups, disparities and summaries.

    The percentile bounds of all disparities of all groupings are computed together
    (``all_disparity_bounds``): they are the heavy numeric part of an audit.
    """
    derived = [
        _derive(g, labels, values, ref_metric, settings, no_disparity)
        for g, labels, values in labelled
    ]
    bounds = all_disparity_bounds(
        [(d.replicates, d.ref, d.eligible) for d in derived], settings.ci_level
    )
    parts = [
        _groups_and_summaries(
            g,
            labels,
            values,
            directions,
            settings,
            derived[gi],
            reliability[gi] if reliability is not None else None,
            no_disparity,
        )
        for gi, (g, labels, values) in enumerate(labelled)
    ]
    out = []
    for gi, ((g, labels, values), (groups, summ)) in enumerate(zip(labelled, parts, strict=True)):
        d = derived[gi]
        disp = {
            name: disparities(
                gv,
                d.ref,
                labels,
                settings,
                {k: pvals[(gi, name, k)] for k in range(g.size) if (gi, name, k) in pvals},
                bounds[gi].get(name),
                d.methods[name],
            )
            for name, gv in values.items()
            if name not in no_disparity
        }
        out.append(
            GroupingStats(
                attributes=list(g.attributes),
                reference=labels[d.ref] if d.ref is not None else None,
                reference_rule=d.rule,
                groups=groups,
                disparities=disp,
                summaries=summ,
            )
        )
    return out


def _groups_and_summaries(
    grouping: Grouping,
    labels: list[dict[str, str]],
    values: Mapping[str, GroupValues],
    directions: Mapping[str, str | None],
    settings: Settings,
    derived: _Derived,
    reliability: list[list[ReliabilityPoint]] | None,
    no_disparity: Sequence[str],
) -> tuple[list[GroupStats], dict[str, Summary]]:
    groups = [
        group_stats(g, labels[g], values, reliability, settings.suppress_below)
        for g in range(grouping.size)
    ]
    summ = {
        name: summaries(gv, labels, settings, directions.get(name), derived.replicates.get(name))
        for name, gv in values.items()
        if name not in no_disparity
    }
    return groups, summ
