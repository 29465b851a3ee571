"""AUC, its DeLong interval, the Brier score, ECE and reliability curves, per group of Adult,
against scikit-learn and direct computations on the rows.

accord computes the AUC from a histogram of the score in 1000 equal-width log-odds bins per
cell, so on raw scores it may differ from the exact AUC by at most half the share of
positive-negative pairs that share a bin; it warns, with that bound, when the bound exceeds
a quarter of a reported interval's half-width. On scores already at bin centres it is exact.
"""

from __future__ import annotations

import math
import re
from statistics import NormalDist

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

import accord
from accord.core import Estimate, ValueStatus

from .accord_groups import (
    GROUPINGS,
    REFERENCE_COLUMN,
    SCORE_BINS,
    audit_adult,
    calibration_bin,
    groups_of,
    score_bin,
)

TOL = 1e-9
#: Without weights, accord sums scores exactly in units of 2**-24 (so that every engine
#: gets the same sums): a mean score is within half a unit of the exact one, a Brier score
#: within a unit and a half.
UNIT_TOL = 2.0**-22
Z = NormalDist().inv_cdf(0.975)


def _rows_by_group(
    df: pl.DataFrame, attributes: tuple[str, ...]
) -> dict[tuple[str, ...], pl.DataFrame]:
    columns = [REFERENCE_COLUMN[a] for a in attributes]
    return {
        tuple(str(v) for v in key): part
        for key, part in df.partition_by(columns, as_dict=True).items()
    }


def _tie_bound(y: np.ndarray, s: np.ndarray, w: np.ndarray) -> float:
    """Half the weighted share of positive-negative pairs whose scores share a fine bin."""
    b = score_bin(s)
    pos = np.bincount(b, weights=w * (y == 1), minlength=SCORE_BINS)
    neg = np.bincount(b, weights=w * (y == 0), minlength=SCORE_BINS)
    return float(0.5 * (pos * neg).sum() / (pos.sum() * neg.sum()))


def _reported_bound(result: accord.AuditResult) -> float | None:
    for warning in result.warnings:
        match = re.search(r"bound its error by ([0-9.]+) at most", warning)
        if match:
            return float(match.group(1))
    return None


def _half_width(auc: Estimate) -> float:
    assert auc.value is not None and auc.ci_low is not None and auc.ci_low > 0
    return auc.value - auc.ci_low  # z * se (the upper end may be clipped at 1)


@pytest.mark.parametrize("weight", [None, "w"], ids=["unweighted", "weighted"])
def test_auc_is_within_its_binning_bound_and_the_warning_says_when_it_matters(
    adult: pl.DataFrame, weight: str | None
) -> None:
    result = audit_adult(adult, score="score", weight=weight)
    worst, checked, over = 0.0, 0, []
    for attributes in [(), *GROUPINGS]:
        ours = {(): result.fairness.overall} if not attributes else groups_of(result, attributes)
        parts = {(): adult} if not attributes else _rows_by_group(adult, attributes)
        for key, rows in parts.items():
            y, s = rows["y"].to_numpy(), rows["score"].to_numpy()
            w = rows[weight].to_numpy() if weight else np.ones(len(y))
            auc = ours[key].metrics["auc"]
            if len(np.unique(y)) < 2:
                assert auc.status == ValueStatus.UNDEFINED and auc.value is None
                continue
            exact = roc_auc_score(y, s, sample_weight=w if weight else None)
            assert auc.value is not None
            error, bound = abs(auc.value - exact), _tie_bound(y, s, w)
            assert error <= bound + TOL, (attributes, key)
            if bound > 0.25 * _half_width(auc):
                over.append(bound)
            worst = max(worst, error)
            checked += 1
    assert checked > 50
    assert worst > 0  # raw scores do share bins: the bound is what is being tested
    reported = _reported_bound(result)
    if over:
        assert reported is not None and abs(reported - max(over)) <= 5e-5
    else:
        assert reported is None
    # On the whole population, pairs rarely share a bin: the error is tiny.
    y, s = adult["y"].to_numpy(), adult["score"].to_numpy()
    w = adult[weight].to_numpy() if weight else np.ones(len(y))
    assert _tie_bound(y, s, w) < 1e-3


@pytest.mark.parametrize("weight", [None, "w"], ids=["unweighted", "weighted"])
def test_auc_is_exact_on_bin_centred_scores(adult: pl.DataFrame, weight: str | None) -> None:
    result = audit_adult(adult, score="score_q", weight=weight)
    for attributes in GROUPINGS:
        ours = groups_of(result, attributes)
        for key, rows in _rows_by_group(adult, attributes).items():
            y = rows["y"].to_numpy()
            if len(np.unique(y)) < 2:
                continue
            exact = roc_auc_score(
                y,
                rows["score_q"].to_numpy(),
                sample_weight=rows[weight].to_numpy() if weight else None,
            )
            value = ours[key].metrics["auc"].value
            assert value is not None and abs(value - exact) <= TOL, (attributes, key)


def delong_se(y: np.ndarray, s: np.ndarray) -> float:
    """DeLong's standard error of the AUC from its placement values (DeLong et al., 1988)."""
    pos, neg = np.sort(s[y == 1]), np.sort(s[y == 0])
    m, n = len(pos), len(neg)
    below = np.searchsorted(neg, pos, "left")
    v10 = (below + 0.5 * (np.searchsorted(neg, pos, "right") - below)) / n
    above = m - np.searchsorted(pos, neg, "right")
    v01 = (above + 0.5 * (m - np.searchsorted(pos, neg, "left") - above)) / m
    return math.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n)


def test_auc_interval_is_delong(adult: pl.DataFrame) -> None:
    result = audit_adult(adult, score="score_q")
    checked = 0
    for attributes in GROUPINGS:
        ours = groups_of(result, attributes)
        for key, rows in _rows_by_group(adult, attributes).items():
            y, s = rows["y"].to_numpy(), rows["score_q"].to_numpy()
            if min((y == 1).sum(), (y == 0).sum()) < 2:
                continue
            auc = ours[key].metrics["auc"]
            assert auc.value is not None and auc.method is not None
            assert auc.method.startswith("DeLong")
            se = delong_se(y, s)
            assert abs(auc.ci_low - max(0.0, auc.value - Z * se)) <= TOL, (attributes, key)
            assert abs(auc.ci_high - min(1.0, auc.value + Z * se)) <= TOL, (attributes, key)
            checked += 1
    assert checked > 50


def _ece(y: np.ndarray, s: np.ndarray, w: np.ndarray) -> float:
    b = calibration_bin(s)
    gap = np.bincount(b, weights=w * y, minlength=10) - np.bincount(b, weights=w * s, minlength=10)
    return float(np.abs(gap).sum() / w.sum())


@pytest.mark.parametrize("weight", [None, "w"], ids=["unweighted", "weighted"])
def test_brier_ece_and_reliability_match_direct_computation(
    adult: pl.DataFrame, weight: str | None
) -> None:
    result = audit_adult(adult, score="score", weight=weight)
    tol = TOL if weight else UNIT_TOL  # weighted sums are plain float sums
    for attributes in GROUPINGS:
        ours = groups_of(result, attributes)
        for key, rows in _rows_by_group(adult, attributes).items():
            y, s = rows["y"].to_numpy(), rows["score"].to_numpy()
            w = rows[weight].to_numpy() if weight else np.ones(len(y))
            group = ours[key]
            brier = group.metrics["brier"].value
            ece = group.metrics["ece"].value
            assert brier is not None and ece is not None
            assert abs(brier - brier_score_loss(y, s, sample_weight=w)) <= tol, key
            assert abs(ece - _ece(y, s, w)) <= tol, key
            b = calibration_bin(s)
            assert group.reliability is not None
            assert [round(p.bin_low * 10) for p in group.reliability] == sorted(set(b.tolist()))
            for point in group.reliability:
                inside = b == round(point.bin_low * 10)
                assert point.n == inside.sum()
                assert abs(point.weight - w[inside].sum()) <= TOL * max(1.0, point.weight)
                observed = (w[inside] * y[inside]).sum() / w[inside].sum()
                assert point.observed.value is not None
                assert abs(point.observed.value - observed) <= TOL
                mean = (w[inside] * s[inside]).sum() / w[inside].sum()
                assert point.mean_score is not None and abs(point.mean_score - mean) <= tol
