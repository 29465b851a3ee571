"""Disparities: each group against the reference, and the spread across groups."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.random import default_rng

from accord.core import Estimate, ValueStatus
from accord.fairness._bootstrap import chunked_intervals, quantile
from accord.fairness._intervals import wilson
from accord.fairness._models import Disparity, Summary
from accord.fairness._settings import Settings


class GroupLists(NamedTuple):
    """``GroupValues``' per-group arrays, as lists."""

    value: list[float]
    ci_low: list[float]
    ci_high: list[float]
    n: list[int]
    weight: list[float]
    small: list[bool]
    undefined: list[bool]
    denominator: list[float]


@dataclass(frozen=True)
class GroupValues:
    """One metric over the groups of one grouping, with what its intervals need.

    ``replicates`` is (bootstrap replicates, groups), or None when intervals of
    derived quantities come from ``se`` (a normal approximation) instead.
    """

    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    method: str
    n: np.ndarray
    weight: np.ndarray
    small: np.ndarray
    undefined: np.ndarray
    replicates: np.ndarray | None
    denominator: np.ndarray
    n_eff: np.ndarray | None = None
    se: np.ndarray | None = None
    extra: np.ndarray | None = None
    #: The range the metric can take (a rate: 0 to 1), to clip intervals derived from it.
    limits: tuple[float, float] = (-np.inf, np.inf)

    @cached_property
    def lists(self) -> GroupLists:
        """The per-group arrays as Python lists: building the published models reads them
        group by group, and a list item costs a tenth of a numpy scalar.
        """
        return GroupLists(
            self.value.tolist(),
            self.ci_low.tolist(),
            self.ci_high.tolist(),
            self.n.tolist(),
            self.weight.tolist(),
            self.small.tolist(),
            self.undefined.tolist(),
            self.denominator.tolist(),
        )

    def take(self, columns: slice) -> GroupValues:
        """The groups in ``columns`` (views, not copies)."""

        def cut(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[..., columns]

        return replace(
            self,
            value=self.value[columns],
            ci_low=self.ci_low[columns],
            ci_high=self.ci_high[columns],
            n=self.n[columns],
            weight=self.weight[columns],
            small=self.small[columns],
            undefined=self.undefined[columns],
            replicates=cut(self.replicates),
            denominator=self.denominator[columns],
            n_eff=cut(self.n_eff),
            se=cut(self.se),
            extra=cut(self.extra),
        )

    def effective_n(self, g: int) -> float:
        """Effective sample size behind group ``g``'s value (for tests)."""
        source = self.n_eff if self.n_eff is not None else self.denominator
        return float(source[g])

    def eligible(self) -> np.ndarray:
        """Groups whose value can be compared: large enough and defined."""
        out: np.ndarray = ~self.small & ~self.undefined
        return out


def derived_replicates(gv: GroupValues, settings: Settings) -> tuple[np.ndarray | None, str]:
    """Replicates to derive intervals of differences, ratios and spreads from.

    The cell-count bootstrap when the metric has one; otherwise, when the metric
    has a standard error, a parametric bootstrap that draws each group's value
    from its normal approximation (groups are disjoint, hence independent).
    """
    from accord.fairness._bootstrap import METHOD

    if gv.replicates is not None:
        return gv.replicates, METHOD
    if gv.se is not None and settings.bootstrap > 0:
        rng = default_rng([settings.seed, 1])
        value = np.where(np.isfinite(gv.value), gv.value, np.nan)
        se = np.where(np.isfinite(gv.se), gv.se, np.nan)
        reps = rng.standard_normal((settings.bootstrap, value.shape[0])) * se + value
        return reps, "parametric bootstrap (normal approximation per group)"
    return None, "none (bootstrap=0)"


def status_of(small: bool, undefined: bool) -> ValueStatus:
    """A too-small group wins over an undefined value: its count is the reason."""
    if small:
        return ValueStatus.INSUFFICIENT_DATA
    if undefined:
        return ValueStatus.UNDEFINED
    return ValueStatus.OK


def _est(
    value: float,
    bounds: tuple[float, float] | None,
    method: str,
    status: ValueStatus,
) -> Estimate:
    if status != ValueStatus.OK or not math.isfinite(value):
        return Estimate.missing(status if status != ValueStatus.OK else ValueStatus.UNDEFINED)
    if bounds is None or not (math.isfinite(bounds[0]) and math.isfinite(bounds[1])):
        return Estimate(value=float(value))
    return Estimate(
        value=float(value), ci_low=float(bounds[0]), ci_high=float(bounds[1]), method=method
    )


#: Interval bounds of the differences and ratios to the reference, per group.
Bounds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def disparity_bounds(
    replicates: Mapping[str, np.ndarray],
    ref: int,
    level: float,
    eligible: Mapping[str, np.ndarray] | None = None,
) -> dict[str, Bounds]:
    """Percentile bounds of every group's difference and ratio to ``ref``, every metric.

    Groups not ``eligible`` (too small, or undefined) publish no interval: their columns
    are left out of the computation and read NaN.
    """
    return all_disparity_bounds([(replicates, ref, eligible)], level)[0]


def all_disparity_bounds(
    groupings: Sequence[
        tuple[Mapping[str, np.ndarray], int | None, Mapping[str, np.ndarray] | None]
    ],
    level: float,
) -> list[dict[str, Bounds]]:
    """``disparity_bounds`` of several groupings, each given as (replicates, reference,
    eligible), in one quantile computation.

    The differences and ratios of every metric of every grouping are written chunk by chunk
    into reused buffers and partitioned there, by one thread per core
    (``chunked_intervals``): all of them side by side would be the bootstrap's one large
    array, and its percentiles the largest single cost of an audit's statistics.
    """
    jobs = []  # (grouping, metric, replicates, reference, kept columns)
    for gi, (replicates, ref, eligible) in enumerate(groupings):
        if ref is None:
            continue
        for name, reps in replicates.items():
            keep = np.ones(reps.shape[1], dtype=bool) if eligible is None else eligible[name]
            jobs.append((gi, name, reps, ref, np.flatnonzero(keep)))
    out: list[dict[str, Bounds]] = [{} for _ in groupings]
    if not jobs:
        return out

    def writer(reps: np.ndarray, ref: int, kept: np.ndarray) -> Callable[[np.ndarray], None]:
        def write(buffer: np.ndarray) -> None:
            k = kept.size
            ref_reps = reps[:, [ref]]
            diff, ratio = buffer[:, :k], buffer[:, k:]
            with np.errstate(divide="ignore", invalid="ignore"):
                np.take(reps, kept, axis=1, out=diff)
                np.divide(diff, np.where(ref_reps != 0, ref_reps, np.nan), out=ratio)
                diff -= ref_reps

        return write

    lo, hi = chunked_intervals(
        [(2 * kept.size, writer(reps, ref, kept)) for _, _, reps, ref, kept in jobs],
        jobs[0][2].shape[0],
        level,
    )
    at = 0
    for gi, name, reps, _, kept in jobs:
        k = kept.size
        full = np.full((4, reps.shape[1]), np.nan)
        full[:, kept] = (
            lo[at : at + k],
            hi[at : at + k],
            lo[at + k : at + 2 * k],
            hi[at + k : at + 2 * k],
        )
        out[gi][name] = (full[0], full[1], full[2], full[3])
        at += 2 * k
    return out


def disparities(
    gv: GroupValues,
    ref: int | None,
    labels: Sequence[dict[str, str]],
    settings: Settings,
    tests: Mapping[int, tuple[float, float, str]],
    bounds: Bounds | None = None,
    method: str | None = None,
) -> list[Disparity]:
    """Difference and ratio of every group to the reference group, with intervals.

    ``bounds`` (from ``disparity_bounds``) and ``method`` are computed here when not given.
    """
    if ref is None:
        return []
    if bounds is None or method is None:
        reps, method = derived_replicates(gv, settings)
        bounds = (
            disparity_bounds({"m": reps}, ref, settings.ci_level)["m"]
            if reps is not None
            else None
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = (gv.value - gv.value[ref]).tolist()
        ratio = (
            gv.value / gv.value[ref] if gv.value[ref] != 0 else np.full_like(gv.value, np.nan)
        ).tolist()
    d_lo, d_hi, r_lo, r_hi = (b.tolist() for b in bounds) if bounds is not None else ([],) * 4
    small, undefined = gv.lists.small, gv.lists.undefined
    out = []
    for g in range(len(diff)):
        if g == ref:
            continue
        status = status_of(small[g] or small[ref], undefined[g] or undefined[ref])
        p = tests.get(g)
        out.append(
            Disparity(
                key=labels[g],
                difference=_est(diff[g], (d_lo[g], d_hi[g]) if d_lo else None, method, status),
                ratio=_est(ratio[g], (r_lo[g], r_hi[g]) if r_lo else None, method, status),
                p_value=p[0] if p else None,
                p_adjusted=p[1] if p else None,
                significant=(p[1] < settings.alpha) if p else None,
                test=p[2] if p else None,
            )
        )
    return out


BAND_METHOD = "simultaneous bootstrap band over the groups (max-|t|)"
WILSON_BAND_METHOD = "simultaneous Wilson intervals over the groups (Bonferroni)"


def simultaneous_band(
    values: np.ndarray, reps: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Intervals that hold for every group at once, with probability ``level``.

    Each group's interval is ``value +- c * se`` with ``se`` its bootstrap
    standard error and ``c`` the ``level`` quantile, over replicates, of the
    largest standardised deviation across groups (the max-|t| band).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> reps = rng.normal([0.2, 0.5], 0.01, size=(2000, 2))
    >>> lo, hi = simultaneous_band(np.array([0.2, 0.5]), reps, 0.95)
    >>> bool(np.all(lo < [0.2, 0.5])) and bool(np.all(hi > [0.2, 0.5]))
    True
    """
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(reps, axis=0, ddof=1)
        se = np.where(np.isfinite(se) & (se > 0), se, np.nan)
        t = np.nanmax(np.abs(reps - values) / se, axis=1)
    t = t[np.isfinite(t)]
    # A group whose replicates never move (no event in any replicate) has no measurable
    # spread: its band is unbounded, to be clipped to the metric's range by the caller.
    unknown = ~np.isfinite(se)
    if t.size == 0:
        return np.where(unknown, -np.inf, values), np.where(unknown, np.inf, values)
    c = quantile(t, level)
    spread = np.where(unknown, np.inf, c * np.where(unknown, 0.0, se))
    return values - spread, values + spread


def summaries(
    gv: GroupValues,
    labels: Sequence[dict[str, str]],
    settings: Settings,
    better: str | None,
    replicates: np.ndarray | None = None,
) -> Summary:
    """Largest difference (max - min) and smallest ratio (min / max) across comparable groups.

    Their intervals come from a simultaneous band over the groups: if every
    group's true value lies in its band (probability >= the confidence level),
    the true max - min lies between ``max(low) - min(high)`` and
    ``max(high) - min(low)``. A percentile bootstrap of max - min is biased
    upward (the largest of many noisy groups drifts up) and its interval often
    misses the estimate itself; the band's interval is conservative and always
    contains it.

    Examples
    --------
    >>> import numpy as np
    >>> gv = GroupValues(np.array([0.2, 0.5]), np.array([0.1, 0.4]), np.array([0.3, 0.6]),
    ...                  "wilson", np.array([100, 100]), np.array([100.0, 100.0]),
    ...                  np.array([False, False]), np.array([False, False]), None,
    ...                  np.array([100.0, 100.0]), n_eff=np.array([100.0, 100.0]))
    >>> s = summaries(gv, [{"g": "a"}, {"g": "b"}], Settings(), "higher")
    >>> round(s.max_min_difference.value, 2), s.worst
    (0.3, {'g': 'a'})
    """
    ok = gv.eligible()
    idx = np.flatnonzero(ok)
    if idx.size < 2:
        status = (
            ValueStatus.INSUFFICIENT_DATA
            if (gv.small & ~gv.undefined).any() or idx.size
            else ValueStatus.UNDEFINED
        )
        missing = Estimate.missing(status)
        return Summary(
            max_min_difference=missing, min_max_ratio=missing, groups_compared=int(idx.size)
        )
    values = gv.value[idx]
    hi, lo = float(values.max()), float(values.min())
    # A ratio of a metric that can be negative (a mean error) compares nothing.
    signed = bool(lo < 0)
    reps = replicates if replicates is not None else derived_replicates(gv, settings)[0]
    d_bounds = r_bounds = None
    band: tuple[np.ndarray, np.ndarray] | None = None
    method = BAND_METHOD
    if gv.n_eff is not None and gv.method == "wilson":
        # A rate has a closed-form interval that stays honest at 0 events, where every
        # bootstrap replicate is 0 too: Wilson at the Bonferroni level over the groups.
        # (Other metrics may carry an effective n too, a regression's mean error say:
        # they are not proportions.)
        band = wilson(values, gv.n_eff[idx], 1 - (1 - settings.ci_level) / idx.size)
        method = WILSON_BAND_METHOD
    elif reps is not None:
        band = simultaneous_band(values, reps[:, idx], settings.ci_level)
    if band is not None:
        band_lo, band_hi = np.clip(band[0], *gv.limits), np.clip(band[1], *gv.limits)
        d_bounds = (
            max(0.0, float(band_lo.max() - band_hi.min())),
            float(band_hi.max() - band_lo.min()),
        )
        top_lo, top_hi = float(band_lo.max()), float(band_hi.max())
        if not signed and top_lo > 0:
            r_bounds = (
                max(0.0, float(band_lo.min())) / top_hi,
                min(1.0, float(band_hi.min()) / top_lo),
            )
    ratio = lo / hi if hi != 0 and not signed else np.nan
    best = worst = None
    if better == "higher":
        best, worst = labels[idx[values.argmax()]], labels[idx[values.argmin()]]
    elif better == "lower":
        best, worst = labels[idx[values.argmin()]], labels[idx[values.argmax()]]
    return Summary(
        max_min_difference=_est(hi - lo, d_bounds, method, ValueStatus.OK),
        min_max_ratio=_est(ratio, r_bounds, method, ValueStatus.OK),
        best=best,
        worst=worst,
        groups_compared=int(idx.size),
    )
