"""Read the label and prediction values the pass found, and decide what they mean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.core import InvalidValueError, UsageError, count_of
from accord.engine import LABEL_KEY, PREDICTION_KEY, Strata

#: Above this many distinct label values, a classification audit is refused.
MAX_CLASSES = 50


@dataclass(frozen=True)
class Outcomes:
    """The class structure of a classification audit.

    ``classes`` are the distinct values of label and prediction, sorted; for a
    binary audit, ``positive`` is the index of the positive class in
    ``classes``. ``y`` and ``yhat`` give each stratum's class index.
    """

    kind: str  # "binary" | "multiclass"
    classes: tuple[str, ...]
    positive: int | None
    y: np.ndarray
    yhat: np.ndarray


def value_label(value: Any) -> str:
    """The text a key value is shown as: integral floats print as integers.

    pandas turns an integer column with nulls into floats; printing 1.0 as "1"
    keeps labels identical whatever library held the data.

    Examples
    --------
    >>> value_label(1.0), value_label(True), value_label("a")
    ('1', 'true', 'a')
    """
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def resolve_outcomes(
    strata: Strata, *, label: str, prediction: str, positive: str | None
) -> Outcomes:
    """Check label and prediction values and map them to class indices.

    Raises
    ------
    InvalidValueError
        A null label or prediction, or a prediction outside the label's values.
    UsageError
        Two non-0/1 classes without ``positive``, or a ``positive`` not found.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import LABEL_KEY, PREDICTION_KEY, aggregate
    >>> df = pl.DataFrame({"y": ["no", "yes", "yes"], "p": ["yes", "yes", "no"]})
    >>> s = aggregate(nw.from_native(df.lazy()),
    ...               keys={LABEL_KEY: nw.col("y"), PREDICTION_KEY: nw.col("p")})
    >>> out = resolve_outcomes(s, label="y", prediction="p", positive="yes")
    >>> out.kind, out.classes, out.positive
    ('binary', ('no', 'yes'), 1)
    """
    y_levels = strata.levels[LABEL_KEY]
    p_levels = strata.levels[PREDICTION_KEY]
    y_codes = strata.codes[LABEL_KEY]
    p_codes = strata.codes[PREDICTION_KEY]
    refuse_nulls(strata, LABEL_KEY, label, "label")
    refuse_nulls(strata, PREDICTION_KEY, prediction, "prediction")
    for name, lv in ((label, y_levels), (prediction, p_levels)):
        for v in lv:
            if isinstance(v, float) and np.isnan(v):
                raise InvalidValueError(
                    f"the {'label' if name == label else 'prediction'} column has NaN values",
                    column=name,
                    fix="drop or impute those rows before the audit",
                )
    labels_y = [_as01(value_label(v)) for v in y_levels]
    labels_p = [_as01(value_label(v)) for v in p_levels]
    binary01 = set(labels_y) | set(labels_p) <= {"0", "1"}
    if binary01:
        classes = ["0", "1"]
    else:
        extra = sorted(set(labels_p) - set(labels_y))
        if extra:
            raise InvalidValueError(
                f"the prediction has a value that the label never takes; label values are "
                f"{_few(labels_y)}",
                column=prediction,
                value=extra[0],
                fix="predictions must use the label's values (map them, or check the columns)",
            )
        classes = sorted(set(labels_y))
    if len(classes) > MAX_CLASSES:
        raise UsageError(
            f"the label has {len(classes)} distinct values: too many classes for a "
            "classification audit",
            column=label,
            fix="for a continuous target pass --task regression",
        )
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[labels_y[c]] for c in y_codes], dtype=np.int64)
    yhat = np.array([index[labels_p[c]] for c in p_codes], dtype=np.int64)
    if len(classes) == 1:
        raise InvalidValueError(
            "the label takes a single value, so no error rate can be measured",
            column=label,
            value=classes[0],
            fix="audit data where both outcomes occur",
        )
    if positive is not None:
        if binary01:
            positive = _as01(positive.lower())
        if positive not in index:
            raise UsageError(
                f"the positive value is not among the label's values {_few(classes)}",
                column=label,
                value=positive,
                fix="pass one of them with --positive",
            )
        if len(classes) > 2:
            raise UsageError(
                f"--positive applies to a binary label, but the label has {len(classes)} classes",
                column=label,
                fix="drop --positive: a multiclass audit reports every class one-vs-rest",
            )
        return Outcomes("binary", tuple(classes), index[positive], y, yhat)
    if len(classes) == 2:
        if binary01:
            return Outcomes("binary", tuple(classes), index["1"], y, yhat)
        raise UsageError(
            f"the label has two values {_few(classes)}; accord cannot tell which "
            "is the positive outcome",
            column=label,
            fix=f"pass --positive {classes[-1]!r} (or the other value)",
        )
    return Outcomes("multiclass", tuple(classes), None, y, yhat)


def _as01(text: str) -> str:
    # Booleans and 0/1 mean the same outcome: a bool label may meet a 0/1 prediction.
    return {"true": "1", "false": "0"}.get(text, text)


def refuse_nulls(
    strata: Strata, key: str, column: str, role: str, noun: str = "null value"
) -> None:
    """Refuse a key whose levels include null (sorted last), saying how many rows hold it."""
    levels = strata.levels[key]
    if levels and levels[-1] is None:
        rows = int(strata.count[strata.codes[key] == len(levels) - 1].sum())
        raise InvalidValueError(
            f"the {role} column has {count_of(rows, noun)}",
            column=column,
            fix="drop or impute those rows before the audit",
        )


def _few(values: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return f"[{shown}{', ...' if len(values) > limit else ''}]"
