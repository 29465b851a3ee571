"""Group integer code vectors into their distinct combinations (pure numpy)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_INT64_LIMIT = 2**62


def group_codes(
    codes: Sequence[np.ndarray], radices: Sequence[int]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Find the distinct combinations of several code vectors.

    Parameters
    ----------
    codes
        One integer array per attribute, all of the same length; ``codes[i]``
        lies in ``[0, radices[i])``.
    radices
        The number of possible codes of each attribute.

    Returns
    -------
    inverse, unique_codes
        ``inverse[j]`` is the group of row ``j`` (groups are numbered in the
        lexicographic order of their codes); ``unique_codes[i]`` is attribute
        ``i``'s code of every group.

    Examples
    --------
    >>> inv, uniq = group_codes([np.array([1, 0, 1]), np.array([2, 2, 2])], [2, 3])
    >>> inv.tolist(), [u.tolist() for u in uniq]
    ([1, 0, 1], [[0, 1], [2, 2]])
    """
    if not codes:
        raise ValueError("group_codes needs at least one code vector")
    n = len(codes[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), [np.zeros(0, dtype=np.int64) for _ in codes]
    space = 1
    for r in radices:
        space *= max(int(r), 1)
    if space < _INT64_LIMIT:
        # Pack the codes into one mixed-radix integer: one sort instead of a row-wise unique.
        key = np.zeros(n, dtype=np.int64)
        for c, r in zip(codes, radices, strict=True):
            key *= max(int(r), 1)
            key += c.astype(np.int64, copy=False)
        if space <= max(4 * n, 1 << 20):
            # A small key space: mark the keys present in a dense table, no sort at all.
            present = np.zeros(space, dtype=bool)
            present[key] = True
            uniq = np.flatnonzero(present)
            ids = np.cumsum(present, dtype=np.int64) - 1
            inverse = ids[key]
        else:
            uniq, inverse = np.unique(key, return_inverse=True)
        out: list[np.ndarray] = []
        rest = uniq
        for r in reversed(list(radices)):
            rest, digit = np.divmod(rest, max(int(r), 1))
            out.append(digit)
        return inverse.astype(np.int64, copy=False), out[::-1]
    stacked = np.stack([c.astype(np.int64, copy=False) for c in codes], axis=1)
    uniq_rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), [uniq_rows[:, i] for i in range(len(codes))]


def sum_by(groups: np.ndarray, weights: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum ``weights`` per group (an integer bincount when the weights are integers)."""
    out = np.bincount(groups, weights=weights, minlength=n_groups)
    if np.issubdtype(weights.dtype, np.integer):
        return np.rint(out).astype(np.int64)
    return out
