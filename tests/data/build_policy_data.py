"""Build the Adult and German Credit files the policy tests audit, with a model's predictions.

    python tests/data/build_policy_data.py SOURCE_DIR

SOURCE_DIR holds the UCI files as published: ``adult/adult.data``, ``adult/adult.test``,
``german/german.data`` and ``german/values_maps.json`` (see tests/data/README.md). The
model is a logistic regression (scikit-learn): for Adult trained on adult.data and
applied to adult.test; for German Credit, out-of-fold predictions of a 5-fold
cross-validation. The output is deterministic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

OUT = Path(__file__).resolve().parent

ADULT = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education_num",
    "marital_status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
    "native_country",
    "income",
]
GERMAN = [
    "status",
    "duration",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings",
    "present_employment",
    "installment_rate",
    "status_sex",
    "other_debtors",
    "present_residence_since",
    "property",
    "age",
    "installment_plans",
    "housing",
    "number_of_existing_credits",
    "job",
    "number_of_people_liable_for",
    "telephone",
    "foreign_worker",
    "credit",
]


def read_adult(path: Path, skip: int) -> pl.DataFrame:
    raw = pl.read_csv(
        path,
        has_header=False,
        new_columns=ADULT,
        skip_rows=skip,
        infer_schema=False,
        quote_char=None,
    )
    frame = raw.select(pl.col(c).str.strip_chars() for c in ADULT).filter(
        pl.col("age").is_not_null() & (pl.col("age") != "")
    )
    frame = frame.with_columns(
        pl.when(pl.col(c) == "?").then(None).otherwise(pl.col(c)).alias(c) for c in ADULT
    )
    ints = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
    return frame.with_columns(pl.col(c).cast(pl.Int32) for c in ints).with_columns(
        income=(pl.col("income").str.strip_suffix(".") == ">50K").cast(pl.Int8)
    )


def model(numeric: list[str], categorical: list[str]) -> object:
    prep = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )
    return make_pipeline(prep, LogisticRegression(max_iter=2000))


def adult(source: Path) -> pl.DataFrame:
    train = read_adult(source / "adult" / "adult.data", 0)
    test = read_adult(source / "adult" / "adult.test", 1)
    numeric = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
    categorical = ["workclass", "marital_status", "occupation", "relationship"]
    features = numeric + categorical
    clf = model(numeric, categorical)
    clf.fit(train.select(features).fill_null("missing").to_pandas(), train["income"].to_numpy())
    score = clf.predict_proba(test.select(features).fill_null("missing").to_pandas())[:, 1]
    score = np.round(score, 3)
    return test.select(
        "age",
        "education",
        "marital_status",
        "race",
        "sex",
        "hours_per_week",
        "income",
    ).with_columns(
        prediction=pl.Series((score >= 0.5).astype(np.int8)),
        score=pl.Series(score),
    )


def german(source: Path) -> pl.DataFrame:
    maps = json.loads((source / "german" / "values_maps.json").read_text())
    raw = pl.read_csv(
        source / "german" / "german.data",
        has_header=False,
        separator=" ",
        new_columns=GERMAN,
        infer_schema=False,
    )
    frame = raw.with_columns(
        sex=pl.col("status_sex").replace_strict(
            {k: v.split(":")[0].strip() for k, v in maps["status_sex"].items()}
        ),
        purpose=pl.col("purpose").replace_strict(maps["purpose"]),
        housing=pl.col("housing").replace_strict(maps["housing"]),
        foreign_worker=pl.col("foreign_worker").replace_strict(
            {k: "yes" if v else "no" for k, v in maps["foreign_worker"].items()}
        ),
        good=(pl.col("credit") == "1").cast(pl.Int8),
        age=pl.col("age").cast(pl.Int32),
        duration=pl.col("duration").cast(pl.Int32),
        credit_amount=pl.col("credit_amount").cast(pl.Int32),
    )
    numeric = ["duration", "credit_amount", "age"]
    categorical = [
        "status",
        "credit_history",
        "purpose",
        "savings",
        "present_employment",
        "housing",
        "job",
    ]
    features = numeric + categorical
    score = cross_val_predict(
        model(numeric, categorical),
        frame.select(features).to_pandas(),
        frame["good"].to_numpy(),
        cv=5,
        method="predict_proba",
    )[:, 1]
    score = np.round(score, 3)
    return frame.select("sex", "age", "foreign_worker", "purpose", "housing", "good").with_columns(
        prediction=pl.Series((score >= 0.5).astype(np.int8)),
        score=pl.Series(score),
    )


def main() -> None:
    source = Path(sys.argv[1])
    for name, frame in (
        ("adult_predictions", adult(source)),
        ("german_predictions", german(source)),
    ):
        path = OUT / f"{name}.parquet"
        frame.write_parquet(path, compression="zstd", compression_level=19)
        print(f"wrote {path.name}: {frame.height} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
