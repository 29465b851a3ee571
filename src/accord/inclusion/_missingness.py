"""Missingness by group: which features are missing far more often for some groups.

A feature is flagged for a group when, in that group, it is missing at least
``max_missing_gap`` more often than in the rest of the data, at least twice as
often, and the difference is significant: a two-proportion test (Fisher's
exact test for small counts) per (feature, group) pair that passes the first
two conditions, with Holm's (or Benjamini-Hochberg's) correction across all of
them. Groups smaller than the minimum group size are not tested.
"""

from __future__ import annotations

import numpy as np

from accord.core import Estimate
from accord.fairness import adjust, two_proportion, wilson
from accord.inclusion._cells import Cells
from accord.inclusion._models import InclusionSettings, MissingFlag, MissingGroup, Missingness


def missingness(cells: Cells, settings: InclusionSettings) -> list[Missingness]:
    """Missing shares per feature and group of every group attribute, with flags."""
    features = list(cells.nulls)
    total = float(cells.n.sum())
    tests: list[tuple[int, str, dict[str, str], float, float, float, float, float, str]] = []
    partial: list[tuple[str, dict[str, float], list[MissingGroup]]] = []
    for d, dim in enumerate(cells.dimensions):
        grouping = cells.grouping([dim.name])
        n = grouping.sum(cells.n.astype(float))
        keys = cells.keys(grouping)
        overall: dict[str, float] = {}
        rates: list[dict[str, float | None]] = [{} for _ in keys]
        for f in features:
            x = grouping.sum(cells.nulls[f])
            missing = float(x.sum())
            overall[f] = missing / total if total else 0.0
            if missing == 0:
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
                rest_n = total - n
                rest = np.where(
                    rest_n > 0, (missing - x) / np.where(rest_n > 0, rest_n, 1), np.nan
                )
            for g in range(len(keys)):
                rates[g][f] = float(rate[g]) if np.isfinite(rate[g]) else None
                if (
                    n[g] < settings.min_group_size
                    or rest_n[g] <= 0
                    or not rate[g] - rest[g] >= settings.max_missing_gap
                    or not rate[g] >= 2 * rest[g]
                ):
                    continue
                p, test = two_proportion(
                    float(x[g]),
                    float(n[g]),
                    missing - float(x[g]),
                    float(rest_n[g]),
                    exact_allowed=True,
                )
                tests.append(
                    (
                        d,
                        f,
                        keys[g],
                        p,
                        float(x[g]),
                        float(n[g]),
                        float(rest[g]),
                        float(rate[g]),
                        test,
                    )
                )
        partial.append(
            (
                dim.name,
                overall,
                [MissingGroup(key=k, n=int(n[g]), rates=rates[g]) for g, k in enumerate(keys)],
            )
        )
    adjusted = adjust(np.array([t[3] for t in tests]), settings.correction)
    flags: dict[int, list[MissingFlag]] = {}
    for t, p_adj in zip(tests, adjusted.tolist(), strict=True):
        d, f, key, p, _, n_g, rest_rate, g_rate, test = t
        if p_adj >= settings.alpha:
            continue
        lo, hi = wilson(np.array([g_rate]), np.array([n_g]), settings.ci_level)
        flags.setdefault(d, []).append(
            MissingFlag(
                feature=f,
                key=key,
                rate=Estimate(
                    value=g_rate,
                    ci_low=float(lo[0]),
                    ci_high=float(hi[0]),
                    method="wilson",
                    denominator=n_g,
                ),
                rest_rate=rest_rate,
                difference=g_rate - rest_rate,
                p_value=p,
                p_adjusted=p_adj,
                test=test,
            )
        )
    return [
        Missingness(
            attribute=name,
            overall=overall,
            groups=groups,
            flags=sorted(flags.get(d, []), key=lambda m: -m.difference),
        )
        for d, (name, overall, groups) in enumerate(partial)
    ]
