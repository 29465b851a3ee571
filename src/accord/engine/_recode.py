"""Apply a recoding of the quasi-identifiers to the rows, lazily, on the input's own engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl

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
    native = frame.to_native()
    if isinstance(native, pl.LazyFrame):
        return nw.from_native(_recode_polars(native, plan))
    key: nw.Expr = nw.lit(0, dtype=nw.Int64)
    for c in plan.columns:
        levels = list(plan.levels[c])
        non_null = [v for v in levels if v is not None]
        codes = [i for i, v in enumerate(levels) if v is not None]
        code = nw.col(c).replace_strict(non_null, codes, default=None, return_dtype=nw.Int64)
        if None in levels:
            code = (
                nw.when(nw.col(c).is_null())
                .then(nw.lit(levels.index(None), dtype=nw.Int64))
                .otherwise(code)
            )
        key = key * max(len(levels), 1) + code
    # Every value is a level and every key a class (both come from the same data), so the
    # default never applies; SQL backends need one all the same.
    group = key.replace_strict(
        [int(k) for k in plan.keys],
        [int(g) for g in plan.group],
        default=None,
        return_dtype=nw.Int64,
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
                default=None,
                return_dtype=nw.String,
            )
            .alias(c)
            for c in plan.columns
        ]
    )
    return out.select(names)


def _recode_polars(lf: pl.LazyFrame, plan: RecodePlan) -> pl.LazyFrame:
    """The same recoding, written so that Polars' streaming engine streams it.

    The streaming engine does not stream ``replace_strict``: writing a 10-million-row file
    through it held every column in memory (2.3 GB where a plain copy takes 0.4 GB). A
    cast to an Enum of the levels gives each value its code, and one left join on the
    keys (one row per class) gives every new value; both stream, and
    ``maintain_order="left"`` keeps the rows in their order.
    """
    schema = lf.collect_schema()
    names = schema.names()
    key = pl.lit(0, dtype=pl.Int64)
    for c in plan.columns:
        levels = list(plan.levels[c])
        non_null = [v for v in levels if v is not None]
        # The levels as Polars itself writes them as text, so that the cast matches.
        text = pl.Series(non_null, dtype=schema[c]).cast(pl.String).to_list()
        code = pl.col(c).cast(pl.String).cast(pl.Enum(text)).to_physical().cast(pl.Int64)
        if None in levels:
            where = levels.index(None)
            code = (
                pl.when(pl.col(c).is_null())
                .then(pl.lit(where, dtype=pl.Int64))
                .otherwise(code + (code >= where).cast(pl.Int64))
            )
        key = key * max(len(levels), 1) + code
    group = np.asarray(plan.group, dtype=np.int64)
    suppressed = np.asarray(plan.suppressed, dtype=bool)
    table: dict[str, Any] = {"__accord_key": np.asarray(plan.keys, dtype=np.int64)}
    for i, c in enumerate(plan.columns):
        per_group = np.array(
            ["*" if suppressed[g] else str(plan.labels[c][g]) for g in range(len(suppressed))],
            dtype=object,
        )
        table[f"__accord_label{i}"] = pl.Series(per_group[group], dtype=pl.String)
    table["__accord_drop"] = suppressed[group]
    out = lf.with_columns(key.alias("__accord_key")).join(
        pl.LazyFrame(table), on="__accord_key", how="left", maintain_order="left"
    )
    if plan.drop_suppressed and suppressed.any():
        out = out.filter(~pl.col("__accord_drop"))
    position = {c: i for i, c in enumerate(plan.columns)}
    return out.select(
        [
            pl.col(f"__accord_label{position[c]}").alias(c) if c in position else pl.col(c)
            for c in names
        ]
    )
