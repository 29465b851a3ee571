"""The charts of a fairness audit report, built from its statistics.

Few charts, each dense, because every chart costs a vl-convert call: one
interval chart per single attribute and one for the finest intersection
(key metrics as small multiples, the reference group marked), one heatmap of
every intersection's gaps to its reference group, and one panel of
reliability curves when a score was audited. The full tables below the charts
hold every metric of every group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.core import Estimate, ValueStatus
from accord.fairness import FairnessStats, GroupingStats, GroupStats, MetricInfo
from accord.report import _format as fmt
from accord.report._charts import (
    ChartSpec,
    concat,
    heatmap,
    interval_chart,
    reliability_chart,
    start_engine,
    to_svgs,
)
from accord.report._digest import find_group, key_metrics, short_title

#: The most metrics drawn per chart (a multiclass audit has many key metrics).
MAX_CHART_METRICS = 8
#: The most groups drawn in one interval chart; the largest groups are kept.
MAX_CHART_GROUPS = 60


@dataclass(frozen=True)
class Figure:
    """A rendered chart with its heading and caption."""

    id: str
    title: str
    caption: str
    svg: str


def chart_metrics(stats: FairnessStats) -> list[MetricInfo]:
    """The metrics drawn in the charts: the key metrics, at most :data:`MAX_CHART_METRICS`."""
    return key_metrics(stats)[:MAX_CHART_METRICS]


def _note(est: Estimate | None, group: GroupStats, threshold: int) -> str:
    if est is not None and est.status == ValueStatus.INSUFFICIENT_DATA:
        return f"{fmt.INSUFFICIENT} ({fmt.n_of(group.n, threshold)})"
    return fmt.UNDEFINED


def _label(grouping: GroupingStats, group: GroupStats) -> str:
    text = fmt.group(group.key, grouping.attributes)
    return f"{text} (reference)" if group.key == grouping.reference else text


def _drawn_groups(grouping: GroupingStats) -> tuple[list[GroupStats], int]:
    groups = grouping.groups
    if len(groups) <= MAX_CHART_GROUPS:
        return list(groups), 0
    # A group whose count is withheld is smaller than any other: drawn last.
    keep = sorted(groups, key=lambda g: -(g.n or 0))[:MAX_CHART_GROUPS]
    kept = {id(g) for g in keep}
    return [g for g in groups if id(g) in kept], len(groups) - len(keep)


def interval_figure(
    stats: FairnessStats, grouping: GroupingStats, index: int
) -> tuple[ChartSpec, str]:
    """Key metrics of every group of ``grouping`` with their intervals."""
    metrics = chart_metrics(stats)
    ref = find_group(grouping, grouping.reference)
    groups, dropped = _drawn_groups(grouping)
    rows = []
    for g in groups:
        for m in metrics:
            est = g.metrics.get(m.name)
            ok = est is not None and est.status == ValueStatus.OK
            ref_est = ref.metrics.get(m.name) if ref is not None else None
            rows.append(
                {
                    "group": _label(grouping, g),
                    "metric": short_title(m),
                    "value": est.value if ok and est is not None else None,
                    "low": est.ci_low if ok and est is not None else None,
                    "high": est.ci_high if ok and est is not None else None,
                    "note": None if ok else _note(est, g, stats.suppress_below),
                    "is_reference": g.key == grouping.reference,
                    "reference_value": ref_est.value if ref_est is not None else None,
                }
            )
    name = fmt.grouping(grouping.attributes)
    level = fmt.percent(stats.ci_level)
    chart = interval_chart(
        rows,
        category="group",
        value="value",
        low="low",
        high="high",
        facet="metric",
        note="note",
        highlight="is_reference",
        reference="reference_value",
        columns=len(metrics) if len(metrics) <= 5 else 4,
        width=140 if len(metrics) >= 4 else 200,
    )
    description = (
        f"Dot plot of {fmt.join_words([short_title(m) for m in metrics])} for each of the "
        f"{len(groups)} groups of {name}, with {level} confidence intervals as horizontal "
        f"lines. The reference group is drawn as a diamond and its value as a dashed line. "
        f"The values are in the table '{name}' below."
    )
    caption = (
        f"Each dot is a group's value, each line its {level} confidence interval. The "
        f"reference group ({fmt.group(grouping.reference or {}, grouping.attributes)}, "
        f"{grouping.reference_rule}) is the orange diamond; the dashed line marks its value. "
        f"Groups below {stats.min_group_size} rows show no value."
    )
    if dropped:
        caption += (
            f" The {len(groups)} largest groups are drawn; {dropped} smaller ones are "
            f"in the table below."
        )
    title = f"Key metrics by {name}"
    return ChartSpec(chart, title, description, f"chart-groups-{index}"), caption


def _oriented(metric: MetricInfo, diff: float) -> float:
    # Positive means the group is better off than the reference.
    return -diff if metric.better == "lower" else diff


def heatmap_figure(
    stats: FairnessStats, groupings: Sequence[GroupingStats]
) -> tuple[ChartSpec, str]:
    """Every intersection's groups against their reference, key metric by key metric.

    Only metrics with a direction are drawn: the colour says which side is better off.
    """
    metrics = [m for m in chart_metrics(stats) if m.better is not None]
    rates = all(_unit_interval(stats, m) for m in metrics)
    panels = []
    all_rows: list[list[dict[str, object]]] = []
    for grouping in groupings:
        rows: list[dict[str, object]] = []
        for m in metrics:
            by_key = {tuple(d.key.items()): d for d in grouping.disparities.get(m.name, [])}
            for g in grouping.groups:
                label = _label(grouping, g)
                entry: dict[str, object] = {
                    "group": label,
                    "metric": short_title(m),
                    "gap": None,
                    "text": "",
                    "raw": None,
                }
                if g.key == grouping.reference:
                    entry.update(gap=0.0, text="ref")
                else:
                    d = by_key.get(tuple(g.key.items()))
                    est = d.difference if d is not None else None
                    if est is not None and est.status == ValueStatus.OK and est.value is not None:
                        entry.update(
                            raw=_oriented(m, est.value),
                            text=fmt.signed(est.value) if rates else fmt.number(est.value),
                        )
                    elif g.status == ValueStatus.INSUFFICIENT_DATA:
                        entry["text"] = fmt.n_of(g.n, stats.suppress_below)
                    else:
                        entry["text"] = "undef."
                rows.append(entry)
        all_rows.append(rows)
    top = _scale_rows(all_rows, metrics, rates)
    for grouping, rows in zip(groupings, all_rows, strict=True):
        ref = fmt.group(grouping.reference or {}, grouping.attributes)
        panels.append(
            heatmap(
                rows,
                x="metric",
                y="group",
                color="gap",
                text="text",
                x_order=[short_title(m) for m in metrics],
                color_title=(
                    "Difference to the reference group (blue: group better off, orange: worse off)"
                    if rates
                    else "Difference to the reference, scaled per metric (blue: better off)"
                ),
                reverse=True,
                domain=(-top, top),
                title=f"{fmt.grouping(grouping.attributes)} (reference: {ref})",
                cell_width=92 if len(metrics) <= 4 else 70,
            )
        )
    chart = concat(panels, columns=2, shared_colors=True) if len(panels) > 1 else panels[0]
    names = [fmt.grouping(g.attributes) for g in groupings]
    description = (
        f"Heatmap per intersection ({fmt.join_words(names)}): one row per group, one column "
        f"per key metric; each cell is the group's difference to the reference group, blue "
        f"where the group is better off, orange where it is worse off, grey where a group is "
        f"too small or the metric undefined. The values are in the disparity tables below."
    )
    caption = (
        "Each cell is the group's value minus the reference group's value "
        + ("" if rates else "(colour scaled per metric) ")
        + "on one metric. Colour shows the direction for the group: blue better off, orange "
        "worse off (for error rates a lower value is better). Grey cells: groups below "
        f"{stats.min_group_size} rows (their count is shown) or undefined metrics."
    )
    return ChartSpec(
        chart, "Gaps to the reference group, by intersection", description, "chart-intersections"
    ), caption


def _unit_interval(stats: FairnessStats, metric: MetricInfo) -> bool:
    for grouping in stats.groupings:
        for g in grouping.groups:
            est = g.metrics.get(metric.name)
            if est is not None and est.value is not None and not 0.0 <= est.value <= 1.0:
                return False
    return True


def _scale_rows(
    all_rows: Sequence[Sequence[dict[str, object]]], metrics: Sequence[MetricInfo], rates: bool
) -> float:
    """Set each cell's colour value and return the half-width of the colour domain."""
    tops: dict[object, float] = {}
    for rows in all_rows:
        for r in rows:
            if isinstance(r["raw"], float):
                tops[r["metric"]] = max(tops.get(r["metric"], 0.0), abs(r["raw"]))
    for rows in all_rows:
        for r in rows:
            raw = r["raw"]
            if isinstance(raw, float):
                top = tops.get(r["metric"]) or 1.0
                r["gap"] = raw if rates else raw / top
    if not rates:
        return 1.0
    top = max(tops.values(), default=0.0)
    return max(0.05, round(top + 0.005, 2))


def reliability_figure(
    stats: FairnessStats, groupings: Sequence[GroupingStats]
) -> tuple[ChartSpec, str] | None:
    """Observed rate against mean score per score bin, one panel per attribute."""
    panels = []
    skipped = 0
    width = None
    for grouping in groupings:
        rows = []
        for g in grouping.groups:
            if g.status != ValueStatus.OK or not g.reliability:
                skipped += g.status != ValueStatus.OK
                continue
            for p in g.reliability:
                width = p.bin_high - p.bin_low
                if p.mean_score is None or p.observed.value is None:
                    continue
                rows.append(
                    {
                        "score": p.mean_score,
                        "observed": p.observed.value,
                        "low": p.observed.ci_low,
                        "high": p.observed.ci_high,
                        "group": fmt.group(g.key, grouping.attributes),
                        "n": p.n,
                    }
                )
        if rows:
            panels.append(
                reliability_chart(
                    rows,
                    x="score",
                    y="observed",
                    series="group",
                    low="low",
                    high="high",
                    title=fmt.grouping(grouping.attributes),
                    series_title=fmt.grouping(grouping.attributes),
                )
            )
    if not panels:
        return None
    chart = concat(panels, columns=3) if len(panels) > 1 else panels[0]
    level = fmt.percent(stats.ci_level)
    description = (
        f"Reliability curves, one panel per attribute ({len(panels)} panels), one line per "
        f"group: the observed rate of the positive class against the mean score in score "
        f"bins of width {fmt.number(width)}, with {level} confidence intervals; the dashed "
        f"diagonal is perfect calibration."
    )
    caption = (
        f"A well-calibrated score lies on the dashed diagonal: among rows scored about 0.7, "
        f"about 70% are positive. Vertical lines are {level} (Wilson) intervals of the observed "
        f"rate in a bin."
    )
    if skipped:
        caption += (
            f" {fmt.plural(skipped, 'group')} below {stats.min_group_size} rows are left out."
        )
    return ChartSpec(chart, "Calibration by group", description, "chart-calibration"), caption


def audit_figures(stats: FairnessStats) -> list[Figure]:
    """Every chart of a fairness audit, rendered to inline SVG."""
    start_engine()
    singles = [g for g in stats.groupings if len(g.attributes) == 1]
    multi = [g for g in stats.groupings if len(g.attributes) > 1]
    specs: list[tuple[ChartSpec, str]] = []
    if chart_metrics(stats):
        shown = singles + ([max(multi, key=lambda g: len(g.attributes))] if multi else [])
        specs += [interval_figure(stats, g, i) for i, g in enumerate(shown)]
        if multi and any(m.better is not None for m in chart_metrics(stats)):
            specs.append(heatmap_figure(stats, multi))
    if any(g.reliability for grouping in singles for g in grouping.groups):
        fig = reliability_figure(stats, singles)
        if fig is not None:
            specs.append(fig)
    svgs = to_svgs([s for s, _ in specs])
    return [
        Figure(id=s.chart_id, title=s.title, caption=caption, svg=svg)
        for (s, caption), svg in zip(specs, svgs, strict=True)
    ]
