"""Safe reports: coarsen or suppress small counts before anyone sees them."""

from __future__ import annotations

from collections.abc import Iterable

#: Default smallest count a report shows (cells below it are suppressed).
SUPPRESS_BELOW = 10


def suppress_small_counts(
    counts: Iterable[int | float], threshold: int = SUPPRESS_BELOW
) -> list[int | float | None]:
    """Replace every count in ``1 .. threshold - 1`` by None (a suppressed cell).

    Zero stays zero: an empty cell discloses nobody. ``threshold <= 1`` turns
    suppression off.

    Examples
    --------
    >>> suppress_small_counts([0, 3, 10, 250], threshold=10)
    [0, None, 10, 250]
    """
    return [None if 0 < c < threshold else c for c in counts]


def coarsen_count(count: int | float | None, threshold: int = SUPPRESS_BELOW) -> str:
    """A count as a report prints it: small counts as ``<threshold``, others rounded.

    Examples
    --------
    >>> coarsen_count(3), coarsen_count(0), coarsen_count(1234)
    ('<10', '0', '1,234')
    """
    if count is None:
        return f"<{threshold}"
    if 0 < count < threshold:
        return f"<{threshold}"
    return f"{int(round(count)):,}"
