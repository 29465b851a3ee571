"""accord against AIF360's ClassificationMetric on Adult: every group against the reference.

AIF360 compares an unprivileged group with a privileged one. With the privileged group set
to accord's reference group and the unprivileged group to each other group, its statistical
parity difference, disparate impact, equal opportunity difference and average odds
difference are accord's selection-rate difference and ratio, its TPR difference, and the
mean of its FPR and TPR differences, to 1e-9, single attributes and intersections,
weighted (AIF360's instance weights) or not.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import polars as pl
import pytest

import accord
from accord.core import Estimate, ValueStatus

from .accord_groups import (
    ATTRIBUTES,
    GROUPINGS,
    REFERENCE_COLUMN,
    Key,
    audit_adult,
    disparities_of,
    groups_of,
    reference_of,
)

pytestmark = pytest.mark.filterwarnings("ignore")  # AIF360 divides by zero on purpose

TOL = 1e-9


class Aif360Adult:
    """Adult as AIF360 datasets: attributes as integer codes, predictions as a copy."""

    def __init__(self, df: pl.DataFrame, weight: str | None) -> None:
        from aif360.datasets import BinaryLabelDataset

        self.levels = {a: sorted(df[REFERENCE_COLUMN[a]].unique().to_list()) for a in ATTRIBUTES}
        frame = pd.DataFrame(
            {
                a: df[REFERENCE_COLUMN[a]]
                .replace_strict(self.levels[a], list(range(len(self.levels[a]))))
                .to_numpy()
                .astype(float)
                for a in ATTRIBUTES
            }
        )
        frame["y"] = df["y"].to_numpy().astype(float)
        if weight:
            frame["weight"] = df[weight].to_numpy()
        self.truth = BinaryLabelDataset(
            df=frame,
            label_names=["y"],
            protected_attribute_names=list(ATTRIBUTES),
            favorable_label=1.0,
            unfavorable_label=0.0,
            instance_weights_name="weight" if weight else None,
        )
        self.pred = self.truth.copy(deepcopy=True)
        self.pred.labels = df["pred"].to_numpy().astype(float).reshape(-1, 1)

    def group(self, attributes: tuple[str, ...], key: Key) -> dict[str, float]:
        return {a: float(self.levels[a].index(v)) for a, v in zip(attributes, key, strict=True)}

    def metric(self, attributes: tuple[str, ...], group: Key, reference: Key) -> object:
        from aif360.metrics import ClassificationMetric

        return ClassificationMetric(
            self.truth,
            self.pred,
            unprivileged_groups=[self.group(attributes, group)],
            privileged_groups=[self.group(attributes, reference)],
        )


def _pairs(result: accord.AuditResult) -> Iterator[tuple[tuple[str, ...], Key, Key]]:
    for attributes in GROUPINGS:
        reference = reference_of(result, attributes)
        for key in groups_of(result, attributes):
            if key != reference:
                yield attributes, key, reference


def _check(mine: Estimate, theirs: float, label: str, problems: list[str]) -> float:
    """Compare one accord estimate with AIF360's number; return the absolute difference."""
    if mine.status == ValueStatus.OK:
        assert mine.value is not None
        if not abs(mine.value - theirs) <= TOL:
            problems.append(f"{label}: accord {mine.value}, AIF360 {theirs}")
        return abs(mine.value - theirs)
    # Undefined in accord (a group without positives): AIF360 has 0/0 = NaN there too.
    if not (
        mine.status == ValueStatus.UNDEFINED and mine.value is None and not math.isfinite(theirs)
    ):
        problems.append(f"{label}: accord {mine.status}, AIF360 {theirs}")
    return 0.0


@pytest.mark.parametrize("weight", [None, "w"], ids=["unweighted", "weighted"])
def test_group_fairness_measures_match_aif360(adult: pl.DataFrame, weight: str | None) -> None:
    result = audit_adult(adult, weight=weight)
    data = Aif360Adult(adult, weight)
    problems: list[str] = []
    worst = 0.0
    compared = 0
    for attributes, key, reference in _pairs(result):
        cm = data.metric(attributes, key, reference)
        sel = disparities_of(result, attributes, "selection_rate")[key]
        tpr = disparities_of(result, attributes, "tpr")[key]
        fpr = disparities_of(result, attributes, "fpr")[key]
        label = f"{attributes}={key} vs {reference}"
        worst = max(
            worst,
            _check(sel.difference, cm.statistical_parity_difference(), f"{label} SPD", problems),
            _check(sel.ratio, cm.disparate_impact(), f"{label} DI", problems),
            _check(tpr.difference, cm.equal_opportunity_difference(), f"{label} EOD", problems),
        )
        aod = cm.average_odds_difference()
        if tpr.difference.value is not None and fpr.difference.value is not None:
            mine = 0.5 * (fpr.difference.value + tpr.difference.value)
            worst = max(worst, abs(mine - aod))
            if not abs(mine - aod) <= TOL:
                problems.append(f"{label} AOD: accord {mine}, AIF360 {aod}")
        else:
            assert not math.isfinite(aod), label
        compared += 1
    assert not problems, "\n".join(problems[:20])
    assert worst <= TOL
    assert compared == sum(len(groups_of(result, a)) - 1 for a in GROUPINGS)


def test_aif360_reports_precision_zero_where_accord_reports_undefined(adult: pl.DataFrame) -> None:
    result = audit_adult(adult)
    data = Aif360Adult(adult, None)
    attributes = ("sex", "race", "age")
    groups = groups_of(result, attributes)
    reference = reference_of(result, attributes)
    none_predicted = [k for k, g in groups.items() if g.metrics["selection_rate"].value == 0.0]
    assert none_predicted, "Adult's intersections have groups with no positive prediction"
    for key in none_predicted:
        assert groups[key].metrics["ppv"].status == ValueStatus.UNDEFINED
        assert groups[key].metrics["ppv"].value is None
        cm = data.metric(attributes, key, reference)
        assert cm.positive_predictive_value(privileged=False) == 0.0
        # Where both define it, AIF360's precision is accord's.
        ref_ppv = groups[reference].metrics["ppv"].value
        assert ref_ppv is not None
        assert abs(cm.positive_predictive_value(privileged=True) - ref_ppv) <= TOL


def test_per_group_rates_match_aif360(adult: pl.DataFrame) -> None:
    """AIF360's per-group rates, for the reference and each other group of sex x race."""
    result = audit_adult(adult)
    data = Aif360Adult(adult, None)
    attributes = ("sex", "race")
    groups = groups_of(result, attributes)
    reference = reference_of(result, attributes)
    names = {
        "TPR": "tpr",
        "TNR": "tnr",
        "FPR": "fpr",
        "FNR": "fnr",
        "NPV": "npv",
        "FDR": "fdr",
        "FOR": "for",
        "ACC": "accuracy",
    }
    for key in groups:
        if key == reference:
            continue
        measures = data.metric(attributes, key, reference).performance_measures(privileged=False)
        for theirs, ours in names.items():
            mine = groups[key].metrics[ours]
            if mine.status == ValueStatus.OK:
                assert mine.value is not None
                assert abs(mine.value - float(measures[theirs])) <= TOL, (key, ours)
            elif theirs in ("NPV", "FDR", "FOR"):
                assert measures[theirs] == 0.0  # AIF360's convention for 0/0 here
            else:
                assert np.isnan(measures[theirs])
