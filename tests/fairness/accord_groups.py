"""Helpers the fairness tests share: accord's groups keyed like a reference library's, and
confusion counts computed directly from the rows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import polars as pl

import accord
from accord.engine import LABEL_KEY, PREDICTION_KEY, FairnessPass, Strata
from accord.engine._passes import LOGIT_RANGE
from accord.fairness import (
    Disparity,
    FairnessStats,
    GroupStats,
    Settings,
    analyse_classification,
)
from accord.io import Roles
from accord.report import AuditResult

#: The sensitive attributes of the Adult audits and the columns reference libraries use.
ATTRIBUTES = ("sex", "race", "age")
REFERENCE_COLUMN = {"sex": "sex", "race": "race", "age": "age_band"}
#: Every grouping accord computes for three attributes: singles and intersections.
GROUPINGS = [c for k in range(1, 4) for c in combinations(ATTRIBUTES, k)]

#: accord's fine score bins (for the AUC): equal-width in log-odds over [-12, 12].
SCORE_BINS = 1000

Key = tuple[str, ...]
Counts = tuple[float, float, float, float]


def groups_of(result: AuditResult, attributes: Sequence[str]) -> dict[Key, GroupStats]:
    """accord's groups of one grouping, keyed by their values in ``attributes`` order."""
    grouping = result.fairness.grouping(list(attributes))
    assert grouping is not None, f"accord did not compute the grouping {attributes}"
    return {tuple(g.key[a] for a in attributes): g for g in grouping.groups}


def reference_of(result: AuditResult, attributes: Sequence[str]) -> Key:
    """The reference group accord chose for a grouping."""
    grouping = result.fairness.grouping(list(attributes))
    assert grouping is not None and grouping.reference is not None
    return tuple(grouping.reference[a] for a in attributes)


def disparities_of(
    result: AuditResult, attributes: Sequence[str], metric: str
) -> dict[Key, Disparity]:
    """accord's disparities of one metric, keyed like :func:`groups_of`."""
    grouping = result.fairness.grouping(list(attributes))
    assert grouping is not None
    return {tuple(d.key[a] for a in attributes): d for d in grouping.disparities[metric]}


def confusion_by(
    df: pl.DataFrame,
    columns: Sequence[str],
    *,
    label: str = "y",
    prediction: str = "pred",
    weight: str | None = None,
) -> dict[Key, Counts]:
    """(TP, FP, FN, TN), weighted when ``weight`` is given, per group, straight from the rows."""
    w = pl.col(weight) if weight else pl.lit(1.0)
    y, p = pl.col(label) == 1, pl.col(prediction) == 1
    table = df.group_by(list(columns)).agg(
        tp=(w * (y & p)).sum(),
        fp=(w * (~y & p)).sum(),
        fn=(w * (y & ~p)).sum(),
        tn=(w * (~y & ~p)).sum(),
    )
    return {
        tuple(str(r[c]) for c in columns): (r["tp"], r["fp"], r["fn"], r["tn"])
        for r in table.iter_rows(named=True)
    }


def close(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    """Both numbers, equal within ``tol``."""
    return a is not None and b is not None and math.isfinite(b) and abs(a - b) <= tol


def audit_adult(df: pl.DataFrame, **options: Any) -> AuditResult:
    """accord's audit of the Adult fixture by sex, race and age band (and every
    intersection), reporting every group (minimum size 1, small counts shown: these tests
    compare numbers, not reports), without bootstrap unless asked."""
    settings: dict[str, Any] = {
        "label": "y",
        "prediction": "pred",
        "sensitive": list(ATTRIBUTES),
        "bins": {"age": [25, 45]},
        "min_group_size": 1,
        "suppress_below": 0,
        "bootstrap": 0,
    }
    return accord.audit(df, **(settings | options))


def stats_from_cells(counts: np.ndarray, groups: int, settings: Settings) -> FairnessStats:
    """accord's statistics of one attribute ``g`` with ``groups`` groups, given directly as
    row counts per cell: TN, FP, FN, TP of the first group, then of the next, ...

    This is what the one pass reduces rows to (the property tests check that reduction);
    simulations that draw thousands of datasets start here.
    """
    present = counts > 0
    strata = Strata(
        keys=("g", LABEL_KEY, PREDICTION_KEY),
        levels={
            "g": tuple(f"g{i}" for i in range(groups)),
            LABEL_KEY: (0, 1),
            PREDICTION_KEY: (0, 1),
        },
        codes={
            "g": np.repeat(np.arange(groups), 4)[present],
            LABEL_KEY: np.tile([0, 0, 1, 1], groups)[present],
            PREDICTION_KEY: np.tile([0, 1, 0, 1], groups)[present],
        },
        sums={"w": counts[present].astype(float), "w2": counts[present].astype(float)},
        count=counts[present],
    )
    fpass = FairnessPass(
        strata=strata,
        task="classification",
        binnings={},
        score_bins=SCORE_BINS,
        calibration_bins=10,
        weighted=False,
    )
    roles = Roles(label="y", prediction="p", sensitive=("g",))
    return analyse_classification(fpass, roles, settings)


def score_bin(s: np.ndarray) -> np.ndarray:
    """The fine (log-odds) score bin accord puts each score in, computed here independently."""
    safe = np.clip(s, 1e-12, 1 - 1e-12)
    logit = np.clip(np.log(safe) - np.log1p(-safe), -LOGIT_RANGE, LOGIT_RANGE)
    index = np.floor((logit + LOGIT_RANGE) * SCORE_BINS / (2 * LOGIT_RANGE))
    return np.clip(index, 0, SCORE_BINS - 1).astype(np.int64)


def bin_centre(s: np.ndarray) -> np.ndarray:
    """Each score moved to the centre (in log-odds) of its fine bin: a histogram of these
    scores loses nothing, so accord's AUC on them is exact."""
    return centre_of_bin(score_bin(s))


def centre_of_bin(k: np.ndarray) -> np.ndarray:
    """The score at the centre (in log-odds) of fine bin ``k``."""
    logit = -LOGIT_RANGE + (np.asarray(k) + 0.5) * (2 * LOGIT_RANGE / SCORE_BINS)
    out: np.ndarray = 1 / (1 + np.exp(-logit))
    return out


def calibration_bin(s: np.ndarray) -> np.ndarray:
    """accord's calibration (ECE) bin: 10 equal-width bins of [0, 1], 1.0 in the top one."""
    return np.minimum(np.floor(s * 10).astype(np.int64), 9)
