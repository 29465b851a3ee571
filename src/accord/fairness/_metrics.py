"""Classification metrics as functions of the four weighted confusion counts.

Every metric a group-fairness audit of a binary classifier reports is a
function of the group's (TP, FP, FN, TN). The formulas work on arrays of any
shape, so one call computes a metric for every group, or for every group of
every bootstrap replicate.

A rate whose denominator is 0 is undefined: these functions return NaN, and
the audit reports the value as ``undefined``, never as 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

Quadrant = Literal["tp", "fp", "fn", "tn"]
ALL: tuple[Quadrant, ...] = ("tp", "fp", "fn", "tn")


@dataclass(frozen=True)
class Confusion:
    """Weighted confusion counts (and their squared weights) per group.

    ``tp2`` etc. are sums of squared weights, for Kish's effective sample size
    ``(sum w)^2 / sum w^2``; without weights they equal the counts.
    """

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray
    tp2: np.ndarray
    fp2: np.ndarray
    fn2: np.ndarray
    tn2: np.ndarray

    def total(self, quadrants: tuple[Quadrant, ...]) -> np.ndarray:
        """Summed weight of the given quadrants."""
        out: np.ndarray = sum((getattr(self, q) for q in quadrants), np.zeros_like(self.tp))
        return out

    def total_sq(self, quadrants: tuple[Quadrant, ...]) -> np.ndarray:
        """Summed squared weight of the given quadrants."""
        out: np.ndarray = sum((getattr(self, q + "2") for q in quadrants), np.zeros_like(self.tp))
        return out


@dataclass(frozen=True)
class MetricDef:
    """A metric: its name, meaning, direction, and how it is computed.

    A rate is ``sum(numerator quadrants) / sum(denominator quadrants)`` and gets
    a Wilson interval; any other metric has a ``formula`` and gets a bootstrap
    interval.
    """

    name: str
    title: str
    description: str
    better: Literal["higher", "lower"] | None
    numerator: tuple[Quadrant, ...] = ()
    denominator: tuple[Quadrant, ...] = ()
    formula: Callable[[Confusion], np.ndarray] | None = None

    @property
    def is_rate(self) -> bool:
        """Whether the metric is a proportion of a subset of the group's rows."""
        return self.formula is None

    def value(self, c: Confusion) -> np.ndarray:
        """The metric for every entry of ``c``; NaN where undefined."""
        if self.formula is not None:
            return self.formula(c)
        return _ratio(c.total(self.numerator), c.total(self.denominator))

    def denominator_weight(self, c: Confusion) -> np.ndarray:
        """The weight the metric is taken over (0 means undefined)."""
        if self.formula is not None:
            return c.total(ALL)
        return c.total(self.denominator)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


def _balanced_accuracy(c: Confusion) -> np.ndarray:
    # Needs both classes: with one class absent it is undefined (scikit-learn
    # instead falls back to the recall of the class present).
    out: np.ndarray = (_ratio(c.tp, c.tp + c.fn) + _ratio(c.tn, c.tn + c.fp)) / 2
    return out


def _f1(c: Confusion) -> np.ndarray:
    return _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)


METRICS: tuple[MetricDef, ...] = (
    MetricDef(
        "base_rate",
        "Base rate",
        "share of the group whose true label is positive",
        None,
        ("tp", "fn"),
        ALL,
    ),
    MetricDef(
        "selection_rate",
        "Selection rate",
        "share of the group predicted positive",
        "higher",
        ("tp", "fp"),
        ALL,
    ),
    MetricDef(
        "accuracy",
        "Accuracy",
        "share of the group predicted correctly",
        "higher",
        ("tp", "tn"),
        ALL,
    ),
    MetricDef(
        "balanced_accuracy",
        "Balanced accuracy",
        "mean of true positive and true negative rates",
        "higher",
        formula=_balanced_accuracy,
    ),
    MetricDef(
        "tpr",
        "True positive rate",
        "share of actual positives predicted positive (recall)",
        "higher",
        ("tp",),
        ("tp", "fn"),
    ),
    MetricDef(
        "fpr",
        "False positive rate",
        "share of actual negatives predicted positive",
        "lower",
        ("fp",),
        ("fp", "tn"),
    ),
    MetricDef(
        "tnr",
        "True negative rate",
        "share of actual negatives predicted negative (specificity)",
        "higher",
        ("tn",),
        ("fp", "tn"),
    ),
    MetricDef(
        "fnr",
        "False negative rate",
        "share of actual positives predicted negative",
        "lower",
        ("fn",),
        ("tp", "fn"),
    ),
    MetricDef(
        "ppv",
        "Precision (PPV)",
        "share of predicted positives that are positive",
        "higher",
        ("tp",),
        ("tp", "fp"),
    ),
    MetricDef(
        "npv",
        "Negative predictive value",
        "share of predicted negatives that are negative",
        "higher",
        ("tn",),
        ("tn", "fn"),
    ),
    MetricDef(
        "fdr",
        "False discovery rate",
        "share of predicted positives that are negative",
        "lower",
        ("fp",),
        ("tp", "fp"),
    ),
    MetricDef(
        "for",
        "False omission rate",
        "share of predicted negatives that are positive",
        "lower",
        ("fn",),
        ("tn", "fn"),
    ),
    MetricDef("f1", "F1 score", "harmonic mean of precision and recall", "higher", formula=_f1),
)

METRICS_BY_NAME = {m.name: m for m in METRICS}

#: Metrics whose group-vs-reference difference is tested for significance.
TESTED = ("selection_rate", "accuracy", "tpr", "fpr")
