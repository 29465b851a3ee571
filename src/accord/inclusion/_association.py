"""How much one categorical variable tells about another, from their contingency table.

- Cramér's V: sqrt(chi2 / (n * (min(r, c) - 1))), between 0 (independent) and
  1 (one determines the other), as scipy.stats.contingency.association.
- Bias-corrected Cramér's V (Bergsma, 2013, J. Korean Stat. Soc. 42:323-328):
  V grows with the number of levels even between independent variables; the
  correction removes that drift, so that a column with many levels (a postcode)
  does not outrank a real proxy by chance. Proxies are ranked by it.
- Mutual information I(X; S) in nats, and I(X; S) / H(S): the share of the
  group attribute's entropy the feature explains.

Rows or columns with no counts are dropped first: an unused level carries no
information about the association.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Association:
    """Association measures of one contingency table (None when undefined)."""

    n: int
    cramers_v: float | None
    cramers_v_corrected: float | None
    mutual_information: float | None
    normalized_mi: float | None


def association(table: np.ndarray) -> Association:
    """Association between the rows (a feature) and the columns (a group attribute).

    Examples
    --------
    >>> a = association(np.array([[10, 0], [0, 10]]))
    >>> a.cramers_v, round(a.mutual_information, 4), a.normalized_mi
    (1.0, 0.6931, 1.0)
    >>> association(np.array([[5, 5], [5, 5]])).cramers_v
    0.0
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    n = float(t.sum())
    r, c = t.shape
    if n <= 0 or r < 2 or c < 2:
        # One level on either side: nothing to predict, or nothing to predict with.
        return Association(int(n), None, None, None, None)
    rows = t.sum(axis=1, keepdims=True)
    cols = t.sum(axis=0, keepdims=True)
    expected = rows * cols / n
    chi2 = float(((t - expected) ** 2 / expected).sum())
    phi2 = chi2 / n
    v = float(np.sqrt(phi2 / min(r - 1, c - 1)))
    corrected = None
    if n > 1:
        phi2c = max(0.0, phi2 - (r - 1) * (c - 1) / (n - 1))
        rc = r - (r - 1) ** 2 / (n - 1)
        cc = c - (c - 1) ** 2 / (n - 1)
        denom = min(rc - 1, cc - 1)
        corrected = float(np.sqrt(phi2c / denom)) if denom > 0 else None
    with np.errstate(divide="ignore", invalid="ignore"):
        pij = t / n
        terms = np.where(t > 0, pij * np.log(t * n / (rows * cols)), 0.0)
    mi = max(0.0, float(terms.sum()))
    ps = cols.ravel() / n
    h = float(-(ps * np.log(ps)).sum())
    return Association(
        int(n),
        min(v, 1.0),
        None if corrected is None else min(corrected, 1.0),
        mi,
        mi / h if h > 0 else None,
    )
