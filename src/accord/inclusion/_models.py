"""What an inclusion audit produces, as plain serialisable data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.core import SUPPRESS_BELOW, Estimate, Finding, UsageError, ValueStatus


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InclusionSettings(_Frozen):
    """The settings an inclusion audit ran with: enough to re-run it and get the same numbers.

    Examples
    --------
    >>> InclusionSettings().min_group_size
    30
    """

    min_group_size: int = Field(default=30, ge=1, description="Smaller groups are blind spots.")
    ci_level: float = Field(default=0.95, gt=0, lt=1)
    ci_width: float = Field(
        default=0.1,
        gt=0,
        lt=1,
        description="Full width of the interval a blind spot should "
        "reach (0.1: plus or minus 5 points).",
    )
    planning_rate: float | None = Field(
        default=None,
        gt=0,
        lt=1,
        description="The rate the sample size is planned for; None: the worst case "
        "(0.5), which guarantees the width whatever the group's rate.",
    )
    assurance: float = Field(
        default=0.9,
        gt=0,
        lt=1,
        description="With a planning rate: the probability that a "
        "sample of the suggested size reaches the width.",
    )
    min_ratio: float = Field(
        default=0.8, gt=0, le=1, description="A representation ratio below it is a breach."
    )
    max_accuracy_gap: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Largest acceptable gap between the best and the worst group's accuracy.",
    )
    max_missing_gap: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="A feature missing this much more often "
        "(and at least twice as often) in a group is flagged.",
    )
    proxy_threshold: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="A feature whose bias-corrected Cramer's V "
        "with a group attribute reaches it is flagged as a proxy.",
    )
    max_order: int | None = Field(
        default=2,
        ge=1,
        description="Largest intersection of group attributes examined (None: all).",
    )
    bootstrap: int = Field(
        default=1000, ge=0, description="Bootstrap replicates of the distances' intervals."
    )
    seed: int = 0
    alpha: float = Field(default=0.05, gt=0, lt=1)
    correction: Literal["holm", "bh"] = "holm"
    max_levels: int = Field(
        default=1000,
        ge=2,
        description="A text feature with more distinct values is skipped as an identifier.",
    )
    mc_draws: int = Field(
        default=20000, ge=100, description="Draws of the Monte Carlo goodness-of-fit test."
    )
    max_blind_spots: int = Field(
        default=500, ge=0, description="Blind spots listed (the rest are counted)."
    )
    suppress_below: int = Field(
        default=SUPPRESS_BELOW,
        ge=0,
        description="A group of 1 to suppress_below - 1 rows has its count withheld, and the "
        "shares and ratios that would give it away (0 or 1: counts shown).",
    )


def make_settings(**values: Any) -> InclusionSettings:
    """Build settings from keyword values, with a clear error for a value out of range.

    Examples
    --------
    >>> make_settings(min_group_size=50).min_group_size
    50
    """
    try:
        return InclusionSettings(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"])
        raise UsageError(f"{name}: {err['msg'].lower()}", value=err.get("input")) from None


class Dimension(_Frozen):
    """A group attribute, its values, and the levels it rolls up to."""

    name: str
    kind: Literal["category", "binned", "country"]
    values: list[str] = Field(description="Distinct values found (or bins), in order.")
    levels: list[str] = Field(
        description="'value', then for countries 'country', 'subregion' and 'region' (UN M49)."
    )
    edges: list[float] | None = None
    unrecognised: list[str] = Field(
        default_factory=list, description="Country values with no M49 match."
    )


class GroupShare(_Frozen):
    """One group's share of the data against its share of the reference population."""

    group: str
    n: int | None = Field(description="Rows; None when withheld (below suppress_below).")
    share: Estimate
    reference_share: float
    expected: float = Field(description="Rows the group would have at its reference share.")
    ratio: Estimate = Field(description="Share in the data / share in the reference.")
    status: Literal["absent", "under", "over", "ok"]


class GoodnessOfFit(_Frozen):
    """A test that the data's groups follow the reference shares."""

    method: str
    statistic: float | None = None
    df: int | None = None
    p_value: float | None = None
    min_expected: float | None = None


class Representation(_Frozen):
    """One group attribute (at one level) against a reference population."""

    attribute: str
    level: str
    grouping: str = Field(description="The key the groups are reported under.")
    reference_name: str | None = None
    reference_source: str | None = None
    rows_compared: int
    rows_missing: int | None = Field(
        description="Rows with the attribute missing (null when 1 to suppress_below - 1)."
    )
    not_in_reference: dict[str, int | None] = Field(
        default_factory=dict,
        description="Groups of the data the reference does not list "
        "(left out of the comparison), with their rows.",
    )
    groups: list[GroupShare] = Field(description="Absent groups first, then by ratio.")
    goodness_of_fit: GoodnessOfFit
    total_variation: Estimate
    kl_divergence: Estimate = Field(description="KL(data || reference), in nats.")


class BlindSpot(_Frozen):
    """A group or intersection too small to evaluate, and what it would take."""

    key: dict[str, str]
    n: int | None = Field(description="Rows; None when withheld (below suppress_below).")
    needed: int
    additional: int | None = Field(
        description="needed - n; None when n is withheld (it would give n away)."
    )


class Coverage(_Frozen):
    """Groups and intersections below the minimum group size."""

    min_group_size: int
    counted: Literal["labelled rows", "rows"]
    needed: int = Field(description="Rows a group needs for an interval of the given width.")
    method: str
    groups_checked: int
    total: int
    blind_spots: list[BlindSpot]


class GroupPerformance(_Frozen):
    """Accuracy and error rate of one group."""

    key: dict[str, str]
    n: int | None = Field(description="Rows; None when withheld (below suppress_below).")
    status: ValueStatus
    accuracy: Estimate
    error_rate: Estimate


class PerformanceGrouping(_Frozen):
    """Performance across the groups of one grouping, and its worst group."""

    attributes: list[str]
    groups: list[GroupPerformance]
    groups_compared: int
    best: dict[str, str] | None = None
    worst: dict[str, str] | None = None
    best_accuracy: Estimate
    worst_accuracy: Estimate
    worst_error_rate: Estimate
    gap: Estimate = Field(description="Best minus worst accuracy.")


class Performance(_Frozen):
    """How well the predictions hold across groups, countries and regions."""

    label: str
    prediction: str
    classes: list[str]
    labelled_rows: int
    unlabelled_rows: int | None = Field(
        description="Rows without a label or prediction (null when 1 to suppress_below - 1)."
    )
    overall: GroupPerformance
    groupings: list[PerformanceGrouping]
    gap_method: str


class MissingFlag(_Frozen):
    """A feature missing far more often in one group than in the rest of the data."""

    feature: str
    key: dict[str, str]
    rate: Estimate
    rest_rate: float
    difference: float
    p_value: float
    p_adjusted: float
    test: str


class MissingGroup(_Frozen):
    """A group's rows and the share of each feature that is missing."""

    key: dict[str, str]
    n: int | None = Field(description="Rows; None when withheld (below suppress_below).")
    rates: dict[str, float | None]


class Missingness(_Frozen):
    """Missing values per feature and group of one attribute."""

    attribute: str
    overall: dict[str, float]
    groups: list[MissingGroup]
    flags: list[MissingFlag]


class ProxyScore(_Frozen):
    """How much one feature tells about a group attribute."""

    feature: str
    binned: bool
    levels: int
    edges: list[float] | None = Field(
        default=None, description="Inner bin edges of a numeric feature, cut into deciles."
    )
    n: int
    cramers_v: float | None
    cramers_v_corrected: float | None
    mutual_information: float | None = Field(description="In nats.")
    normalized_mi: float | None = Field(
        description="Mutual information / entropy of the group attribute (share of it the "
        "feature explains)."
    )
    flagged: bool


class Proxies(_Frozen):
    """Features ranked by how well they stand in for one group attribute."""

    attribute: str
    ranking: list[ProxyScore]


class InclusionStats(_Frozen):
    """Everything an inclusion audit measured."""

    rows: int
    dimensions: list[Dimension]
    representation: list[Representation]
    coverage: Coverage
    performance: Performance | None = None
    missingness: list[Missingness]
    proxies: list[Proxies]
    proxy_skipped: dict[str, str] = Field(default_factory=dict)
    findings: list[Finding]
    settings: InclusionSettings
    passes: int = Field(description="Passes over the rows the audit made.")
    content_sha256: str = Field(
        description="SHA-256 of the cell table of the cells pass: the same for the same data "
        "on any engine and in any row order."
    )
    geography: str | None = Field(default=None, description="The country table the roll-up used.")
    warnings: list[str] = Field(default_factory=list)
