"""Withhold small counts from the published inclusion statistics.

The statistics and the findings' verdicts are computed from the exact counts first; then a
group of 1 to ``suppress_below - 1`` rows loses every number that would give its count away
(its rows, its share of the data and its representation ratio, the labelled examples it
lacks, its missing-value rates), as every accord report does (accord.core.is_small). The
rows with a group value missing, and the rows without a label, are counts of people too.

Lists ordered by a count (blind spots by size, groups by representation ratio) would place
a withheld entry between its neighbours and so bracket its count: withheld entries move to
the end, in the order of their keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from accord.core import Estimate, ValueStatus, is_small
from accord.inclusion._models import (
    BlindSpot,
    GroupPerformance,
    GroupShare,
    InclusionStats,
    MissingGroup,
    Missingness,
    Representation,
)

_WITHHELD = Estimate.missing(ValueStatus.INSUFFICIENT_DATA)
T = TypeVar("T")


def _withheld_last(
    items: list[T], *, withheld: Callable[[T], bool], key: Callable[[T], Any]
) -> list[T]:
    """Shown entries in their order, then the withheld ones by ``key`` (not by their count)."""
    return [i for i in items if not withheld(i)] + sorted(
        (i for i in items if withheld(i)), key=key
    )


def _group_key(g: GroupShare) -> str:
    return g.group


def withhold_small_counts(stats: InclusionStats) -> InclusionStats:
    """``stats`` with the counts below its ``settings.suppress_below`` withheld.

    Examples
    --------
    >>> import polars as pl
    >>> from accord.inclusion import assess
    >>> r = assess(pl.DataFrame({"g": ["a"] * 50 + ["b"] * 5}), groups="g", bootstrap=0)
    >>> [(b.key, b.n, b.additional) for b in r.stats.coverage.blind_spots]
    [({'g': 'b'}, None, None)]
    """
    t = stats.settings.suppress_below
    if t <= 1:
        return stats
    update: dict[str, object] = {
        "representation": [_representation(r, t) for r in stats.representation],
        "coverage": stats.coverage.model_copy(
            update={
                "blind_spots": _withheld_last(
                    [_blind_spot(b, t) for b in stats.coverage.blind_spots],
                    withheld=lambda b: b.n is None,
                    key=lambda b: sorted(b.key.items()),
                )
            }
        ),
        "missingness": [_missingness(m, t) for m in stats.missingness],
    }
    if stats.performance is not None:
        perf = stats.performance
        update["performance"] = perf.model_copy(
            update={
                "unlabelled_rows": None
                if is_small(perf.unlabelled_rows, t)
                else perf.unlabelled_rows,
                "overall": _performance(perf.overall, t),
                "groupings": [
                    g.model_copy(update={"groups": [_performance(x, t) for x in g.groups]})
                    for g in perf.groupings
                ],
            }
        )
    return stats.model_copy(update=update)


def _representation(r: Representation, t: int) -> Representation:
    return r.model_copy(
        update={
            "rows_missing": None if is_small(r.rows_missing, t) else r.rows_missing,
            "groups": _withheld_last(
                [_share(g, t) for g in r.groups], withheld=lambda g: g.n is None, key=_group_key
            ),
            "not_in_reference": {
                k: None if is_small(v, t) else v for k, v in r.not_in_reference.items()
            },
        }
    )


def _share(g: GroupShare, t: int) -> GroupShare:
    if not is_small(g.n, t):
        return g
    return g.model_copy(update={"n": None, "share": _WITHHELD, "ratio": _WITHHELD})


def _blind_spot(b: BlindSpot, t: int) -> BlindSpot:
    if not is_small(b.n, t):
        return b
    return b.model_copy(update={"n": None, "additional": None})


def _performance(g: GroupPerformance, t: int) -> GroupPerformance:
    if not (g.key and is_small(g.n, t)):
        return g
    return g.model_copy(update={"n": None, "accuracy": _WITHHELD, "error_rate": _WITHHELD})


def _missingness(m: Missingness, t: int) -> Missingness:
    return m.model_copy(update={"groups": [_missing_group(g, t) for g in m.groups]})


def _missing_group(g: MissingGroup, t: int) -> MissingGroup:
    if not is_small(g.n, t):
        return g
    return g.model_copy(update={"n": None, "rates": dict.fromkeys(g.rates)})
