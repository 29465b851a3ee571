"""The engine layer: the one pass over the rows, written once in narwhals expressions.

Nothing above this layer touches rows or imports a dataframe library.
"""

from accord.engine._explore import ABOVE_KEY, above_median_pass, explore_pass
from accord.engine._inclusion import (
    FEATURE_KEY,
    FINE_BINS,
    MISSING_VALUE,
    NULL_PREFIX,
    VALUE_KEY,
    FineBins,
    InclusionPass,
    inclusion_pass,
)
from accord.engine._passes import (
    LABEL_KEY,
    PREDICTION_KEY,
    SCORE_BIN_KEY,
    SCORE_COARSE_KEY,
    Binning,
    FairnessPass,
    Task,
    bin_labels,
    fairness_pass,
)
from accord.engine._privacy_pass import PrivacyPass, distinct_counts, privacy_pass
from accord.engine._recode import RecodePlan, recode
from accord.engine._sample import ColumnSample, sample_rows
from accord.engine._strata import Strata, aggregate

__all__ = [
    "FEATURE_KEY",
    "FINE_BINS",
    "ABOVE_KEY",
    "LABEL_KEY",
    "MISSING_VALUE",
    "NULL_PREFIX",
    "PREDICTION_KEY",
    "SCORE_BIN_KEY",
    "SCORE_COARSE_KEY",
    "VALUE_KEY",
    "Binning",
    "ColumnSample",
    "FairnessPass",
    "FineBins",
    "InclusionPass",
    "PrivacyPass",
    "RecodePlan",
    "Strata",
    "Task",
    "above_median_pass",
    "aggregate",
    "bin_labels",
    "distinct_counts",
    "explore_pass",
    "fairness_pass",
    "inclusion_pass",
    "privacy_pass",
    "recode",
    "sample_rows",
]
