"""Groupings of the finest cells: every attribute alone and every intersection.

All of them come from the same strata: a grouping is only a map from each
stratum to a group, so its sums are ``bincount`` calls, never a new pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np


@dataclass(frozen=True)
class Grouping:
    """One grouping: which attributes it splits by, and each stratum's group.

    ``keys[g]`` holds the attribute codes of group ``g``; ``index[s]`` is the
    group of stratum ``s``.
    """

    attributes: tuple[str, ...]
    positions: tuple[int, ...]
    index: np.ndarray
    keys: np.ndarray

    @property
    def size(self) -> int:
        """Number of groups."""
        return int(self.keys.shape[0])

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum a per-stratum array within each group."""
        return np.bincount(self.index, weights=values, minlength=self.size)

    def sum_rows(self, values: np.ndarray) -> np.ndarray:
        """Sum a (replicates, strata) array within each group: (replicates, groups)."""
        return sum_by(values, self.index, self.size)


def sum_by(
    values: np.ndarray, index: np.ndarray, size: int, columns: np.ndarray | None = None
) -> np.ndarray:
    """Sum the columns of a 2-D array by a column -> group index.

    Sorting the columns once by group and adding contiguous runs with
    ``np.add.reduceat`` costs O(rows x columns), with no groups x columns matrix.
    With ``columns``, ``index[i]`` is the group of column ``columns[i]`` (a column may
    then add to several groups). Rows go a block at a time, so the gathered copy stays
    small however many groups a column adds to.

    Examples
    --------
    >>> sum_by(np.array([[1.0, 2.0, 3.0]]), np.array([1, 0, 1]), 3).tolist()
    [[2.0, 4.0, 0.0]]
    """
    out = np.zeros((values.shape[0], size))
    if index.size == 0:
        return out
    # Stable: within a group, columns keep their order, as in np.bincount.
    order = np.argsort(index, kind="stable")
    sorted_index = index[order]
    starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
    taken, present = (order if columns is None else columns[order]), sorted_index[starts]
    step = max(1, _BLOCK // taken.size)
    for r in range(0, values.shape[0], step):
        out[r : r + step, present] = np.add.reduceat(
            values[r : r + step][:, taken], starts, axis=1
        )
    return out


#: Values gathered at once by ``sum_by`` (8 MB of float64).
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Stack:
    """Several groupings of the same strata side by side, their groups numbered one after
    another: one call sums every group of every grouping, so the metrics of a whole audit
    are a few array operations instead of a few per grouping.

    ``sum`` and ``sum_rows`` give the sums of each grouping alone, term for term;
    ``sum_rows_split`` gives them exactly for counts, and up to the last bits of floating
    point for weighted sums (it adds each layer's strata only, where a mask would add
    zeros too).

    Examples
    --------
    >>> codes = np.array([[0, 0], [0, 1], [1, 1]])
    >>> st = stack([make_grouping(codes, [2, 2], ["a", "b"], [p]) for p in (0, 1)])
    >>> st.sum(np.array([1.0, 2.0, 4.0])).tolist(), st.offsets.tolist()
    ([3.0, 4.0, 1.0, 6.0], [0, 2, 4])
    """

    groupings: tuple[Grouping, ...]
    offsets: np.ndarray
    #: Each (grouping, stratum) pair's group in the stack, and its stratum.
    index: np.ndarray
    strata: np.ndarray

    @property
    def size(self) -> int:
        """Number of groups, over all groupings."""
        return int(self.offsets[-1])

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum a per-stratum array within each group of each grouping."""
        return np.bincount(self.index, weights=values[self.strata], minlength=self.size)

    def sum_rows(self, values: np.ndarray) -> np.ndarray:
        """Sum a (replicates, strata) array: (replicates, groups of every grouping)."""
        return sum_by(values, self.index, self.size, columns=self.strata)

    def sum_rows_split(self, values: np.ndarray, layer: np.ndarray, layers: int) -> np.ndarray:
        """Sum a (replicates, strata) array into (replicates, layers, groups): each stratum
        adds to its own ``layer`` only (its quadrant of the confusion matrix, say), all
        layers in one pass over the columns.

        Examples
        --------
        >>> codes = np.array([[0], [0], [1]])
        >>> st = stack([make_grouping(codes, [2], ["a"], [0])])
        >>> st.sum_rows_split(np.array([[1.0, 2.0, 4.0]]), np.array([0, 1, 0]), 2).tolist()
        [[[1.0, 4.0], [2.0, 0.0]]]
        """
        key = layer[self.strata] * self.size + self.index
        out = sum_by(values, key, layers * self.size, columns=self.strata)
        return out.reshape(values.shape[0], layers, self.size)

    def part(self, k: int) -> slice:
        """The columns of grouping ``k``."""
        return slice(int(self.offsets[k]), int(self.offsets[k + 1]))


def stack(groupings: Sequence[Grouping]) -> Stack:
    """Stack ``groupings`` (of the same strata) into one numbering of their groups."""
    sizes = [g.size for g in groupings]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    index = np.concatenate([g.index + o for g, o in zip(groupings, offsets, strict=False)])
    strata = np.concatenate([np.arange(g.index.size) for g in groupings])
    return Stack(tuple(groupings), offsets, index.astype(np.int64), strata.astype(np.int64))


def make_grouping(
    codes: np.ndarray, sizes: Sequence[int], attributes: Sequence[str], positions: Sequence[int]
) -> Grouping:
    """Group strata by the attributes at ``positions`` of the cell code matrix.

    Examples
    --------
    >>> codes = np.array([[0, 0], [0, 1], [1, 1], [0, 1]])
    >>> g = make_grouping(codes, [2, 2], ["a", "b"], [0])
    >>> g.index.tolist(), g.keys.tolist()
    ([0, 0, 1, 0], [[0], [1]])
    """
    positions = tuple(positions)
    if not positions:
        n = codes.shape[0]
        return Grouping((), (), np.zeros(n, dtype=np.int64), np.zeros((1, 0), dtype=np.int64))
    sub = codes[:, positions]
    dims = [sizes[p] for p in positions]
    flat = np.ravel_multi_index(tuple(sub.T), dims)
    uniq, index = np.unique(flat, return_inverse=True)
    keys = np.stack(np.unravel_index(uniq, dims), axis=1).astype(np.int64)
    return Grouping(
        tuple(attributes[p] for p in positions), positions, index.astype(np.int64), keys
    )


def lattice(
    codes: np.ndarray, sizes: Sequence[int], attributes: Sequence[str], max_order: int | None
) -> list[Grouping]:
    """Every grouping up to ``max_order`` attributes: singles first, then pairs, ...

    Examples
    --------
    >>> codes = np.array([[0, 0, 0], [1, 1, 1]])
    >>> [g.attributes for g in lattice(codes, [2, 2, 2], ["a", "b", "c"], 2)]
    [('a',), ('b',), ('c',), ('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    k = len(attributes)
    top = k if max_order is None else min(max_order, k)
    return [
        make_grouping(codes, sizes, attributes, combo)
        for order in range(1, top + 1)
        for combo in combinations(range(k), order)
    ]
