"""Passes that policies and worst-subgroup discovery add to an audit.

Both reduce the rows to strata with :func:`accord.engine.aggregate`, like the fairness
pass: the search over subgroups and the impact tables then work on the strata alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals as nw

from accord.core import InvalidValueError, UsageError
from accord.engine._passes import FairnessPass, _bin_expr, _numeric, fairness_pass
from accord.engine._strata import Strata, aggregate
from accord.io import Roles, check_roles

#: Key of the "scored above the median" indicator in :func:`above_median_pass`.
ABOVE_KEY = "__above_median"

#: An explored text column with more distinct values than this is refused: its subgroups
#: would be too small to test, and the pass too large.
MAX_EXPLORE_LEVELS = 100


def explore_pass(
    frame: nw.LazyFrame[Any],
    roles: Roles,
    explore: Sequence[str],
    *,
    bins: Mapping[str, Sequence[float]] | None = None,
    max_levels: int = MAX_EXPLORE_LEVELS,
) -> FairnessPass:
    """Reduce the rows to the strata worst-subgroup discovery searches.

    The keys are the fairness pass's (without the score) plus the explored columns.

    Numeric explored columns with many values are cut at their quartiles unless ``bins``
    gives edges, exactly as numeric sensitive attributes are; text columns are kept as
    they are, up to ``max_levels`` distinct values.

    Parameters
    ----------
    frame
        The data, lazy.
    roles
        The audit's roles (label, prediction, weight, sensitive attributes).
    explore
        Columns to search besides the sensitive attributes.
    bins
        Bin edges for numeric sensitive attributes and explored columns; pass the edges
        the audit used for its sensitive attributes so that both passes agree.

    Examples
    --------
    >>> import polars as pl
    >>> lf = nw.from_native(pl.LazyFrame({"y": [0, 1] * 3, "p": [1, 1, 0] * 2,
    ...                                   "g": ["a", "b", "c"] * 2, "city": ["x", "y"] * 3}))
    >>> fp = explore_pass(lf, Roles(label="y", prediction="p", sensitive=("g",)), ["city"])
    >>> fp.strata.keys[:2]
    ('g', 'city')
    """
    explore = list(dict.fromkeys(explore))
    clash = [
        c
        for c in explore
        if c in roles.sensitive or c in (roles.label, roles.prediction, roles.weight)
    ]
    if clash:
        raise UsageError(
            "an explored column already has a role in the audit",
            column=clash[0],
            fix="explore other columns: sensitive attributes are searched anyway",
        )
    searched = Roles(
        label=roles.label,
        prediction=roles.prediction,
        weight=roles.weight,
        sensitive=(*roles.sensitive, *explore),
    )
    schema = frame.collect_schema()
    check_roles(searched, schema, numeric=["weight"])
    text = [c for c in explore if not _numeric(schema[c])]
    if text:
        row = (
            frame.select(*[nw.col(c).n_unique().alias(c) for c in text])
            .collect(backend="polars")
            .to_native()
            .row(0, named=True)
        )
        for c in text:
            if int(row[c]) > max_levels:
                raise UsageError(
                    f"the explored column has {row[c]} distinct values, too many to search",
                    column=c,
                    fix=f"explore a coarser column (at most {max_levels} values)",
                )
    return fairness_pass(frame, searched, bins=bins)


def above_median_pass(
    frame: nw.LazyFrame[Any],
    roles: Roles,
    score: str,
    *,
    bins: Mapping[str, Sequence[float]] | None = None,
) -> tuple[float, Strata]:
    """Return the median score and strata of scoring strictly above it, per sensitive cell.

    This is what the scoring rate of NYC Local Law 144 needs: the median of ``score``
    over all rows, then the sensitive attributes with an above-the-median indicator.

    Two small passes: the median, then the group-by. The median is unweighted, as the
    rule takes it over the full sample of applicants.

    Examples
    --------
    >>> import polars as pl
    >>> lf = nw.from_native(pl.LazyFrame({"s": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]}))
    >>> median, strata = above_median_pass(lf, Roles(sensitive=("g",)), "s")
    >>> median, strata.count.tolist()
    (2.5, [2, 2])
    """
    schema = frame.collect_schema()
    check_roles(
        Roles(score=score, weight=roles.weight, sensitive=roles.sensitive),
        schema,
        numeric=["score", "weight"],
    )
    s = nw.col(score).cast(nw.Float64)
    row = (
        frame.select(
            s.median().alias("median"),
            s.is_null().sum().alias("nulls"),
            s.is_nan().sum().alias("nans"),
        )
        .collect(backend="polars")
        .to_native()
        .row(0, named=True)
    )
    missing = int(row["nulls"] or 0) + int(row["nans"] or 0)
    if missing:
        raise InvalidValueError(
            f"the score column has {missing} null or NaN values",
            column=score,
            fix="drop or impute those rows before the audit",
        )
    if row["median"] is None:
        raise InvalidValueError("the score column has no values", column=score)
    median = float(row["median"])
    keys: dict[str, nw.Expr] = {
        a: _bin_expr(a, list((bins or {})[a]), schema[a].is_float())
        if a in (bins or {})
        else nw.col(a)
        for a in roles.sensitive
    }
    keys[ABOVE_KEY] = s > median
    weight = nw.col(roles.weight).cast(nw.Float64) if roles.weight else nw.lit(1.0)
    strata = aggregate(frame, keys=keys, sums={"w": weight, "w2": weight * weight})
    return median, strata
