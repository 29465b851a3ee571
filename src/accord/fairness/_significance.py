"""Tests of group differences, and control of the error rate across many of them."""

from __future__ import annotations

import math

import numpy as np

Z_TEST = "two-proportion z-test (pooled)"
FISHER = "Fisher's exact test"
Z_DIFF = "z-test on the difference (normal approximation)"


def two_proportion(
    x1: float, n1: float, x2: float, n2: float, *, exact_allowed: bool
) -> tuple[float, str]:
    """Two-sided p-value for equal proportions ``x1/n1`` and ``x2/n2``.

    Fisher's exact test is used when an expected cell count is below 5 and the
    counts are whole rows (no weights); the pooled z-test otherwise. With
    weights, ``n`` are effective sample sizes.

    Examples
    --------
    >>> p, test = two_proportion(30, 100, 50, 100, exact_allowed=True)
    >>> round(p, 4), test
    (0.0038, 'two-proportion z-test (pooled)')
    """
    pooled = (x1 + x2) / (n1 + n2)
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if exact_allowed and expected < 5:
        table = [[round(x1), round(n1 - x1)], [round(x2), round(n2 - x2)]]
        return fisher_exact(table[0][0], table[0][1], table[1][0], table[1][1]), FISHER
    if pooled in (0.0, 1.0):
        return 1.0, Z_TEST
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x1 / n1 - x2 / n2) / se
    return _two_sided(float(z)), Z_TEST


def _two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test of the 2x2 table [[a, b], [c, d]].

    Written out rather than taken from scipy.stats, whose import alone costs
    about a second of every command's start-up; the test suite checks it
    against scipy.stats.fisher_exact. Two-sided as in scipy: the sum of the
    probabilities of all tables with the same margins that are no more likely
    than the one observed.

    Examples
    --------
    >>> round(fisher_exact(8, 2, 1, 5), 4)
    0.035
    """
    row1, col1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, col1 - (n - row1)), min(row1, col1)
    const = (
        math.lgamma(row1 + 1)
        + math.lgamma(n - row1 + 1)
        + math.lgamma(col1 + 1)
        + math.lgamma(n - col1 + 1)
        - math.lgamma(n + 1)
    )
    support = np.arange(lo, hi + 1)
    logp = const - np.array(
        [
            math.lgamma(x + 1)
            + math.lgamma(row1 - x + 1)
            + math.lgamma(col1 - x + 1)
            + math.lgamma(n - row1 - col1 + x + 1)
            for x in support
        ]
    )
    observed = logp[a - lo]
    # scipy's relative tolerance for "no more likely" ties
    keep = logp <= observed + math.log1p(1e-7)
    return float(min(1.0, np.exp(logp[keep]).sum()))


def difference_test(diff: float, se: float) -> float:
    """Two-sided p-value of a normal difference with standard error ``se``."""
    if not np.isfinite(se) or se <= 0:
        return 1.0 if diff == 0 else 0.0
    return _two_sided(diff / se)


def adjust(p_values: np.ndarray, method: str) -> np.ndarray:
    """Adjust p-values for multiple comparisons: ``holm`` (family-wise error) or ``bh``
    (Benjamini-Hochberg false discovery rate).

    Examples
    --------
    >>> adjust(np.array([0.01, 0.04, 0.03]), "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    elif method == "bh":
        adj = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
    else:
        raise ValueError(f"unknown correction {method!r}")
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


CORRECTIONS = {
    "holm": "Holm-Bonferroni (family-wise error rate)",
    "bh": "Benjamini-Hochberg (false discovery rate)",
}
