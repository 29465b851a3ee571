"""Regression audits: metrics equal scikit-learn's, intervals cover, bad values are refused."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

import accord
from accord.core import InvalidValueError


def _data(n: int = 6000, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    h = rng.choice(["x", "y"], n)
    y = rng.normal(10, 3, n) + (g == "b") * 2
    p = y + rng.normal(0, 1 + (g == "c") * 2, n)
    return pl.DataFrame({"g": g, "h": h, "y": y, "p": p, "w": rng.integers(1, 4, n)})


def test_group_metrics_equal_scikit_learn() -> None:
    df = _data()
    result = accord.audit(df, label="y", prediction="p", sensitive=["g", "h"], task="regression")
    for attrs in (["g"], ["h"], ["g", "h"]):
        keyed = df.group_by(attrs)
        for key, part in keyed:
            y, p = part["y"].to_numpy(), part["p"].to_numpy()
            expected = {
                "mae": mean_absolute_error(y, p),
                "rmse": np.sqrt(mean_squared_error(y, p)),
                "r2": r2_score(y, p),
                "mean_error": float(np.mean(p - y)),
                "mean_label": float(np.mean(y)),
                "mean_prediction": float(np.mean(p)),
            }
            for metric, value in expected.items():
                table = result.by_group(metric, attrs)
                row = table.filter(
                    pl.all_horizontal(pl.col(a) == k for a, k in zip(attrs, key, strict=True))
                )
                assert row["value"][0] == pytest.approx(value, rel=1e-9, abs=1e-12), metric


def test_integer_weights_equal_repeated_rows() -> None:
    df = _data(2000, seed=3)
    weighted = accord.audit(
        df, label="y", prediction="p", sensitive="g", weight="w", task="regression", bootstrap=0
    )
    repeated = df.select(pl.all().repeat_by("w").explode()).drop("w")
    plain = accord.audit(
        repeated, label="y", prediction="p", sensitive="g", task="regression", bootstrap=0
    )
    for metric in ("mae", "rmse", "r2", "mean_error"):
        a = weighted.by_group(metric, ["g"])["value"].to_list()
        b = plain.by_group(metric, ["g"])["value"].to_list()
        assert a == pytest.approx(b, rel=1e-9)


@pytest.mark.slow
def test_delta_method_intervals_cover_the_true_values() -> None:
    # y ~ N(0, 4), p = 0.8 y + N(0, 1): E|e| and E[e^2] and R2 are known in closed form.
    rng = np.random.default_rng(7)
    n, runs = 400, 1000
    mse_true = 0.2**2 * 4 + 1
    truth = {
        "rmse": np.sqrt(mse_true),
        "mae": np.sqrt(2 * mse_true / np.pi),
        "r2": 1 - mse_true / 4,
        "mean_error": 0.0,
    }
    covered = dict.fromkeys(truth, 0)
    for _ in range(runs):
        y = rng.normal(0, 2, n)
        p = 0.8 * y + rng.normal(0, 1, n)
        df = pl.DataFrame({"g": ["all"] * n, "y": y, "p": p})
        res = accord.audit(
            df, label="y", prediction="p", sensitive="g", task="regression", bootstrap=0
        )
        for metric, value in truth.items():
            est = res.fairness.overall.metrics[metric]
            covered[metric] += est.ci_low <= value <= est.ci_high
    for metric, hits in covered.items():
        assert 0.93 <= hits / runs <= 0.97, (metric, hits / runs)


def test_null_label_is_refused_with_the_column_named() -> None:
    df = _data(200).with_columns(y=pl.when(pl.col("p") > 12).then(None).otherwise(pl.col("y")))
    with pytest.raises(InvalidValueError, match="'y'.*null"):
        accord.audit(df, label="y", prediction="p", sensitive="g", task="regression")


def test_small_groups_report_no_number() -> None:
    df = _data(200)
    res = accord.audit(
        df,
        label="y",
        prediction="p",
        sensitive=["g", "h"],
        task="regression",
        min_group_size=60,
        bootstrap=0,
    )
    table = res.by_group("mae", ["g", "h"])
    small = table.filter(pl.col("n") < 60)
    assert small.height > 0
    assert small["value"].null_count() == small.height
    assert set(small["status"]) == {"insufficient_data"}
