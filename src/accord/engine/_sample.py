"""A systematic sample of rows, for checks that must look at values (PII detection)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import polars as pl


@dataclass(frozen=True)
class ColumnSample:
    """Values of some columns in every ``step``-th row."""

    values: dict[str, list[Any]]
    rows: int
    sampled: int
    step: int


def sample_rows(frame: nw.LazyFrame[Any], columns: Sequence[str], n: int) -> ColumnSample:
    """Every ``ceil(rows / n)``-th row of ``columns``: spread over the whole file, at most
    ``n`` rows, streamed (a Polars scan never loads the rest).

    Examples
    --------
    >>> s = sample_rows(nw.from_native(pl.LazyFrame({"a": list(range(10))})), ["a"], 3)
    >>> s.values["a"], s.rows, s.step
    ([0, 4, 8], 10, 4)
    """
    rows = int(frame.select(nw.len()).collect(backend="polars").to_native().item())
    step = max(1, -(-rows // max(n, 1)))
    native = frame.select(list(columns)).to_native()
    if isinstance(native, pl.LazyFrame):
        picked = native.gather_every(step).collect(engine="streaming")
    else:
        picked = frame.select(list(columns)).collect(backend="polars").to_native()
        picked = picked.gather_every(step)
    return ColumnSample(
        values={c: picked[c].to_list() for c in columns},
        rows=rows,
        sampled=picked.height,
        step=step,
    )
