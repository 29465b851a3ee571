"""The statistics a fairness audit produces, as plain serialisable data."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core import Estimate, ValueStatus


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricInfo(_Frozen):
    """What a reported metric is."""

    name: str
    title: str
    description: str
    better: Literal["higher", "lower"] | None = None
    ci_method: str
    class_label: str | None = Field(
        default=None,
        description="For a multiclass audit: the class this one-vs-rest metric is for.",
    )


class ReliabilityPoint(_Frozen):
    """One bin of a reliability (calibration) curve."""

    bin_low: float
    bin_high: float
    weight: float | None = Field(description="None when the bin's count is withheld.")
    n: int | None = Field(
        description="Rows in the bin; None when fewer than the audit's suppress_below."
    )
    mean_score: float | None
    observed: Estimate


class GroupStats(_Frozen):
    """One group of one grouping: its size and every metric."""

    key: dict[str, str]
    n: int | None = Field(
        description="Rows in the group; None when the group has fewer rows than the audit's "
        "suppress_below (the count is withheld, and so are its weight and share)."
    )
    weight: float | None = Field(description="Summed weight; None when the count is withheld.")
    status: ValueStatus
    metrics: dict[str, Estimate]
    reliability: list[ReliabilityPoint] | None = None


class Disparity(_Frozen):
    """How one group compares with the grouping's reference group on one metric."""

    key: dict[str, str]
    difference: Estimate
    ratio: Estimate
    p_value: float | None = None
    p_adjusted: float | None = None
    significant: bool | None = None
    test: str | None = None


class Summary(_Frozen):
    """The spread of one metric across the groups of one grouping."""

    max_min_difference: Estimate
    min_max_ratio: Estimate
    best: dict[str, str] | None = None
    worst: dict[str, str] | None = None
    groups_compared: int


class GroupingStats(_Frozen):
    """All groups of one grouping (one attribute, or an intersection) and their disparities."""

    attributes: list[str]
    reference: dict[str, str] | None
    reference_rule: str
    groups: list[GroupStats]
    disparities: dict[str, list[Disparity]]
    summaries: dict[str, Summary]


class AttributeInfo(_Frozen):
    """A sensitive attribute and how its values became groups."""

    name: str
    levels: list[str]
    binning: Literal["none", "explicit", "quantile"] = "none"
    edges: list[float] | None = None


class SignificanceInfo(_Frozen):
    """How group differences were tested."""

    tests: str
    correction: str
    alpha: float
    n_tests: int
    metrics: list[str]


class FairnessStats(_Frozen):
    """Everything a fairness audit measured, per grouping, group and metric."""

    task: Literal["binary", "multiclass", "regression"]
    positive: str | None = None
    classes: list[str] = Field(default_factory=list)
    attributes: list[AttributeInfo]
    metrics: list[MetricInfo]
    overall: GroupStats
    groupings: list[GroupingStats]
    significance: SignificanceInfo | None
    bootstrap: int
    seed: int
    ci_level: float
    min_group_size: int
    max_order: int
    score_bins: int | None = None
    suppress_below: int = Field(
        default=0,
        description="Groups with 1 to suppress_below - 1 rows have their count, weight and "
        "share withheld (0: counts shown, as in results recorded before this setting).",
    )
    warnings: list[str] = Field(default_factory=list)

    def grouping(self, attributes: list[str] | tuple[str, ...]) -> GroupingStats | None:
        """The grouping over exactly these attributes (in any order), if it was computed."""
        wanted = set(attributes)
        for g in self.groupings:
            if set(g.attributes) == wanted and len(g.attributes) == len(wanted):
                return g
        return None
