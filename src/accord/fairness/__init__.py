"""Fairness statistics: pure functions from the cell table of the one pass.

No I/O and no dataframe library here: the engine's strata come in, and
per-group metrics, intervals, disparities and tests come out.
"""

from accord.fairness._classification import analyse_classification
from accord.fairness._discovery import Discovery, Subgroup, discover_subgroups
from accord.fairness._impact import ImpactRow, ImpactTable, impact_table
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
    "Discovery",
    "Disparity",
    "FairnessStats",
    "GroupStats",
    "GroupingStats",
    "ImpactRow",
    "ImpactTable",
    "MetricDef",
    "MetricInfo",
    "ReliabilityPoint",
    "Settings",
    "SignificanceInfo",
    "Subgroup",
    "Summary",
    "analyse_classification",
    "analyse_regression",
    "discover_subgroups",
    "impact_table",
    "value_label",
]
