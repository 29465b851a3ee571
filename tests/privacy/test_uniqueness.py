"""Population-uniqueness estimators: their formulas, ARX's published values on Adult, and
synthetic populations whose uniques are known."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy.stats import hypergeom

from accord.privacy import population_uniqueness
from accord.privacy._uniqueness import (
    pitman_equations,
    shlosser_classes,
    size_histogram,
    snb_equations,
)

QIS = ["age", "sex", "race", "marital_status", "native_country", "education", "workclass"]
USA = 317_238_626


def _pitman_yor_population(n: int, theta: float, alpha: float, seed: int) -> np.ndarray:
    """Class sizes of a population drawn from the Pitman-Yor process (the Pitman model)."""
    rng = np.random.default_rng(seed)
    owner = np.empty(n, dtype=np.int64)  # the class of every person seated so far
    sizes: list[int] = []
    for i in range(n):
        k = len(sizes)
        if i == 0 or rng.random() < (theta + k * alpha) / (theta + i):
            sizes.append(1)
            owner[i] = k
            continue
        while True:  # pick a class with probability proportional to size - alpha
            j = int(owner[rng.integers(i)])
            if rng.random() < (sizes[j] - alpha) / sizes[j]:
                break
        sizes[j] += 1
        owner[i] = j
    return np.array(sizes)


def _sample_sizes(pop_sizes: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    people = np.repeat(np.arange(len(pop_sizes)), pop_sizes)
    drawn = rng.choice(people, int(fraction * len(people)), replace=False)
    counts = np.bincount(drawn)
    return counts[counts > 0]


def test_adult_matches_arx_usa_model(adult: pl.DataFrame) -> None:
    sizes = adult.group_by(QIS).len()["len"].to_numpy()
    r = population_uniqueness(sizes, USA)
    # ARX 3.9.2 on the same data and QIs, USA population model (privacy-anchors Table B3).
    assert r.estimate("pitman").fraction == pytest.approx(0.01331, abs=5e-6)
    assert r.estimate("zayatz").fraction == pytest.approx(0.05824, abs=5e-6)
    assert r.estimate("dankar").chosen == "pitman"
    # ARX reports 0 for SNB here; its solve fails. Ours says so instead of giving a number.
    snb = r.estimate("snb")
    assert snb.status == "failed" and snb.uniques is None and snb.fraction is None
    assert snb.reason


def test_pitman_solves_its_likelihood_equations() -> None:
    sizes = np.array([1] * 300 + [2] * 80 + [3] * 30 + [7] * 10 + [20] * 3)
    r = population_uniqueness(sizes, 200_000)
    p = r.estimate("pitman")
    theta, alpha = p.parameters["theta"], p.parameters["alpha"]
    keys, counts = size_histogram(sizes)
    g, _ = pitman_equations(theta, alpha, keys, counts, int(sizes.sum()))
    assert np.max(np.abs(g)) < 1e-6
    # The equations written out term by term (Hoshino 2001).
    u, n = len(sizes), int(sizes.sum())
    d_theta = sum(1 / (theta + i * alpha) for i in range(1, u)) - sum(
        1 / (theta + i) for i in range(1, n)
    )
    d_alpha = sum(i / (theta + i * alpha) for i in range(1, u)) - sum(
        sum(1 / (j - alpha) for j in range(1, s)) for s in sizes if s > 1
    )
    assert abs(d_theta) < 1e-6 and abs(d_alpha) < 1e-6
    expected = math.exp(math.lgamma(theta + 1) - math.lgamma(theta + alpha)) * 200_000**alpha
    assert p.uniques == pytest.approx(expected)


def test_zayatz_equals_its_formula() -> None:
    sizes = np.array([1] * 120 + [2] * 40 + [4] * 15 + [9] * 5)
    n, N = int(sizes.sum()), 50_000
    keys, counts = size_histogram(sizes)
    u = counts.sum()
    weights = sum(c / u * hypergeom(N, k, n).pmf(1) for k, c in zip(keys, counts, strict=True))
    cond = (counts[0] / u * hypergeom(N, 1, n).pmf(1)) / weights
    r = population_uniqueness(sizes, N)
    assert r.estimate("zayatz").uniques == pytest.approx(counts[0] * cond / (n / N), rel=1e-9)


def test_pitman_recovers_the_uniques_of_a_pitman_population() -> None:
    pop = _pitman_yor_population(60_000, theta=300.0, alpha=0.6, seed=0)
    truth = int((pop == 1).sum())
    for fraction in (0.05, 0.1):
        r = population_uniqueness(_sample_sizes(pop, fraction, seed=1), pop.sum())
        assert r.estimate("dankar").chosen == "pitman"
        assert r.estimate("pitman").uniques == pytest.approx(truth, rel=0.15)


def test_snb_recovers_the_uniques_of_a_negative_binomial_population() -> None:
    rng = np.random.default_rng(3)
    alpha, beta = 1.5, 0.3
    pop = 1 + rng.negative_binomial(alpha, beta, 20_000)
    truth = int((pop == 1).sum())
    sample = _sample_sizes(pop, 0.5, seed=4)
    r = population_uniqueness(sample, pop.sum())
    snb = r.estimate("snb")
    assert snb.status == "ok"
    assert snb.uniques == pytest.approx(truth, rel=0.10)
    assert snb.parameters["alpha"] == pytest.approx(alpha, rel=0.15)
    assert snb.parameters["beta"] == pytest.approx(beta, rel=0.15)
    # Its equations hold at the solution.
    keys, counts = size_histogram(sample)
    k = shlosser_classes(keys, counts, r.sampling_fraction)
    res = snb_equations(
        snb.parameters["alpha"],
        snb.parameters["beta"],
        k,
        r.sampling_fraction,
        counts[keys == 1].sum(),
        counts[keys == 2].sum(),
    )
    assert np.max(np.abs(res)) < 1e-4 * counts[keys == 1].sum()
    # Above a 10% sampling fraction Dankar's rule takes the smaller of Zayatz and SNB.
    z = r.estimate("zayatz")
    assert r.estimate("dankar").uniques == min(z.uniques, snb.uniques)


def test_failures_are_explicit_and_no_uniques_means_zero() -> None:
    r = population_uniqueness(np.array([1, 1, 1, 3, 5]), 1000)  # no class of size 2
    snb = r.estimate("snb")
    assert snb.status == "failed" and snb.fraction is None and "size 2" in (snb.reason or "")
    none = population_uniqueness(np.array([2, 3, 5]), 1000)
    assert all(e.uniques == 0.0 and e.status == "ok" for e in none.estimates)
