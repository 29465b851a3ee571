"""Build the bundled datasets (datasets/) from the original UCI files.

    python scripts/make_datasets.py SOURCE_DIR

SOURCE_DIR holds ``adult/adult.data``, ``adult/adult.test``, ``adult/hierarchies/*.csv``,
``german/german.data`` and ``german/values_maps.json`` as published (see datasets/README.md
for the sources). The output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "datasets"

ADULT_COLUMNS = [
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
ADULT_INTEGERS = [
    "age",
    "fnlwgt",
    "education_num",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
]

GERMAN_COLUMNS = [
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


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    # zstd at a high level: the files live in git, so size matters more than write time.
    frame.write_parquet(path, compression="zstd", compression_level=19, statistics=True)


def read_adult(path: Path, split: str, skip_rows: int) -> pl.DataFrame:
    raw = pl.read_csv(
        path,
        has_header=False,
        new_columns=ADULT_COLUMNS,
        skip_rows=skip_rows,
        infer_schema=False,
        separator=",",
        quote_char=None,
    )
    text = [pl.col(c).str.strip_chars() for c in ADULT_COLUMNS]
    frame = (
        raw.select(text)
        .filter(pl.col("age").is_not_null() & (pl.col("age") != ""))
        .with_columns(
            pl.when(pl.col(c) == "?").then(None).otherwise(pl.col(c)).alias(c)
            for c in ADULT_COLUMNS
        )
        # adult.test writes its labels with a trailing full stop ("<=50K.").
        .with_columns(pl.col("income").str.strip_suffix("."))
        .with_columns(pl.col(c).cast(pl.Int32) for c in ADULT_INTEGERS)
        .with_columns(split=pl.lit(split))
    )
    return frame


def make_adult(source: Path) -> pl.DataFrame:
    train = read_adult(source / "adult" / "adult.data", "train", skip_rows=0)
    # The first line of adult.test is a comment ("|1x3 Cross validator").
    test = read_adult(source / "adult" / "adult.test", "test", skip_rows=1)
    adult = pl.concat([train, test])
    assert train.height == 32_561 and test.height == 16_281, (train.height, test.height)
    assert set(adult["income"].unique()) == {"<=50K", ">50K"}
    return adult


def make_german(source: Path) -> pl.DataFrame:
    maps = json.loads((source / "german" / "values_maps.json").read_text())
    raw = pl.read_csv(
        source / "german" / "german.data",
        has_header=False,
        separator=" ",
        new_columns=GERMAN_COLUMNS,
        infer_schema=False,
    )
    exprs = []
    for col in GERMAN_COLUMNS:
        if col in maps:
            mapping = maps[col]
            values = list(mapping.values())
            if all(isinstance(v, bool) for v in values):
                dtype: pl.DataType = pl.Boolean()
            else:
                dtype = pl.String()
                mapping = {k: str(v).strip() for k, v in mapping.items()}
            exprs.append(pl.col(col).replace_strict(mapping, return_dtype=dtype))
        else:
            exprs.append(pl.col(col).cast(pl.Int32))
    german = raw.select(exprs)
    # status_sex reads "male : single", "female : divorced/separated/married", ...
    german = german.with_columns(
        sex=pl.col("status_sex").str.split(":").list.first().str.strip_chars()
    )
    assert german.height == 1_000
    assert set(german["sex"].unique()) == {"male", "female"}
    assert set(german["credit"].unique()) == {"good", "bad"}
    return german


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="directory with the original UCI files")
    args = parser.parse_args(argv)
    source: Path = args.source
    (OUT / "adult" / "hierarchies").mkdir(parents=True, exist_ok=True)
    (OUT / "german").mkdir(parents=True, exist_ok=True)
    write_parquet(make_adult(source), OUT / "adult" / "adult.parquet")
    write_parquet(make_german(source), OUT / "german" / "german.parquet")
    for csv in sorted((source / "adult" / "hierarchies").glob("*.csv")):
        # Named after the columns of adult.parquet (marital-status.csv -> marital_status.csv).
        shutil.copyfile(csv, OUT / "adult" / "hierarchies" / csv.name.replace("-", "_"))
    for path in sorted(OUT.rglob("*.*")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:>9,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
