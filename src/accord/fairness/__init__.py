"""Fairness statistics: pure functions from the cell table of the one pass.

No I/O and no dataframe library here: the engine's strata come in, and
per-group metrics, intervals, disparities and tests come out.
"""

from accord.fairness._bootstrap import percentile_interval, replicate_counts
from accord.fairness._classification import analyse_classification
from accord.fairness._discovery import Discovery, Subgroup, discover_subgroups
from accord.fairness._disparity import GroupValues, summaries
from accord.fairness._impact import ImpactRow, ImpactTable, impact_table
from accord.fairness._intervals import wilson, z_value
from accord.fairness._lattice import Grouping, make_grouping
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
from accord.fairness._outcomes import Outcomes, resolve_outcomes, value_label
from accord.fairness._regression import analyse_regression
from accord.fairness._settings import MISSING_LABEL, Settings
from accord.fairness._significance import CORRECTIONS, adjust, two_proportion

__all__ = [
    "CORRECTIONS",
    "METRICS",
    "METRICS_BY_NAME",
    "MISSING_LABEL",
    "AttributeInfo",
    "Confusion",
    "Discovery",
    "Disparity",
    "FairnessStats",
    "GroupStats",
    "GroupValues",
    "Grouping",
    "GroupingStats",
    "ImpactRow",
    "ImpactTable",
    "MetricDef",
    "MetricInfo",
    "Outcomes",
    "ReliabilityPoint",
    "Settings",
    "SignificanceInfo",
    "Subgroup",
    "Summary",
    "adjust",
    "analyse_classification",
    "analyse_regression",
    "make_grouping",
    "percentile_interval",
    "replicate_counts",
    "resolve_outcomes",
    "summaries",
    "two_proportion",
    "discover_subgroups",
    "impact_table",
    "value_label",
    "wilson",
    "z_value",
]
