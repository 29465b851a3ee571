"""From a class table to the pieces of the risk assessment (pure numpy)."""

from __future__ import annotations

import math

import numpy as np

from accord.core import suppress_small_counts
from accord.privacy._classes import ClassTable
from accord.privacy._criteria import (
    distinct_l,
    entropy,
    recursive_ratio,
    t_equal,
    t_ordered,
)
from accord.privacy._report import (
    ClassSummary,
    ClosenessResult,
    DiversityResult,
    RecursiveDiversity,
    SizeBin,
)

#: Class-size bins of the histogram a report shows.
SIZE_BINS: tuple[tuple[int, int | None], ...] = (
    (1, 1),
    (2, 2),
    (3, 4),
    (5, 9),
    (10, 19),
    (20, 49),
    (50, 99),
    (100, 999),
    (1000, None),
)


def class_summary(sizes: np.ndarray, suppress_below: int) -> ClassSummary:
    """Sizes of the equivalence classes, with a histogram in coarse bins.

    Examples
    --------
    >>> s = class_summary(np.array([1, 1, 4, 30]), suppress_below=1)
    >>> s.smallest, s.sample_uniques, [b.classes for b in s.histogram][:3]
    (1, 2, [2, 0, 1])
    """
    bins = []
    for low, high in SIZE_BINS:
        inside = (sizes >= low) & (sizes <= (high if high is not None else np.inf))
        classes, records = int(inside.sum()), int(sizes[inside].sum())
        # The cell is the records in the bin: a bin of few records is suppressed whole.
        (safe_records,) = suppress_small_counts([records], suppress_below)
        label = str(low) if high == low else (f"{low}-{high}" if high else f"{low}+")
        bins.append(
            SizeBin(
                label=label,
                low=low,
                high=high,
                classes=None if safe_records is None else classes,
                records=None if safe_records is None else int(safe_records),
            )
        )
    return ClassSummary(
        count=len(sizes),
        smallest=int(sizes.min()),
        median=float(np.median(sizes)),
        largest=int(sizes.max()),
        sample_uniques=int((sizes == 1).sum()),
        histogram=bins,
    )


def diversity(table: ClassTable, attribute: str, recursive_l: int) -> DiversityResult:
    """Distinct, entropy and recursive (c, l)-diversity of one sensitive attribute."""
    hist = table.sensitive[attribute]
    distinct = distinct_l(hist, table.n_classes)
    ratio = recursive_ratio(hist, table.n_classes, recursive_l)
    worst = float(ratio.max())
    c = worst if math.isfinite(worst) else None
    return DiversityResult(
        attribute=attribute,
        distinct=int(distinct.min()),
        entropy=float(math.exp(float(entropy(hist, table.sizes).min()))),
        recursive=RecursiveDiversity(
            l=recursive_l, c=c, c_integer=None if c is None else math.floor(c) + 1
        ),
        classes_below={str(v): int((distinct < v).sum()) for v in (2, 3, 5)},
    )


def closeness(table: ClassTable, attribute: str) -> ClosenessResult:
    """t-closeness of one sensitive attribute against the table's own distribution:
    ordered distance for numbers, equal distance otherwise.
    """
    hist = table.sensitive[attribute]
    ordered = hist.numeric and None not in hist.levels
    dist = t_ordered(hist, table.sizes) if ordered else t_equal(hist, table.sizes)
    return ClosenessResult(
        attribute=attribute,
        t=float(dist.max()),
        distance="ordered" if ordered else "equal",
        reference="the distribution of the whole assessed table",
        values=hist.n_values,
    )
