"""The bundled data files are what datasets/README.md and src/accord/data/README.md say."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import polars as pl
import polars.selectors as cs

ROOT = Path(__file__).resolve().parents[2]
ADULT = ROOT / "datasets" / "adult" / "adult.parquet"
GERMAN = ROOT / "datasets" / "german" / "german.parquet"
DEMO = Path(str(files("accord").joinpath("data/adult_demo.parquet")))


def test_adult_has_both_splits_cleaned() -> None:
    adult = pl.read_parquet(ADULT)
    assert adult.height == 48_842
    assert dict(adult.group_by("split").len().iter_rows()) == {"train": 32_561, "test": 16_281}
    assert sorted(adult["income"].unique()) == ["<=50K", ">50K"]
    text = adult.select(cs.string())
    # No unstripped values and no "?" left: missing values are nulls.
    for name in text.columns:
        values = text[name].drop_nulls()
        assert (values == values.str.strip_chars()).all(), name
        assert not (values == "?").any(), name
    assert adult["occupation"].null_count() > 0
    assert {"marital_status", "native_country", "hours_per_week"} <= set(adult.columns)


def test_adult_hierarchies_cover_the_values_they_generalise() -> None:
    adult = pl.read_parquet(ADULT)
    folder = ADULT.parent / "hierarchies"
    names = sorted(p.stem for p in folder.glob("*.csv"))
    assert names == ["age", "education", "marital_status", "native_country", "race", "sex",
                     "workclass"]  # fmt: skip
    for name in names:
        lines = (folder / f"{name}.csv").read_text().splitlines()
        assert all(line.endswith(";*") for line in lines), name
        covered = {line.split(";")[0] for line in lines}
        present = {str(v) for v in adult[name].drop_nulls().unique()}
        assert present <= covered, (name, present - covered)


def test_german_is_decoded_with_sex_and_numeric_age() -> None:
    german = pl.read_parquet(GERMAN)
    assert german.height == 1_000
    assert dict(german.group_by("credit").len().iter_rows()) == {"good": 700, "bad": 300}
    assert german.schema["age"].is_integer()
    assert german.schema["foreign_worker"] == pl.Boolean
    assert set(german["sex"].unique()) == {"male", "female"}
    # sex is the part of status_sex before the colon, row by row.
    derived = german["status_sex"].str.split(" : ").list.first()
    assert (derived == german["sex"]).all()
    coded = german.select(cs.string()).unpivot()["value"]
    assert not coded.str.contains(r"^A\d+$").any()


def test_demo_file_is_the_adult_test_split_with_predictions() -> None:
    demo = pl.read_parquet(DEMO)
    test = pl.read_parquet(ADULT).filter(pl.col("split") == "test")
    assert demo.height == test.height == 16_281
    shared = [c for c in demo.columns if c in test.columns]
    assert shared == ["age", "workclass", "education", "marital_status", "occupation",
                      "relationship", "race", "sex", "native_country", "hours_per_week",
                      "income"]  # fmt: skip
    assert demo.select(shared).equals(test.select(shared))
    assert demo["score"].is_between(0, 1).all()
    expected = pl.when(demo["score"] >= 0.5).then(pl.lit(">50K")).otherwise(pl.lit("<=50K"))
    assert demo.select(expected.alias("p"))["p"].equals(demo["prediction"], check_names=False)
