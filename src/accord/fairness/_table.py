"""The cell table of a classification audit, built from the strata of the one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.core import InvalidValueError, UsageError, did_you_mean
from accord.engine import SCORE_BIN_KEY, SCORE_COARSE_KEY, Binning, FairnessPass, Strata
from accord.fairness._models import AttributeInfo
from accord.fairness._outcomes import Outcomes, refuse_nulls, value_label
from accord.fairness._settings import MISSING_LABEL, Settings


@dataclass(frozen=True)
class CellTable:
    """Strata of a classification audit, in a canonical order.

    One entry per (intersectional cell, label class, predicted class[, score
    bin]) found in the data, with its row count ``n``, summed weight ``w``,
    summed squared weight ``w2`` and, with a score, summed ``w * score`` and
    ``w * score**2``. ``codes[:, j]`` is the level index of attribute ``j``.
    """

    codes: np.ndarray
    sizes: tuple[int, ...]
    y: np.ndarray
    yhat: np.ndarray
    n: np.ndarray
    w: np.ndarray
    w2: np.ndarray
    score_bin: np.ndarray | None = None
    ws: np.ndarray | None = None
    wss: np.ndarray | None = None
    coarse_bin: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of strata."""
        return int(self.n.shape[0])


def describe_attributes(
    strata: Strata,
    attributes: Sequence[str],
    binnings: dict[str, Binning] | None,
    settings: Settings,
) -> list[AttributeInfo]:
    """Give each sensitive attribute's levels their display labels, and refuse ID-like columns."""
    infos = []
    for a in attributes:
        levels = strata.levels[a]
        b = (binnings or {}).get(a)
        labels = level_labels(levels, b)
        distinct = len(levels) - (1 if levels and levels[-1] is None else 0)
        if distinct > settings.max_levels and not settings.force:
            raise UsageError(
                f"the sensitive attribute has {distinct} distinct values: it looks like an "
                "identifier, and its groups would be too small to audit",
                column=a,
                fix="pass a coarser column (or bins), or --force to audit it anyway",
            )
        if len(set(labels)) != len(labels):
            raise InvalidValueError(
                "two values of the sensitive attribute print the same",
                column=a,
                value=labels,
                fix="clean the column's values",
            )
        infos.append(
            AttributeInfo(
                name=a,
                levels=labels,
                binning=b.source if b else "none",
                edges=list(b.edges) if b else None,
            )
        )
    _check_references(infos, settings)
    return infos


def level_labels(levels: Sequence[object], binning: Binning | None) -> list[str]:
    """The display label of each level of a sensitive attribute (bins by their range)."""
    return [
        MISSING_LABEL
        if v is None
        else (binning.labels[int(str(v))] if binning else value_label(v))
        for v in levels
    ]


def _check_references(infos: Sequence[AttributeInfo], settings: Settings) -> None:
    by_name = {i.name: i for i in infos}
    for col, val in settings.reference.items():
        labels = by_name[col].levels
        if val not in labels:
            raise UsageError(
                "the reference value does not occur in the column",
                column=col,
                value=val,
                fix=did_you_mean(val, labels, f"values are: {', '.join(labels[:20])}"),
            )


def build_table(
    fpass: FairnessPass,
    attributes: Sequence[str],
    outcomes: Outcomes,
    *,
    score_column: str | None,
    weight_column: str | None,
) -> tuple[CellTable, CellTable | None]:
    """The coarse cell table (score bins merged into the calibration bins) and, with a
    score, the fine one (log-odds bins) the AUC is computed from.
    """
    s = fpass.strata
    k = len(attributes)
    codes = (
        np.stack([s.codes[a] for a in attributes], axis=1)
        if k
        else np.zeros((s.size, 0), dtype=np.int64)
    )
    sizes = tuple(len(s.levels[a]) for a in attributes)
    w, w2 = s.weight("w"), s.weight("w2")
    if np.any(w < 0):
        raise InvalidValueError(
            "the weight column has negative values",
            column=weight_column,
            fix="weights must be >= 0",
        )
    fine_bin = coarse_bin = None
    if score_column is not None:
        coarse_bin = _score_bins(s, score_column, fpass.calibration_bins)
        fine_bin = s.codes[SCORE_BIN_KEY]  # levels are sorted, so codes keep the bins' order
    fine = CellTable(
        codes,
        sizes,
        outcomes.y,
        outcomes.yhat,
        s.count,
        w,
        w2,
        fine_bin,
        s.sums.get("ws"),
        s.sums.get("wss"),
        coarse_bin,
    )
    # Canonical order first: the merge adds floats, and their order must not depend on the
    # order in which the engine returned its groups.
    fine = _canonical(fine)
    if fine.score_bin is None or fine.coarse_bin is None:
        return fine, None
    return _canonical(_merge(fine, fine.coarse_bin)), fine


def _score_bins(s: Strata, column: str, bins: int) -> np.ndarray:
    """Each stratum's calibration bin; refuses null scores and scores outside [0, 1]."""
    refuse_nulls(s, SCORE_COARSE_KEY, column, "score", "null or NaN value")
    levels = s.levels[SCORE_COARSE_KEY]
    values = np.array(levels, dtype=np.int64)
    if values.min() < 0 or values.max() >= bins:
        raise InvalidValueError(
            "the score must be a probability between 0 and 1",
            column=column,
            value=f"{'below 0' if values.min() < 0 else 'above 1'}",
            fix="pass the predicted probability of the positive class as --score",
        )
    return np.asarray(values[s.codes[SCORE_COARSE_KEY]], dtype=np.int64)


def _merge(t: CellTable, coarse_bin: np.ndarray) -> CellTable:
    keys = np.column_stack([t.codes, t.y, t.yhat, coarse_bin])
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    m = uniq.shape[0]

    def add(a: np.ndarray) -> np.ndarray:
        return np.bincount(inv, weights=a, minlength=m)

    k = t.codes.shape[1]
    assert t.ws is not None and t.wss is not None
    return CellTable(
        uniq[:, :k],
        t.sizes,
        uniq[:, k],
        uniq[:, k + 1],
        np.bincount(inv, weights=t.n, minlength=m).astype(np.int64),
        add(t.w),
        add(t.w2),
        uniq[:, k + 2],
        add(t.ws),
        add(t.wss),
    )


def _canonical(t: CellTable) -> CellTable:
    # Sort strata by their keys so that results, bootstrap included, do not
    # depend on the order in which an engine returned its groups.
    cols = [t.codes[:, j] for j in range(t.codes.shape[1])] + [t.y, t.yhat]
    if t.score_bin is not None:
        cols.append(t.score_bin)
    if t.coarse_bin is not None:
        cols.append(t.coarse_bin)  # a fine bin may straddle a calibration-bin edge
    order = np.lexsort(list(reversed(cols)))

    def o(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[order]

    return CellTable(
        t.codes[order],
        t.sizes,
        t.y[order],
        t.yhat[order],
        t.n[order],
        t.w[order],
        t.w2[order],
        o(t.score_bin),
        o(t.ws),
        o(t.wss),
        o(t.coarse_bin),
    )
