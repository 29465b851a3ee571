"""Differentially private releases (OpenDP) and small-count suppression."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import accord.privacy as ap
from accord.core import UsageError


def test_dp_counts_meet_epsilon_and_their_bounds_cover() -> None:
    true = [500, 40, 7, 0]
    misses = np.zeros(len(true))
    errors = []
    reps = 400
    for _ in range(reps):
        r = ap.dp_counts(["a", "b", "c", "d"], true, epsilon=0.5, confidence=0.9)
        got = np.array([c.value for c in r.counts])
        bound = r.counts[0].bound
        misses += np.abs(got - true) > bound
        errors.append(got[0] - true[0])
    assert r.epsilon == 0.5 and r.scale == pytest.approx(2.0)
    # Each bound holds with 90% confidence (the last two counts are clipped at 0, which only
    # moves them closer to the truth).
    assert (misses / reps <= 0.1 + 0.05).all()
    assert abs(np.mean(errors)) < 0.6  # unbiased away from zero
    assert np.std(errors) == pytest.approx(np.sqrt(2) * 2.0, rel=0.2)


def test_dp_rates_interval_holds_and_undefined_is_none() -> None:
    covered = 0
    for _ in range(200):
        r = ap.dp_rates(["g"], [300], [1000], epsilon=1.0, confidence=0.9)
        rate = r.rates[0]
        assert rate.low is not None and rate.high is not None
        covered += rate.low <= 0.3 <= rate.high
    assert covered / 200 >= 0.9
    empty = ap.dp_rates(["g"], [0], [0], epsilon=0.01)
    assert all(x.rate is None or x.total > 0 for x in empty.rates)


def test_dp_rejects_bad_settings() -> None:
    with pytest.raises(UsageError, match="epsilon"):
        ap.dp_counts(["a"], [1], epsilon=0)


def test_privacy_report_releases_its_histogram_with_dp() -> None:
    df = pl.DataFrame({"q": [i % 40 for i in range(400)]})
    r = ap.assess(df, quasi_identifiers=["q"], dp_epsilon=1.0)
    dp = r.classes.dp_histogram
    assert dp is not None and dp.sensitivity == 2 and dp.epsilon == 1.0
    assert [c.label for c in dp.counts] == [b.label for b in r.classes.histogram]
    assert sum(c.value for c in dp.counts) == pytest.approx(40, abs=10 * dp.counts[0].bound)


def test_small_counts_are_suppressed_by_default() -> None:
    assert ap.suppress_small_counts([0, 1, 9, 10, 11], threshold=10) == [0, None, None, 10, 11]
    assert ap.suppress_small_counts([3], threshold=1) == [3]
    assert ap.coarsen_count(4) == "<10" and ap.coarsen_count(None, 5) == "<5"
    df = pl.DataFrame({"q": [1, 2, 2, 3, 3, 3] + [4] * 50})
    r = ap.assess(df, quasi_identifiers=["q"])
    assert r.settings.suppress_below == 10
    by = {b.label: b for b in r.classes.histogram}
    assert by["1"].records is None and by["1"].classes is None  # one record: suppressed
    assert by["50-99"].records == 50
    off = ap.assess(df, quasi_identifiers=["q"], suppress_below=1)
    assert {b.label: b for b in off.classes.histogram}["1"].records == 1


@given(
    positives=st.integers(0, 10_000),  # noisy counts are clamped at 0
    total=st.integers(-50, 10_000),
    bound=st.floats(0.0, 500.0, allow_nan=False),
)
def test_a_noisy_rate_and_its_interval_stay_ordered_in_0_1(
    positives: int, total: int, bound: float
) -> None:
    from accord.privacy._dp import rate_interval

    rate, low, high = rate_interval(positives, total, bound)
    if total <= 0:
        assert (rate, low, high) == (None, None, None)
        return
    assert rate is not None and low is not None and high is not None
    assert 0.0 <= low <= rate <= high <= 1.0
