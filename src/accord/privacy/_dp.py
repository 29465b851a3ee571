"""Differentially private release of per-group counts and rates (OpenDP's core measurements
on arrays of counts), with the error bound of every number.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from accord.core import UsageError, missing_extra


class DpCount(BaseModel):
    """One released count: the noisy value and how far it may be from the true one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    value: int = Field(description="The count with noise added (never below 0).")
    bound: float = Field(
        description="The true count is within value +- bound with the release's confidence."
    )


class DpRelease(BaseModel):
    """Counts released under epsilon-differential privacy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mechanism: str = "discrete Laplace (OpenDP)"
    epsilon: float
    sensitivity: int = Field(description="How much one person can change the counts (L1).")
    scale: float
    confidence: float = Field(description="Confidence of every bound (each on its own).")
    counts: list[DpCount]


class DpRate(BaseModel):
    """One released rate, from a noisy numerator and a noisy denominator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    positives: int
    total: int
    rate: float | None = Field(
        description="positives / total; None when the noisy total is 0 (undefined)."
    )
    low: float | None
    high: float | None


class DpRateRelease(BaseModel):
    """Rates released under epsilon-differential privacy (epsilon split equally between the
    numerators and the denominators).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mechanism: str = "discrete Laplace (OpenDP)"
    epsilon: float
    confidence: float
    count_bound: float
    rates: list[DpRate]


def _opendp() -> Any:
    try:
        import opendp.prelude as dp
    except ImportError:
        raise missing_extra("opendp", "privacy") from None
    return dp


@lru_cache(maxsize=64)
def _laplace(epsilon: float, sensitivity: int) -> tuple[Any, float, Any]:
    dp = _opendp()
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    scale = dp.binary_search_param(
        lambda s: dp.m.make_laplace(*space, scale=s), d_in=sensitivity, d_out=epsilon
    )
    return dp.m.make_laplace(*space, scale=scale), float(scale), dp


def dp_counts(
    labels: Sequence[str],
    counts: Sequence[int],
    epsilon: float,
    *,
    sensitivity: int = 1,
    confidence: float = 0.95,
) -> DpRelease:
    """Release counts with discrete Laplace noise calibrated to ``epsilon``.

    Parameters
    ----------
    labels, counts
        The groups and their true counts (each person in one group: sensitivity 1).
    epsilon
        The privacy loss of the whole release.
    sensitivity
        How much adding or removing one person changes the counts in total (L1).
    confidence
        Confidence of the error bound shown with every number.

    Examples
    --------
    >>> r = dp_counts(["a", "b"], [120, 45], epsilon=1.0)
    >>> r.epsilon, round(r.counts[0].bound, 2)
    (1.0, 3.38)
    """
    if epsilon <= 0:
        raise UsageError("epsilon must be positive", value=epsilon)
    if not 0 < confidence < 1:
        raise UsageError("the confidence must be in (0, 1)", value=confidence)
    if len(labels) != len(counts):
        raise UsageError("one label per count", value=(len(labels), len(counts)))
    meas, scale, dp = _laplace(epsilon, sensitivity)
    if meas.map(sensitivity) > epsilon + 1e-12:
        raise UsageError("the measurement does not meet epsilon", value=meas.map(sensitivity))
    noisy = meas([int(c) for c in counts])
    bound = count_bound(scale, confidence)
    return DpRelease(
        epsilon=epsilon,
        sensitivity=sensitivity,
        scale=scale,
        confidence=confidence,
        counts=[
            DpCount(label=str(lab), value=max(0, int(v)), bound=bound)
            for lab, v in zip(labels, noisy, strict=True)
        ],
    )


def count_bound(scale: float, confidence: float) -> float:
    """How far a count with discrete Laplace noise of this ``scale`` may be from the true
    count, with ``confidence`` (OpenDP's accuracy of the discrete Laplace mechanism).

    Examples
    --------
    >>> round(count_bound(1.0, 0.95), 2)
    3.38
    """
    return float(_opendp().discrete_laplacian_scale_to_accuracy(scale, 1.0 - confidence))


def rate_interval(positives: int, total: int, bound: float) -> tuple[float | None, ...]:
    """A rate from a noisy numerator and a noisy denominator, with the interval that holds
    whenever both counts are within ``bound`` of their true values: (rate, low, high).

    The rate is None when the noisy total is 0 (undefined, never 0).

    Examples
    --------
    >>> rate_interval(30, 100, 5.0)
    (0.3, 0.23809523809523808, 0.3684210526315789)
    >>> rate_interval(3, 0, 5.0)
    (None, None, None)
    >>> rate_interval(50, 10, 5.0)  # noise put more positives than rows: clipped to [0, 1]
    (1.0, 1.0, 1.0)
    """
    if total <= 0:
        return None, None, None
    low = min(1.0, max(0.0, (positives - bound) / (total + bound)))
    high = min(1.0, (positives + bound) / (total - bound)) if total > bound else 1.0
    return min(1.0, positives / total), low, high


def dp_rates(
    labels: Sequence[str],
    positives: Sequence[int],
    totals: Sequence[int],
    epsilon: float,
    *,
    confidence: float = 0.95,
) -> DpRateRelease:
    """Release per-group rates: noisy positives over noisy totals, each with half of
    ``epsilon``; the interval holds with ``confidence`` (both counts within their bounds).

    Examples
    --------
    >>> r = dp_rates(["a"], [300], [1000], epsilon=2.0)
    >>> 0.25 < r.rates[0].rate < 0.35
    True
    """
    half = 1.0 - (1.0 - confidence) / 2.0  # each count's bound at half the error
    num = dp_counts(labels, positives, epsilon / 2.0, confidence=half)
    den = dp_counts(labels, totals, epsilon / 2.0, confidence=half)
    b = num.counts[0].bound if num.counts else 0.0
    rates = []
    for p, t in zip(num.counts, den.counts, strict=True):
        rate, low, high = rate_interval(p.value, t.value, b)
        rates.append(
            DpRate(label=p.label, positives=p.value, total=t.value, rate=rate, low=low, high=high)
        )
    return DpRateRelease(epsilon=epsilon, confidence=confidence, count_bound=b, rates=rates)
