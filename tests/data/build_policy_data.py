"""Build the German Credit file the policy tests audit, with a model's predictions.

    python tests/data/build_policy_data.py

Reads ``datasets/german/german.parquet`` (see datasets/README.md) and adds the out-of-fold
predictions of a 5-fold cross-validated logistic regression (scikit-learn). The output is
deterministic. (Adult needs no such file: the tests audit the bundled demo data,
``src/accord/data/adult_demo.parquet``, which carries a model's predictions.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = Path(__file__).resolve().parents[2]
NUMERIC = ["duration", "credit_amount", "age"]
CATEGORICAL = [
    "status",
    "credit_history",
    "purpose",
    "savings",
    "present_employment",
    "housing",
    "job",
]


def main() -> None:
    frame = pl.read_parquet(ROOT / "datasets" / "german" / "german.parquet").with_columns(
        good=(pl.col("credit") == "good").cast(pl.Int8),
        foreign_worker=pl.when(pl.col("foreign_worker"))
        .then(pl.lit("yes"))
        .otherwise(pl.lit("no")),
    )
    model = make_pipeline(
        ColumnTransformer(
            [
                ("num", StandardScaler(), NUMERIC),
                ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ]
        ),
        LogisticRegression(max_iter=2000),
    )
    features = frame.select(NUMERIC + CATEGORICAL).to_pandas()
    score = cross_val_predict(
        model, features, frame["good"].to_numpy(), cv=5, method="predict_proba"
    )[:, 1]
    score = np.round(score, 3)
    out = frame.select("sex", "age", "foreign_worker", "purpose", "housing", "good").with_columns(
        prediction=pl.Series((score >= 0.5).astype(np.int8)), score=pl.Series(score)
    )
    path = Path(__file__).resolve().parent / "german_predictions.parquet"
    out.write_parquet(path, compression="zstd", compression_level=19)
    print(f"wrote {path.name}: {out.height} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
