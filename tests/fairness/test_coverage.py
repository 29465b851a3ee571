"""Do accord's 95% intervals cover the truth 95% of the time?

2000 datasets are drawn from a population whose rates are known, each is audited with the
default 1000 bootstrap replicates, and the share of datasets whose interval holds the true
value must lie in [0.93, 0.97] (the Monte Carlo standard error of a share near 0.95 over
2000 datasets is 0.005), for:

- rates, with Wilson intervals (selection rate, TPR, FPR of every group);
- a metric that is not a rate, with the cell-count bootstrap (balanced accuracy, F1);
- differences and ratios between a group and the reference group (the bootstrap).

The max - min difference and min / max ratio across groups get intervals built from a
simultaneous band over the groups (Wilson at the Bonferroni level for rates, a max-|t|
bootstrap band otherwise). They are conservative by construction: they must cover at least
95% of the time (0.94 allowing for Monte Carlo error) whether the groups are well apart,
close or tied, where a percentile bootstrap of max - min covers 0% of tied spreads; they
cover more than 97%, which docs/metrics.md reports with their widths.

A dataset is drawn directly as counts per (group, label, prediction) cell, a multinomial
draw, exactly what the one pass would reduce rows drawn from the population to (the
property tests check that reduction); everything from the cell table on is accord's code.

Run ``python -m fairness.test_coverage`` in ``tests/`` to print the coverage tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from accord.core import Estimate
from accord.fairness import Settings

from .accord_groups import stats_from_cells

DATASETS = 2000
LOW, HIGH = 0.93, 0.97


@dataclass(frozen=True)
class Population:
    """Groups with known shares, base rates, TPRs and FPRs."""

    share: tuple[float, ...]
    base: tuple[float, ...]
    tpr: tuple[float, ...]
    fpr: tuple[float, ...]
    rows: int

    @property
    def groups(self) -> int:
        return len(self.share)

    def cells(self) -> np.ndarray:
        """Probability of each (group, label, prediction) cell: TN, FP, FN, TP per group."""
        out = []
        for s, b, t, f in zip(self.share, self.base, self.tpr, self.fpr, strict=True):
            out += [s * (1 - b) * (1 - f), s * (1 - b) * f, s * b * (1 - t), s * b * t]
        return np.array(out)

    def truth(self, metric: str) -> np.ndarray:
        b, t, f = (np.array(x) for x in (self.base, self.tpr, self.fpr))
        tp, fp, fn = b * t, (1 - b) * f, b * (1 - t)
        return {
            "selection_rate": tp + fp,
            "tpr": t,
            "fpr": f,
            "balanced_accuracy": (t + 1 - f) / 2,
            "f1": 2 * tp / (2 * tp + fp + fn),
        }[metric]


#: Three groups of unequal size whose rates are well apart (3 to 4 standard errors).
APART = Population(
    share=(0.5, 0.3, 0.2),
    base=(0.3, 0.25, 0.2),
    tpr=(0.3, 0.5, 0.7),
    fpr=(0.1, 0.15, 0.2),
    rows=2000,
)
#: Three groups whose selection rates step by 0.013 (0.6 to 1 standard error).
CLOSE = Population(
    share=(0.5, 0.3, 0.2),
    base=(0.3,) * 3,
    tpr=(0.5, 0.52, 0.54),
    fpr=(0.2, 0.21, 0.22),
    rows=2000,
)
#: Three groups with the same rates: the true max - min is 0.
TIED = Population(
    share=(0.5, 0.3, 0.2),
    base=(0.3,) * 3,
    tpr=(0.5,) * 3,
    fpr=(0.2,) * 3,
    rows=2000,
)


def _covers(estimate: Estimate, truth: float) -> bool:
    return (
        estimate.ci_low is not None
        and estimate.ci_high is not None
        and estimate.ci_low <= truth <= estimate.ci_high
    )


#: The spread summaries checked: a rate (Wilson band) and a bootstrap metric (max-|t| band).
SPREADS = ("selection_rate", "balanced_accuracy")


def simulate(
    population: Population, datasets: int, seed: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Per quantity, the share of datasets whose interval covers the truth; and the median
    width of the spread intervals."""
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(population.rows, population.cells(), size=datasets)
    hits: dict[str, list[bool]] = {}
    widths: dict[str, list[float]] = {}

    def hit(name: str, estimate: Estimate, truth: float) -> None:
        hits.setdefault(name, []).append(_covers(estimate, truth))

    for i, counts in enumerate(draws):
        settings = Settings(bootstrap=1000, seed=i, min_group_size=1)
        stats = stats_from_cells(counts, population.groups, settings)
        grouping = stats.groupings[0]
        assert grouping.reference == {"g": "g0"}  # the largest group, in every dataset
        for metric in ("selection_rate", "tpr", "fpr", "balanced_accuracy", "f1"):
            truth = population.truth(metric)
            for g, group in enumerate(grouping.groups):
                hit(f"{metric} of g{g}", group.metrics[metric], truth[g])
        for metric in ("selection_rate", "tpr"):
            truth = population.truth(metric)
            for d in grouping.disparities[metric]:
                g = int(d.key["g"][1:])
                hit(f"{metric} difference g{g} - g0", d.difference, truth[g] - truth[0])
                hit(f"{metric} ratio g{g} / g0", d.ratio, truth[g] / truth[0])
        for metric in SPREADS:
            truth = population.truth(metric)
            summary = grouping.summaries[metric]
            spread, ratio = summary.max_min_difference, summary.min_max_ratio
            hit(f"{metric} max - min", spread, truth.max() - truth.min())
            hit(f"{metric} min / max", ratio, truth.min() / truth.max())
            # The interval always holds its own estimate (a percentile bootstrap's may not).
            assert spread.value is not None and _covers(spread, spread.value)
            assert spread.ci_low is not None and spread.ci_high is not None
            widths.setdefault(f"{metric} max - min", []).append(spread.ci_high - spread.ci_low)
    coverage = {name: float(np.mean(h)) for name, h in hits.items()}
    return coverage, {name: float(np.median(w)) for name, w in widths.items()}


def _is_spread(name: str) -> bool:
    return name.endswith(("max - min", "min / max"))


@pytest.mark.slow
def test_95_percent_intervals_cover_the_truth_95_percent_of_the_time() -> None:
    coverage, _ = simulate(APART, DATASETS, seed=20240601)
    table = "\n".join(f"{name}: {c:.4f}" for name, c in coverage.items())
    assert len(coverage) == 3 * 5 + 2 * 2 * 2 + 2 * 2, table
    outside = {
        name: c
        for name, c in coverage.items()
        if not (c >= LOW - 0.01 if _is_spread(name) else LOW <= c <= HIGH)
    }
    assert not outside, table


@pytest.mark.slow
@pytest.mark.parametrize("population", [CLOSE, TIED], ids=["close", "tied"])
def test_spread_intervals_hold_when_groups_are_close_or_tied(population: Population) -> None:
    """The max - min of noisy groups is biased upwards when they are close (with tied groups
    it is always above the true 0); the band's interval still covers."""
    coverage, _ = simulate(population, 400, seed=7)
    table = "\n".join(f"{name}: {c:.4f}" for name, c in coverage.items())
    assert all(c >= LOW - 0.01 for name, c in coverage.items() if _is_spread(name)), table
    # Group-vs-reference intervals are unaffected by ties (400 datasets: a wider margin).
    assert all(
        LOW - 0.03 <= c <= HIGH + 0.02 for name, c in coverage.items() if "difference" in name
    ), table


if __name__ == "__main__":
    for title, population in (
        ("groups apart", APART),
        ("groups close", CLOSE),
        ("groups tied", TIED),
    ):
        print(f"{title} ({DATASETS} datasets)")
        coverage, widths = simulate(population, DATASETS, seed=20240601)
        for name, c in coverage.items():
            print(f"  {name:40s} {c:.4f}")
        for name, w in widths.items():
            print(f"  {name + ' median width':40s} {w:.4f}")
