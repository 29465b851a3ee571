"""A regression audit: per-group error metrics from additive moments.

The pass sums, per cell, the weighted moments of the label y, the prediction
p and the error e = p - y. Every metric is a function of those sums, and so is
its delta-method standard error; groups are disjoint, so a difference between
two groups has the standard error sqrt(se1^2 + se2^2). Spreads across groups
(max - min, min / max) use a parametric bootstrap of the groups' normal
approximations. No row is touched after the pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.core import InvalidValueError, Progress, SilentProgress, count_of
from accord.engine import LABEL_KEY, PREDICTION_KEY, FairnessPass
from accord.fairness._assemble import all_grouping_stats, group_stats, labels_of, run_tests
from accord.fairness._disparity import GroupValues
from accord.fairness._intervals import normal, wilson
from accord.fairness._lattice import Grouping, lattice, make_grouping
from accord.fairness._models import FairnessStats, MetricInfo, SignificanceInfo
from accord.fairness._settings import Settings
from accord.fairness._significance import CORRECTIONS, Z_DIFF, difference_test
from accord.fairness._table import describe_attributes
from accord.io import Roles

DELTA = "normal (delta method)"
_SUMS = (
    "w",
    "w2",
    "wy",
    "wy2",
    "wy3",
    "wy4",
    "wp",
    "wp2",
    "we",
    "we2",
    "we4",
    "wae",
    "we2y",
    "we2y2",
)


@dataclass(frozen=True)
class RegressionMetric:
    """A regression metric and how it is computed from a group's moments."""

    name: str
    title: str
    description: str
    better: Literal["higher", "lower"] | None
    compute: Callable[[Mapping[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]


def _moments(s: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    w = s["w"]
    with np.errstate(divide="ignore", invalid="ignore"):
        m = {k[1:]: np.where(w > 0, s[k] / np.where(w > 0, w, 1), np.nan) for k in _SUMS[2:]}
        m["n_eff"] = np.where(s["w2"] > 0, w * w / np.where(s["w2"] > 0, s["w2"], 1), np.nan)
    return m


def _mean_of(
    first: str, second: str
) -> Callable[[Mapping[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]:
    def compute(s: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        m = _moments(s)
        var = np.maximum(m[second] - m[first] ** 2, 0.0)
        return m[first], np.sqrt(var / m["n_eff"])

    return compute


def _mae(s: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    m = _moments(s)
    var = np.maximum(m["e2"] - m["ae"] ** 2, 0.0)  # |e|^2 = e^2
    return m["ae"], np.sqrt(var / m["n_eff"])


def _rmse(s: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    m = _moments(s)
    mse = m["e2"]
    se_mse = np.sqrt(np.maximum(m["e4"] - mse**2, 0.0) / m["n_eff"])
    rmse = np.sqrt(mse)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(rmse > 0, se_mse / (2 * rmse), 0.0)
    return rmse, se


def _r2(s: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    # R2 = 1 - a / b with a = E[e^2], b = Var(y) = E[y^2] - E[y]^2; the delta method over
    # the means of (e^2, y, y^2), whose covariances are all sums the pass collected.
    m = _moments(s)
    a, m1, m2 = m["e2"], m["y"], m["y2"]
    b = m2 - m1**2
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(b > 0, 1 - a / np.where(b > 0, b, 1), np.nan)
        g = np.stack([-1 / b, -2 * a * m1 / b**2, a / b**2])
    cov = np.empty((3, 3) + a.shape)
    cov[0, 0] = m["e4"] - a**2
    cov[1, 1] = b
    cov[2, 2] = m["y4"] - m2**2
    cov[0, 1] = cov[1, 0] = m["e2y"] - a * m1
    cov[0, 2] = cov[2, 0] = m["e2y2"] - a * m2
    cov[1, 2] = cov[2, 1] = m["y3"] - m1 * m2
    var = np.einsum("i...,ij...,j...->...", g, cov, g) / m["n_eff"]
    se = np.where(b > 0, np.sqrt(np.maximum(var, 0.0)), np.nan)
    return r2, se


METRICS: tuple[RegressionMetric, ...] = (
    RegressionMetric(
        "mean_label", "Mean label", "mean of the true outcome", None, _mean_of("y", "y2")
    ),
    RegressionMetric(
        "mean_prediction",
        "Mean prediction",
        "mean of the predicted outcome",
        None,
        _mean_of("p", "p2"),
    ),
    RegressionMetric(
        "mean_error",
        "Mean error (bias)",
        "mean of prediction minus label: above 0 over-predicts",
        None,
        _mean_of("e", "e2"),
    ),
    RegressionMetric("mae", "MAE", "mean absolute error", "lower", _mae),
    RegressionMetric("rmse", "RMSE", "root mean squared error", "lower", _rmse),
    RegressionMetric("r2", "R²", "coefficient of determination within the group", "higher", _r2),
)

#: The range of metrics that cannot take every value.
LIMITS = {"mae": (0.0, np.inf), "rmse": (0.0, np.inf), "r2": (-np.inf, 1.0)}

#: Metrics whose group-vs-reference difference is tested for significance.
TESTED = ("mae", "mean_error")


def analyse_regression(
    fpass: FairnessPass, roles: Roles, settings: Settings, progress: Progress | None = None
) -> FairnessStats:
    """Compute a regression audit from the moments of the one pass.

    Parameters
    ----------
    fpass
        Strata keyed by the sensitive attributes (and null flags of label and
        prediction), carrying the moments listed in ``_SUMS``.
    roles
        Label, prediction, weight and sensitive columns.
    settings
        Minimum group size, bootstrap replicates (for spreads), seed, ...
    progress
        Where to report progress.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import fairness_pass
    >>> from accord.io import Roles
    >>> df = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0] * 10, "p": [1.5, 2.0, 2.5, 4.5] * 10,
    ...                    "g": ["a", "b"] * 20})
    >>> roles = Roles(label="y", prediction="p", sensitive=("g",))
    >>> fp = fairness_pass(nw.from_native(df.lazy()), roles, task="regression")
    >>> stats = analyse_regression(fp, roles, Settings(min_group_size=5))
    >>> round(stats.overall.metrics["mae"].value, 3)
    0.375
    """
    progress = progress or SilentProgress()
    settings = settings.floored()
    strata = fpass.strata
    for key, column in ((LABEL_KEY, roles.label), (PREDICTION_KEY, roles.prediction)):
        flags = strata.levels[key]
        if True in flags:
            rows = int(
                strata.count[np.asarray(flags, dtype=object)[strata.codes[key]] == True].sum()  # noqa: E712
            )
            role = "label" if key == LABEL_KEY else "prediction"
            raise InvalidValueError(
                f"the {role} column has {count_of(rows, 'null or NaN value')}",
                column=column,
                fix="drop or impute those rows before the audit",
            )
    if roles.weight is not None and np.any(strata.weight("w") < 0):
        raise InvalidValueError(
            "the weight column has negative values",
            column=roles.weight,
            fix="weights must be >= 0",
        )
    attrs = list(roles.sensitive)
    infos = describe_attributes(strata, attrs, dict(fpass.binnings), settings)
    codes = np.stack([strata.codes[a] for a in attrs], axis=1)
    sizes = tuple(len(strata.levels[a]) for a in attrs)
    max_order = len(attrs) if settings.max_order is None else min(settings.max_order, len(attrs))
    groupings = lattice(codes, sizes, attrs, max_order)
    progress.stage("Computing regression metrics", total=len(groupings) + 1)
    total_w = strata.weight("w").sum()
    total_eff = total_w**2 / strata.weight("w2").sum()

    def compute(grouping: Grouping) -> dict[str, GroupValues]:
        sums = {
            k: grouping.sum(strata.weight(k) if k in ("w", "w2") else strata.sums[k])
            for k in _SUMS
        }
        n = grouping.sum(strata.count.astype(float)).astype(np.int64)
        small = n < settings.min_group_size
        w = sums["w"]
        share = w / total_w
        lo, hi = wilson(share, np.full_like(share, total_eff), settings.ci_level)
        values = {
            "share": GroupValues(
                share, lo, hi, "wilson", n, w, small, np.zeros_like(small), None, w
            )
        }
        n_eff = _moments(sums)["n_eff"]
        for metric in METRICS:
            value, se = metric.compute(sums)
            lo, hi = normal(value, se, settings.ci_level)
            if metric.name == "rmse":
                # the interval of the MSE, square-rooted, stays at or above 0
                mse_lo, mse_hi = normal(value**2, 2 * value * se, settings.ci_level)
                lo, hi = np.sqrt(np.maximum(mse_lo, 0.0)), np.sqrt(np.maximum(mse_hi, 0.0))
            undefined = ~np.isfinite(value) | (w <= 0)
            values[metric.name] = GroupValues(
                value,
                lo,
                hi,
                DELTA,
                n,
                w,
                small,
                undefined,
                None,
                w,
                n_eff=n_eff,
                se=se,
                limits=LIMITS.get(metric.name, (-np.inf, np.inf)),
            )
        progress.advance()
        return values

    overall = compute(make_grouping(codes, sizes, attrs, ()))
    labelled = [(g, labels_of(g, infos), compute(g)) for g in groupings]

    def tester(gv: GroupValues, ref: int | None) -> list[tuple[int, float, str]]:
        if ref is None or gv.small[ref] or gv.undefined[ref] or gv.se is None:
            return []
        out = []
        for g in range(gv.value.shape[0]):
            if g == ref or gv.small[g] or gv.undefined[g]:
                continue
            se = float(np.hypot(gv.se[g], gv.se[ref]))
            out.append((g, difference_test(float(gv.value[g] - gv.value[ref]), se), Z_DIFF))
        return out

    pvals, kinds = run_tests(labelled, TESTED, tester, "mae", settings)
    directions = {m.name: m.better for m in METRICS}
    out_groupings = all_grouping_stats(labelled, "mae", directions, settings, pvals)
    infos_m = [
        MetricInfo(
            name="share",
            title="Share of data",
            description="the group's share of all rows (weighted)",
            ci_method="wilson",
        )
    ]
    infos_m += [
        MetricInfo(
            name=m.name, title=m.title, description=m.description, better=m.better, ci_method=DELTA
        )
        for m in METRICS
    ]
    return FairnessStats(
        task="regression",
        attributes=infos,
        metrics=infos_m,
        overall=group_stats(0, {}, overall),
        groupings=out_groupings,
        significance=SignificanceInfo(
            tests=" / ".join(kinds or [Z_DIFF]),
            correction=CORRECTIONS[settings.correction],
            alpha=settings.alpha,
            n_tests=len(pvals),
            metrics=list(TESTED),
        ),
        bootstrap=settings.bootstrap,
        seed=settings.seed,
        ci_level=settings.ci_level,
        min_group_size=settings.min_group_size,
        suppress_below=settings.suppress_below,
        max_order=max_order,
        warnings=list(fpass.warnings),
    )
