"""Mondrian local recoding (LeFevre, DeWitt and Ramakrishnan, 2006) on class counts.

The records are split recursively, each time on the quasi-identifier with the
widest normalised range, at the median, as long as both halves satisfy the
privacy models; every final part becomes one class whose values are generalised
to the range (numbers) or the lowest common ancestor in the hierarchy (categories).
Unlike full-domain generalisation, different parts may be generalised differently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from accord.privacy._classes import ClassTable
from accord.privacy._criteria import reference_distribution
from accord.privacy._hierarchy import Hierarchy, _fmt
from accord.privacy._search import Criteria


@dataclass(frozen=True)
class MondrianResult:
    """The parts Mondrian found: the part of every base class and every part's labels."""

    part: np.ndarray
    labels: dict[str, list[str]]
    sizes: np.ndarray
    loss: float
    discernibility: float


def mondrian(
    table: ClassTable,
    hierarchies: Mapping[str, Hierarchy],
    criteria: Criteria,
    numeric: frozenset[str] = frozenset(),
) -> MondrianResult:
    """Partition the classes of ``table`` into parts that satisfy ``criteria``.

    Parameters
    ----------
    table
        The class table (quasi-identifiers at their original values).
    hierarchies
        A hierarchy per categorical quasi-identifier (its leaf order orders the values,
        its tree names a part's values).
    criteria
        k and the class-level models (l-diversity, t-closeness) every part must satisfy.
    numeric
        Quasi-identifiers that are numbers: ordered by value and shown as ranges.

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"age": np.array([0, 1, 2, 3])}, {"age": (21, 24, 35, 38)},
    ...                   np.array([2, 1, 1, 2]))
    >>> mondrian(t, {}, Criteria(k=3), frozenset({"age"})).labels
    {'age': ['[35-38]', '[21-24]']}
    """
    qis = table.quasi_identifiers
    n_cls = table.n_classes
    rank: dict[str, np.ndarray] = {}
    leaf: dict[str, np.ndarray] = {}
    for q in qis:
        if q in numeric:
            rank[q] = table.codes[q]  # levels are sorted, so codes are ranks
        else:
            leaves = hierarchies[q].map_levels(table.levels[q])
            leaf[q] = leaves[table.codes[q]]
            rank[q] = leaf[q]
    domain = {q: max(int(rank[q].max()) - int(rank[q].min()), 1) for q in qis}
    checks = _Checks(table, criteria)
    part = np.full(n_cls, -1, dtype=np.int64)
    parts: list[np.ndarray] = []
    stack = [np.arange(n_cls)]
    if table.n_rows < criteria.k or not checks.ok(stack[0]):
        stack = []
        parts.append(np.arange(n_cls))
    while stack:
        members = stack.pop()
        split = _split(members, qis, rank, domain, table.sizes, checks)
        if split is None:
            parts.append(members)
        else:
            stack.extend(split)
    labels: dict[str, list[str]] = {q: [] for q in qis}
    sizes = np.zeros(len(parts), dtype=np.int64)
    loss_total = 0.0
    for p, members in enumerate(parts):
        part[members] = p
        size = int(table.sizes[members].sum())
        sizes[p] = size
        for q in qis:
            label, loss = _label(q, members, table, hierarchies.get(q), numeric, leaf, domain)
            labels[q].append(label)
            loss_total += loss * size
    loss = loss_total / (table.n_rows * len(qis)) if qis else 0.0
    return MondrianResult(
        part=part,
        labels=labels,
        sizes=sizes,
        loss=loss,
        discernibility=float((sizes.astype(np.float64) ** 2).sum()),
    )


class _Checks:
    """Whether a set of classes, merged, satisfies the class-level privacy models."""

    def __init__(self, table: ClassTable, criteria: Criteria) -> None:
        self.table = table
        self.criteria = criteria
        self.entries: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = {}
        self.reference: dict[str, np.ndarray] = {}
        names = {d.attribute for d in criteria.diversity} | {
            c.attribute for c in criteria.closeness
        }
        for a in names:
            h = table.sensitive[a]
            order = np.argsort(h.cls, kind="stable")
            starts = np.searchsorted(h.cls[order], np.arange(table.n_classes + 1))
            self.entries[a] = (order, starts, h.value[order], h.n_values)
            self.reference[a] = reference_distribution(h)

    def _hist(self, a: str, members: np.ndarray) -> np.ndarray:
        order, starts, values, m = self.entries[a]
        h = self.table.sensitive[a]
        idx = (
            np.concatenate([np.arange(starts[c], starts[c + 1]) for c in members])
            if len(members)
            else np.zeros(0, dtype=np.int64)
        )
        return np.bincount(values[idx], weights=h.count[order][idx], minlength=m)

    def ok(self, members: np.ndarray) -> bool:
        if self.table.sizes[members].sum() < self.criteria.k:
            return False
        for d in self.criteria.diversity:
            counts = self._hist(d.attribute, members)
            present = counts[counts > 0]
            if d.variant == "distinct" and len(present) < d.l:
                return False
            if d.variant == "entropy":
                p = present / present.sum()
                if -(p * np.log(p)).sum() < math.log(d.l) - 1e-12:
                    return False
            if d.variant == "recursive":
                r = np.sort(present)[::-1]
                if len(r) < d.l or not r[0] < d.c * r[int(d.l) - 1 :].sum():
                    return False
        for c in self.criteria.closeness:
            counts = self._hist(c.attribute, members)
            p = counts / counts.sum()
            q = self.reference[c.attribute]
            h = self.table.sensitive[c.attribute]
            if h.numeric and len(q) > 1:
                dist = np.abs(np.cumsum(p - q)).sum() / (len(q) - 1)
            else:
                dist = 0.5 * np.abs(p - q).sum()
            if dist > c.t + 1e-12:
                return False
        return True


def _split(
    members: np.ndarray,
    qis: tuple[str, ...],
    rank: Mapping[str, np.ndarray],
    domain: Mapping[str, int],
    sizes: np.ndarray,
    checks: _Checks,
) -> tuple[np.ndarray, np.ndarray] | None:
    spans = []
    for q in qis:
        r = rank[q][members]
        spans.append(((int(r.max()) - int(r.min())) / domain[q], q))
    for span, q in sorted(spans, key=lambda s: (-s[0], qis.index(s[1]))):
        if span <= 0:
            break
        r = rank[q][members]
        values = np.unique(r)
        weights = np.bincount(np.searchsorted(values, r), weights=sizes[members])
        cum = np.cumsum(weights)
        median = int(np.searchsorted(cum, cum[-1] / 2.0))
        # Try the median first, then the cut points nearest to it.
        for cut in sorted(range(len(values) - 1), key=lambda i: (abs(i - median), i)):
            left = members[r <= values[cut]]
            right = members[r > values[cut]]
            if checks.ok(left) and checks.ok(right):
                return left, right
            if abs(cut - median) > 2:
                break
    return None


def _label(
    q: str,
    members: np.ndarray,
    table: ClassTable,
    hierarchy: Hierarchy | None,
    numeric: frozenset[str],
    leaf: Mapping[str, np.ndarray],
    domain: Mapping[str, int],
) -> tuple[str, float]:
    codes = table.codes[q][members]
    if q in numeric:
        levels = table.levels[q]
        present = [levels[c] for c in np.unique(codes) if levels[c] is not None]
        if not present:
            return "*", 1.0
        lo, hi = min(present), max(present)
        span = float(max(v for v in levels if v is not None)) - float(
            min(v for v in levels if v is not None)
        )
        label = _fmt(float(lo)) if lo == hi else f"[{_fmt(float(lo))}-{_fmt(float(hi))}]"
        return label, (float(hi) - float(lo)) / span if span > 0 else 0.0
    assert hierarchy is not None
    leaves = np.unique(leaf[q][members])
    for level in range(hierarchy.height):
        level_codes = hierarchy.codes(level)[leaves]
        if (level_codes == level_codes[0]).all():
            return hierarchy.labels(level)[int(level_codes[0])], float(
                hierarchy.loss(level)[int(level_codes[0])]
            )
    return "*", 1.0
