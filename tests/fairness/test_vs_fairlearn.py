"""accord against Fairlearn's MetricFrame on Adult: every metric both define, every grouping.

Where a metric is defined, the two agree to 1e-9, weighted or not. Where accord reports a
metric as undefined (a zero denominator), Fairlearn reports a number by convention; the
test checks that each such case is exactly the documented convention (docs/metrics.md,
"Where accord differs by design").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import polars as pl
import pytest
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn import metrics as skm

import accord
from accord.core import ValueStatus

from .accord_groups import GROUPINGS, REFERENCE_COLUMN, audit_adult, confusion_by, groups_of

# scikit-learn warns about every undefined metric: those cases are what the test checks.
pytestmark = pytest.mark.filterwarnings("ignore")

TOL = 1e-9


def _auc(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    if len(np.unique(y_true)) < 2:
        return math.nan  # scikit-learn raises or warns; Fairlearn passes that through
    return float(skm.roc_auc_score(y_true, y_pred, sample_weight=sample_weight))


#: accord's name -> the function Fairlearn users pass to MetricFrame for it.
LABEL_METRICS: dict[str, Callable[..., float]] = {
    "selection_rate": selection_rate,
    "accuracy": skm.accuracy_score,
    "balanced_accuracy": skm.balanced_accuracy_score,
    "tpr": true_positive_rate,
    "fpr": false_positive_rate,
    "tnr": true_negative_rate,
    "fnr": false_negative_rate,
    "ppv": partial(skm.precision_score, zero_division=np.nan),
    "f1": partial(skm.f1_score, zero_division=np.nan),
}


def fairlearn_where_undefined(metric: str, tp: float, fp: float, fn: float, tn: float) -> float:
    """What Fairlearn (through scikit-learn) reports where accord reports ``undefined``.

    Each branch also checks that accord's reason holds: the metric's denominator is 0.
    """
    positives, negatives = tp + fn, fp + tn
    if metric in ("tpr", "fnr"):
        assert positives == 0
        return 0.0  # confusion_matrix(normalize="true") turns 0/0 into 0
    if metric in ("fpr", "tnr"):
        assert negatives == 0
        return 0.0
    if metric == "balanced_accuracy":
        assert (positives == 0) != (negatives == 0)
        return tn / negatives if positives == 0 else tp / positives  # recall of the one class
    if metric == "ppv":
        assert tp + fp == 0
        return math.nan
    if metric == "f1":
        assert 2 * tp + fp + fn == 0
        return math.nan
    if metric == "auc":
        assert positives == 0 or negatives == 0
        return math.nan
    raise AssertionError(f"accord reports {metric} undefined, but no denominator is 0")


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _metric_frame(
    df: pl.DataFrame,
    attributes: tuple[str, ...],
    weight: str | None,
    metrics: dict[str, Callable[..., float]],
    y_pred: str,
) -> MetricFrame:
    columns = [REFERENCE_COLUMN[a] for a in attributes]
    params = {m: {"sample_weight": df[weight].to_numpy()} for m in metrics} if weight else None
    return MetricFrame(
        metrics=metrics,
        y_true=df["y"].to_numpy(),
        y_pred=df[y_pred].to_numpy(),
        sensitive_features=df.select(columns).to_pandas(),
        sample_params=params,
    )


def _rows(frame: Any) -> dict[tuple[str, ...], dict[str, float]]:
    out = {}
    for key, row in frame.iterrows():
        out[key if isinstance(key, tuple) else (key,)] = row.to_dict()
    return out


def compare(
    result: accord.AuditResult,
    df: pl.DataFrame,
    weight: str | None,
    metrics: dict[str, Callable[..., float]],
    y_pred: str = "pred",
) -> tuple[float, list[str], int]:
    """Compare the whole population and every group of every grouping: (max abs difference
    where both define the metric, mismatches, cases that differ by design)."""
    worst, problems, by_design = 0.0, [], 0
    for attributes in GROUPINGS:
        ours = groups_of(result, attributes)
        frame = _metric_frame(df, attributes, weight, metrics, y_pred)
        theirs = _rows(frame.by_group)
        if len(attributes) == 1:
            for name in metrics:  # the whole population, once
                mine = result.fairness.overall.metrics[name].value
                assert mine is not None
                worst = max(worst, abs(mine - frame.overall[name]))
        counts = confusion_by(df, [REFERENCE_COLUMN[a] for a in attributes], weight=weight)
        # Fairlearn lists every combination of values; accord only those in the data.
        assert set(ours) == {k for k in theirs if k in counts} == set(counts)
        for key, group in ours.items():
            for name in metrics:
                mine, ref = group.metrics[name], theirs[key][name]
                if mine.status == ValueStatus.OK:
                    assert mine.value is not None
                    worst = max(worst, abs(mine.value - ref))
                    if not abs(mine.value - ref) <= TOL:
                        problems.append(f"{attributes}={key} {name}: {mine.value} vs {ref}")
                else:
                    assert mine.status == ValueStatus.UNDEFINED and mine.value is None
                    expected = fairlearn_where_undefined(name, *counts[key])
                    by_design += 1
                    if not _same(ref, expected):
                        problems.append(
                            f"{attributes}={key} {name}: undefined in accord, "
                            f"Fairlearn {ref}, expected {expected}"
                        )
    return worst, problems, by_design


@pytest.fixture(scope="module", params=[None, "w"], ids=["unweighted", "weighted"])
def weight(request: pytest.FixtureRequest) -> str | None:
    return request.param  # type: ignore[no-any-return]


def test_every_label_metric_matches_fairlearn_by_group(
    adult: pl.DataFrame, weight: str | None
) -> None:
    result = audit_adult(adult, weight=weight, score="score")
    worst, problems, by_design = compare(result, adult, weight, LABEL_METRICS)
    assert not problems, "\n".join(problems[:20])
    assert worst <= TOL
    # The intersections of Adult hold groups without positives: the conventions are exercised.
    assert by_design > 0


def test_fairlearn_reports_tpr_zero_where_accord_reports_undefined(adult: pl.DataFrame) -> None:
    result = audit_adult(adult, score="score")
    ours = groups_of(result, ("sex", "race", "age"))
    frame = _metric_frame(adult, ("sex", "race", "age"), None, {"tpr": true_positive_rate}, "pred")
    theirs = _rows(frame.by_group)
    no_positives = [k for k, g in ours.items() if g.metrics["base_rate"].value == 0.0]
    assert no_positives, "Adult's intersections have groups without positives"
    for key in no_positives:
        assert ours[key].metrics["tpr"].status == ValueStatus.UNDEFINED
        assert ours[key].metrics["tpr"].value is None
        assert theirs[key]["tpr"] == 0.0


def test_auc_on_bin_centred_scores_matches_fairlearn_exactly(
    adult: pl.DataFrame, weight: str | None
) -> None:
    # On scores already at the centres of accord's 1000 score bins, the histogram loses
    # nothing: ties in a bin are real ties, which roc_auc_score also counts as half.
    result = audit_adult(adult, weight=weight, score="score_q")
    worst, problems, by_design = compare(result, adult, weight, {"auc": _auc}, "score_q")
    assert not problems, "\n".join(problems[:20])
    assert worst <= TOL
    assert by_design > 0  # groups with one class have no AUC
