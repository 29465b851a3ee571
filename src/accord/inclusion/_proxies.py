"""Proxies: features that stand in for a group attribute (postcode for ethnicity, say).

From the contingency pass, each feature's table against each group attribute
is a ``bincount`` of the strata of that feature. A missing feature value is a
level of its own (being missing can itself give a group away); rows whose
group is missing are left out. A numeric feature comes in fine equal-width
bins, merged here into (at most) ten bins of about equal frequency: deciles
that never split a fine bin, so that their counts are exact. Features are
ranked by bias-corrected Cramér's V, then by mutual information.
"""

from __future__ import annotations

import numpy as np

from accord.engine import FEATURE_KEY, MISSING_VALUE, VALUE_KEY, FineBins, InclusionPass, Strata
from accord.inclusion._association import association
from accord.inclusion._models import InclusionSettings, Proxies, ProxyScore

#: Bins a numeric feature's fine bins are merged into.
DECILES = 10


def proxies(ipass: InclusionPass, settings: InclusionSettings) -> list[Proxies]:
    """Measure every feature's association with every group attribute, strongest first."""
    s = ipass.contingency
    if s is None:
        return []
    f_codes = s.codes[FEATURE_KEY]
    features = [
        _Feature.read(s, str(name), f_codes == fi, ipass.feature_binnings.get(str(name)))
        for fi, name in enumerate(s.levels[FEATURE_KEY])
    ]
    out = []
    for g in ipass.groups:
        g_levels = s.levels[g]
        g_codes = s.codes[g]
        known = np.array([v is not None for v in g_levels], dtype=bool)[g_codes]
        scores = []
        for feat in features:
            rows = feat.rows & known
            cells = feat.level[rows] * len(g_levels) + g_codes[rows]
            table = np.bincount(
                cells, weights=s.count[rows].astype(float), minlength=feat.levels * len(g_levels)
            ).reshape(feat.levels, -1)
            a = association(table)
            scores.append(
                ProxyScore(
                    feature=feat.name,
                    binned=feat.edges is not None,
                    levels=int((table.sum(axis=1) > 0).sum()),
                    edges=feat.edges,
                    n=a.n,
                    cramers_v=a.cramers_v,
                    cramers_v_corrected=a.cramers_v_corrected,
                    mutual_information=a.mutual_information,
                    normalized_mi=a.normalized_mi,
                    flagged=(a.cramers_v_corrected or 0.0) >= settings.proxy_threshold,
                )
            )
        scores.sort(
            key=lambda p: (
                -(p.cramers_v_corrected or -1.0),
                -(p.mutual_information or -1.0),
                p.feature,
            )
        )
        out.append(Proxies(attribute=g, ranking=scores))
    return out


class _Feature:
    """One feature's strata, each mapped to a level (a value, or a merged bin)."""

    def __init__(
        self,
        name: str,
        rows: np.ndarray,
        level: np.ndarray,
        levels: int,
        edges: list[float] | None,
    ) -> None:
        self.name = name
        self.rows = rows
        self.level = level
        self.levels = levels
        self.edges = edges

    @classmethod
    def read(cls, s: Strata, name: str, rows: np.ndarray, bins: FineBins | None) -> _Feature:
        values = s.levels[VALUE_KEY]
        codes = s.codes[VALUE_KEY]
        if bins is None:
            return cls(name, rows, codes, len(values), None)
        # Fine bin of each value level; -1 for a missing value (and other features' values).
        fine_of = np.array(
            [int(v) if v != MISSING_VALUE and str(v).isdigit() else -1 for v in values],
            dtype=np.int64,
        )
        # Other features' values may look like bin numbers: only this feature's rows count.
        fine = np.where(rows, fine_of[codes], -1)
        used = fine >= 0
        totals = np.bincount(fine[used], weights=s.count[used], minlength=bins.count)
        mapping, edges = decile_bins(totals, [bins.edge(j) for j in range(bins.count)])
        merged = len(edges) + 1
        level = np.where(fine >= 0, mapping[np.maximum(fine, 0)], merged)
        return cls(name, rows, level, merged + 1, edges)


def decile_bins(
    totals: np.ndarray, left_edges: list[float], k: int = DECILES
) -> tuple[np.ndarray, list[float]]:
    """Merge consecutive fine bins into at most ``k`` bins of about equal counts.

    Returns each fine bin's merged bin, and the merged bins' inner edges (the
    left edge of the first fine bin of each merged bin but the first). With at
    most ``k`` occupied fine bins, each is a bin of its own.

    Examples
    --------
    >>> m, edges = decile_bins(np.array([5.0, 0, 5, 5, 5]), [0, 1, 2, 3, 4], k=2)
    >>> m.tolist(), edges
    ([0, 0, 0, 1, 1], [3])
    """
    occupied = np.flatnonzero(totals > 0)
    mapping = np.zeros(totals.shape[0], dtype=np.int64)
    if occupied.size == 0:
        return mapping, []
    if occupied.size <= k:
        merged = np.arange(occupied.size)
    else:
        counts = totals[occupied]
        before = np.cumsum(counts) - counts
        merged = np.unique(np.minimum(before * k // counts.sum(), k - 1), return_inverse=True)[1]
    mapping[occupied] = merged
    # Empty fine bins take the merged bin of the occupied bin before them (none holds rows).
    filled = np.maximum.accumulate(np.where(totals > 0, np.arange(totals.shape[0]), 0))
    mapping = mapping[filled]
    firsts = occupied[np.r_[True, merged[1:] != merged[:-1]]]
    return mapping, [left_edges[j] for j in firsts[1:]]
