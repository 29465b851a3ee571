"""What every report says first: the key metrics, the largest gaps, the worst-off group.

The HTML, Markdown and terminal reports all lead with the same digest of an
audit, computed here from the statistics (nothing is recomputed from data):

- the *key metrics*: the metrics the audit tested for significance (for a
  classifier: selection rate, accuracy, true and false positive rates), plus
  AUC when a score was given; for an audit without tests, every metric with a
  direction (higher or lower is better);
- per metric, the *largest gap*: the grouping whose groups spread furthest
  apart (max - min), with its min/max ratio, its lowest and highest groups,
  and how many groups differ from the reference after the correction for
  multiple comparisons;
- the *worst-off group*: the group that is worst on the most key metrics, in
  the grouping where each metric's gap is largest;
- the groups too small to report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.core import ValueStatus, disclosure_note
from accord.fairness import (
    METRICS_BY_NAME,
    FairnessStats,
    GroupingStats,
    GroupStats,
    MetricInfo,
    Summary,
)
from accord.report._format import join_words
from accord.report._result import AuditResult

#: Metrics that lead the report when present, besides the tested ones.
HEADLINE_EXTRA = ("auc",)
#: The most metrics the terminal table lists before it falls back to the key metrics.
MAX_TABLE_METRICS = 16


@dataclass(frozen=True)
class Gap:
    """The largest spread of one metric across the groups of one grouping."""

    metric: MetricInfo
    grouping: GroupingStats
    summary: Summary
    lowest: GroupStats
    highest: GroupStats
    reference: GroupStats | None
    tested: int
    significant: int

    @property
    def worst(self) -> GroupStats | None:
        """The group worse off on this metric, when the metric has a direction."""
        if self.metric.better == "higher":
            return self.lowest
        if self.metric.better == "lower":
            return self.highest
        return None

    @property
    def best(self) -> GroupStats | None:
        """The group better off on this metric, when the metric has a direction."""
        if self.metric.better == "higher":
            return self.highest
        if self.metric.better == "lower":
            return self.lowest
        return None

    @property
    def ratio_meaningful(self) -> bool:
        """Whether min/max is a meaningful ratio (no group below 0, e.g. a signed error)."""
        low = self.lowest.metrics[self.metric.name].value
        return low is not None and low >= 0

    @property
    def is_tested(self) -> bool:
        """Whether the groups were tested against the reference on this metric."""
        return self.tested > 0

    def tests_text(self) -> str:
        """How many groups differ from the reference after correction: ``3 of 7``."""
        return f"{self.significant} of {self.tested}" if self.is_tested else "not tested"


@dataclass(frozen=True)
class WorstOff:
    """The group that is worst on the most key metrics."""

    grouping: GroupingStats
    group: GroupStats
    gaps: tuple[Gap, ...]


def key_metrics(stats: FairnessStats) -> list[MetricInfo]:
    """The metrics a report leads with (see the module docstring)."""
    by_name = {m.name: m for m in stats.metrics}
    names: list[str] = []
    if stats.significance is not None:
        names = [n for n in stats.significance.metrics if n in by_name]
    if not names:
        names = [m.name for m in stats.metrics if m.better is not None]
    if not names:
        names = [m.name for m in stats.metrics if m.name != "share"]
    names += [n for n in HEADLINE_EXTRA if n in by_name and n not in names]
    return [by_name[n] for n in names]


def table_metrics(stats: FairnessStats) -> list[MetricInfo]:
    """The metrics of a one-row-per-metric summary table: the key metrics and every metric
    with a direction, or only the key metrics when those are too many (a multiclass audit).
    """
    keys = key_metrics(stats)
    names = {m.name for m in keys}
    chosen = [m for m in stats.metrics if m.better is not None or m.name in names]
    return chosen if len(chosen) <= MAX_TABLE_METRICS else keys


def find_group(grouping: GroupingStats, key: dict[str, str] | None) -> GroupStats | None:
    """The group of ``grouping`` with this key, if any."""
    if key is None:
        return None
    for g in grouping.groups:
        if g.key == key:
            return g
    return None


def _value(group: GroupStats, metric: str) -> float | None:
    est = group.metrics.get(metric)
    if est is None or est.status != ValueStatus.OK:
        return None
    return est.value


def gap_in(grouping: GroupingStats, metric: MetricInfo) -> Gap | None:
    """The spread of ``metric`` across the groups of ``grouping``, when it is defined."""
    summary = grouping.summaries.get(metric.name)
    if summary is None or summary.max_min_difference.value is None:
        return None
    valued = [(v, g) for g in grouping.groups if (v := _value(g, metric.name)) is not None]
    if len(valued) < 2:
        return None
    lowest = min(valued, key=lambda t: t[0])[1]
    highest = max(valued, key=lambda t: t[0])[1]
    tests = [d for d in grouping.disparities.get(metric.name, []) if d.p_adjusted is not None]
    return Gap(
        metric=metric,
        grouping=grouping,
        summary=summary,
        lowest=lowest,
        highest=highest,
        reference=find_group(grouping, grouping.reference),
        tested=len(tests),
        significant=sum(1 for d in tests if d.significant),
    )


def largest_gap(stats: FairnessStats, metric: MetricInfo) -> Gap | None:
    """The grouping where ``metric`` spreads furthest, by the lower end of the spread's
    interval (the gap the data supports), then by the estimate; the first such on ties.

    Ranking by the estimate alone would put forward the grouping with the noisiest small
    groups: a rate over a handful of positives swings from 0 to 1.
    """
    best: Gap | None = None
    best_key = (float("-inf"), float("-inf"))
    for grouping in stats.groupings:
        gap = gap_in(grouping, metric)
        if gap is None:
            continue
        spread = gap.summary.max_min_difference
        assert spread.value is not None
        key = (spread.ci_low if spread.ci_low is not None else spread.value, spread.value)
        if best is None or key > best_key:
            best, best_key = gap, key
    return best


def largest_gaps(stats: FairnessStats, metrics: Sequence[MetricInfo]) -> list[Gap]:
    """The largest gap of each metric that has one, in the order of ``metrics``."""
    return [gap for m in metrics if (gap := largest_gap(stats, m)) is not None]


def worst_off(gaps: Sequence[Gap]) -> WorstOff | None:
    """The group that is worst on the most of ``gaps`` (first in metric order on ties)."""
    tally: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], list[Gap]] = {}
    for gap in gaps:
        worst = gap.worst
        if worst is None:
            continue
        ident = (tuple(gap.grouping.attributes), tuple(worst.key.items()))
        tally.setdefault(ident, []).append(gap)
    if not tally:
        return None
    chosen = max(tally.values(), key=len)  # max keeps the first of equal counts
    first = chosen[0]
    assert first.worst is not None
    return WorstOff(grouping=first.grouping, group=first.worst, gaps=tuple(chosen))


def small_groups(stats: FairnessStats) -> list[tuple[GroupingStats, GroupStats]]:
    """Every group, of every grouping, too small to report metrics for."""
    return [
        (grouping, g)
        for grouping in stats.groupings
        for g in grouping.groups
        if g.status == ValueStatus.INSUFFICIENT_DATA
    ]


def group_count(stats: FairnessStats) -> int:
    """How many groups the audit compared, over all groupings."""
    return sum(len(g.groups) for g in stats.groupings)


def task_text(stats: FairnessStats) -> str:
    """The task in words, with the positive class or the classes."""
    if stats.task == "binary":
        return "binary classification" + (
            f", positive class {stats.positive!r}" if stats.positive is not None else ""
        )
    if stats.task == "multiclass":
        return f"multiclass classification, {len(stats.classes)} classes (one-vs-rest metrics)"
    return "regression"


def short_title(metric: MetricInfo) -> str:
    """A metric's title short enough for a chart header: ``True positive rate [setosa]``."""
    if metric.class_label is None:
        return metric.title
    base = metric.name.split("[", 1)[0]
    known = METRICS_BY_NAME.get(base)
    return f"{known.title if known else base} [{metric.class_label}]"


def derived_methods(stats: FairnessStats, titles: dict[str, str]) -> list[tuple[str, str]]:
    """Interval methods of differences, ratios and spreads, with the metrics they cover."""
    by_method: dict[str, list[str]] = {}
    for m in stats.metrics:
        method = _derived_method(stats, m.name)
        if method:
            by_method.setdefault(method, []).append(m.name)
    ranked = sorted(by_method.items(), key=lambda kv: -len(kv[1]))
    out = []
    for i, (method, names) in enumerate(ranked):
        if i == 0 and len(ranked) > 1:
            what = "every other metric"
        elif i == 0:
            what = "every metric"
        else:
            what = join_words([titles.get(n, n) for n in names])
        out.append((method, f"differences, ratios and spreads of {what}"))
    return out


def _derived_method(stats: FairnessStats, metric: str) -> str | None:
    for grouping in stats.groupings:
        for d in grouping.disparities.get(metric, []):
            for est in (d.difference, d.ratio):
                if est.method:
                    return est.method
        s = grouping.summaries.get(metric)
        if s is not None:
            for est in (s.max_min_difference, s.min_max_ratio):
                if est.method:
                    return est.method
    return None


def source_name(result: AuditResult) -> str | None:
    """The audited file's name (without its folders), or None for a data frame."""
    return result.input.path.replace("\\", "/").rsplit("/", 1)[-1] if result.input.path else None


def all_warnings(result: AuditResult) -> list[str]:
    """The audit's warnings, each once, in order."""
    return list(dict.fromkeys([*result.warnings, *result.fairness.warnings]))


def disclosure_text(result: AuditResult) -> str:
    """The sentence every report says about small counts (see accord.core.disclosure_note)."""
    return disclosure_note(result.settings.suppress_below)


def dp_text(result: AuditResult) -> str | None:
    """One sentence on the differentially private release, or None when there is none."""
    dp = result.dp_release
    if dp is None:
        return None
    what = join_words(["counts", *(n.replace("_", " ") + "s" for n in dp.rates)])
    return (
        f"Differentially private release (ε = {dp.epsilon:g}, split over "
        f"{len(dp.split)} queries of {len(dp.groupings)} groupings): noisy {what} of every "
        f"group, each within ±{dp.count_bound:.1f} rows of the truth with "
        f"{dp.confidence:.0%} confidence; in the JSON and HTML reports."
    )
