"""Privacy models measured per equivalence class: k, l (three forms) and t (pure numpy).

Every function returns one value per class, so that the same code checks a
table (take the worst class) and decides which classes a transformation must
suppress (the classes that fail).
"""

from __future__ import annotations

import numpy as np

from accord.privacy._classes import SensitiveHistogram
from accord.privacy._groups import sum_by

#: Classes processed at once by the ordered distance (bounds memory to about 64 MB).
_ORDERED_CHUNK_CELLS = 8_000_000


def distinct_l(hist: SensitiveHistogram, n_classes: int) -> np.ndarray:
    """Number of distinct sensitive values in every class.

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 0, 1])}, {"q": (0, 1)}, np.array([1, 1, 5]),
    ...                   {"s": np.array([0, 1, 0])}, {"s": ("a", "b")})
    >>> distinct_l(t.sensitive["s"], t.n_classes).tolist()
    [2, 1]
    """
    return np.bincount(hist.cls, minlength=n_classes).astype(np.int64)


def entropy(hist: SensitiveHistogram, sizes: np.ndarray) -> np.ndarray:
    """Shannon entropy (natural log) of the sensitive values in every class.

    Entropy l-diversity holds for ``l`` when ``exp(entropy) >= l`` in every class.

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 0, 1])}, {"q": (0, 1)}, np.array([1, 1, 5]),
    ...                   {"s": np.array([0, 1, 0])}, {"s": ("a", "b")})
    >>> np.exp(entropy(t.sensitive["s"], t.sizes)).round(6).tolist()
    [2.0, 1.0]
    """
    p = hist.count / sizes[hist.cls]
    return np.asarray(-np.bincount(hist.cls, weights=p * np.log(p), minlength=len(sizes)))


def recursive_ratio(hist: SensitiveHistogram, n_classes: int, l: int) -> np.ndarray:  # noqa: E741
    """``r1 / (r_l + ... + r_m)`` in every class, counts sorted in decreasing order.

    Recursive (c, l)-diversity holds when ``r1 < c * (r_l + ... + r_m)``, that is
    when this ratio is below ``c`` in every class; a class with fewer than ``l``
    distinct values has an infinite ratio (no ``c`` satisfies it).

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 0, 1])}, {"q": (0, 1)}, np.array([3, 1, 5]),
    ...                   {"s": np.array([0, 1, 0])}, {"s": ("a", "b")})
    >>> recursive_ratio(t.sensitive["s"], t.n_classes, l=2).tolist()
    [3.0, inf]
    """
    order = np.lexsort((-hist.count, hist.cls))
    cls = hist.cls[order]
    cnt = hist.count[order].astype(np.float64)
    starts = np.searchsorted(cls, np.arange(n_classes))
    rank = np.arange(len(cls)) - starts[cls]
    top = np.zeros(n_classes)
    top[cls[rank == 0]] = cnt[rank == 0]
    tail = sum_by(cls[rank >= l - 1], cnt[rank >= l - 1], n_classes)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(tail > 0, top / np.where(tail > 0, tail, 1.0), np.inf)
    return np.asarray(ratio)


def reference_distribution(hist: SensitiveHistogram) -> np.ndarray:
    """Share of every sensitive value in the whole table (the reference for t-closeness).

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 0, 1])}, {"q": (0, 1)}, np.array([1, 1, 6]),
    ...                   {"s": np.array([0, 1, 0])}, {"s": ("a", "b")})
    >>> reference_distribution(t.sensitive["s"]).tolist()
    [0.875, 0.125]
    """
    overall = hist.overall().astype(np.float64)
    return np.asarray(overall / overall.sum())


def t_equal(
    hist: SensitiveHistogram, sizes: np.ndarray, reference: np.ndarray | None = None
) -> np.ndarray:
    """Earth mover's distance with equal ground distance, per class.

    ``0.5 * sum_v |p_v - q_v|`` between the class's distribution ``p`` and the
    reference ``q`` (default: the whole table's distribution).

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 0, 1])}, {"q": (0, 1)}, np.array([1, 1, 6]),
    ...                   {"s": np.array([0, 1, 0])}, {"s": ("a", "b")})
    >>> t_equal(t.sensitive["s"], t.sizes).tolist()  # against (0.875, 0.125)
    [0.375, 0.125]
    """
    q = reference_distribution(hist) if reference is None else reference
    p = hist.count / sizes[hist.cls]
    qv = q[hist.value]
    # Values absent from a class contribute q_v; summing over the entries present
    # gives sum |p - q| = 1 + sum_present (|p - q| - q).
    present = np.bincount(hist.cls, weights=np.abs(p - qv) - qv, minlength=len(sizes))
    return np.asarray(np.clip(0.5 * (1.0 + present), 0.0, 1.0))


def t_ordered(
    hist: SensitiveHistogram, sizes: np.ndarray, reference: np.ndarray | None = None
) -> np.ndarray:
    """Earth mover's distance with ordered ground distance (numeric attributes), per class.

    ``1/(m-1) * sum_i |sum_{j<=i} (p_j - q_j)|`` over the ``m`` distinct values in
    increasing order (Li, Li and Venkatasubramanian, 2007).

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"q": np.array([0, 1, 2])}, {"q": ("a", "b", "c")}, np.array([1, 1, 1]),
    ...                   {"age": np.array([0, 1, 2])}, {"age": (20, 30, 40)}, numeric=["age"])
    >>> t_ordered(t.sensitive["age"], t.sizes, reference=np.array([1.0, 0.0, 0.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    q = reference_distribution(hist) if reference is None else reference
    m = len(q)
    n_classes = len(sizes)
    if m <= 1:
        return np.zeros(n_classes)
    cq = np.cumsum(q)
    out = np.empty(n_classes)
    order = np.argsort(hist.cls, kind="stable")
    cls, val, cnt = hist.cls[order], hist.value[order], hist.count[order]
    step = max(1, _ORDERED_CHUNK_CELLS // m)
    for lo in range(0, n_classes, step):
        hi = min(n_classes, lo + step)
        a, b = np.searchsorted(cls, [lo, hi])
        dense = np.zeros((hi - lo, m))
        np.add.at(dense, (cls[a:b] - lo, val[a:b]), cnt[a:b] / sizes[cls[a:b]])
        out[lo:hi] = np.abs(np.cumsum(dense, axis=1) - cq).sum(axis=1) / (m - 1)
    return out
