"""The number of labelled examples a blind spot needs, checked by simulation."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
import scipy.stats as st

from accord.inclusion import assess, coverage_probability, sample_size, wilson_width

SIMULATIONS = 50_000


def _wilson_width(x: np.ndarray, n: int, level: float) -> np.ndarray:
    """Wilson interval width, written out independently of accord (clipped to [0, 1])."""
    z = st.norm.ppf(0.5 + level / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre + half, 0, 1) - np.clip(centre - half, 0, 1)


@pytest.mark.parametrize(
    ("width", "rate", "level"),
    [
        (0.1, 0.85, 0.95),
        (0.1, 0.95, 0.95),
        (0.05, 0.7, 0.95),
        (0.2, 0.6, 0.9),
        (0.04, 0.97, 0.95),
        (0.1, 0.5, 0.99),
    ],
)
def test_suggested_n_reaches_the_width_in_90_percent_of_simulated_samples(
    width: float, rate: float, level: float
) -> None:
    n = sample_size(width, level, planning_rate=rate, assurance=0.9)
    rng = np.random.default_rng(20240611)
    x = rng.binomial(n, rate, size=SIMULATIONS)
    reached = float(np.mean(_wilson_width(x, n, level) <= width + 1e-12))
    assert reached >= 0.90, (n, reached)
    # And it is the smallest such size: one fewer row falls short of the assurance.
    assert (
        coverage_probability(n - 1, width, level, rate)
        < 0.9
        <= coverage_probability(n, width, level, rate)
    )


@pytest.mark.parametrize(("width", "level"), [(0.1, 0.95), (0.05, 0.95), (0.2, 0.8)])
def test_worst_case_n_reaches_the_width_whatever_the_rate(width: float, level: float) -> None:
    n = sample_size(width, level)
    rng = np.random.default_rng(7)
    for rate in (0.02, 0.3, 0.5, 0.81, 0.99):
        x = rng.binomial(n, rate, size=5_000)
        assert np.all(_wilson_width(x, n, level) <= width + 1e-12)
    # One fewer row can miss it (at an observed rate of one half).
    assert _wilson_width(np.array([(n - 1) / 2]), n - 1, level)[0] > width
    assert float(wilson_width((n - 1) / 2, n - 1, level)) > width


def test_blind_spots_say_how_many_more_examples_each_group_needs() -> None:
    df = pl.DataFrame(
        {
            "lang": ["en"] * 400 + ["sw"] * 12 + ["yo"] * 3,
            "y": [1, 0] * 200 + [1] * 15,
            "p": [1, 1] * 200 + [0] * 15,
        }
    )

    def coverage(**options: int) -> Any:
        return assess(
            df,
            groups="lang",
            label="y",
            prediction="p",
            reference={"lang": {"en": 0.7, "sw": 0.2, "yo": 0.05, "qu": 0.05}},
            ci_width=0.1,
            bootstrap=0,
            proxies=False,
            **options,
        ).stats.coverage

    cov = coverage()
    needed = sample_size(0.1)
    assert cov.needed == needed == 381
    spots = {tuple(b.key.items()): b for b in cov.blind_spots}
    # Three rows are below the default suppress_below: the count, and the examples it
    # lacks (which would give the count away), are withheld.
    assert spots[(("lang", "yo"),)].n is None and spots[(("lang", "yo"),)].additional is None
    assert spots[(("lang", "sw"),)].additional == needed - 12
    assert spots[(("lang", "qu"),)].n == 0  # in the reference, absent from the data
    assert (("lang", "en"),) not in spots
    exact = coverage(suppress_below=0)
    spots = {tuple(b.key.items()): b for b in exact.blind_spots}
    assert spots[(("lang", "yo"),)].additional == needed - 3
    assert [b.n for b in exact.blind_spots] == sorted(b.n or 0 for b in exact.blind_spots)
    assert cov.total == exact.total
