"""Fairness statistics: pure functions from the cell table of the one pass.

No I/O and no dataframe library here: the engine's strata come in, and
per-group metrics, intervals, disparities and tests come out.
"""

from accord.fairness._classification import analyse_classification
from accord.fairness._metrics import METRICS, METRICS_BY_NAME, Confusion, MetricDef
from accord.fairness._models import (
    AttributeInfo,
    Disparity,
    FairnessStats,
    GroupingStats,
    GroupStats,
    MetricInfo,
    ReliabilityPoint,
    SignificanceInfo,
    Summary,
)
from accord.fairness._outcomes import value_label
from accord.fairness._regression import analyse_regression
from accord.fairness._settings import MISSING_LABEL, Settings

__all__ = [
    "METRICS",
    "METRICS_BY_NAME",
    "MISSING_LABEL",
    "AttributeInfo",
    "Confusion",
    "Disparity",
    "FairnessStats",
    "GroupStats",
    "GroupingStats",
    "MetricDef",
    "MetricInfo",
    "ReliabilityPoint",
    "Settings",
    "SignificanceInfo",
    "Summary",
    "analyse_classification",
    "analyse_regression",
    "value_label",
]
