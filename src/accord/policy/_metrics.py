"""The metric names a policy may name, and which of them each measure accepts."""

from __future__ import annotations

from accord.fairness import METRICS

#: Metrics a classification audit reports per group (docs/metrics.md), its score metrics,
#: the regression metrics, and what the policy layer derives itself.
CLASSIFICATION = tuple(m.name for m in METRICS)
SCORE = ("auc", "brier", "ece")
REGRESSION = ("mean_label", "mean_prediction", "mae", "rmse", "r2")
#: calibration_gap: a group's largest gap between its reliability curve and the diagonal;
#: scoring_rate: the share scoring above the median of the whole sample (NYC LL144).
DERIVED = ("calibration_gap", "scoring_rate")

KNOWN_METRICS = ("share", *CLASSIFICATION, *SCORE, *REGRESSION, *DERIVED)

#: Metrics an impact ratio (each group's rate over the highest rate) is defined for.
RATE_METRICS = ("selection_rate", "scoring_rate")

#: Rates worst-subgroup discovery can search: a numerator and a denominator of the confusion
#: counts, so that a subgroup and the rest of the data are two independent proportions.
DISCOVERABLE = tuple(m.name for m in METRICS if m.is_rate)
