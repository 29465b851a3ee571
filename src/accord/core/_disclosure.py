"""Safe reports: coarsen or suppress small counts before anyone sees them.

Every accord report (fairness, privacy, inclusion) follows one rule: a count of people
between 1 and ``threshold - 1`` is not published, because a cell that small can single
somebody out. The record holds None in its place and the renderings print ``<threshold``.
An empty cell (0) discloses nobody and stays 0; ``threshold <= 1`` turns the rule off.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Default smallest count a report shows (cells below it are suppressed).
SUPPRESS_BELOW = 10


def is_small(count: float | None, threshold: int = SUPPRESS_BELOW) -> bool:
    """Whether ``count`` is a cell the reports must not show (``0 < count < threshold``).

    Examples
    --------
    >>> is_small(3), is_small(0), is_small(10), is_small(3, threshold=1)
    (True, False, False, False)
    """
    return count is not None and 0 < count < threshold


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
    return [None if is_small(c, threshold) else c for c in counts]


def coarsen_count(count: int | float | None, threshold: int = SUPPRESS_BELOW) -> str:
    """A count as a report prints it: small counts as ``<threshold``, others rounded.

    None is a count the record already withholds, so it prints as ``<threshold`` too.

    Examples
    --------
    >>> coarsen_count(3), coarsen_count(0), coarsen_count(1234), coarsen_count(None)
    ('<10', '0', '1,234', '<10')
    """
    if count is None or is_small(count, threshold):
        return f"<{threshold}"
    return f"{int(round(count)):,}"


def disclosure_note(threshold: int, option: str = "--suppress-below") -> str:
    """The one sentence a report says about small counts.

    Examples
    --------
    >>> disclosure_note(10)
    'Counts below 10 are shown as <10, so that no table names a group of fewer than 10 people (totals stay exact); --suppress-below changes this.'
    >>> disclosure_note(0)
    'Small counts are shown exactly (--suppress-below 0): the report may single out a few people.'
    """  # noqa: E501
    if threshold <= 1:
        return (
            f"Small counts are shown exactly ({option} {threshold}): the report may single "
            "out a few people."
        )
    return (
        f"Counts below {threshold} are shown as <{threshold}, so that no table names a group "
        f"of fewer than {threshold} people (totals stay exact); {option} changes this."
    )
