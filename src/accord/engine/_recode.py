"""Apply a recoding of the quasi-identifiers to the rows, lazily, on the input's own engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np

from accord.core import UsageError

_INT64_LIMIT = 2**62


@dataclass(frozen=True)
class RecodePlan:
    """How to rewrite the quasi-identifiers of every row.

    Each row's QI values are coded into ``levels`` and packed into one key; the
    key's ``group`` (one per generalised class) gives the new value of every QI,
    ``labels[q][group]``. Rows of a group in ``suppressed`` are masked with
    ``*`` or dropped.
    """

    columns: tuple[str, ...]
    levels: Mapping[str, Sequence[Any]]
    keys: np.ndarray
    group: np.ndarray
    labels: Mapping[str, Sequence[str]]
    suppressed: np.ndarray
    drop_suppressed: bool = False


def recode(frame: nw.LazyFrame[Any], plan: RecodePlan) -> nw.LazyFrame[Any]:
    """The frame with its quasi-identifiers generalised (as text) and suppressed rows masked
    or dropped; other columns are untouched. Lazy: nothing runs until it is written.

    Examples
    --------
    >>> import polars as pl
    >>> lf = nw.from_native(pl.LazyFrame({"age": [23, 38], "x": [1, 2]}))
    >>> plan = RecodePlan(("age",), {"age": (23, 38)}, np.array([0, 1]), np.array([0, 1]),
    ...                   {"age": ["[20-29]", "[30-39]"]}, np.array([False, True]))
    >>> recode(lf, plan).collect().to_native()["age"].to_list()
    ['[20-29]', '*']
    """
    space = 1
    for c in plan.columns:
        space *= max(len(plan.levels[c]), 1)
    if space >= _INT64_LIMIT:
        raise UsageError(
            "too many combinations of quasi-identifier values to recode",
            fix="generalise or drop a quasi-identifier with many values first",
        )
    key: nw.Expr = nw.lit(0, dtype=nw.Int64)
    for c in plan.columns:
        levels = list(plan.levels[c])
        non_null = [v for v in levels if v is not None]
        codes = [i for i, v in enumerate(levels) if v is not None]
        code = nw.col(c).replace_strict(non_null, codes, return_dtype=nw.Int64)
        if None in levels:
            code = (
                nw.when(nw.col(c).is_null())
                .then(nw.lit(levels.index(None), dtype=nw.Int64))
                .otherwise(code)
            )
        key = key * max(len(levels), 1) + code
    group = key.replace_strict(
        [int(k) for k in plan.keys], [int(g) for g in plan.group], return_dtype=nw.Int64
    )
    ids = list(range(len(plan.suppressed)))
    names = frame.collect_schema().names()
    out = frame.with_columns(group.alias("__accord_group"))
    if plan.drop_suppressed and plan.suppressed.any():
        kept = [g for g in ids if not plan.suppressed[g]]
        out = out.filter(nw.col("__accord_group").is_in(kept))
    out = out.with_columns(
        *[
            nw.col("__accord_group")
            .replace_strict(
                ids,
                ["*" if plan.suppressed[g] else str(plan.labels[c][g]) for g in ids],
                return_dtype=nw.String,
            )
            .alias(c)
            for c in plan.columns
        ]
    )
    return out.select(names)
