"""The recoding of anonymised rows gives the same rows, in the same order, on Polars (its
streaming-friendly path) and on any other engine (the generic narwhals path)."""

from __future__ import annotations

import duckdb
import narwhals as nw
import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.engine import RecodePlan, recode


@st.composite
def _data_and_plan(draw: st.DrawFn) -> tuple[pl.DataFrame, RecodePlan]:
    rows = draw(st.integers(1, 60))
    ages = st.one_of(st.none(), st.integers(-3, 3))
    towns = st.one_of(st.none(), st.sampled_from(["a", "b", "c d", "é"]))
    frame = pl.DataFrame(
        {
            "age": draw(st.lists(ages, min_size=rows, max_size=rows)),
            "town": draw(st.lists(towns, min_size=rows, max_size=rows)),
            "row": list(range(rows)),
        },
        schema={"age": pl.Int64, "town": pl.String, "row": pl.Int64},
    )
    # The levels in any order, nulls included where present, as the pass lists them.
    levels = {c: draw(st.permutations(frame[c].unique().to_list())) for c in ("age", "town")}
    keys = sorted(
        {
            levels["age"].index(a) * len(levels["town"]) + levels["town"].index(t)
            for a, t in zip(frame["age"], frame["town"], strict=True)
        }
    )
    groups = draw(st.integers(1, len(keys)))
    group = np.array([draw(st.integers(0, groups - 1)) for _ in keys])
    labels = {c: [f"{c}-{g}" for g in range(groups)] for c in ("age", "town")}
    suppressed = np.array(draw(st.lists(st.booleans(), min_size=groups, max_size=groups)))
    plan = RecodePlan(
        ("age", "town"),
        levels,
        np.array(keys),
        group,
        labels,
        suppressed,
        drop_suppressed=draw(st.booleans()),
    )
    return frame, plan


@settings(max_examples=60, deadline=None)
@given(_data_and_plan())
def test_polars_and_the_generic_path_recode_alike(case: tuple[pl.DataFrame, RecodePlan]) -> None:
    frame, plan = case
    on_polars = recode(nw.from_native(frame.lazy()), plan).collect().to_native()
    con = duckdb.connect()
    relation = con.from_arrow(frame.to_arrow())
    generic = recode(nw.from_native(relation), plan).collect(backend="polars").to_native()
    assert isinstance(on_polars, pl.DataFrame)
    # DuckDB keeps no row order: compare by the row id; Polars must keep the input's order.
    assert on_polars["row"].to_list() == sorted(on_polars["row"].to_list())
    assert on_polars.to_dicts() == generic.sort("row").to_dicts()
    # Each row independently: its key, its class, its new values or its suppression.
    expected = []
    for age, town, row in frame.iter_rows():
        key = plan.levels["age"].index(age) * len(plan.levels["town"]) + plan.levels["town"].index(
            town
        )
        g = int(plan.group[list(plan.keys).index(key)])
        if plan.suppressed[g] and plan.drop_suppressed:
            continue
        new = {c: "*" if plan.suppressed[g] else plan.labels[c][g] for c in ("age", "town")}
        expected.append({**new, "row": row})
    assert on_polars.to_dicts() == expected
