"""Score-based metrics from score histograms: AUC, Brier score, ECE, reliability curves.

The pass histograms the score into fine equal-width bins per cell and label.
AUC is computed from those histograms, counting pairs in the same bin as ties
(half a concordant pair each); its binning error is at most half the share of
positive-negative pairs that share a bin, which is reported. ECE and the
reliability curve use coarse bins, which are unions of fine bins, so they are
exact. The Brier score is exact: it only needs sums of the score and its square.
"""

from __future__ import annotations

import numpy as np

AUC_METHOD = "DeLong (normal, ties within a score bin)"


def auc_from_histograms(
    pos: np.ndarray, neg: np.ndarray, pos_eff: np.ndarray, neg_eff: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUC, its DeLong standard error and its binning error bound, per row.

    Parameters
    ----------
    pos, neg
        (groups, bins) weighted histograms of the score of positives and negatives.
    pos_eff, neg_eff
        Effective numbers of positives and negatives per group.

    Returns
    -------
    auc, se, bound
        NaN where a group lacks positives or negatives.

    Examples
    --------
    >>> pos = np.array([[0.0, 1.0, 1.0]]); neg = np.array([[1.0, 1.0, 0.0]])
    >>> auc, se, bound = auc_from_histograms(pos, neg, np.array([2.0]), np.array([2.0]))
    >>> float(auc[0]), float(bound[0])
    (0.875, 0.125)
    """
    p_tot = pos.sum(axis=1)
    n_tot = neg.sum(axis=1)
    neg_below = np.cumsum(neg, axis=1) - neg
    pos_above = p_tot[:, None] - np.cumsum(pos, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        v10 = (neg_below + 0.5 * neg) / n_tot[:, None]
        v01 = (pos_above + 0.5 * pos) / p_tot[:, None]
        auc = (pos * v10).sum(axis=1) / p_tot
        s10 = (pos * (v10 - auc[:, None]) ** 2).sum(axis=1) / p_tot
        s01 = (neg * (v01 - auc[:, None]) ** 2).sum(axis=1) / n_tot
        # Unbiased forms of the variance for whole-row counts (n - 1 denominators).
        s10 = s10 * pos_eff / np.maximum(pos_eff - 1, 1)
        s01 = s01 * neg_eff / np.maximum(neg_eff - 1, 1)
        se = np.sqrt(s10 / pos_eff + s01 / neg_eff)
        bound = 0.5 * (pos * neg).sum(axis=1) / (p_tot * n_tot)
    bad = (p_tot <= 0) | (n_tot <= 0)
    return (np.where(bad, np.nan, auc), np.where(bad, np.nan, se), np.where(bad, np.nan, bound))


def brier(
    w: np.ndarray, ws: np.ndarray, wss: np.ndarray, wpos: np.ndarray, wspos: np.ndarray
) -> np.ndarray:
    """Brier score ``mean((score - y)^2)`` from sums; works on any array shape.

    ``w``: total weight; ``ws``, ``wss``: weighted sums of score and score^2;
    ``wpos``, ``wspos``: weight and weighted score sum of the positives.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w > 0, (wss - 2 * wspos + wpos) / np.where(w > 0, w, 1), np.nan)


def ece(w_bins: np.ndarray, ws_bins: np.ndarray, wpos_bins: np.ndarray) -> np.ndarray:
    """Expected calibration error over the last axis (bins).

    ``sum_b (W_b / W) * |observed_b - mean score_b| = sum_b |Y_b - S_b| / W``.
    """
    total = w_bins.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            total > 0,
            np.abs(wpos_bins - ws_bins).sum(axis=-1) / np.where(total > 0, total, 1),
            np.nan,
        )
