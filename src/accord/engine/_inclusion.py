"""The passes of an inclusion audit: group counts, missingness and proxy contingency tables.

An inclusion audit makes at most three passes over the rows, whatever the
number of columns:

1. **profile** (only when some column needs it): one ``select`` of the
   quartiles of numeric group attributes, the range of numeric features, and
   the distinct counts of text features (to skip identifiers);
2. **cells**: group by the group attributes (binned), the label and the
   prediction, summing ``is_null`` of every other column: group counts,
   labelled counts, correct predictions and per-group missingness all come from
   this one table;
3. **contingency** (when proxies are asked for): every other column, cast to
   text (a numeric one as the index of its fine bin), is unpivoted into
   (column, value) pairs and grouped with the group attributes, so that one
   group-by gives the contingency table of every column against every group
   attribute.

A numeric feature is cut into :data:`FINE_BINS` equal-width bins over its range
(or one bin per value for whole numbers with a small range): a min and a max
are cheap on every engine, where ten exact quantiles would cost ten sorts. The
statistics above merge the fine bins into deciles from their counts, exactly,
since a decile is then a union of fine bins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw

from accord.core import UsageError
from accord.engine._passes import (
    LABEL_KEY,
    MAX_NUMERIC_CATEGORIES,
    PREDICTION_KEY,
    QUANTILE_BINS,
    Binning,
    _bin_expr,
    _num,
    bin_labels,
    check_bins,
)
from accord.engine._strata import Strata, aggregate

#: Key names of the contingency pass.
FEATURE_KEY = "__feature"
VALUE_KEY = "__value"
#: The value a missing feature value takes in the contingency pass: some engines (DuckDB)
#: drop nulls when they unpivot, so a missing value must be a value.
MISSING_VALUE = "\u2400"
#: Prefix of the sums that count a column's missing values.
NULL_PREFIX = "null:"
#: Equal-width bins a numeric feature is first cut into.
FINE_BINS = 1000


@dataclass(frozen=True)
class FineBins:
    """Equal-width bins of a numeric feature: bin ``j`` is ``[low + j*width, low + (j+1)*width)``.

    The last bin also holds the maximum. ``integer``: whole numbers with a
    range below :data:`FINE_BINS`, one bin per value (``width`` 1).
    """

    column: str
    low: float
    width: float
    count: int
    integer: bool

    def edge(self, j: int) -> float:
        """Left edge of bin ``j``."""
        return self.low + j * self.width


@dataclass(frozen=True)
class InclusionPass:
    """The strata of an inclusion audit and how their keys were made.

    ``cells`` is keyed by the group attributes (and, when given, the label and
    the prediction, under :data:`LABEL_KEY` and :data:`PREDICTION_KEY`); its
    sums ``null:<column>`` count the missing values (null, or NaN) of every
    column that is not a group attribute. ``contingency`` is keyed by
    :data:`FEATURE_KEY`, :data:`VALUE_KEY` and the group attributes; a
    feature's value is its text, or the index of its bin when ``feature_binnings``
    has it (its fine bin otherwise). A binned group attribute's key is its bin
    index, as text (``"000"``).
    """

    cells: Strata
    contingency: Strata | None
    groups: tuple[str, ...]
    group_binnings: Mapping[str, Binning]
    feature_binnings: Mapping[str, FineBins]
    features: tuple[str, ...]
    missing_columns: tuple[str, ...]
    skipped: Mapping[str, str]
    passes: int
    warnings: tuple[str, ...] = field(default=())


def inclusion_pass(
    frame: nw.LazyFrame[Any],
    groups: Sequence[str],
    *,
    label: str | None = None,
    prediction: str | None = None,
    features: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    bins: Mapping[str, Sequence[float]] | None = None,
    proxies: bool = True,
    max_levels: int = 1000,
) -> InclusionPass:
    """Reduce the rows of an inclusion audit to strata, in at most three passes.

    Parameters
    ----------
    frame
        The data, lazy.
    groups
        The group attributes (country, language, sex, ...). A numeric one with
        more than 10 distinct values and no ``bins`` is cut at its quartiles.
    label, prediction
        The true outcome and the model's prediction, for performance by group.
    features
        The columns whose association with each group attribute is measured
        (proxies); default: every column that has no other role.
    exclude
        Columns that are never features (a score, a weight, ...).
    bins
        Explicit bin edges for numeric group attributes.
    proxies
        Whether to run the contingency pass.
    max_levels
        A text feature with more distinct values is skipped as an identifier.

    Returns
    -------
    InclusionPass

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> lf = nw.from_native(pl.LazyFrame({"g": ["a", "b", "a"], "x": [1.0, None, 3.0]}))
    >>> p = inclusion_pass(lf, ["g"])
    >>> p.cells.count.tolist(), p.cells.sums["null:x"].tolist(), p.passes
    ([2, 1], [0.0, 1.0], 3)
    """
    schema = frame.collect_schema()
    groups = list(groups)
    bins = dict(bins or {})
    roles = [c for c in (label, prediction) if c is not None]
    others = [c for c in schema if c not in groups]
    if features is None:
        candidates = [c for c in others if c not in roles and c not in exclude]
    else:
        candidates = list(features)
        clash = [c for c in candidates if c in groups]
        if clash:
            raise UsageError(
                "a column is both a group attribute and a feature",
                column=clash[0],
                fix="give each column one role",
            )
    check_bins(bins, schema, groups, role="group attribute", option="--groups")
    skipped: dict[str, str] = {}
    usable = []
    for c in candidates if proxies else []:
        if not (_numeric(schema[c]) or _textual(schema[c])):
            skipped[c] = f"its type {schema[c]} is neither numeric nor text"
        else:
            usable.append(c)
    numeric_groups = [g for g in groups if g not in bins and _numeric(schema[g])]
    numeric_features = [c for c in usable if _numeric(schema[c])]
    text_features = [c for c in usable if not _numeric(schema[c])]
    passes = 0
    profile: dict[str, Any] = {}
    if numeric_groups or usable:
        profile = _profile(frame, numeric_groups, numeric_features, text_features)
        passes += 1
    warnings: list[str] = []
    group_binnings = {
        a: Binning(a, tuple(float(e) for e in bins[a]), bin_labels(bins[a]), "explicit")
        for a in bins
    }
    for g in numeric_groups:
        n_unique, edges = profile[g]
        if n_unique > MAX_NUMERIC_CATEGORIES and edges:
            group_binnings[g] = Binning(g, tuple(edges), bin_labels(edges), "quantile")
            warnings.append(
                f"group attribute {g!r} is numeric with {n_unique} distinct values: it was cut "
                f"at its quartiles {', '.join(_num(e) for e in edges)}; pass --bins "
                f"{g}=EDGE,EDGE,... to choose the bins"
            )
    feature_binnings: dict[str, FineBins] = {}
    kept = []
    for c in usable:
        if c in numeric_features:
            low, high = profile[c]
            if low is None:
                skipped[c] = "it has no values"
                continue
            feature_binnings[c] = _fine_bins(c, low, high, schema[c].is_integer())
        elif profile[c] > max_levels:
            skipped[c] = (
                f"{profile[c]} distinct values (more than {max_levels}): it looks like an "
                "identifier"
            )
            continue
        kept.append(c)
    keys = {
        g: _bin_expr(g, group_binnings[g].edges, schema[g].is_float())
        if g in group_binnings
        else nw.col(g)
        for g in groups
    }
    cell_keys = dict(keys)
    if label is not None:
        cell_keys[LABEL_KEY] = nw.col(label)
    if prediction is not None:
        cell_keys[PREDICTION_KEY] = nw.col(prediction)
    missing_columns = tuple(others)
    sums = {NULL_PREFIX + c: _is_missing(c, schema[c]) for c in missing_columns}
    cells = aggregate(frame, keys=cell_keys, sums=sums)
    passes += 1
    contingency = None
    if kept:
        values = [_feature_expr(c, schema[c], feature_binnings.get(c)).alias(c) for c in kept]
        long = frame.select(*[e.alias(g) for g, e in keys.items()], *values).unpivot(
            on=kept, index=list(groups), variable_name=FEATURE_KEY, value_name=VALUE_KEY
        )
        contingency = aggregate(
            long,
            keys={
                FEATURE_KEY: nw.col(FEATURE_KEY),
                VALUE_KEY: nw.col(VALUE_KEY),
                **{g: nw.col(g) for g in groups},
            },
        )
        passes += 1
    return InclusionPass(
        cells=cells,
        contingency=contingency,
        groups=tuple(groups),
        group_binnings=group_binnings,
        feature_binnings=feature_binnings,
        features=tuple(kept),
        missing_columns=missing_columns,
        skipped=skipped,
        passes=passes,
        warnings=tuple(warnings),
    )


def _profile(
    frame: nw.LazyFrame[Any], groups: list[str], numeric: list[str], text: list[str]
) -> dict[str, Any]:
    """Profile the columns in one select.

    Numeric group attributes: distinct count and quartile edges; numeric
    features: min and max; text features: distinct count.
    """
    schema = frame.collect_schema()
    exprs: list[nw.Expr] = []
    for i, c in enumerate(groups):
        col = _without_nan(c, schema[c])
        exprs.append(col.n_unique().alias(f"u{i}"))
        exprs += [
            # Linear: the one interpolation every engine (DuckDB included) computes.
            col.quantile(j / QUANTILE_BINS, interpolation="linear").alias(f"q{i}_{j}")
            for j in range(1, QUANTILE_BINS)
        ]
    for i, c in enumerate(numeric):
        col = _without_nan(c, schema[c])
        exprs += [col.min().alias(f"lo{i}"), col.max().alias(f"hi{i}")]
    exprs += [nw.col(c).n_unique().alias(f"t{i}") for i, c in enumerate(text)]
    row = frame.select(*exprs).collect(backend="polars").to_native().row(0, named=True)
    out: dict[str, Any] = {}
    for i, c in enumerate(groups):
        qs = [float(q) for j in range(1, QUANTILE_BINS) if (q := row[f"q{i}_{j}"]) is not None]
        if schema[c].is_integer():
            # Whole-number edges for whole-number data: "[30, 45)" rather than "[29.5, 45)".
            qs = [float(math.ceil(q)) for q in qs if math.isfinite(q)]
        out[c] = (int(row[f"u{i}"]), sorted({q for q in qs if math.isfinite(q)}))
    for i, c in enumerate(numeric):
        lo, hi = row[f"lo{i}"], row[f"hi{i}"]
        out[c] = (None, None) if lo is None or hi is None else (float(lo), float(hi))
    for i, c in enumerate(text):
        out[c] = int(row[f"t{i}"])
    return out


def _fine_bins(column: str, low: float, high: float, integer: bool) -> FineBins:
    if integer and high - low < FINE_BINS:
        return FineBins(column, low, 1.0, int(high - low) + 1, True)
    width = (high - low) / FINE_BINS if high > low else 1.0
    return FineBins(column, low, width, FINE_BINS if high > low else 1, False)


def fine_bin_text(bins: FineBins) -> nw.Expr:
    """Write the index of a numeric feature's fine bin as text; null when it is missing.

    Examples
    --------
    >>> import polars as pl
    >>> lf = nw.from_native(pl.LazyFrame({"a": [0.0, 0.5, None, 1.0]}))
    >>> b = FineBins("a", 0.0, 0.001, 1000, False)
    >>> lf.select(fine_bin_text(b).alias("b")).collect().to_native()["b"].to_list()
    ['0', '500', None, '999']
    """
    col = nw.col(bins.column)
    missing = col.is_null() | col.is_nan()
    # Engines that evaluate both branches (pandas) must never cast a NaN to an integer.
    value = nw.when(missing).then(nw.lit(bins.low)).otherwise(col)
    index = ((value - bins.low) / bins.width).floor()
    # The maximum falls on the upper edge of the last bin: it belongs in that bin.
    index = nw.when(index >= bins.count).then(nw.lit(bins.count - 1)).otherwise(index)
    return nw.when(~missing).then(index.cast(nw.Int64).cast(nw.String))


def _feature_expr(column: str, dtype: Any, bins: FineBins | None) -> nw.Expr:
    """Cast a feature to text: its fine bin when numeric; NaN and null are MISSING_VALUE."""
    if bins is not None:
        return fine_bin_text(bins).fill_null(MISSING_VALUE)
    return _without_nan(column, dtype).cast(nw.String).fill_null(MISSING_VALUE)


def _without_nan(column: str, dtype: Any) -> nw.Expr:
    """Read NaN as missing, as pandas does, so that every engine sees the same values."""
    col = nw.col(column)
    if dtype in (nw.Float32, nw.Float64):
        return nw.when(~col.is_nan()).then(col)
    return col


def _is_missing(column: str, dtype: Any) -> nw.Expr:
    col = nw.col(column)
    if dtype in (nw.Float32, nw.Float64):
        return col.is_null() | col.is_nan()
    return col.is_null()


def _numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric()) and dtype != nw.Boolean


def _textual(dtype: Any) -> bool:
    return dtype in (nw.String, nw.Categorical, nw.Enum, nw.Boolean)
