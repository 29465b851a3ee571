"""The bootstrap's percentile intervals are numpy's linear-method quantiles, bit for bit."""

from __future__ import annotations

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.fairness import percentile_interval
from accord.fairness._bootstrap import chunked_intervals, quantile

values = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
levels = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99])


def _reference(x: np.ndarray, level: float) -> np.ndarray:
    alpha = (1 - level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        out: np.ndarray = np.nanquantile(x, [alpha, 1 - alpha], axis=0)
    return out


@settings(max_examples=200, deadline=None)
@given(
    x=hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=60), elements=values
    ),
    holes=st.integers(0, 2**32 - 1),
    share=st.floats(0, 1),
    level=levels,
)
def test_intervals_equal_nanquantile_with_and_without_missing_replicates(
    x: np.ndarray, holes: int, share: float, level: float
) -> None:
    x = x.copy()
    x[np.random.default_rng(holes).random(x.shape) < share] = np.nan
    lo, hi = percentile_interval(x, level)
    ref = _reference(x, level)
    assert np.array_equal(lo, ref[0], equal_nan=True)
    assert np.array_equal(hi, ref[1], equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(
    x=hnp.arrays(np.float64, st.integers(1, 300), elements=values),
    q=st.floats(0, 1),
)
def test_quantile_equals_numpy(x: np.ndarray, q: float) -> None:
    assert quantile(x, q) == float(np.quantile(x, q))


@settings(max_examples=50, deadline=None)
@given(
    widths=st.lists(st.integers(0, 300), min_size=1, max_size=12),
    rows=st.integers(1, 400),
    seed=st.integers(0, 2**32 - 1),
    level=levels,
)
def test_chunked_intervals_equal_one_block(
    widths: list[int], rows: int, seed: int, level: float
) -> None:
    # Items of any width, across chunk boundaries and threads, come back in item order.
    block = np.random.default_rng(seed).normal(size=(rows, sum(widths)))
    starts = np.cumsum([0, *widths[:-1]])
    items = [
        (w, lambda buf, a=a, w=w: np.copyto(buf, block[:, a : a + w]))
        for a, w in zip(starts, widths, strict=True)
    ]
    lo, hi = chunked_intervals(items, rows, level)
    if block.shape[1] == 0:
        assert lo.size == hi.size == 0
        return
    ref = _reference(block, level)
    assert np.array_equal(lo, ref[0]) and np.array_equal(hi, ref[1])
