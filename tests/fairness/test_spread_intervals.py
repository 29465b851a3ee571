"""The intervals of the spread summaries (max - min, min / max) exist for every kind of
metric, hold their estimate, and name the band they come from."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import accord


@pytest.fixture(scope="module")
def regression() -> accord.AuditResult:
    rng = np.random.default_rng(1)
    n = 6000
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = rng.normal(10, 3, n) + (g == "b") * 2
    p = y + rng.normal(0, 1 + (g == "c") * 2, n)
    df = pl.DataFrame({"g": g, "y": y, "p": p})
    return accord.audit(df, label="y", prediction="p", sensitive="g", task="regression")


@pytest.mark.parametrize("metric", ["mae", "rmse", "r2", "mean_label", "mean_error"])
def test_regression_spreads_have_intervals(regression: accord.AuditResult, metric: str) -> None:
    summary = regression.fairness.groupings[0].summaries[metric]
    spread = summary.max_min_difference
    assert spread.value is not None and spread.ci_low is not None and spread.ci_high is not None
    assert 0 <= spread.ci_low <= spread.value <= spread.ci_high
    assert spread.method is not None and "max-|t|" in spread.method
    ratio = summary.min_max_ratio
    values = [g.metrics[metric].value for g in regression.fairness.groupings[0].groups]
    if min(v for v in values if v is not None) < 0:  # a ratio of signed values compares nothing
        assert ratio.value is None
    else:
        assert ratio.ci_low is not None and ratio.ci_high is not None and ratio.value is not None
        assert 0 <= ratio.ci_low <= ratio.value <= ratio.ci_high <= 1


def test_classification_spreads_name_their_band() -> None:
    rng = np.random.default_rng(2)
    n = 3000
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = rng.integers(0, 2, n)
    p = np.where(rng.random(n) < 0.8, y, 1 - y)
    df = pl.DataFrame({"g": g, "y": y, "p": p})
    result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=200)
    summaries = result.fairness.groupings[0].summaries
    for metric, band in (("tpr", "Wilson"), ("selection_rate", "Wilson"),
                         ("f1", "max-|t|"), ("balanced_accuracy", "max-|t|")):  # fmt: skip
        spread = summaries[metric].max_min_difference
        assert spread.method is not None and band in spread.method, metric
        assert spread.ci_low is not None and spread.ci_high is not None
        assert spread.value is not None and spread.ci_low <= spread.value <= spread.ci_high
