"""The same audit on every engine gives the same JSON, bootstrap included.

The one pass runs on the input's own engine (Polars, pandas, PyArrow, DuckDB,
PostgreSQL through Ibis, Spark); everything after it is the same numpy code.
Integer counts and the exactly-summed score make the statistics identical, not
merely close.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import polars as pl
import pytest

import accord

KW: dict[str, Any] = {
    "label": "label",
    "prediction": "prediction",
    "score": "score",
    "sensitive": ["sex", "race", "age"],
    "bins": {"age": [30, 50]},
    "bootstrap": 300,
    "seed": 11,
    "min_group_size": 20,
}


@pytest.fixture(scope="module")
def data() -> pl.DataFrame:
    rng = np.random.default_rng(5)
    n = 6000
    score = rng.beta(2, 3, n)
    return pl.DataFrame(
        {
            "sex": rng.choice(["female", "male"], n),
            "race": rng.choice(["a", "b", "c", "d"], n, p=[0.6, 0.25, 0.1, 0.05]),
            "age": rng.integers(18, 90, n),
            "label": (rng.random(n) < score).astype(np.int64),
            "prediction": (score > 0.45).astype(np.int64),
            "score": score,
        }
    ).with_columns(
        # a missing sensitive value is its own group on every engine
        sex=pl.when(pl.int_range(pl.len()) % 97 == 0).then(None).otherwise(pl.col("sex"))
    )


def _canonical(result: accord.AuditResult) -> dict[str, Any]:
    doc = json.loads(result.to_json())
    doc.pop("created_at")
    doc["input"].pop("library")
    doc["input"].pop("columns")  # each engine names its own types
    return doc


@pytest.fixture(scope="module")
def reference(data: pl.DataFrame) -> dict[str, Any]:
    return _canonical(accord.audit(data, **KW))


def test_polars_lazy(data: pl.DataFrame, reference: dict[str, Any]) -> None:
    assert _canonical(accord.audit(data.lazy(), **KW)) == reference


def test_pandas(data: pl.DataFrame, reference: dict[str, Any]) -> None:
    assert _canonical(accord.audit(data.to_pandas(), **KW)) == reference


def test_pyarrow(data: pl.DataFrame, reference: dict[str, Any]) -> None:
    assert _canonical(accord.audit(data.to_arrow(), **KW)) == reference


def test_duckdb(data: pl.DataFrame, reference: dict[str, Any]) -> None:
    import duckdb

    arrow = data.to_arrow()  # noqa: F841  (DuckDB reads the local variable by name)
    relation = duckdb.sql("select * from arrow")
    assert _canonical(accord.audit(relation, **KW)) == reference


def test_files_on_every_file_engine(
    data: pl.DataFrame, reference: dict[str, Any], tmp_path: Any
) -> None:
    path = tmp_path / "preds.parquet"
    data.write_parquet(path)
    for engine in ("polars", "duckdb"):
        doc = _canonical(accord.audit(path, engine=engine, **KW))
        assert doc["input"]["file_sha256"]
        for key in ("kind", "path", "format", "file_sha256"):
            doc["input"].pop(key)
        ref = dict(
            reference,
            input={
                k: v
                for k, v in reference["input"].items()
                if k not in ("kind", "path", "format", "file_sha256")
            },
        )
        assert doc == ref, engine


def test_ibis_on_postgresql(
    data: pl.DataFrame, reference: dict[str, Any], postgres_url: str
) -> None:
    import ibis

    con = ibis.connect(postgres_url)
    table = con.create_table("parity_predictions", data.to_arrow(), overwrite=True)
    try:
        result = accord.audit(table, **KW)
        assert result.input.library == "ibis"
        assert _canonical(result) == reference
    finally:
        con.drop_table("parity_predictions")


def test_pyspark_local_mode(data: pl.DataFrame, reference: dict[str, Any], spark: Any) -> None:
    frame = spark.createDataFrame(data.to_pandas())
    result = accord.audit(frame, **KW)
    assert result.input.library == "pyspark"
    assert _canonical(result) == reference


def test_row_order_does_not_matter(data: pl.DataFrame, reference: dict[str, Any]) -> None:
    shuffled = data.sample(fraction=1.0, shuffle=True, seed=3)
    assert _canonical(accord.audit(shuffled, **KW)) == reference
