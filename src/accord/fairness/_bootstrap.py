"""The bootstrap, on cell counts instead of rows.

Resampling N rows with replacement and counting them per stratum is exactly a
multinomial draw of N over the strata with probabilities n_s / N. So a
replicate costs one multinomial draw over a few hundred strata, whatever the
number of rows: 1000 replicates take milliseconds where a row bootstrap of
10 million rows takes hours. Every metric that is a function of the strata's
sums (all confusion-based metrics, ECE, Brier) is then recomputed per
replicate with array operations.

With weights, a resampled row keeps its stratum's mean weight: exact when
weights are constant within a stratum, an approximation otherwise.
"""

from __future__ import annotations

import warnings

import numpy as np

METHOD = "bootstrap-percentile (multinomial on cell counts)"


def replicate_counts(n: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """Draw ``replicates`` multinomial resamples of the strata counts ``n``.

    Examples
    --------
    >>> r = replicate_counts(np.array([10, 30]), 5, seed=0)
    >>> r.shape, r.sum(axis=1).tolist()
    ((5, 2), [40, 40, 40, 40, 40])
    """
    rng = np.random.default_rng(seed)
    total = int(n.sum())
    return rng.multinomial(total, n / total, size=replicates)


def scale(counts: np.ndarray, n: np.ndarray, stratum_sum: np.ndarray) -> np.ndarray:
    """Per-replicate sums of a stratum measure: resampled count x the stratum's mean."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, stratum_sum / np.where(n > 0, n, 1), 0.0)
    return counts * mean


def percentile_interval(replicates: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along the replicate axis (0), ignoring undefined replicates."""
    alpha = (1 - level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN, on purpose
        lo = np.nanquantile(replicates, alpha, axis=0)
        hi = np.nanquantile(replicates, 1 - alpha, axis=0)
    return lo, hi
