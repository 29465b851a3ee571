"""Does the data follow the reference population? A goodness-of-fit test and two distances.

The test is chosen by the expected counts:

- all expected counts >= 5: Pearson's chi-square test (asymptotic);
- a smaller expected count, and few enough possible samples: the exact
  multinomial test, summing the probability of every sample of the same size
  that is no more likely than the one observed;
- otherwise: the same exact test estimated by Monte Carlo: the share of
  multinomial draws under the reference shares that are no more likely than
  the sample observed (seeded).

A G-test is not used for small counts: its chi-square approximation is no
better there than Pearson's, while the exact and Monte Carlo tests need no
approximation.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.inclusion._models import GoodnessOfFit

PEARSON = "Pearson chi-square test"
EXACT = "exact multinomial test"
#: Largest number of possible samples the exact test enumerates.
EXACT_LIMIT = 100_000
MIN_EXPECTED = 5.0


def goodness_of_fit(
    observed: np.ndarray, shares: np.ndarray, *, seed: int = 0, mc_draws: int = 20_000
) -> GoodnessOfFit:
    """Test that ``observed`` counts are a multinomial sample with probabilities ``shares``.

    Parameters
    ----------
    observed
        Rows per group (integers).
    shares
        Reference shares of the same groups, all positive, summing to 1.
    seed
        Seed of the Monte Carlo test.
    mc_draws
        Draws of the Monte Carlo test.

    Examples
    --------
    >>> r = goodness_of_fit(np.array([60, 40]), np.array([0.5, 0.5]))
    >>> r.method, r.statistic, round(r.p_value, 4)
    ('Pearson chi-square test', 4.0, 0.0455)
    >>> goodness_of_fit(np.array([3, 0, 1]), np.array([0.5, 0.3, 0.2])).method
    'exact multinomial test'
    """
    obs = np.asarray(observed, dtype=np.int64)
    p = np.asarray(shares, dtype=float)
    k, n = obs.size, int(obs.sum())
    if k < 2 or n == 0:
        return GoodnessOfFit(method="none (needs two groups and at least one row)")
    expected = n * p
    stat = float(pearson(obs, expected))
    base: dict[str, Any] = {"statistic": stat, "df": k - 1, "min_expected": float(expected.min())}
    if expected.min() >= MIN_EXPECTED:
        from scipy.special import chdtrc  # lazy: scipy.special costs a quarter second

        return GoodnessOfFit(method=PEARSON, p_value=float(chdtrc(k - 1, stat)), **base)
    if math.comb(n + k - 1, k - 1) <= EXACT_LIMIT:
        return GoodnessOfFit(method=EXACT, p_value=exact_multinomial(obs, p), **base)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, p, size=mc_draws)
    sims = _log_pmf(draws, p)
    observed_lp = float(_log_pmf(obs[None, :], p)[0])
    # The observed sample counts as one of the draws, so that p is never 0.
    hits = int(np.sum(sims <= observed_lp + math.log1p(1e-7)))
    method = f"Monte Carlo exact multinomial test ({mc_draws} draws)"
    return GoodnessOfFit(method=method, p_value=(1 + hits) / (mc_draws + 1), **base)


def pearson(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Pearson's statistic sum((O - E)^2 / E) along the last axis."""
    out: np.ndarray = (((observed - expected) ** 2) / expected).sum(axis=-1)
    return out


def exact_multinomial(observed: np.ndarray, shares: np.ndarray) -> float:
    """Exact multinomial test: the probability of the samples no more likely than ``observed``.

    Every way of spreading n rows over k groups is enumerated (stars and bars),
    so only small samples are feasible.

    Examples
    --------
    >>> round(exact_multinomial(np.array([3, 0]), np.array([0.5, 0.5])), 4)
    0.25
    """
    from itertools import combinations

    obs = np.asarray(observed, dtype=np.int64)
    k, n = obs.size, int(obs.sum())
    bars = np.array(list(combinations(range(n + k - 1), k - 1)), dtype=np.int64)
    bars = bars.reshape(-1, k - 1)
    edges = np.hstack(
        [np.full((bars.shape[0], 1), -1), bars, np.full((bars.shape[0], 1), n + k - 1)]
    )
    samples = np.diff(edges, axis=1) - 1
    all_lp = _log_pmf(samples, shares)
    observed_lp = float(_log_pmf(obs[None, :], shares)[0])
    # The same relative tolerance for ties as scipy's exact tests.
    keep = all_lp <= observed_lp + math.log1p(1e-7)
    return float(min(1.0, np.exp(all_lp[keep]).sum()))


def _log_pmf(samples: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Multinomial log-probability of each row of ``samples``."""
    from scipy.special import gammaln, xlogy  # lazy: only small expected counts come here

    n = samples.sum(axis=-1)
    out: np.ndarray = (
        gammaln(n + 1) - gammaln(samples + 1).sum(axis=-1) + xlogy(samples, shares).sum(axis=-1)
    )
    return out


def total_variation(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Total variation distance 0.5 * sum|p - q| along the last axis.

    Examples
    --------
    >>> round(float(total_variation(np.array([0.7, 0.3]), np.array([0.5, 0.5]))), 4)
    0.2
    """
    out: np.ndarray = 0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum(axis=-1)
    return out


def kl_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Kullback-Leibler divergence KL(p || q) in nats along the last axis (0 log 0 = 0).

    ``q`` must be positive wherever ``p`` is.

    Examples
    --------
    >>> round(float(kl_divergence(np.array([0.5, 0.5]), np.array([0.25, 0.75]))), 4)
    0.1438
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    out: np.ndarray = terms.sum(axis=-1)
    return out
