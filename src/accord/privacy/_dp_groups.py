"""A differentially private release of per-group counts and rates, over several groupings.

The privacy budget is split equally over every query (the counts of one grouping, or the
numerators of one rate of one grouping) and the losses add up (sequential composition):
each query changes by at most 1 in total when one row is added or removed (each row is in
exactly one group of a grouping), so each gets the discrete Laplace mechanism at its share.
A rate is post-processing of two released counts and costs nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from accord.core import UsageError
from accord.privacy._dp import count_bound, dp_counts, rate_interval

MECHANISM = "discrete Laplace (OpenDP)"


@dataclass(frozen=True)
class GroupCounts:
    """The exact counts of one grouping: the release's input, never published itself."""

    attributes: tuple[str, ...]
    keys: list[dict[str, str]]
    totals: np.ndarray
    #: Rate name -> rows in its numerator, per group (the denominator is ``totals``).
    numerators: Mapping[str, np.ndarray] = field(default_factory=dict)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DpInterval(_Frozen):
    """A released rate and the interval it lies in with the release's confidence."""

    value: float | None = Field(description="None when the noisy count is 0 (undefined).")
    low: float | None = None
    high: float | None = None


class DpGroup(_Frozen):
    """One group's released count and rates."""

    key: dict[str, str]
    count: int = Field(description="The count with noise added (never below 0).")
    rates: dict[str, DpInterval] = Field(default_factory=dict)


class DpGrouping(_Frozen):
    """The released groups of one grouping."""

    attributes: list[str]
    epsilon: float = Field(description="The part of the budget this grouping spent.")
    groups: list[DpGroup]


class DpShare(_Frozen):
    """One query of the release and the budget it spent."""

    attributes: list[str]
    quantity: str = Field(description="'count', or the name of a rate (its numerators).")
    epsilon: float


class DpGroupRelease(_Frozen):
    """Per-group counts and rates released under epsilon-differential privacy."""

    mechanism: str = MECHANISM
    epsilon: float = Field(description="The privacy loss of the whole release.")
    neighbours: str = Field(
        default="datasets that differ by adding or removing one row",
        description="What the guarantee protects: one row's presence.",
    )
    confidence: float = Field(description="Confidence of every bound, each on its own.")
    unit: str = Field(description="What is counted.")
    scale: float = Field(description="Scale of the noise added to every count.")
    count_bound: float = Field(
        description="Every released count is within +- count_bound of the true count, "
        "with the release's confidence."
    )
    rates: dict[str, str] = Field(
        default_factory=dict, description="The released rates: name -> what it is."
    )
    split: list[DpShare] = Field(
        description="Every query and its share of epsilon; the shares add up to epsilon."
    )
    groupings: list[DpGrouping]
    notes: list[str] = Field(default_factory=list)


def dp_group_release(
    tables: Sequence[GroupCounts],
    epsilon: float,
    *,
    confidence: float = 0.95,
    unit: str = "rows",
    rates: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
) -> DpGroupRelease:
    """Release every grouping's counts and rates with noise calibrated to ``epsilon``.

    Parameters
    ----------
    tables
        The exact counts of each grouping (each row in exactly one group of each).
    epsilon
        The privacy loss of the whole release, split equally over the queries.
    confidence
        Confidence of each bound: a count is within ``count_bound`` of the truth, a rate
        within its interval (both counts of the rate within their bounds at
        ``(1 + confidence) / 2`` each, so the interval holds with ``confidence``).
    unit
        What the counts count, as the report says it.
    rates
        Descriptions of the rates, by name.
    notes
        Sentences the report shows with the release.

    Examples
    --------
    >>> t = GroupCounts(("g",), [{"g": "a"}, {"g": "b"}], np.array([900, 300]),
    ...                 {"selection_rate": np.array([450, 60])})
    >>> r = dp_group_release([t], epsilon=1.0)
    >>> [s.epsilon for s in r.split], round(r.count_bound, 2)
    ([0.5, 0.5], 6.43)
    """
    if not tables:
        raise UsageError("a release needs at least one grouping")
    if not 0 < confidence < 1:
        raise UsageError("the confidence must be in (0, 1)", value=confidence)
    if not (epsilon > 0 and np.isfinite(epsilon)):
        raise UsageError("epsilon must be positive", value=epsilon)
    queries = sum(1 + len(t.numerators) for t in tables)
    share = epsilon / queries
    rate_confidence = 1.0 - (1.0 - confidence) / 2.0
    split: list[DpShare] = []
    out: list[DpGrouping] = []
    scale = bound = 0.0
    for table in tables:
        labels = [str(i) for i in range(len(table.keys))]
        attrs = list(table.attributes)
        totals = dp_counts(labels, _ints(table.totals), share, confidence=confidence)
        scale = totals.scale
        bound = count_bound(scale, confidence)
        wide = count_bound(scale, rate_confidence)
        split.append(DpShare(attributes=attrs, quantity="count", epsilon=share))
        noisy = {}
        for name, numerators in table.numerators.items():
            noisy[name] = dp_counts(labels, _ints(numerators), share, confidence=confidence)
            split.append(DpShare(attributes=attrs, quantity=name, epsilon=share))
        groups = []
        for i, key in enumerate(table.keys):
            n = totals.counts[i].value
            intervals = {}
            for name, release in noisy.items():
                value, low, high = rate_interval(release.counts[i].value, n, wide)
                intervals[name] = DpInterval(value=value, low=low, high=high)
            groups.append(DpGroup(key=key, count=n, rates=intervals))
        out.append(DpGrouping(attributes=attrs, epsilon=share * (1 + len(noisy)), groups=groups))
    return DpGroupRelease(
        epsilon=epsilon,
        confidence=confidence,
        unit=unit,
        scale=scale,
        count_bound=bound,
        rates=dict(rates or {}),
        split=split,
        groupings=out,
        notes=list(notes),
    )


def _ints(values: np.ndarray) -> list[int]:
    return [int(round(float(v))) for v in values]
