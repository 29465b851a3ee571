"""The inclusion passes: how many there are, and what they sum, on every input library."""

from __future__ import annotations

import duckdb
import narwhals as nw
import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from accord.core import UsageError
from accord.engine import FEATURE_KEY, LABEL_KEY, MISSING_VALUE, VALUE_KEY, inclusion_pass
from accord.inclusion import assess


def _data(n: int = 600, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    country = rng.choice(["Mexico", "India", "Kenya", "Peru", None], size=n)
    x = rng.normal(size=n)
    x[rng.random(n) < 0.1] = np.nan
    return pl.DataFrame(
        {
            "country": country,
            "lang": rng.choice(["es", "hi", "sw"], size=n),
            "age": rng.integers(18, 80, size=n),
            "x": x,
            "job": rng.choice(["a", "b", None], size=n),
            "y": rng.integers(0, 2, size=n),
            "p": rng.integers(0, 2, size=n),
        }
    )


def test_three_passes_and_their_sums_match_polars() -> None:
    df = _data()
    ipass = inclusion_pass(
        nw.from_native(df.lazy()), ["country", "lang"], label="y", prediction="p"
    )
    assert ipass.passes == 3  # profile, cells, contingency
    cells = ipass.cells
    # Null counts per group (NaN counts as missing) against a Polars group-by.
    direct = df.group_by("country", "lang", "y", "p").agg(
        n=pl.len(),
        x=(pl.col("x").is_null() | pl.col("x").is_nan()).sum(),
        job=pl.col("job").is_null().sum(),
    )
    expected = {
        (r["country"], r["lang"], r["y"], r["p"]): (r["n"], r["x"], r["job"])
        for r in direct.iter_rows(named=True)
    }
    got = {}
    for i in range(cells.size):
        key = tuple(cells.levels[k][cells.codes[k][i]] for k in cells.keys)
        got[key] = (
            int(cells.count[i]),
            int(cells.sums["null:x"][i]),
            int(cells.sums["null:job"][i]),
        )
    assert got == expected
    assert set(ipass.missing_columns) == {"age", "x", "job", "y", "p"}
    assert LABEL_KEY in cells.keys
    # Contingency: every feature against the groups, numeric ones binned.
    assert set(ipass.features) == {"age", "x", "job"}
    assert set(ipass.feature_binnings) == {"age", "x"}
    cont = ipass.contingency
    assert cont is not None
    f_index = cont.levels[FEATURE_KEY].index("job")
    rows = cont.codes[FEATURE_KEY] == f_index
    got_job: dict[tuple[object, object, object], int] = {}
    for i in np.flatnonzero(rows):
        value = cont.levels[VALUE_KEY][cont.codes[VALUE_KEY][i]]
        key = (
            None if value == MISSING_VALUE else value,
            cont.levels["country"][cont.codes["country"][i]],
            cont.levels["lang"][cont.codes["lang"][i]],
        )
        got_job[key] = got_job.get(key, 0) + int(cont.count[i])
    direct_job = df.group_by("job", "country", "lang").len()
    assert got_job == {
        (r["job"], r["country"], r["lang"]): r["len"] for r in direct_job.iter_rows(named=True)
    }


def test_fewer_passes_when_there_is_less_to_do() -> None:
    df = pl.DataFrame({"g": ["a", "b"] * 20})
    assert inclusion_pass(nw.from_native(df.lazy()), ["g"]).passes == 1
    df2 = df.with_columns(f=pl.lit("x"))
    assert inclusion_pass(nw.from_native(df2.lazy()), ["g"], proxies=False).passes == 1
    assert inclusion_pass(nw.from_native(df2.lazy()), ["g"]).passes == 3


def test_numeric_group_attribute_is_cut_at_its_quartiles() -> None:
    df = _data()
    result = assess(df, groups=["age"], bootstrap=0, proxies=False)
    dim = result.stats.dimensions[0]
    assert dim.kind == "binned" and len(dim.values) == 4
    assert any("quartiles" in w for w in result.stats.warnings)
    edges = dim.edges
    assert edges is not None
    counts = {g.key["age"]: g.n for g in result.stats.missingness[0].groups}
    ages = df["age"].to_numpy()
    assert counts[dim.values[0]] == int((ages < edges[0]).sum())
    assert counts[dim.values[-1]] == int((ages >= edges[-1]).sum())


@pytest.mark.parametrize("library", ["pandas", "pyarrow", "duckdb"])
def test_every_input_library_gives_the_same_result(library: str) -> None:
    df = _data()
    reference = {"lang": {"es": 0.5, "hi": 0.3, "sw": 0.2}}
    native = {
        "pandas": lambda: df.to_pandas(),
        "pyarrow": lambda: df.to_arrow(),
        "duckdb": lambda: duckdb.from_arrow(df.to_arrow()),
    }[library]()
    # A numeric group attribute too: cut at its quartiles, on every engine alike.
    kwargs = {
        "groups": ["country", "lang", "age"],
        "reference": reference,
        "label": "y",
        "prediction": "p",
        "bootstrap": 50,
        "country": "country",
    }
    expected = assess(df, **kwargs).stats
    got = assess(native, **kwargs).stats
    assert got.model_dump(mode="json") == expected.model_dump(mode="json")


def test_bad_roles_are_clear_errors() -> None:
    df = _data()
    with pytest.raises(UsageError, match="both a label and a prediction"):
        assess(df, groups="lang", label="y")
    from accord.core import ColumnNotFoundError

    with pytest.raises(ColumnNotFoundError, match="did you mean 'lang'"):
        assess(df, groups="lnag")
    with pytest.raises(UsageError, match="country column must also be a group"):
        assess(df, groups="lang", country="country")
    assert isinstance(pa.table({"a": [1]}), pa.Table)


@pytest.mark.slow
def test_spark_local_mode_gives_the_same_result(spark: object) -> None:
    df = _data()
    kwargs = {
        "groups": ["country", "lang", "age"],
        "label": "y",
        "prediction": "p",
        "reference": {"lang": {"es": 0.5, "hi": 0.3, "sw": 0.2}},
        "bootstrap": 50,
        "country": "country",
    }
    frame = spark.createDataFrame(df.to_pandas())  # type: ignore[attr-defined]
    got = assess(frame, **kwargs)
    assert got.input.library == "pyspark"
    expected = assess(df, **kwargs)
    assert got.stats.model_dump(mode="json") == expected.stats.model_dump(mode="json")
