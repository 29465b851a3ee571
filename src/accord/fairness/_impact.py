"""Impact ratios: each category's rate over the highest category's rate.

The measure of US adverse-impact analysis (the four-fifths rule of 29 CFR 1607.4(D)) and
of the bias audits of New York City Local Law 144 (6 RCNY 5-301). A table is built from
per-cell counts: how many rows, how many were selected (or scored above the median), so
that every grouping is a sum over cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import Field

from accord.core import Estimate, ValueStatus, is_small
from accord.fairness._intervals import wilson, z_value
from accord.fairness._models import _Frozen
from accord.fairness._settings import MISSING_LABEL
from accord.fairness._significance import CORRECTIONS, adjust, two_proportion

RATE_METHOD = "wilson"
RATIO_METHOD = "Katz log interval (independent groups)"

RateMetric = Literal["selection_rate", "scoring_rate"]


class ImpactRow(_Frozen):
    """One category: its size, its rate, and its rate over the highest rate."""

    key: dict[str, str]
    n: int | None = Field(
        description="Rows (applicants) in the category; None when fewer than the table's "
        "suppress_below (withheld, with its share and selected count)."
    )
    share: float | None = Field(description="The category's share of all rows of the audit.")
    selected: float | None = Field(
        description="Rows selected, or scoring above the median "
        "(weighted when the audit has weights)."
    )
    rate: Estimate
    impact_ratio: Estimate | None = Field(
        default=None, description="None when the category is excluded from the ratios."
    )
    p_value: float | None = Field(
        default=None, description="Test of the category's rate against the highest rate."
    )
    p_adjusted: float | None = None
    status: Literal["highest", "included", "excluded", "withheld"] = Field(
        description="withheld: too few rows to publish; not rated."
    )
    note: str = ""


class ImpactTable(_Frozen):
    """Impact ratios of one grouping, laid out as a bias-audit summary table."""

    attributes: list[str]
    metric: RateMetric
    score_column: str | None = None
    median: float | None = Field(
        default=None, description="scoring_rate: the median score of the whole sample."
    )
    total: int = Field(description="Rows in the audit.")
    unknown: int | None = Field(
        description="Rows whose category is unknown (missing, or one of "
        "unknown_values): counted, not rated; None when fewer than suppress_below."
    )
    unknown_values: list[str] = Field(default_factory=list)
    exclude_below: float = 0.0
    min_group_size: int
    highest: dict[str, str] | None = None
    rows: list[ImpactRow]
    ci_level: float
    correction: str
    weighted: bool = False
    suppress_below: int = Field(
        default=0,
        description="Categories with 1 to suppress_below - 1 rows are withheld: no count, "
        "share, rate or ratio (0: none withheld).",
    )


def impact_table(
    codes: np.ndarray,
    labels: Sequence[Sequence[str]],
    attributes: Sequence[str],
    n: np.ndarray,
    w: np.ndarray,
    w2: np.ndarray,
    hits: np.ndarray,
    *,
    metric: RateMetric,
    unknown_values: Sequence[str] = (),
    exclude_below: float = 0.0,
    min_group_size: int = 30,
    ci_level: float = 0.95,
    correction: str = "holm",
    weighted: bool = False,
    score_column: str | None = None,
    median: float | None = None,
    suppress_below: int = 0,
) -> ImpactTable:
    """Rates and impact ratios of the categories of one grouping.

    Parameters
    ----------
    codes
        (cells, attributes) level codes of each cell.
    labels
        For each attribute, the label of each level code.
    attributes
        The grouping's attribute names.
    n, w, w2
        Rows, summed weight and summed squared weight of each cell.
    hits
        Summed weight of the cell's rows that were selected (or scored above the median).
    unknown_values
        Labels that mean "unknown category" besides missing values.
    exclude_below
        Categories with a smaller share of all rows are left out of the ratios (and
        reported with the reason), as 6 RCNY 5-301(d) allows below 2%.
    suppress_below
        Categories with 1 to ``suppress_below - 1`` rows are withheld: their count, share,
        selected count, rate and ratio are not published, and they are not rated.

    Returns
    -------
    ImpactTable

    Examples
    --------
    >>> codes = np.array([[0], [1]])
    >>> t = impact_table(codes, [["F", "M"]], ["sex"], np.array([100, 100]),
    ...                  np.array([100.0, 100.0]), np.array([100.0, 100.0]),
    ...                  np.array([30.0, 50.0]), metric="selection_rate")
    >>> [(r.key["sex"], r.impact_ratio.value) for r in t.rows]
    [('F', 0.6), ('M', 1.0)]
    """
    if codes.shape[0] == 0:
        raise ValueError("no cells")
    uniq, inv = np.unique(codes, axis=0, return_inverse=True)
    inv = inv.ravel()
    size = uniq.shape[0]
    gn = np.bincount(inv, weights=n, minlength=size).astype(np.int64)
    gw = np.bincount(inv, weights=w, minlength=size)
    gw2 = np.bincount(inv, weights=w2, minlength=size)
    gx = np.bincount(inv, weights=hits, minlength=size)
    keys = [
        {a: str(labels[j][int(c)]) for j, (a, c) in enumerate(zip(attributes, row, strict=True))}
        for row in uniq
    ]
    unknown_set = {MISSING_LABEL, *unknown_values}
    is_unknown = np.array([any(v in unknown_set for v in k.values()) for k in keys], dtype=bool)
    total = int(n.sum())
    unknown = int(gn[is_unknown].sum())
    share = gn / total
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(gw > 0, gx / np.where(gw > 0, gw, 1), np.nan)
        n_eff = np.where(gw2 > 0, gw * gw / np.where(gw2 > 0, gw2, 1), 0.0)
    lo, hi = wilson(rate, n_eff, ci_level)
    withheld = ~is_unknown & (gn > 0) & (gn < suppress_below)
    excluded = ~is_unknown & ~withheld & (share < exclude_below)
    included = ~is_unknown & ~withheld & ~excluded & np.isfinite(rate)
    highest = int(np.flatnonzero(included)[np.argmax(rate[included])]) if included.any() else None
    z = z_value(ci_level)
    tested = [int(g) for g in np.flatnonzero(included) if g != highest]
    p_raw: dict[int, float] = {}
    if highest is not None:
        for g in tested:
            p, _ = two_proportion(
                rate[g] * n_eff[g],
                n_eff[g],
                rate[highest] * n_eff[highest],
                n_eff[highest],
                exact_allowed=not weighted,
            )
            p_raw[g] = p
    p_adj = dict(
        zip(p_raw, adjust(np.array(list(p_raw.values())), correction).tolist(), strict=True)
    )
    rows = []
    for g in range(size):
        if is_unknown[g]:
            continue
        if withheld[g]:
            rows.append(_withheld_row(keys[g], suppress_below))
            continue
        est = _rate_estimate(rate[g], lo[g], hi[g], gw[g])
        note = ""
        if excluded[g]:
            status: Literal["highest", "included", "excluded"] = "excluded"
            note = (
                f"excluded from the impact ratios: {share[g]:.1%} of the data, below "
                f"{exclude_below:.0%}"
            )
            ratio = None
        else:
            status = "highest" if g == highest else "included"
            ratio = _ratio(rate, n_eff, g, highest, z)
            if gn[g] < min_group_size:
                note = f"fewer than {min_group_size} rows: not judged"
        rows.append(
            ImpactRow(
                key=keys[g],
                n=int(gn[g]),
                share=float(share[g]),
                selected=float(gx[g]),
                rate=est,
                impact_ratio=ratio,
                p_value=p_raw.get(g),
                p_adjusted=p_adj.get(g),
                status=status,
                note=note,
            )
        )
    return ImpactTable(
        attributes=list(attributes),
        metric=metric,
        score_column=score_column,
        median=median,
        total=total,
        unknown=None if is_small(unknown, suppress_below) else unknown,
        unknown_values=list(unknown_values),
        exclude_below=exclude_below,
        min_group_size=min_group_size,
        highest=keys[highest] if highest is not None else None,
        rows=rows,
        ci_level=ci_level,
        correction=CORRECTIONS.get(correction, correction),
        weighted=weighted,
        suppress_below=suppress_below,
    )


def _withheld_row(key: dict[str, str], suppress_below: int) -> ImpactRow:
    """A category too small to publish: no number that would give its count away."""
    missing = Estimate.missing(ValueStatus.INSUFFICIENT_DATA)
    return ImpactRow(
        key=key,
        n=None,
        share=None,
        selected=None,
        rate=missing,
        impact_ratio=missing,
        status="withheld",
        note=f"fewer than {suppress_below} rows: withheld, not rated",
    )


def _rate_estimate(value: float, lo: float, hi: float, weight: float) -> Estimate:
    if not np.isfinite(value):
        return Estimate.missing(ValueStatus.UNDEFINED, float(weight))
    return Estimate(
        value=float(value),
        ci_low=float(lo),
        ci_high=float(hi),
        method=RATE_METHOD,
        denominator=float(weight),
    )


def _ratio(rate: np.ndarray, n_eff: np.ndarray, g: int, ref: int | None, z: float) -> Estimate:
    if ref is None or not np.isfinite(rate[g]) or rate[ref] <= 0:
        return Estimate.missing(ValueStatus.UNDEFINED)
    value = float(rate[g] / rate[ref])
    if g == ref:
        # The highest category over itself: exactly 1, with no uncertainty to judge.
        return Estimate(value=1.0, ci_low=1.0, ci_high=1.0, method="the highest rate itself")
    lo, hi = katz_interval(
        float(rate[g] * n_eff[g]),
        float(n_eff[g]),
        float(rate[ref] * n_eff[ref]),
        float(n_eff[ref]),
        z,
    )
    return Estimate(value=value, ci_low=lo, ci_high=hi, method=RATIO_METHOD)


def katz_interval(x1: float, n1: float, x2: float, n2: float, z: float) -> tuple[float, float]:
    """Katz's log interval for the ratio of two independent proportions ``(x1/n1)/(x2/n2)``.

    With a zero count, half a success is added to both counts for the standard error,
    and a zero numerator keeps 0 as its lower end.

    Examples
    --------
    >>> lo, hi = katz_interval(30, 100, 50, 100, 1.959964)
    >>> round(lo, 4), round(hi, 4)
    (0.4195, 0.8581)
    """
    zero = x1 == 0 or x2 == 0
    a, b = (x1 + 0.5, n1 + 0.5) if zero else (x1, n1)
    c, d = (x2 + 0.5, n2 + 0.5) if zero else (x2, n2)
    se = math.sqrt(max(1 / a - 1 / b + 1 / c - 1 / d, 0.0))
    log_ratio = math.log((a / b) / (c / d))
    lo = 0.0 if x1 == 0 else math.exp(log_ratio - z * se)
    return lo, math.exp(log_ratio + z * se)
