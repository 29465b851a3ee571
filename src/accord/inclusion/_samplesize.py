"""How many labelled examples a group needs for a Wilson interval of a given width.

Two plans:

- **worst case** (no planning rate): the smallest n whose Wilson interval is
  no wider than the target at an observed rate of 0.5, where it is widest; any
  sample of that size then reaches the width, whatever the group's rate.
- **with a planning rate p and an assurance a**: the observed rate varies from
  sample to sample, and so does the interval's width; the smallest n for which
  P(width <= target) >= a when the number of successes is Binomial(n, p),
  summed exactly over the binomial distribution (a fixed n computed from p
  alone reaches the width only about half of the time).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from accord.core import UsageError
from accord.fairness import wilson

MAX_N = 10_000_000


def wilson_width(
    successes: np.ndarray | float, n: np.ndarray | float, level: float = 0.95
) -> np.ndarray:
    """Full width of the Wilson interval of ``successes / n``.

    Examples
    --------
    >>> round(float(wilson_width(50, 100)), 4)
    0.1923
    """
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    lo, hi = wilson(x / m, m, level)
    out: np.ndarray = hi - lo
    return out


def sample_size(
    width: float, level: float = 0.95, planning_rate: float | None = None, assurance: float = 0.9
) -> int:
    """Rows a group needs for a Wilson interval no wider than ``width``.

    Parameters
    ----------
    width
        Full width of the interval (0.1 means plus or minus 5 points).
    level
        Confidence level of the interval.
    planning_rate
        The rate expected in the group; None plans for the worst case (0.5).
    assurance
        With a planning rate, the probability that a sample of the returned
        size reaches the width.

    Examples
    --------
    >>> sample_size(0.1)
    381
    >>> sample_size(0.1, planning_rate=0.9) < sample_size(0.1)
    True
    """
    if not 0 < width < 1:
        raise UsageError(
            "the interval width must be between 0 and 1",
            value=width,
            fix="e.g. 0.1 for plus or minus 5 points",
        )
    if planning_rate is None:
        return _first(lambda n: float(wilson_width(0.5 * n, n, level)) <= width)
    if not 0 < planning_rate < 1:
        raise UsageError("the planning rate must be strictly between 0 and 1", value=planning_rate)
    if not 0 < assurance < 1:
        raise UsageError("the assurance must be strictly between 0 and 1", value=assurance)
    return _first(lambda n: coverage_probability(n, width, level, planning_rate) >= assurance)


def coverage_probability(n: int, width: float, level: float, rate: float) -> float:
    """P(the Wilson interval of a Binomial(n, rate) sample is no wider than ``width``).

    Examples
    --------
    >>> coverage_probability(381, 0.1, 0.95, 0.5)
    1.0
    """
    from scipy.special import gammaln  # lazy: only sample-size planning needs it

    x = np.arange(n + 1, dtype=float)
    ok = wilson_width(x, np.full_like(x, n), level) <= width + 1e-12
    logpmf = (
        gammaln(n + 1)
        - gammaln(x + 1)
        - gammaln(n - x + 1)
        + x * math.log(rate)
        + (n - x) * math.log1p(-rate)
    )
    return float(min(1.0, np.exp(logpmf[ok]).sum()))


def _first(good: Callable[[int], bool]) -> int:
    """Find the smallest n >= 1 where ``good(n)`` holds, by galloping then bisection.

    ``good`` is monotone in n up to the discreteness of the binomial; bisection
    returns a size where it holds and one fewer fails.
    """
    lo, hi = 0, 1
    while not good(hi):
        lo, hi = hi, hi * 2
        if hi > MAX_N:
            raise UsageError(
                "the interval width asked for needs more than 10 million rows",
                fix="ask for a wider interval",
            )
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if good(mid):
            hi = mid
        else:
            lo = mid
    return hi
