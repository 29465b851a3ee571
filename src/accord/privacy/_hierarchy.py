"""Generalisation hierarchies: from each value, a label per level up to ``*``.

Built from ARX-style CSV rows, YAML trees, or automatically: intervals for
numbers, masks for codes such as ZIP, roll-ups for dates.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.core import UsageError

TOP = "*"
#: Leaves that stand for a missing value in a hierarchy file (UCI and ARX write "?").
NULL_TOKENS = ("", "NULL", "null", "?")


@dataclass(frozen=True)
class Hierarchy:
    """Labels of every leaf value at every level; level 0 is the value itself.

    Examples
    --------
    >>> h = Hierarchy.from_rows("sex", [["F", "*"], ["M", "*"]])
    >>> h.height, h.labels(1), h.loss(1).tolist()
    (2, ('*',), [1.0])
    """

    attribute: str
    leaves: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]  # table[level][leaf]
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.leaves:
            raise UsageError("a hierarchy needs at least one value", column=self.attribute)
        if len(set(self.leaves)) != len(self.leaves):
            dup = next(v for v in self.leaves if self.leaves.count(v) > 1)
            raise UsageError(
                "a value appears twice in the hierarchy", column=self.attribute, value=dup
            )
        for level in range(1, len(self.table)):
            parent: dict[str, str] = {}
            for lower, upper in zip(self.table[level - 1], self.table[level], strict=True):
                if parent.setdefault(lower, upper) != upper:
                    raise UsageError(
                        f"the hierarchy is not a tree: {lower!r} at level {level - 1} has two "
                        f"parents ({parent[lower]!r}, {upper!r})",
                        column=self.attribute,
                        fix="give every label one parent on the next level",
                    )
        self._index.update({v: i for i, v in enumerate(self.leaves)})

    @classmethod
    def from_rows(cls, attribute: str, rows: Sequence[Sequence[Any]]) -> Hierarchy:
        """A hierarchy from rows ``value;level1;level2;...`` (ARX's CSV layout).

        A top level ``*`` is added when the last column is not already all ``*``.
        """
        rows = [[str(v).strip() for v in r] for r in rows if len(r) and any(str(v) for v in r)]
        if not rows:
            raise UsageError("the hierarchy is empty", column=attribute)
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            raise UsageError(
                "every row of a hierarchy needs the same number of levels",
                column=attribute,
                fix="pad short rows, e.g. with '*'",
            )
        table = [tuple(r[i] for r in rows) for i in range(width)]
        if set(table[-1]) != {TOP}:
            table.append(tuple(TOP for _ in rows))
        return cls(attribute=attribute, leaves=table[0], table=tuple(table))

    @property
    def height(self) -> int:
        """Number of levels, the value itself included."""
        return len(self.table)

    def labels(self, level: int) -> tuple[str, ...]:
        """The distinct labels of a level, in the order of their first leaf."""
        return tuple(dict.fromkeys(self.table[level]))

    def codes(self, level: int) -> np.ndarray:
        """Code of every leaf's label at ``level`` (into ``labels(level)``)."""
        index = {v: i for i, v in enumerate(self.labels(level))}
        return np.array([index[v] for v in self.table[level]], dtype=np.int64)

    def loss(self, level: int) -> np.ndarray:
        """Iyengar's loss of every label at ``level``: (leaves under it - 1) / (leaves - 1)."""
        counts = np.bincount(self.codes(level)).astype(np.float64)
        total = len(self.leaves)
        return (counts - 1.0) / (total - 1.0) if total > 1 else np.zeros(len(counts))

    def leaf_of(self, value: Any) -> int | None:
        """Index of the leaf a data value falls on (None when the hierarchy misses it)."""
        if value is None:
            for token in NULL_TOKENS:
                if token in self._index:
                    return self._index[token]
            return None
        key = _as_key(value)
        return self._index.get(key)

    def map_levels(self, values: Sequence[Any]) -> np.ndarray:
        """Leaf index of every value in ``values``; raises when some are missing."""
        out = np.empty(len(values), dtype=np.int64)
        missing = []
        for i, v in enumerate(values):
            leaf = self.leaf_of(v)
            if leaf is None:
                missing.append(v)
            else:
                out[i] = leaf
        if missing:
            raise UsageError(
                f"the hierarchy misses {len(missing)} value(s) the data has",
                column=self.attribute,
                value=missing[:5],
                fix="add them to the hierarchy, or let accord build it (hierarchy: auto)",
            )
        return out


def _as_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def interval_hierarchy(
    attribute: str, values: Sequence[float], widths: Sequence[float] | None = None
) -> Hierarchy:
    """Intervals of growing width, aligned at multiples of the width: ``[20-24]``,
    ``[20-29]``, ..., then ``*`` (integers: inclusive bounds; other numbers: ``[a, b)``).

    Examples
    --------
    >>> h = interval_hierarchy("age", [17, 23, 38], widths=[10, 20])
    >>> [h.table[i][1] for i in range(h.height)]
    ['23', '[20-29]', '[20-39]', '*']
    """
    clean = sorted({float(v) for v in values if v is not None and not math.isnan(float(v))})
    if not clean:
        raise UsageError("cannot build intervals: the column has no numbers", column=attribute)
    if widths is None:
        widths = _auto_widths(clean[0], clean[-1])
    if list(widths) != sorted(set(widths)) or widths[0] <= 0:
        raise UsageError(
            "interval widths must be positive and increasing", column=attribute, value=list(widths)
        )
    for a, b in zip(widths, widths[1:], strict=False):
        if abs(b / a - round(b / a)) > 1e-9:
            raise UsageError(
                "each interval width must be a multiple of the one before, so that intervals nest",
                column=attribute,
                value=list(widths),
                fix="e.g. widths: [5, 10, 20]",
            )
    integral = all(v.is_integer() for v in clean) and all(float(w).is_integer() for w in widths)
    rows = []
    for v in clean:
        row = [_fmt(v)]
        for w in widths:
            lo = math.floor(v / w) * w
            row.append(
                f"[{_fmt(lo)}-{_fmt(lo + w - 1)}]" if integral else f"[{_fmt(lo)}, {_fmt(lo + w)})"
            )
        rows.append(row)
    return Hierarchy.from_rows(attribute, rows)


def _auto_widths(lo: float, hi: float) -> list[float]:
    """Doubling widths from a round number near a sixteenth of the range: every interval
    nests in one of the next level.
    """
    span = max(hi - lo, 1.0)
    raw = span / 16.0
    exp = 10.0 ** math.floor(math.log10(raw))
    base = next(m * exp for m in (1.0, 2.0, 5.0, 10.0) if m * exp >= raw)
    widths: list[float] = []
    w = base
    while w < span and len(widths) < 4:
        widths.append(w)
        w *= 2
    return widths or [span]


def mask_hierarchy(attribute: str, values: Sequence[Any], step: int = 1) -> Hierarchy:
    """Mask codes from the right, ``step`` characters per level: ``12345`` -> ``1234*`` ->
    ``123**`` -> ... -> ``*``.

    Examples
    --------
    >>> mask_hierarchy("zip", ["12345"], step=2).table[1]
    ('123**',)
    """
    strings = sorted({_as_key(v) for v in values if v is not None})
    if not strings:
        raise UsageError("cannot build a mask hierarchy: the column is empty", column=attribute)
    width = max(len(s) for s in strings)
    rows = []
    for s in strings:
        padded = s.rjust(width)
        row = [s]
        for masked in range(step, width, step):
            row.append((padded[: width - masked] + "*" * masked).strip())
        rows.append(row)
    levels = max(len(r) for r in rows)
    rows = [r + [TOP] * (levels - len(r)) for r in rows]
    return Hierarchy.from_rows(attribute, rows)


def date_hierarchy(attribute: str, values: Sequence[Any]) -> Hierarchy:
    """Dates rolled up to month, year and decade.

    Examples
    --------
    >>> date_hierarchy("dob", [dt.date(1990, 5, 17)]).table[1:4]
    (('1990-05',), ('1990',), ('1990s',))
    """
    rows = []
    for v in sorted({v for v in values if v is not None}):
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
        rows.append(
            [
                _as_key(v),
                f"{day.year:04d}-{day.month:02d}",
                f"{day.year:04d}",
                f"{day.year // 10 * 10}s",
            ]
        )
    if not rows:
        raise UsageError("cannot build a date hierarchy: the column is empty", column=attribute)
    return Hierarchy.from_rows(attribute, rows)


def flat_hierarchy(attribute: str, values: Sequence[Any]) -> Hierarchy:
    """Every value straight to ``*`` (the hierarchy of a category without a tree)."""
    keys = [_as_key(v) if v is not None else "" for v in values]
    return Hierarchy.from_rows(attribute, [[k] for k in dict.fromkeys(keys)])


def tree_hierarchy(
    attribute: str, values: Sequence[Any], levels: Sequence[Mapping[str, Sequence[Any]]]
) -> Hierarchy:
    """A user tree: ``levels[0]`` groups the values, ``levels[1]`` groups those groups, ...

    Examples
    --------
    >>> h = tree_hierarchy("m", ["a", "b", "c"], [{"ab": ["a", "b"], "c": ["c"]}])
    >>> h.table[1]
    ('ab', 'ab', 'c')
    """
    keys = [_as_key(v) if v is not None else "" for v in values]
    rows = [[k] for k in dict.fromkeys(keys)]
    for depth, groups in enumerate(levels, start=1):
        parent: dict[str, str] = {}
        for label, children in groups.items():
            for child in children:
                parent[_as_key(child) if child is not None else ""] = str(label)
        for row in rows:
            below = row[-1]
            if below not in parent:
                raise UsageError(
                    f"level {depth} of the tree does not place {below!r}",
                    column=attribute,
                    fix="list it under one of the level's groups",
                )
            row.append(parent[below])
    return Hierarchy.from_rows(attribute, rows)
