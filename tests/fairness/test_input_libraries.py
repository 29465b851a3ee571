"""The same audit on every input library, for the paths the property tests draw rarely:
a numeric sensitive attribute cut at its quartiles (an extra profiling pass) and explicit
bins, on SQL engines as well as dataframe libraries."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import polars as pl
import pytest

import accord


def _comparable(result: accord.AuditResult) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.to_json())
    del data["created_at"]
    del data["input"]["library"], data["input"]["kind"]
    return data


@pytest.fixture(scope="module")
def ages() -> pl.DataFrame:
    n = 400
    return pl.DataFrame(
        {
            # Some ages are missing: they form their own group, on every library.
            "age": [None if i % 45 == 0 else 18 + (i * 37) % 60 for i in range(n)],
            "y": [(i * 7) % 3 == 0 for i in range(n)],
            "p": [(i * 5) % 4 == 0 for i in range(n)],
        }
    ).with_columns(pl.col("y").cast(pl.Int64), pl.col("p").cast(pl.Int64))


LIBRARIES = ["polars-lazy", "pandas", "pyarrow", "duckdb"]


def _as(library: str, df: pl.DataFrame, connection: duckdb.DuckDBPyConnection) -> Any:
    if library == "polars-lazy":
        return df.lazy()
    if library == "pandas":
        return df.to_pandas()
    if library == "pyarrow":
        return df.to_arrow()
    return connection.from_arrow(df.to_arrow())


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("bins", [None, {"age": [30, 50]}], ids=["quartiles", "explicit"])
def test_a_numeric_sensitive_attribute_audits_the_same_on_every_library(
    ages: pl.DataFrame, bins: dict[str, list[float]] | None, library: str
) -> None:
    def run(data: Any) -> accord.AuditResult:
        return accord.audit(
            data, label="y", prediction="p", sensitive=["age"], bins=bins, bootstrap=50
        )

    connection = duckdb.connect()
    result = run(_as(library, ages, connection))
    connection.close()
    ours, polars = _comparable(result), _comparable(run(ages))
    if library == "pandas":
        # pandas holds an integer column with missing values as floats, and says so.
        assert ours["input"].pop("columns")["age"] == "Float64"
        assert polars["input"].pop("columns")["age"] == "Int64"
    assert ours == polars
    binning = result.fairness.attributes[0]
    assert binning.binning == ("quantile" if bins is None else "explicit")
    assert len(binning.levels) == (4 if bins is None else 3) + 1
    assert binning.levels[-1] == "(missing)"


def test_quartile_edges_cut_the_data_into_quarters(ages: pl.DataFrame) -> None:
    result = accord.audit(
        ages, label="y", prediction="p", sensitive=["age"], bootstrap=0, suppress_below=0
    )
    info = result.fairness.attributes[0]
    assert info.binning == "quantile" and info.edges is not None
    edges = info.edges
    expected = [ages["age"].quantile(q, interpolation="linear") for q in (0.25, 0.5, 0.75)]
    assert edges == expected
    sizes = [g.n for g in result.fairness.groupings[0].groups]
    assert sum(sizes) == ages.height
    assert sizes[-1] == ages["age"].null_count()
    known = ages.height - ages["age"].null_count()
    assert all(abs(s - known / 4) <= known * 0.05 for s in sizes[:-1])
    assert any("quartiles" in w for w in result.warnings)


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_few_numbers_with_missing_values_are_categories_on_every_library(
    ages: pl.DataFrame, library: str
) -> None:
    df = ages.with_columns(
        grade=pl.when(pl.col("age").is_null()).then(None).otherwise(pl.col("age") % 3)
    )

    def run(data: Any) -> accord.AuditResult:
        return accord.audit(data, label="y", prediction="p", sensitive=["grade"], bootstrap=20)

    connection = duckdb.connect()
    result = run(_as(library, df, connection))
    connection.close()
    expected = run(df)
    assert result.fairness.attributes[0].levels == ["0", "1", "2", "(missing)"]
    assert result.input.content_sha256 == expected.input.content_sha256
    assert result.fairness == expected.fairness
