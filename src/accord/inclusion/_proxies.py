"""Proxies: features that stand in for a group attribute (postcode for ethnicity, say).

From the contingency pass, each feature's table against each group attribute
is a ``bincount`` of the strata of that feature. A missing feature value is a
level of its own (being missing can itself give a group away); rows whose
group is missing are left out. Numeric features were cut into deciles by the
engine. Features are ranked by bias-corrected Cramér's V, then by mutual
information.
"""

from __future__ import annotations

import numpy as np

from accord.engine import FEATURE_KEY, VALUE_KEY, InclusionPass
from accord.inclusion._association import association
from accord.inclusion._models import InclusionSettings, Proxies, ProxyScore


def proxies(ipass: InclusionPass, settings: InclusionSettings) -> list[Proxies]:
    """Every feature's association with every group attribute, strongest first."""
    s = ipass.contingency
    if s is None:
        return []
    features = s.levels[FEATURE_KEY]
    f_codes = s.codes[FEATURE_KEY]
    v_codes = s.codes[VALUE_KEY]
    n_values = len(s.levels[VALUE_KEY])
    out = []
    for g in ipass.groups:
        g_levels = s.levels[g]
        g_codes = s.codes[g]
        known = ~np.array([g_levels[c] is None for c in range(len(g_levels))])[g_codes]
        scores = []
        for fi, feature in enumerate(features):
            rows = (f_codes == fi) & known
            cells = v_codes[rows] * len(g_levels) + g_codes[rows]
            table = np.bincount(
                cells, weights=s.count[rows].astype(float), minlength=n_values * len(g_levels)
            ).reshape(n_values, -1)
            a = association(table)
            levels = int((table.sum(axis=1) > 0).sum())
            scores.append(
                ProxyScore(
                    feature=str(feature),
                    binned=feature in ipass.feature_binnings,
                    levels=levels,
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
