"""Worst-subgroup discovery: which conjunctions of attribute values fare worst on a metric.

A subgroup is a conjunction such as ``sex=Female & age=<25 & education=HS-grad``. Every
subgroup with enough rows (the minimum support) is compared with the rest of the data by
a two-proportion test, and the false-discovery rate is controlled across every test.

The search runs level by level, like Apriori: a conjunction of k conditions is only
counted on the cells whose every (k-1)-condition generalisation has the minimum
support, since support can only shrink as conditions are added. Each attribute
combination costs one ``bincount`` over the surviving cells, so the search grows with
the number of cells, never with the number of rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
from pydantic import Field

from accord.core import Estimate, ValueStatus
from accord.fairness._intervals import wilson
from accord.fairness._models import _Frozen
from accord.fairness._significance import FISHER, Z_TEST, adjust, fisher_exact

METHODS = {
    "bh": "Benjamini-Hochberg (false discovery rate)",
    "by": "Benjamini-Yekutieli (false discovery rate, any dependence)",
}


class Subgroup(_Frozen):
    """A discovered subgroup and how it compares with the rest of the data."""

    conditions: dict[str, str]
    order: int = Field(description="Number of conditions.")
    n: int = Field(description="Rows in the subgroup.")
    share: float = Field(description="The subgroup's share of the rows.")
    value: Estimate = Field(description="The metric in the subgroup (Wilson interval).")
    rest: Estimate = Field(description="The metric in the rest of the data.")
    gap: Estimate = Field(description="value - rest (Newcombe's hybrid score interval).")
    p_value: float
    p_adjusted: float
    direction: Literal["worse", "better", "different"] = Field(
        description="Whether the subgroup is worse or better off than the rest, given the "
        "metric's direction ('different' for a metric without one)."
    )


class Discovery(_Frozen):
    """What worst-subgroup discovery searched, how many hypotheses it tested, what it found."""

    metric: str
    better: Literal["higher", "lower"] | None = None
    attributes: list[str] = Field(description="Every attribute searched.")
    explored: list[str] = Field(
        default_factory=list, description="Searched columns that are not sensitive."
    )
    binned: dict[str, list[float]] = Field(
        default_factory=dict, description="Bin edges of the numeric columns searched."
    )
    min_support: float
    min_rows: int = Field(description="The minimum support in rows.")
    max_order: int
    fdr: float
    correction: str
    test: str
    overall: Estimate
    n_enumerated: int = Field(description="Subgroups counted (after pruning).")
    n_hypotheses: int = Field(
        description="Subgroups tested: the family the false-discovery rate is controlled over."
    )
    n_redundant: int = Field(
        description="Conjunctions with exactly the rows of one found before (a more general "
        "one, or a twin column), not tested twice."
    )
    n_pruned: int = Field(
        description="Attribute combinations skipped because a "
        "generalisation never reached the minimum support."
    )
    n_significant: int
    top: list[Subgroup]


@dataclass
class _Candidates:
    combos: list[tuple[int, ...]]
    keys: list[np.ndarray]
    n: list[np.ndarray]
    num: list[np.ndarray]
    den: list[np.ndarray]
    den2: list[np.ndarray]


def discover_subgroups(
    codes: np.ndarray,
    labels: Sequence[Sequence[str]],
    attributes: Sequence[str],
    n: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    den2: np.ndarray,
    *,
    metric: str,
    better: Literal["higher", "lower"] | None = None,
    min_support: float = 0.01,
    min_rows: int = 30,
    max_order: int = 3,
    fdr: float = 0.05,
    method: str = "bh",
    top: int = 10,
    ci_level: float = 0.95,
    weighted: bool = False,
    explored: Sequence[str] = (),
    binned: Mapping[str, Sequence[float]] | None = None,
) -> Discovery:
    """Search conjunctions of attribute values for significant gaps in a rate.

    Parameters
    ----------
    codes
        (cells, attributes) level codes.
    labels
        For each attribute, the label of each level code.
    attributes
        The attributes' names.
    n
        Rows per cell (the support is counted in rows).
    num, den, den2
        Per cell: the weight of the rows in the rate's numerator, in its denominator, and
        the squared weight of the denominator's rows (Kish's effective sample size).
    metric, better
        The rate's name and which direction is better (None: neither).
    min_support, min_rows
        A subgroup needs at least ``max(ceil(min_support * rows), min_rows)`` rows.
    max_order
        The most conditions in a subgroup.
    fdr, method
        The false-discovery-rate level and its procedure (``bh`` or ``by``).
    top
        How many subgroups to report; a subgroup that generalises or specialises one
        already reported is skipped.

    Returns
    -------
    Discovery

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> codes = np.array([[a, b] for a in range(2) for b in range(3)])
    >>> n = np.full(6, 500)
    >>> num = np.array([250, 250, 250, 250, 250, 100]).astype(float)
    >>> d = discover_subgroups(codes, [["a0", "a1"], ["b0", "b1", "b2"]], ["a", "b"], n, num,
    ...                        n.astype(float), n.astype(float), metric="selection_rate",
    ...                        better="higher")
    >>> d.top[0].conditions, round(d.top[0].gap.value, 2)
    ({'a': 'a1', 'b': 'b2'}, -0.3)
    """
    codes, n, num, den, den2 = _collapse(codes, n, num, den, den2)
    total_n = int(n.sum())
    need = max(math.ceil(min_support * total_n), min_rows)
    sizes = [len(level) for level in labels]
    found, counts = _search(codes, sizes, n, num, den, den2, need, min(max_order, len(sizes)))
    gn = np.concatenate(found.n) if found.n else np.zeros(0)
    gnum = np.concatenate(found.num) if found.num else np.zeros(0)
    gden = np.concatenate(found.den) if found.den else np.zeros(0)
    gden2 = np.concatenate(found.den2) if found.den2 else np.zeros(0)
    which = (
        np.concatenate([np.full(len(k), i) for i, k in enumerate(found.keys)])
        if found.keys
        else np.zeros(0, dtype=np.int64)
    )
    rows = (
        np.concatenate([np.arange(len(k)) for k in found.keys])
        if found.keys
        else np.zeros(0, dtype=np.int64)
    )
    NUM, DEN, DEN2 = num.sum(), den.sum(), den2.sum()
    rnum, rden, rden2 = NUM - gnum, DEN - gden, DEN2 - gden2
    testable = (gden > 0) & (rden > 1e-9 * DEN) & (gn < total_n)
    idx = np.flatnonzero(testable)
    p1, n1 = _rate(gnum[idx], gden[idx], gden2[idx])
    p2, n2 = _rate(rnum[idx], rden[idx], rden2[idx])
    pvals, test = _tests(p1, n1, p2, n2, exact_allowed=not weighted)
    p_adj = _adjust(pvals, method)
    significant = p_adj <= fdr
    overall_p, overall_n = _rate(np.array([NUM]), np.array([DEN]), np.array([DEN2]))
    olo, ohi = wilson(overall_p, overall_n, ci_level)
    iv = _intervals(p1, n1, p2, n2, ci_level)
    # Worst-off first: subgroups on the wrong side of the metric's direction (all of them
    # when the metric has none), ranked by the end of the gap's interval nearest zero: the
    # largest gap the data support, so that a small subgroup's noisy gap does not outrank
    # a large one's sure gap.
    harmful = (
        iv.gap < 0
        if better == "higher"
        else iv.gap > 0
        if better == "lower"
        else np.ones_like(iv.gap, dtype=bool)
    )
    supported = np.where(iv.gap < 0, -iv.hi, iv.lo)
    order = np.lexsort((p_adj, -supported, ~harmful))
    chosen: list[Subgroup] = []
    chosen_sets: list[set[tuple[str, str]]] = []
    for k in order:
        if not significant[k] or len(chosen) >= top:
            continue
        i = idx[k]
        combo = found.combos[which[i]]
        key = found.keys[which[i]][rows[i]]
        conditions = {
            attributes[a]: str(labels[a][int(c)]) for a, c in zip(combo, key, strict=True)
        }
        items = set(conditions.items())
        if any(items <= s or s <= items for s in chosen_sets):
            continue
        chosen_sets.append(items)
        chosen.append(
            _subgroup(
                conditions, int(gn[i]), total_n, iv, k, float(pvals[k]), float(p_adj[k]), better
            )
        )
    return Discovery(
        metric=metric,
        better=better,
        attributes=list(attributes),
        explored=list(explored),
        binned={k: [float(e) for e in v] for k, v in (binned or {}).items()},
        min_support=min_support,
        min_rows=need,
        max_order=max_order,
        fdr=fdr,
        correction=METHODS[method],
        test=test,
        overall=Estimate(
            value=float(overall_p[0]), ci_low=float(olo[0]), ci_high=float(ohi[0]), method="wilson"
        )
        if np.isfinite(overall_p[0])
        else Estimate.missing(ValueStatus.UNDEFINED),
        n_enumerated=counts["enumerated"],
        n_hypotheses=int(idx.size),
        n_redundant=counts["redundant"],
        n_pruned=counts["pruned"],
        n_significant=int(significant.sum()),
        top=chosen,
    )


def _collapse(codes: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    # Cells that differ only by label or prediction become one: the search needs sums only.
    uniq, inv = np.unique(codes, axis=0, return_inverse=True)
    inv = inv.ravel()
    sums = [np.bincount(inv, weights=a, minlength=uniq.shape[0]) for a in arrays]
    return (uniq, *sums)


def _search(
    codes: np.ndarray,
    sizes: Sequence[int],
    n: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    den2: np.ndarray,
    need: int,
    max_order: int,
) -> tuple[_Candidates, dict[str, int]]:
    cells = codes.shape[0]
    found = _Candidates([], [], [], [], [], [])
    counts = {"enumerated": 0, "redundant": 0, "pruned": 0}
    previous: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}
    # A random tag per cell. The same cell set is summed in the same (ascending) order in
    # every combination, so it gets the same sum; two different sets share a sum (and a
    # row count) with negligible probability.
    tags = np.asarray(np.random.default_rng(0).integers(1, 2**32, size=cells), dtype=np.float64)
    seen: set[tuple[float, float]] = set()
    for order in range(1, max_order + 1):
        current: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}
        for combo in combinations(range(len(sizes)), order):
            alive = np.ones(cells, dtype=bool)
            subs = list(combinations(combo, order - 1)) if order > 1 else []
            for sub in subs:
                if sub not in previous:
                    alive[:] = False
                    break
                index, gn_sub = previous[sub]
                alive &= (index >= 0) & (gn_sub[np.maximum(index, 0)] >= need)
            cell_ids = np.flatnonzero(alive)
            if cell_ids.size == 0:
                counts["pruned"] += 1
                continue
            dims = [sizes[a] for a in combo]
            flat = np.ravel_multi_index(tuple(codes[cell_ids][:, list(combo)].T), dims)
            uniq, inv = np.unique(flat, return_inverse=True)
            inv = inv.ravel()
            m = uniq.shape[0]
            gn = np.bincount(inv, weights=n[cell_ids], minlength=m)
            index = np.full(cells, -1, dtype=np.int64)
            index[cell_ids] = inv
            current[combo] = (index, gn)
            counts["enumerated"] += m
            keep = gn >= need
            # Two conjunctions with the same rows (relationship=Husband & sex=Male, and
            # relationship=Husband) are one hypothesis: the more general one, found first,
            # is tested. Same rows means same cells, hence the same sum of the cells' tags.
            prints: np.ndarray = np.bincount(inv, weights=tags[cell_ids], minlength=m)
            for j in np.flatnonzero(keep):
                mark = (float(prints[j]), float(gn[j]))
                if mark in seen:
                    keep[j] = False
                    counts["redundant"] += 1
                else:
                    seen.add(mark)
            g = np.flatnonzero(keep)
            if g.size == 0:
                continue
            found.combos.append(combo)
            found.keys.append(np.stack(np.unravel_index(uniq[g], dims), axis=1))
            found.n.append(gn[g])
            found.num.append(np.bincount(inv, weights=num[cell_ids], minlength=m)[g])
            found.den.append(np.bincount(inv, weights=den[cell_ids], minlength=m)[g])
            found.den2.append(np.bincount(inv, weights=den2[cell_ids], minlength=m)[g])
        previous = current
    return found, counts


def _rate(x: np.ndarray, w: np.ndarray, w2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(w > 0, x / np.where(w > 0, w, 1), np.nan)
        n_eff = np.where(w2 > 0, w * w / np.where(w2 > 0, w2, 1), 0.0)
    return p, n_eff


def _tests(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, *, exact_allowed: bool
) -> tuple[np.ndarray, str]:
    """Test each subgroup against the rest: pooled two-proportion z-tests, vectorised.

    Fisher's exact test replaces the z-test where an expected count is below 5 and the
    counts are whole rows (the same rule as the audit's tests).
    """
    x1, x2 = p1 * n1, p2 * n2
    pooled = (x1 + x2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p1 - p2) / np.where(se > 0, se, 1), 0.0)
    p = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in z], dtype=float)
    used = {Z_TEST} if p.size else set()
    if exact_allowed:
        expected = np.minimum.reduce(
            [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
        )
        for i in np.flatnonzero(expected < 5):
            a, c = round(x1[i]), round(x2[i])
            p[i] = fisher_exact(a, round(n1[i]) - a, c, round(n2[i]) - c)
            used.add(FISHER)
    return p, " / ".join(sorted(used)) or Z_TEST


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    if method == "by":
        # Benjamini-Yekutieli: BH at level q / sum(1/i), valid under any dependence.
        harmonic = float(np.sum(1.0 / np.arange(1, p.size + 1))) if p.size else 1.0
        return np.minimum(adjust(p, "bh") * harmonic, 1.0)
    if method != "bh":
        raise ValueError(f"unknown method {method!r}")
    return adjust(p, "bh")


@dataclass(frozen=True)
class _Intervals:
    """Wilson intervals of each side and Newcombe's interval of their difference."""

    p1: np.ndarray
    l1: np.ndarray
    u1: np.ndarray
    p2: np.ndarray
    l2: np.ndarray
    u2: np.ndarray
    gap: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def _intervals(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, level: float
) -> _Intervals:
    l1, u1 = wilson(p1, n1, level)
    l2, u2 = wilson(p2, n2, level)
    gap = p1 - p2
    # Newcombe's hybrid score interval for a difference of independent proportions.
    lo = gap - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = gap + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return _Intervals(p1, l1, u1, p2, l2, u2, gap, lo, hi)


def _subgroup(
    conditions: dict[str, str],
    n: int,
    total: int,
    iv: _Intervals,
    k: int,
    p: float,
    p_adj: float,
    better: str | None,
) -> Subgroup:
    gap = float(iv.gap[k])
    if better == "higher":
        direction: Literal["worse", "better", "different"] = "worse" if gap < 0 else "better"
    elif better == "lower":
        direction = "worse" if gap > 0 else "better"
    else:
        direction = "different"
    return Subgroup(
        conditions=conditions,
        order=len(conditions),
        n=n,
        share=n / total,
        value=Estimate(
            value=float(iv.p1[k]), ci_low=float(iv.l1[k]), ci_high=float(iv.u1[k]), method="wilson"
        ),
        rest=Estimate(
            value=float(iv.p2[k]), ci_low=float(iv.l2[k]), ci_high=float(iv.u2[k]), method="wilson"
        ),
        gap=Estimate(
            value=gap,
            ci_low=float(iv.lo[k]),
            ci_high=float(iv.hi[k]),
            method="Newcombe hybrid score",
        ),
        p_value=p,
        p_adjusted=p_adj,
        direction=direction,
    )
