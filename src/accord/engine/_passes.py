"""The passes an audit runs: which keys to group by and which measures to sum."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import narwhals as nw

from accord.core import InvalidValueError, UsageError
from accord.engine._strata import Strata, aggregate
from accord.io import Roles

Task = Literal["classification", "regression"]

#: Key names the fairness pass gives the label, prediction and score bin.
LABEL_KEY = "__label"
PREDICTION_KEY = "__prediction"
SCORE_BIN_KEY = "__score_bin"
SCORE_COARSE_KEY = "__score_coarse"
_MISSING_WEIGHT = "__missing_weight"

#: The fine score bins are equal-width in log-odds over [-LOGIT_RANGE, LOGIT_RANGE]
#: (probabilities from 6e-6 to 1 - 6e-6; beyond, the end bins).
LOGIT_RANGE = 12.0

#: A numeric sensitive attribute with at most this many distinct values is kept as categories.
MAX_NUMERIC_CATEGORIES = 10
#: Quantile bins used for a numeric sensitive attribute with no explicit edges.
QUANTILE_BINS = 4


@dataclass(frozen=True)
class Binning:
    """How a numeric sensitive attribute was cut into bins.

    ``labels[i]`` names bin ``i``; the pass emits the bin index as the key.
    """

    attribute: str
    edges: tuple[float, ...]
    labels: tuple[str, ...]
    source: Literal["explicit", "quantile"]


@dataclass(frozen=True)
class FairnessPass:
    """The strata of a fairness audit and how its keys were made."""

    strata: Strata
    task: Task
    binnings: Mapping[str, Binning]
    score_bins: int
    calibration_bins: int
    weighted: bool
    warnings: tuple[str, ...] = field(default=())


def bin_labels(edges: Sequence[float]) -> tuple[str, ...]:
    """Labels for the bins that ``edges`` cut: ``<25``, ``[25, 45)``, ``>=45``.

    Examples
    --------
    >>> bin_labels([25, 45])
    ('<25', '[25, 45)', '>=45')
    """
    fmt = [_num(e) for e in edges]
    labels = [f"<{fmt[0]}"]
    labels += [f"[{a}, {b})" for a, b in zip(fmt, fmt[1:], strict=False)]
    labels.append(f">={fmt[-1]}")
    return tuple(labels)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _bin_expr(column: str, edges: Sequence[float], floating: bool) -> nw.Expr:
    # Bin indices as zero-padded text ("000", "001", ...): they sort in bin order, and a
    # missing value stays a plain null on every engine (a null in an integer column is
    # a float NaN in pandas, which breaks the group-by key's type).
    col = nw.col(column)

    def code(i: int) -> nw.Expr:
        return nw.lit(f"{i:03d}", dtype=nw.String)

    expr = nw.when(col < edges[0]).then(code(0))
    for i, edge in enumerate(edges[1:], start=1):
        expr = expr.when(col < edge).then(code(i))
    missing = col.is_null() | col.is_nan() if floating else col.is_null()
    # A null stays null (its own visible group); NaN is treated as missing too.
    return (
        nw.when(missing)
        .then(nw.lit(None, dtype=nw.String))
        .otherwise(expr.otherwise(code(len(edges))))
    )


def check_bins(
    bins: Mapping[str, Sequence[float]],
    schema: Mapping[str, Any],
    attributes: Sequence[str],
    *,
    role: str,
    option: str,
) -> None:
    """Refuse bin edges for a column without the role, a text column, or unsorted edges."""
    for attr, given in bins.items():
        if attr not in attributes:
            raise UsageError(
                f"bins are given for a column that is not a {role}",
                column=attr,
                fix=f"name it with {option}, or drop its --bins",
            )
        if not _numeric(schema[attr]):
            raise UsageError(
                f"bins need a numeric column, but its type is {schema[attr]}",
                column=attr,
                fix="drop its --bins: text columns are used as they are",
            )
        edges = list(given)
        if not edges or sorted(set(edges)) != edges:
            raise UsageError(
                "bin edges must be given in increasing order, without repeats",
                column=attr,
                value=edges,
                fix=f"e.g. --bins {attr}=25,45 (each edge starts a new bin)",
            )


def _finite(col: nw.Expr, dtype: Any) -> nw.Expr:
    # NaN is a missing value here, not a number to take quantiles of.
    return nw.when(~col.is_nan()).then(col) if dtype.is_float() else col


def _profile_numeric(
    frame: nw.LazyFrame[Any], columns: list[str], schema: Mapping[str, Any]
) -> dict[str, tuple[int, list[float]]]:
    """Distinct counts and quartile edges of numeric sensitive columns (a small extra pass)."""
    qs = [i / QUANTILE_BINS for i in range(1, QUANTILE_BINS)]
    exprs = []
    for i, c in enumerate(columns):
        exprs.append(nw.col(c).n_unique().alias(f"u{i}"))
        exprs += [
            # Linear: the one interpolation every engine (DuckDB included) computes.
            _finite(nw.col(c), schema[c]).quantile(q, interpolation="linear").alias(f"q{i}_{j}")
            for j, q in enumerate(qs)
        ]
    row = frame.select(*exprs).collect(backend="polars").to_native().row(0, named=True)
    out = {}
    for i, c in enumerate(columns):
        edges = sorted(
            {
                float(row[f"q{i}_{j}"])
                for j in range(len(qs))
                if row[f"q{i}_{j}"] is not None and math.isfinite(row[f"q{i}_{j}"])
            }
        )
        out[c] = (int(row[f"u{i}"]), edges)
    return out


def fairness_pass(
    frame: nw.LazyFrame[Any],
    roles: Roles,
    *,
    task: Task = "classification",
    bins: Mapping[str, Sequence[float]] | None = None,
    score_bins: int = 1000,
    calibration_bins: int = 10,
) -> FairnessPass:
    """Reduce the rows of a fairness audit to strata in one pass.

    Classification strata are keyed by the sensitive attributes, the label, the
    prediction and (with a score) the score's fine bin; they carry the weight,
    the squared weight, and the weighted score sums. Regression strata are keyed
    by the sensitive attributes and carry the moments of label, prediction and
    error that the regression metrics and their intervals need.

    Parameters
    ----------
    frame
        The data, lazy.
    roles
        Which columns are label, prediction, score, weight and sensitive.
    task
        ``classification`` (binary or multiclass, decided from the values) or
        ``regression``.
    bins
        Explicit bin edges for numeric sensitive attributes.
    score_bins
        Number of equal-width bins of [0, 1] the score is histogrammed into.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.io import Roles
    >>> df = pl.DataFrame({"y": [0, 1, 1], "p": [0, 1, 0], "age": [20, 50, 70]})
    >>> fp = fairness_pass(nw.from_native(df.lazy()), Roles(label="y", prediction="p",
    ...                    sensitive=("age",)), bins={"age": [30, 60]})
    >>> fp.strata.n_rows, fp.binnings["age"].labels
    (3, ('<30', '[30, 60)', '>=60'))
    """
    bins = dict(bins or {})
    schema = frame.collect_schema()
    warnings: list[str] = []
    check_bins(bins, schema, roles.sensitive, role="sensitive attribute", option="--sensitive")
    unbinned = [a for a in roles.sensitive if a not in bins and _numeric(schema[a])]
    binnings: dict[str, Binning] = {
        a: Binning(a, tuple(float(e) for e in bins[a]), bin_labels(bins[a]), "explicit")
        for a in bins
    }
    if unbinned:
        for attr, (n_unique, edges) in _profile_numeric(frame, unbinned, schema).items():
            if n_unique <= MAX_NUMERIC_CATEGORIES or not edges:
                continue
            binnings[attr] = Binning(attr, tuple(edges), bin_labels(edges), "quantile")
            warnings.append(
                f"sensitive attribute {attr!r} is numeric with {n_unique} distinct values: it was "
                f"cut at its quartiles {', '.join(_num(e) for e in edges)}; pass "
                f"--bins {attr}=EDGE,EDGE,... to choose the bins"
            )
    keys: dict[str, nw.Expr] = {}
    for attr in roles.sensitive:
        if attr in binnings:
            keys[attr] = _bin_expr(attr, binnings[attr].edges, schema[attr].is_float())
        else:
            keys[attr] = nw.col(attr)
    weight = nw.col(roles.weight).cast(nw.Float64) if roles.weight else nw.lit(1.0)
    # Without weights, w and w2 are the row count the group-by counts anyway: summing two
    # constant columns would cost a tenth of the pass for nothing.
    sums: dict[str, nw.Expr] = {"w": weight, "w2": weight * weight} if roles.weight else {}
    if roles.weight:
        # A sum skips a null weight (and a NaN one spoils it): count them, to refuse them.
        sums[_MISSING_WEIGHT] = weight.is_null() | weight.is_nan()
    unit_sums: dict[str, tuple[str, nw.Expr]] = {}
    unit_weight: nw.Expr | None = None
    if task == "classification":
        assert roles.label is not None and roles.prediction is not None
        keys[LABEL_KEY] = nw.col(roles.label)
        keys[PREDICTION_KEY] = nw.col(roles.prediction)
        if roles.score is not None:
            raw = nw.col(roles.score).cast(nw.Float64)
            s = nw.when(~raw.is_nan()).then(raw)  # NaN becomes null: reported, never binned
            keys[SCORE_BIN_KEY] = _logit_bin(s, score_bins)
            keys[SCORE_COARSE_KEY] = _probability_bin(s, calibration_bins)
            if roles.weight and not schema[roles.weight].is_integer():
                # Float weights: float sums, whose last bits follow the engine's order.
                sums["ws"] = weight * s
                sums["wss"] = weight * s * s
            else:
                unit_sums = {"ws": ("wss", s)}
                if roles.weight:
                    unit_weight = nw.col(roles.weight).cast(nw.Int64)
    else:
        assert roles.label is not None and roles.prediction is not None
        y = nw.col(roles.label).cast(nw.Float64)
        p = nw.col(roles.prediction).cast(nw.Float64)
        e = p - y
        # Nulls in label or prediction are counted, so that they can be reported.
        keys[LABEL_KEY] = y.is_null() | y.is_nan()
        keys[PREDICTION_KEY] = p.is_null() | p.is_nan()
        sums.update(
            {
                "wy": weight * y,
                "wy2": weight * y * y,
                "wy3": weight * y * y * y,
                "wy4": weight * y * y * y * y,
                "wp": weight * p,
                "wp2": weight * p * p,
                "we": weight * e,
                "we2": weight * e * e,
                "we4": weight * e * e * e * e,
                "wae": weight * e.abs(),
                "we2y": weight * e * e * y,
                "we2y2": weight * e * e * y * y,
            }
        )
    strata = aggregate(frame, keys=keys, sums=sums, unit_sums=unit_sums, unit_weight=unit_weight)
    if unit_weight is not None and float(strata.sums["w"].sum()) * 2**24 >= 2**62:
        # Integer weights this large could overflow the exact 64-bit sums: float sums.
        sums["ws"], sums["wss"] = weight * s, weight * s * s
        strata = aggregate(frame, keys=keys, sums=sums)
    if roles.weight:
        strata = _refuse_missing_weights(strata, roles.weight)
    return FairnessPass(
        strata=strata,
        task=task,
        binnings=binnings,
        score_bins=score_bins,
        calibration_bins=calibration_bins,
        weighted=roles.weight is not None,
        warnings=tuple(warnings),
    )


def _logit_bin(s: nw.Expr, bins: int) -> nw.Expr:
    # AUC needs the score's order at fine resolution where the scores are, and confident
    # models put most scores near 0 or 1: equal-width bins in log-odds keep 1e-4 apart
    # from 1e-3, where equal-width bins in probability would tie them.
    safe = s.clip(1e-12, 1.0 - 1e-12)  # log(0) is null on some engines
    logit = (safe.log() - (1.0 - safe).log()).clip(-LOGIT_RANGE, LOGIT_RANGE)
    index = ((logit + LOGIT_RANGE) * (bins / (2 * LOGIT_RANGE))).floor()
    return index.clip(0.0, bins - 1.0).cast(nw.Int64)


def _probability_bin(s: nw.Expr, bins: int) -> nw.Expr:
    # Calibration bins are equal-width in probability; a score outside [0, 1] falls outside
    # [0, bins), which the fairness layer reports. 1.0 belongs to the top bin.
    index = (s * float(bins)).floor()
    return nw.when(s == 1.0).then(nw.lit(bins - 1.0)).otherwise(index).cast(nw.Int64)


def _refuse_missing_weights(strata: Strata, column: str) -> Strata:
    sums = dict(strata.sums)
    missing = int(sums.pop(_MISSING_WEIGHT).sum())
    if missing:
        raise InvalidValueError(
            f"the weight column has {missing} null or NaN values",
            column=column,
            fix="drop or impute those rows (a weight of 0 leaves a row out)",
        )
    return replace(strata, sums=sums)


def _numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric()) and dtype != nw.Boolean
