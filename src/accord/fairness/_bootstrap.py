"""The bootstrap, on cell counts instead of rows.

Resampling N rows with replacement and counting them per stratum is exactly a
multinomial draw of N over the strata with probabilities n_s / N. So a
replicate costs one multinomial draw over a few hundred strata, whatever the
number of rows: 1000 replicates take milliseconds where a row bootstrap of
10 million rows takes hours. Every metric that is a function of the strata's
sums (all confusion-based metrics, ECE, Brier) is then recomputed per
replicate with array operations.

With weights, a resampled row keeps its stratum's mean weight: exact when
weights are constant within a stratum, an approximation otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

# numpy loads numpy.random on first use: load it with accord, not inside an audit.
from numpy.random import default_rng

METHOD = "bootstrap-percentile (multinomial on cell counts)"


def replicate_counts(n: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """Draw ``replicates`` multinomial resamples of the strata counts ``n``.

    Examples
    --------
    >>> r = replicate_counts(np.array([10, 30]), 5, seed=0)
    >>> r.shape, r.sum(axis=1).tolist()
    ((5, 2), [40, 40, 40, 40, 40])
    """
    rng = default_rng(seed)
    total = int(n.sum())
    return rng.multinomial(total, n / total, size=replicates)


def scale(counts: np.ndarray, n: np.ndarray, stratum_sum: np.ndarray) -> np.ndarray:
    """Per-replicate sums of a stratum measure: resampled count x the stratum's mean."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, stratum_sum / np.where(n > 0, n, 1), 0.0)
    return counts * mean


def percentile_interval(
    replicates: np.ndarray, level: float, *, overwrite: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along the replicate axis (0), ignoring undefined (NaN) replicates.

    The same numbers as ``np.nanquantile(..., method="linear")``, written out because
    ``np.nanquantile`` falls back to a Python loop over columns when any value is NaN, and
    ``np.quantile`` copies its input. Here the columns without NaN are partitioned in
    place (``overwrite=True`` lets the caller's array be reordered); a column with NaN is
    sorted (NaN sorts last) and interpolated at its own valid count. Many columns: see
    ``chunked_intervals``, which spreads them over the cores.

    Examples
    --------
    >>> reps = np.array([[1.0, np.nan], [2.0, 5.0], [3.0, np.nan]])
    >>> lo, hi = percentile_interval(reps, 0.5)
    >>> lo.tolist(), hi.tolist()
    ([1.5, 5.0], [2.5, 5.0])
    """
    alpha = (1 - level) / 2
    if replicates.ndim == 1:
        lo, hi = percentile_interval(replicates[:, None], level, overwrite=overwrite)
        return lo[0], hi[0]
    undefined = np.isnan(replicates).any(axis=0)
    if not undefined.any():
        return _select(replicates if overwrite else replicates.copy(), alpha)
    lo = np.empty(replicates.shape[1])
    hi = np.empty(replicates.shape[1])
    clean = ~undefined
    if clean.any():
        lo[clean], hi[clean] = _select(replicates[:, clean], alpha)
    lo[undefined], hi[undefined] = _nan_interval(replicates[:, undefined], alpha)
    return lo, hi


def _select(work: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Linear-interpolation quantiles ``alpha`` and ``1 - alpha`` of each column of
    ``work`` (no NaN), which is partitioned in place.
    """
    b = work.shape[0]
    positions = (alpha * (b - 1), (1 - alpha) * (b - 1))
    below = [int(np.floor(p)) for p in positions]
    above = [min(i + 1, b - 1) for i in below]
    work.partition(sorted({*below, *above}), axis=0)
    lo, hi = (
        _lerp(work[i], work[j], p - i) for i, j, p in zip(below, above, positions, strict=True)
    )
    return lo, hi


#: Below this many values a second thread costs more than it saves.
_PARALLEL_FROM = 200_000
#: Columns per chunk of ``chunked_intervals``: a chunk of 1000 replicates stays in cache.
_CHUNK = 128


def chunked_intervals(
    items: Sequence[tuple[int, Callable[[np.ndarray], object]]], replicates: int, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile intervals of many columns that are never all in memory at once.

    Each item is (width, write): ``write(buffer)`` fills a (``replicates`` x width) buffer
    with its columns. Items go in chunks of about ``_CHUNK`` columns through one reused
    buffer per thread, one thread per core: the columns are written and partitioned while
    in cache, and no page of a large block is ever touched for the first time. The
    intervals come back in item order, as ``percentile_interval`` of all the columns side
    by side would give them.

    Examples
    --------
    >>> reps = np.arange(12.0).reshape(4, 3)
    >>> items = [(2, lambda buf: np.copyto(buf, reps[:, :2])), (1, lambda buf: np.copyto(buf, reps[:, 2:]))]
    >>> lo, hi = chunked_intervals(items, 4, 0.5)
    >>> lo.tolist() == percentile_interval(reps, 0.5)[0].tolist()
    True
    """
    widths = np.array([w for w, _ in items], dtype=np.int64)
    ends = np.cumsum(widths)
    total = int(widths.sum())
    lo, hi = np.empty(total), np.empty(total)
    chunks: list[list[int]] = []
    filled = 0
    for i, w in enumerate(widths):
        if not chunks or filled + w > _CHUNK:
            chunks.append([])
            filled = 0
        chunks[-1].append(i)
        filled += int(w)

    def run(mine: list[list[int]]) -> None:
        buffer = np.empty((replicates, max(int(widths[c].sum()) for c in mine)))
        for chunk in mine:
            at = 0
            for i in chunk:
                items[i][1](buffer[:, at : at + widths[i]])
                at += int(widths[i])
            start = int(ends[chunk[0]] - widths[chunk[0]])
            lo[start : start + at], hi[start : start + at] = percentile_interval(
                buffer[:, :at], level, overwrite=True
            )

    workers = min(_threads(), len(chunks), max(1, total * replicates // _PARALLEL_FROM))
    if workers <= 1:
        if chunks:
            run(chunks)
        return lo, hi
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, [chunks[k::workers] for k in range(workers)]))
    return lo, hi


def quantile(values: np.ndarray, q: float) -> float:
    """``np.quantile(values, q)`` (linear method) of a 1-D array without NaN: one partition
    of a copy, where numpy also builds the sorted unique indices of its interpolation.

    Examples
    --------
    >>> quantile(np.array([3.0, 1.0, 2.0, 4.0]), 0.5)
    2.5
    """
    pos = q * (values.size - 1)
    i = int(np.floor(pos))
    j = min(i + 1, values.size - 1)
    work = np.partition(values, sorted({i, j}))
    return float(_lerp(work[i : i + 1], work[j : j + 1], pos - i)[0])


def _lerp(a: np.ndarray, b: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    # numpy's own formula (numpy.lib._function_base_impl._lerp), for identical bits.
    diff = b - a
    if np.ndim(t) == 0:
        out: np.ndarray = a + diff * t if t < 0.5 else b - diff * (1 - t)
        return out
    mixed: np.ndarray = np.where(np.asarray(t) < 0.5, a + diff * t, b - diff * (1 - t))
    return mixed


def _threads() -> int:
    import os

    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def _nan_interval(replicates: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    ordered = np.sort(replicates, axis=0)  # NaN sorts last
    valid = np.sum(~np.isnan(replicates), axis=0)
    cols = np.arange(ordered.shape[1])

    def at(q: float) -> np.ndarray:
        pos = q * (valid - 1)
        below = np.floor(pos).astype(np.int64).clip(min=0)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        frac = pos - below
        lo_v, hi_v = ordered[below, cols], ordered[above, cols]
        out: np.ndarray = np.where(valid > 0, _lerp(lo_v, hi_v, frac), np.nan)
        return out

    return at(alpha), at(1 - alpha)
