"""Closed-form confidence intervals."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np


def z_value(level: float) -> float:
    """The two-sided normal quantile for a confidence level (1.96 for 0.95)."""
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(p: np.ndarray, n: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``p`` observed on ``n`` (effective) trials.

    Wilson keeps its coverage near the nominal level for small ``n`` and for
    proportions near 0 or 1, where the Wald interval fails. With weights, ``n``
    is Kish's effective sample size.

    Examples
    --------
    >>> lo, hi = wilson(np.array([0.5]), np.array([100.0]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.4038, 0.5962)
    """
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z * z / n
        center = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Rounding can put a bound a hair beyond the estimate when p is 0 or 1.
    lo = np.minimum(np.clip(center - half, 0.0, 1.0), p)
    hi = np.maximum(np.clip(center + half, 0.0, 1.0), p)
    return lo, hi


def normal(
    value: np.ndarray, se: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Normal-approximation interval ``value +- z * se``."""
    z = z_value(level)
    return value - z * se, value + z * se
