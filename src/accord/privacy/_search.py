"""A globally optimal full-domain generalisation search over the lattice, on class counts.

Every node of the lattice (one generalisation level per quasi-identifier) is a
roll-up of the same class table; suppressing the records of the classes that
fail the privacy models completes it. The search is a best-first branch and
bound in the spirit of ARX's Flash: nodes are visited in order of a lower bound
of their utility loss that is monotone in the lattice (the loss the node would
have without suppression), the search stops when that bound exceeds the best
loss found, and monotone privacy models prune whole sub-lattices (a node that
needs no suppression makes every generalisation of it worse, so none is
evaluated).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from accord.core import Progress, SilentProgress, UsageError
from accord.privacy._classes import ClassTable, SensitiveHistogram
from accord.privacy._criteria import reference_distribution
from accord.privacy._groups import group_codes, sum_by
from accord.privacy._hierarchy import Hierarchy

Utility = Literal["loss", "discernibility", "entropy"]
LVariant = Literal["distinct", "entropy", "recursive"]
_EPS = 1e-12


@dataclass(frozen=True)
class Diversity:
    """l-diversity of one sensitive attribute (``c`` for the recursive form)."""

    attribute: str
    l: float  # noqa: E741  (the l of l-diversity)
    variant: LVariant = "distinct"
    c: float = 1.0


@dataclass(frozen=True)
class Closeness:
    """t-closeness of one sensitive attribute (ordered distance for numbers)."""

    attribute: str
    t: float


@dataclass(frozen=True)
class Criteria:
    """The privacy models a transformation must satisfy."""

    k: int = 1
    diversity: tuple[Diversity, ...] = ()
    closeness: tuple[Closeness, ...] = ()
    average_risk: float | None = None
    sample_uniqueness: float | None = None

    @property
    def monotone(self) -> bool:
        """Whether every model is monotone under generalisation with suppression.

        k-anonymity and l/t over classes are: merging classes never makes a
        passing class fail. The table-level risk thresholds are not.
        """
        return self.average_risk is None and self.sample_uniqueness is None


@dataclass(frozen=True)
class Node:
    """One lattice node evaluated: its levels, suppression and utility."""

    levels: tuple[int, ...]
    anonymous: bool
    classes: int
    suppressed: int
    loss: float
    discernibility: float
    entropy: float
    bound: float
    dm_bound: float

    def utility(self, model: Utility) -> float:
        """The node's value of a utility model (lower is better)."""
        return {"loss": self.loss, "discernibility": self.discernibility, "entropy": self.entropy}[
            model
        ]


@dataclass(frozen=True)
class SearchResult:
    """The optimal node and how the search got there."""

    best: Node | None
    quasi_identifiers: tuple[str, ...]
    utility: Utility
    evaluated: int
    lattice_size: int
    seconds: float
    nodes: tuple[Node, ...] = field(default=(), repr=False)

    def levels(self) -> dict[str, int]:
        """The chosen level of every quasi-identifier."""
        if self.best is None:
            return {}
        return dict(zip(self.quasi_identifiers, self.best.levels, strict=True))


class Lattice:
    """The generalisation lattice of a class table and its hierarchies, ready to evaluate."""

    def __init__(
        self,
        table: ClassTable,
        hierarchies: Mapping[str, Hierarchy],
        criteria: Criteria,
        suppression_limit: float,
    ) -> None:
        if not 0.0 <= suppression_limit <= 1.0:
            raise UsageError(
                "the suppression limit is a share of the records, in [0, 1]",
                value=suppression_limit,
            )
        if criteria.k < 1:
            raise UsageError("k must be at least 1", value=criteria.k)
        self.table = table
        self.qis = table.quasi_identifiers
        missing = [q for q in self.qis if q not in hierarchies]
        if missing:
            raise UsageError("a quasi-identifier has no hierarchy", column=missing[0])
        self.hierarchies = {q: hierarchies[q] for q in self.qis}
        self.criteria = criteria
        self.n = table.n_rows
        self.max_suppressed = math.floor(suppression_limit * self.n + 1e-9)
        self.sizes = table.sizes
        self.heights = tuple(self.hierarchies[q].height for q in self.qis)
        self._leaf: dict[str, np.ndarray] = {}
        self._codes: dict[str, list[np.ndarray]] = {}
        self._radix: dict[str, list[int]] = {}
        self._loss: dict[str, list[np.ndarray]] = {}
        self._lm: dict[str, np.ndarray] = {}
        self._freq: dict[str, np.ndarray] = {}
        self._gfreq: dict[str, list[np.ndarray]] = {}
        self._nue: dict[str, np.ndarray] = {}
        for q in self.qis:
            self._prepare(q)
        self._nue_max = sum(
            float(_nue_terms(self._freq[q], np.full_like(self._freq[q], self.n)).sum())
            for q in self.qis
        )
        for d in criteria.diversity:
            self._check_sensitive(d.attribute)
        for c in criteria.closeness:
            self._check_sensitive(c.attribute)
        # t-closeness compares with the input's distribution, suppressed records included (as ARX).
        self._reference = {
            c.attribute: reference_distribution(table.sensitive[c.attribute])
            for c in criteria.closeness
        }

    def _check_sensitive(self, attr: str) -> None:
        if attr not in self.table.sensitive:
            raise UsageError(
                "a privacy model names an attribute that is not sensitive",
                column=attr,
                fix="list it under sensitive",
            )

    def _prepare(self, q: str) -> None:
        h = self.hierarchies[q]
        leaf_of_level = h.map_levels(self.table.levels[q])
        leaf = leaf_of_level[self.table.codes[q]]
        self._leaf[q] = leaf
        self._codes[q] = [h.codes(lv)[leaf] for lv in range(h.height)]
        self._radix[q] = [len(h.labels(lv)) for lv in range(h.height)]
        self._loss[q] = [h.loss(lv) for lv in range(h.height)]
        freq = np.bincount(leaf, weights=self.sizes, minlength=len(h.leaves))
        self._freq[q] = freq
        self._lm[q] = np.array(
            [
                float((freq * self._loss[q][lv][h.codes(lv)]).sum()) / self.n
                for lv in range(h.height)
            ]
        )
        gfreq = []
        nue = []
        for lv in range(h.height):
            codes = h.codes(lv)
            per_label = np.bincount(codes, weights=freq, minlength=self._radix[q][lv])
            gfreq.append(per_label[codes])
            nue.append(float(_nue_terms(freq, per_label[codes]).sum()))
        self._gfreq[q] = gfreq
        self._nue[q] = np.array(nue)

    # -- the lattice -----------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of nodes."""
        return math.prod(self.heights)

    def nodes(self) -> list[tuple[int, ...]]:
        """Every node, bottom first."""
        return sorted(itertools.product(*[range(h) for h in self.heights]), key=sum)

    def bound(self, levels: Sequence[int], utility: Utility) -> float:
        """A lower bound of the node's utility loss, monotone in the lattice: its loss without
        suppression (suppression only adds loss). None-cheap for discernibility: ``n``.
        """
        if utility == "loss":
            return sum(
                float(self._lm[q][lv]) for q, lv in zip(self.qis, levels, strict=True)
            ) / len(self.qis)
        if utility == "entropy":
            total = sum(float(self._nue[q][lv]) for q, lv in zip(self.qis, levels, strict=True))
            return total / self._nue_max if self._nue_max > 0 else 0.0
        return float(self.n)

    # -- evaluating a node -----------------------------------------------------------------

    def _entropy(self, levels: Sequence[int], base_keep: np.ndarray) -> float:
        """Non-uniform entropy, normalised by that of suppressing every record."""
        nue = 0.0
        for q, lv in zip(self.qis, levels, strict=True):
            freq = self._freq[q]
            kept_freq = np.bincount(
                self._leaf[q][base_keep], weights=self.sizes[base_keep], minlength=len(freq)
            )
            nue += float(_nue_terms(freq, self._gfreq[q][lv], kept_freq).sum())
            nue += float(_nue_terms(freq, np.full_like(freq, self.n), freq - kept_freq).sum())
        return nue / self._nue_max if self._nue_max > 0 else 0.0

    def classes(self, levels: Sequence[int]) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
        """The node's classes: class of every base class, codes of every class, sizes."""
        codes = [self._codes[q][lv] for q, lv in zip(self.qis, levels, strict=True)]
        radices = [self._radix[q][lv] for q, lv in zip(self.qis, levels, strict=True)]
        inverse, uniq = group_codes(codes, radices)
        sizes = sum_by(inverse, self.sizes, len(uniq[0]))
        return inverse, uniq, sizes

    def failing(self, inverse: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Classes that fail a class-level privacy model (and so are suppressed)."""
        fail = sizes < self.criteria.k
        n_cls = len(sizes)
        for d in self.criteria.diversity:
            fail |= ~_diverse(self.table.sensitive[d.attribute], inverse, sizes, n_cls, d)
        for c in self.criteria.closeness:
            h = self.table.sensitive[c.attribute]
            fail |= _distance(h, inverse, sizes, n_cls, self._reference[c.attribute]) > c.t + 1e-12
        return fail

    def evaluate(self, levels: Sequence[int], utility: Utility | None = None) -> Node:
        """Classes, suppression and utility of one node (every utility model when ``utility``
        is None; the others are NaN otherwise).
        """
        levels = tuple(int(v) for v in levels)
        inverse, uniq, sizes = self.classes(levels)
        fail = self.failing(inverse, sizes)
        suppressed = int(sizes[fail].sum())
        keep = ~fail
        kept_sizes = sizes[keep]
        anonymous = suppressed <= self.max_suppressed and len(kept_sizes) > 0
        if anonymous and self.criteria.average_risk is not None:
            anonymous = len(kept_sizes) / kept_sizes.sum() <= self.criteria.average_risk + _EPS
        if anonymous and self.criteria.sample_uniqueness is not None:
            anonymous = (
                float((kept_sizes == 1).sum()) / kept_sizes.sum()
                <= self.criteria.sample_uniqueness + _EPS
            )
        a = len(self.qis)
        loss = disc = entropy = math.nan
        if utility in (None, "loss"):
            kept_loss = 0.0
            for q, lv, u in zip(self.qis, levels, uniq, strict=True):
                kept_loss += float((kept_sizes * self._loss[q][lv][u[keep]]).sum())
            loss = (kept_loss + suppressed * a) / (self.n * a)
        if utility in (None, "discernibility"):
            disc = float((kept_sizes.astype(np.float64) ** 2).sum()) + float(suppressed) * self.n
        if utility in (None, "entropy"):
            entropy = self._entropy(levels, keep[inverse])
        return Node(
            levels=levels,
            anonymous=anonymous,
            classes=int(keep.sum()),
            suppressed=suppressed,
            loss=loss,
            discernibility=disc,
            entropy=entropy,
            bound=self.bound(levels, "loss"),
            dm_bound=float((sizes.astype(np.float64) ** 2).sum()),
        )


def _nue_terms(
    freq: np.ndarray, gen_freq: np.ndarray, weight: np.ndarray | None = None
) -> np.ndarray:
    """``w(v) * log2(F(g(v)) / f(v))`` per leaf value (0 where the value is absent)."""
    w = freq if weight is None else weight
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = w * np.log2(np.where(freq > 0, gen_freq / np.where(freq > 0, freq, 1), 1.0))
    return np.asarray(np.where(freq > 0, terms, 0.0))


def _regroup(
    hist: SensitiveHistogram, inverse: np.ndarray, n_cls: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gcls = inverse[hist.cls]
    inv, (ucls, uval) = group_codes([gcls, hist.value], [n_cls, max(hist.n_values, 1)])
    return ucls, uval, sum_by(inv, hist.count, len(ucls))


def _diverse(
    hist: SensitiveHistogram, inverse: np.ndarray, sizes: np.ndarray, n_cls: int, d: Diversity
) -> np.ndarray:
    cls, _, cnt = _regroup(hist, inverse, n_cls)
    if d.variant == "distinct":
        return np.bincount(cls, minlength=n_cls) >= d.l
    if d.variant == "entropy":
        p = cnt / sizes[cls]
        h = -np.bincount(cls, weights=p * np.log(p), minlength=n_cls)
        return np.asarray(h >= math.log(d.l) - 1e-12)
    order = np.lexsort((-cnt, cls))
    cls, cnt = cls[order], cnt[order].astype(np.float64)
    starts = np.searchsorted(cls, np.arange(n_cls))
    rank = np.arange(len(cls)) - starts[cls]
    top = np.zeros(n_cls)
    top[cls[rank == 0]] = cnt[rank == 0]
    tail = sum_by(cls[rank >= d.l - 1], cnt[rank >= d.l - 1], n_cls)
    return np.asarray((tail > 0) & (top < d.c * tail))


def _distance(
    hist: SensitiveHistogram,
    inverse: np.ndarray,
    sizes: np.ndarray,
    n_cls: int,
    reference: np.ndarray,
) -> np.ndarray:
    from accord.privacy._criteria import t_equal, t_ordered

    cls, val, cnt = _regroup(hist, inverse, n_cls)
    merged = SensitiveHistogram(
        attribute=hist.attribute,
        levels=hist.levels,
        numeric=hist.numeric,
        cls=cls,
        value=val,
        count=cnt,
    )
    ordered = hist.numeric and None not in hist.levels
    return t_ordered(merged, sizes, reference) if ordered else t_equal(merged, sizes, reference)


def _better(a: Node, b: Node | None, utility: Utility) -> bool:
    if b is None:
        return True
    ua, ub = a.utility(utility), b.utility(utility)
    tol = _EPS * max(1.0, abs(ua), abs(ub))
    if abs(ua - ub) > tol:
        return ua < ub
    return (sum(a.levels), a.levels) < (sum(b.levels), b.levels)


def optimal_search(
    lattice: Lattice, utility: Utility = "loss", *, progress: Progress | None = None
) -> SearchResult:
    """The anonymous node of least utility loss (ties: least generalised, then by levels).

    Parameters
    ----------
    lattice
        The lattice of the class table, hierarchies, privacy models and suppression limit.
    utility
        ``loss`` (Iyengar's loss metric, as ARX's Loss), ``discernibility`` or
        ``entropy`` (non-uniform entropy, normalised).
    progress
        Where to report progress.

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"age": np.array([0, 1, 2, 3])}, {"age": (21, 24, 35, 38)},
    ...                   np.array([2, 1, 1, 2]))
    >>> h = {"age": Hierarchy.from_rows("age", [["21", "[20-29]"], ["24", "[20-29]"],
    ...                                         ["35", "[30-39]"], ["38", "[30-39]"]])}
    >>> optimal_search(Lattice(t, h, Criteria(k=3), 0.0)).levels()
    {'age': 1}
    """
    progress = progress or SilentProgress()
    start = time.perf_counter()
    bound_of = {node: lattice.bound(node, utility) for node in lattice.nodes()}
    order = sorted(bound_of, key=lambda nd: (bound_of[nd], sum(nd), nd))
    heights = lattice.heights
    best: Node | None = None
    evaluated = 0
    pruned: set[tuple[int, ...]] = set()
    progress.stage("Searching the generalisation lattice", total=len(order))
    cheap = utility != "discernibility"
    for node in order:
        progress.advance()
        if (
            best is not None
            and cheap
            and bound_of[node]
            > best.utility(utility) + _EPS * max(1.0, abs(best.utility(utility)))
        ):
            break
        if node in pruned or any(
            _pred(node, i) in pruned for i in range(len(node)) if node[i] > 0
        ):
            pruned.add(node)
            continue
        result = lattice.evaluate(node, utility)
        evaluated += 1
        if result.anonymous and _better(result, best, utility):
            best = result
        needs_no_suppression = result.anonymous and result.suppressed == 0
        if cheap and lattice.criteria.monotone and needs_no_suppression:
            # Every generalisation of this node is anonymous without suppression too, so its
            # loss is its bound, which is at least this node's: prune them all.
            for i in range(len(node)):
                if node[i] + 1 < heights[i]:
                    pruned.add(_succ(node, i))
        if not cheap and best is not None and result.dm_bound > best.discernibility:
            pruned.update(_succ(node, i) for i in range(len(node)) if node[i] + 1 < heights[i])
    if best is not None:
        best = lattice.evaluate(best.levels)
    return SearchResult(
        best=best,
        quasi_identifiers=lattice.qis,
        utility=utility,
        evaluated=evaluated,
        lattice_size=lattice.size,
        seconds=time.perf_counter() - start,
    )


def exhaustive_search(lattice: Lattice, utility: Utility = "loss") -> SearchResult:
    """Evaluate every node and return the best anonymous one (the reference for tests)."""
    start = time.perf_counter()
    nodes = tuple(lattice.evaluate(nd) for nd in lattice.nodes())
    best: Node | None = None
    for nd in nodes:
        if nd.anonymous and _better(nd, best, utility):
            best = nd
    return SearchResult(
        best=best,
        quasi_identifiers=lattice.qis,
        utility=utility,
        evaluated=len(nodes),
        lattice_size=lattice.size,
        seconds=time.perf_counter() - start,
        nodes=nodes,
    )


def _pred(node: tuple[int, ...], i: int) -> tuple[int, ...]:
    return node[:i] + (node[i] - 1,) + node[i + 1 :]


def _succ(node: tuple[int, ...], i: int) -> tuple[int, ...]:
    return node[:i] + (node[i] + 1,) + node[i + 1 :]
