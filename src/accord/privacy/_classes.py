"""Equivalence classes: sizes and sensitive histograms, built from cell counts (pure numpy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.privacy._groups import group_codes, sum_by


@dataclass(frozen=True)
class SensitiveHistogram:
    """The sensitive attribute's value counts in every equivalence class, stored sparsely.

    Entry ``j`` says that class ``cls[j]`` holds ``count[j]`` records whose value is
    ``levels[value[j]]``; values absent from a class have no entry.
    """

    attribute: str
    levels: tuple[Any, ...]
    numeric: bool
    cls: np.ndarray
    value: np.ndarray
    count: np.ndarray

    @property
    def n_values(self) -> int:
        """Number of distinct values of the attribute in the data."""
        return len(self.levels)

    def overall(self) -> np.ndarray:
        """Record count of every value over the whole table."""
        return sum_by(self.value, self.count, self.n_values)


@dataclass(frozen=True)
class ClassTable:
    """One row per equivalence class (distinct combination of quasi-identifier values).

    Examples
    --------
    >>> t = build_classes({"zip": np.array([0, 0, 1])}, {"zip": ("1", "2")}, np.array([2, 1, 1]),
    ...                   {"dx": np.array([0, 1, 0])}, {"dx": ("a", "b")})
    >>> t.sizes.tolist(), t.n_rows
    ([3, 1], 4)
    """

    quasi_identifiers: tuple[str, ...]
    levels: Mapping[str, tuple[Any, ...]]
    codes: Mapping[str, np.ndarray]
    sizes: np.ndarray
    sensitive: Mapping[str, SensitiveHistogram]

    @property
    def n_rows(self) -> int:
        """Records in the table."""
        return int(self.sizes.sum())

    @property
    def n_classes(self) -> int:
        """Number of equivalence classes."""
        return int(self.sizes.shape[0])

    def key(self, index: int) -> dict[str, Any]:
        """The quasi-identifier values of class ``index``."""
        return {q: self.levels[q][int(self.codes[q][index])] for q in self.quasi_identifiers}


def build_classes(
    qi_codes: Mapping[str, np.ndarray],
    qi_levels: Mapping[str, Sequence[Any]],
    counts: np.ndarray,
    sensitive_codes: Mapping[str, np.ndarray] | None = None,
    sensitive_levels: Mapping[str, Sequence[Any]] | None = None,
    numeric: Sequence[str] = (),
) -> ClassTable:
    """Build the class table from cells (one per distinct QI x sensitive combination).

    Parameters
    ----------
    qi_codes
        Per quasi-identifier, the code of every cell into ``qi_levels``.
    qi_levels
        Per quasi-identifier, its distinct values in order.
    counts
        Records per cell.
    sensitive_codes, sensitive_levels
        The same for the sensitive attributes (cells may repeat a QI combination
        with different sensitive values).
    numeric
        Sensitive attributes whose values are ordered numbers (ordered-distance t-closeness).

    Examples
    --------
    >>> t = build_classes({"zip": np.array([0, 0, 1])}, {"zip": ("1000", "2000")},
    ...                   np.array([2, 1, 1]), {"dx": np.array([0, 1, 0])}, {"dx": ("flu", "cold")})
    >>> t.sizes.tolist(), t.key(0), t.sensitive["dx"].count.tolist()
    ([3, 1], {'zip': '1000'}, [2, 1, 1])
    """
    qis = tuple(qi_codes)
    counts = np.asarray(counts, dtype=np.int64)
    if qis:
        radices = [len(qi_levels[q]) for q in qis]
        inverse, uniq = group_codes([qi_codes[q] for q in qis], radices)
        n_classes = len(uniq[0])
    else:
        inverse = np.zeros(len(counts), dtype=np.int64)
        uniq = []
        n_classes = 1
    sizes = sum_by(inverse, counts, n_classes)
    hists: dict[str, SensitiveHistogram] = {}
    for attr, codes in (sensitive_codes or {}).items():
        levels = tuple((sensitive_levels or {})[attr])
        hists[attr] = _histogram(attr, levels, attr in numeric, inverse, codes, counts)
    return ClassTable(
        quasi_identifiers=qis,
        levels={q: tuple(qi_levels[q]) for q in qis},
        codes=dict(zip(qis, uniq, strict=True)),
        sizes=sizes,
        sensitive=hists,
    )


def _histogram(
    attr: str,
    levels: tuple[Any, ...],
    numeric: bool,
    cls: np.ndarray,
    value: np.ndarray,
    counts: np.ndarray,
) -> SensitiveHistogram:
    m = max(len(levels), 1)
    n_cls = int(cls.max()) + 1 if len(cls) else 0
    inverse, (ucls, uval) = group_codes([cls, value.astype(np.int64)], [n_cls, m])
    summed = sum_by(inverse, counts, len(ucls))
    return SensitiveHistogram(
        attribute=attr, levels=levels, numeric=numeric, cls=ucls, value=uval, count=summed
    )


def roll_up(
    table: ClassTable, maps: Mapping[str, np.ndarray], levels: Mapping[str, Sequence[Any]]
) -> ClassTable:
    """Generalise: map each QI's codes through ``maps`` and merge the classes that coincide.

    A QI missing from ``maps`` is kept as it is; a QI mapped to a single level is
    in effect removed. Because class sizes and histograms add, the result is the
    class table of the generalised data, computed without the rows.

    Examples
    --------
    >>> t = build_classes({"age": np.array([0, 1, 2])}, {"age": (30, 31, 45)}, np.array([1, 2, 4]))
    >>> g = roll_up(t, {"age": np.array([0, 0, 1])}, {"age": ("30-39", "40-49")})
    >>> g.sizes.tolist(), g.key(0)
    ([3, 4], {'age': '30-39'})
    """
    qis = table.quasi_identifiers
    new_codes = {q: (maps[q][table.codes[q]] if q in maps else table.codes[q]) for q in qis}
    new_levels = {q: tuple(levels[q]) if q in maps else table.levels[q] for q in qis}
    return _merge(table, qis, new_codes, new_levels)


def project(table: ClassTable, keep: Sequence[str]) -> ClassTable:
    """The class table over a subset of the quasi-identifiers (the others rolled up to one
    value), with the QIs in ``keep`` order.

    Examples
    --------
    >>> t = build_classes({"a": np.array([0, 1]), "b": np.array([0, 0])},
    ...                   {"a": (1, 2), "b": ("x",)}, np.array([3, 4]))
    >>> project(t, ["b"]).sizes.tolist()
    [7]
    """
    keep = tuple(keep)
    return _merge(
        table, keep, {q: table.codes[q] for q in keep}, {q: table.levels[q] for q in keep}
    )


def projected_sizes(table: ClassTable, keep: Sequence[str]) -> np.ndarray:
    """``project(table, keep).sizes`` without the sensitive histograms, which a ranking of
    the quasi-identifiers does not read and which cost most of a projection.

    Examples
    --------
    >>> t = build_classes({"a": np.array([0, 1]), "b": np.array([0, 0])},
    ...                   {"a": (1, 2), "b": ("x",)}, np.array([3, 4]))
    >>> projected_sizes(t, ["a"]).tolist(), projected_sizes(t, []).tolist()
    ([3, 4], [7])
    """
    if not keep:
        return np.array([table.sizes.sum()], dtype=np.int64)
    inverse, uniq = group_codes(
        [table.codes[q] for q in keep], [len(table.levels[q]) for q in keep]
    )
    return sum_by(inverse, table.sizes, len(uniq[0]))


def _merge(
    table: ClassTable,
    qis: tuple[str, ...],
    codes: Mapping[str, np.ndarray],
    levels: Mapping[str, tuple[Any, ...]],
) -> ClassTable:
    """Merge the classes of ``table`` that share ``codes`` (one array per class and QI)."""
    if qis:
        inverse, uniq = group_codes([codes[q] for q in qis], [len(levels[q]) for q in qis])
        n_classes = len(uniq[0])
    else:
        inverse, uniq, n_classes = np.zeros(table.n_classes, dtype=np.int64), [], 1
    sizes = sum_by(inverse, table.sizes, n_classes)
    hists = {
        a: _histogram(a, h.levels, h.numeric, inverse[h.cls], h.value, h.count)
        for a, h in table.sensitive.items()
    }
    return ClassTable(
        quasi_identifiers=qis,
        levels=dict(levels),
        codes=dict(zip(qis, uniq, strict=True)),
        sizes=sizes,
        sensitive=hists,
    )
