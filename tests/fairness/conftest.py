"""Shared data for the fairness tests: the UCI Adult test set with a model's predictions.

The model is a logistic regression trained here on the data itself: the tests check that
accord computes what the reference libraries compute on the same predictions, not that
the model is good, so where it was trained does not matter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from .accord_groups import bin_centre

ADULT = Path(__file__).resolve().parents[2] / "datasets" / "adult" / "adult.parquet"
#: accord's --bins age=25,45 and the labels it gives the bins.
AGE_EDGES = [25, 45]
AGE_LABELS = ("<25", "[25, 45)", ">=45")


def _age_band(age: pl.Expr) -> pl.Expr:
    return (
        pl.when(age < AGE_EDGES[0])
        .then(pl.lit(AGE_LABELS[0]))
        .when(age < AGE_EDGES[1])
        .then(pl.lit(AGE_LABELS[1]))
        .otherwise(pl.lit(AGE_LABELS[2]))
    )


@pytest.fixture(scope="session")
def adult() -> pl.DataFrame:
    """Adult test rows with ``y`` (income >50K), ``pred``, ``score`` (P(y=1)), ``score_q`` (the
    score moved to the centre of accord's fine score bin), ``age_band`` and the census weight ``w``."""
    from sklearn.linear_model import LogisticRegression

    df = pl.read_parquet(ADULT).filter(pl.col("split") == "test")
    numeric = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
    categorical = ["workclass", "marital_status", "occupation", "relationship", "sex", "race"]
    features = pl.concat(
        [
            df.select([(pl.col(c) - pl.col(c).mean()) / pl.col(c).std() for c in numeric]),
            df.select(categorical).fill_null("?").to_dummies(),
        ],
        how="horizontal",
    ).to_numpy()
    y = (df["income"] == ">50K").to_numpy().astype(np.int64)
    model = LogisticRegression(max_iter=2000).fit(features, y)
    score = model.predict_proba(features)[:, 1]
    return df.with_columns(
        y=pl.Series(y),
        pred=pl.Series((score >= 0.5).astype(np.int64)),
        score=pl.Series(score),
        score_q=pl.Series(bin_centre(score)),
        age_band=_age_band(pl.col("age")),
        w=pl.col("fnlwgt").cast(pl.Float64),
    )
