"""Train the demo model on UCI Adult and write the predictions accord's demo audits.

    python scripts/make_demo_data.py

Reads datasets/adult/adult.parquet, trains a scikit-learn
HistGradientBoostingClassifier (native categorical support, random_state=0) on the
``train`` split, predicts the ``test`` split (16,281 rows) and writes
src/accord/data/adult_demo.parquet: the test rows' audit features, the true ``income``,
the model's ``prediction`` (``>50K`` when the score is at least 0.5) and its ``score``
(the predicted probability of ``>50K``). The output is deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "datasets" / "adult" / "adult.parquet"
TARGET = ROOT / "src" / "accord" / "data" / "adult_demo.parquet"

LABEL = "income"
POSITIVE = ">50K"
NEGATIVE = "<=50K"
THRESHOLD = 0.5
# fnlwgt is the census sampling weight, not a trait of the person: the model does not see it.
CATEGORICAL = [
    "workclass",
    "education",
    "marital_status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "native_country",
]
NUMERIC = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
# What the demo file keeps of each test row, besides label, prediction and score.
AUDIT_FEATURES = ["age", *CATEGORICAL, "hours_per_week"]


def encode(frame: pl.DataFrame, levels: dict[str, list[str]]) -> np.ndarray:
    """Features as a float matrix: categories as codes into the train split's sorted levels,
    missing (and unseen) values as NaN, which the model treats as missing."""
    columns = []
    for col in CATEGORICAL:
        codes = frame[col].replace_strict(
            {v: i for i, v in enumerate(levels[col])}, default=None, return_dtype=pl.Float64
        )
        columns.append(codes.fill_null(np.nan).to_numpy())
    columns += [frame[col].cast(pl.Float64).to_numpy() for col in NUMERIC]
    return np.column_stack(columns)


def main() -> int:
    adult = pl.read_parquet(SOURCE)
    train = adult.filter(pl.col("split") == "train")
    test = adult.filter(pl.col("split") == "test")
    levels = {c: sorted(train[c].drop_nulls().unique().to_list()) for c in CATEGORICAL}
    model = HistGradientBoostingClassifier(
        categorical_features=list(range(len(CATEGORICAL))), random_state=0
    )
    model.fit(encode(train, levels), (train[LABEL] == POSITIVE).to_numpy())
    score = model.predict_proba(encode(test, levels))[:, 1]
    y_true = (test[LABEL] == POSITIVE).to_numpy()
    demo = test.select(AUDIT_FEATURES + [LABEL]).with_columns(
        prediction=pl.Series(np.where(score >= THRESHOLD, POSITIVE, NEGATIVE)),
        score=pl.Series(score, dtype=pl.Float64),
    )
    demo.write_parquet(TARGET, compression="zstd", compression_level=19, statistics=True)
    print(
        f"wrote {TARGET.relative_to(ROOT)}: {demo.height:,} rows, "
        f"{TARGET.stat().st_size:,} bytes; test accuracy "
        f"{accuracy_score(y_true, score >= THRESHOLD):.4f}, AUC {roc_auc_score(y_true, score):.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
