"""The policy file (accord.yaml), as a pydantic model: what "fair enough" means for a system.

The JSON Schema of this model is published as ``schemas/policy.schema.json``, so that
editors can complete and check a policy while it is written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from accord.core import did_you_mean
from accord.policy._metrics import DISCOVERABLE, KNOWN_METRICS, RATE_METRICS

POLICY_VERSION = 1

Measure = Literal[
    "value",
    "overall",
    "difference",
    "ratio",
    "impact_ratio",
    "max_min_difference",
    "min_max_ratio",
]
Judge = Literal["point", "ci_lower", "ci_upper"]
Severity = Literal["fail", "warn"]
GroupingWord = Literal["each", "intersections", "all"]

#: How the governance catalog names what a measure compares.
_FAMILY = {
    "value": "value",
    "overall": "value",
    "difference": "difference",
    "max_min_difference": "difference",
    "ratio": "ratio",
    "impact_ratio": "ratio",
    "min_max_ratio": "ratio",
}

#: Measures whose groups carry a test against the group they are compared with.
TESTED_MEASURES = ("difference", "ratio", "impact_ratio")

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$"
_PARAMETER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _as_text(value: Any) -> Any:
    # YAML reads 1, 1.5 and true as numbers and booleans; labels are compared as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int | float) else value


#: A label value: text, or a YAML number or boolean read as the text it prints as.
Text = Annotated[str, BeforeValidator(_as_text, json_schema_input_type=str | int | float | bool)]
#: One name or a list of names.
OneOrMany = Annotated[
    list[str],
    BeforeValidator(
        lambda v: [v] if isinstance(v, str) else v, json_schema_input_type=str | list[str]
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Threshold(_Strict):
    """Bounds a number must keep: ``{gte: 0.8}``, ``{lte: 0.05}``, ``{gte: -0.1, lte: 0.1}``.

    Examples
    --------
    >>> t = Threshold(gte=0.8)
    >>> t.holds(0.85), t.holds(0.7), t.describe()
    (True, False, '>= 0.8')
    """

    gte: float | None = Field(default=None, description="At least this.")
    gt: float | None = Field(default=None, description="More than this.")
    lte: float | None = Field(default=None, description="At most this.")
    lt: float | None = Field(default=None, description="Less than this.")

    @model_validator(mode="after")
    def _one_bound_each_side(self) -> Threshold:
        if all(v is None for v in (self.gte, self.gt, self.lte, self.lt)):
            raise ValueError("a threshold needs at least one of gte, gt, lte, lt")
        if self.gte is not None and self.gt is not None:
            raise ValueError("give gte or gt, not both")
        if self.lte is not None and self.lt is not None:
            raise ValueError("give lte or lt, not both")
        low = self.gte if self.gte is not None else self.gt
        high = self.lte if self.lte is not None else self.lt
        if low is not None and high is not None and low >= high:
            raise ValueError(f"the lower bound {low:g} is not below the upper bound {high:g}")
        return self

    def as_dict(self) -> dict[str, float]:
        """Return the bounds that are set."""
        return {
            k: v
            for k, v in (("gte", self.gte), ("gt", self.gt), ("lte", self.lte), ("lt", self.lt))
            if v is not None
        }

    def holds(self, x: float) -> bool:
        """Return whether ``x`` keeps every bound."""
        return (
            (self.gte is None or x >= self.gte)
            and (self.gt is None or x > self.gt)
            and (self.lte is None or x <= self.lte)
            and (self.lt is None or x < self.lt)
        )

    def margin(self, x: float) -> float:
        """Return how far ``x`` is inside the bounds (negative: outside)."""
        gaps = [x - b for b in (self.gte, self.gt) if b is not None]
        gaps += [b - x for b in (self.lte, self.lt) if b is not None]
        return min(gaps)

    def describe(self) -> str:
        """Return the bounds as text: ``>= 0.8``, ``>= -0.1 and <= 0.1``."""
        symbols = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
        return " and ".join(f"{symbols[k]} {v:g}" for k, v in self.as_dict().items())


class _CheckBody(_Strict):
    """Fields a check and an override of a check share."""

    title: str = Field(default="", description="A short human title.")
    description: str = Field(default="", description="Why this check exists.")
    grouping: list[str] | GroupingWord = Field(
        default="each",
        description="The groups compared: a list of attributes (one grouping: their "
        "intersection), 'each' (every sensitive attribute alone), 'intersections' (every "
        "intersection of two or more) or 'all'. An entry ${name} is replaced by a parameter.",
    )
    judge: Judge = Field(
        default="point",
        description="The number compared with the threshold: the point estimate, or the lower "
        "or upper end of its confidence interval.",
    )
    severity: Severity = Field(default="fail", description="What a breach is: fail or warn.")
    requirements: list[str] = Field(
        default_factory=list,
        description="Framework requirement ids (or free text) this check is evidence for.",
    )
    significant_only: bool = Field(
        default=False,
        description="A breach whose difference from the compared group is not statistically "
        "significant (adjusted p >= alpha) counts as warn, not fail. For difference, ratio "
        "and impact_ratio.",
    )
    exclude_below: float = Field(
        default=0.0,
        ge=0.0,
        lt=1.0,
        description="impact_ratio: categories with a smaller share of the data are left out of "
        "the impact ratios (still counted and reported, with the reason).",
    )
    unknown: list[str] = Field(
        default_factory=list,
        description="impact_ratio: values meaning 'unknown category' besides missing values; "
        "such rows are counted, not rated.",
    )
    score_column: str | None = Field(
        default=None,
        description="scoring_rate: the column holding the tool's score (default: the audit's "
        "score).",
    )
    enabled: bool = Field(default=True, description="false turns the check off.")


def _check_metric(metric: str) -> str:
    if _PARAMETER.search(metric):
        return metric
    base = metric.split("[", 1)[0]
    if base not in KNOWN_METRICS:
        fix = did_you_mean(base, KNOWN_METRICS, f"known: {', '.join(KNOWN_METRICS)}")
        raise ValueError(f"unknown metric {metric!r} ({fix})")
    return metric


class Check(_CheckBody):
    """One check: a metric or disparity, over a grouping, against a threshold.

    Examples
    --------
    >>> c = Check(id="di", metric="selection_rate", measure="impact_ratio",
    ...           threshold={"gte": 0.8})
    >>> c.check_type
    'fairness.selection_rate.ratio'
    """

    id: Annotated[str, Field(pattern=_ID, description="A stable id, unique in the policy.")]
    metric: str = Field(
        description="The metric: selection_rate, tpr, fpr, auc, ece, ... (or 'tpr "
        "difference': the metric and its measure in one)."
    )
    measure: Measure = Field(
        default="value",
        description="value (each group), overall (the whole population), difference or ratio "
        "(each group against the reference group), impact_ratio (each group's rate over the "
        "highest rate), max_min_difference or min_max_ratio (the spread across groups).",
    )
    threshold: Threshold

    @model_validator(mode="before")
    @classmethod
    def _split_shorthand(cls, data: Any) -> Any:
        # "selection_rate ratio" is the metric and its measure written in one.
        if isinstance(data, dict) and isinstance(data.get("metric"), str):
            parts = data["metric"].split()
            if len(parts) == 2 and "measure" not in data:
                return {**data, "metric": parts[0], "measure": parts[1]}
        return data

    @field_validator("metric")
    @classmethod
    def _metric_known(cls, v: str) -> str:
        return _check_metric(v)

    @model_validator(mode="after")
    def _options_fit_the_measure(self) -> Check:
        if _PARAMETER.search(self.metric):
            return self
        fits_rate = self.metric in RATE_METRICS
        if self.measure == "impact_ratio" and not fits_rate:
            raise ValueError(
                f"impact_ratio is defined for {' and '.join(RATE_METRICS)}, not {self.metric!r}"
            )
        if self.metric == "scoring_rate" and self.measure != "impact_ratio":
            raise ValueError("scoring_rate is only measured as impact_ratio")
        if self.metric == "calibration_gap" and self.measure not in ("value",):
            raise ValueError("calibration_gap is judged per group: use measure: value")
        if self.measure != "impact_ratio" and (self.exclude_below or self.unknown):
            raise ValueError("exclude_below and unknown apply to measure: impact_ratio only")
        if self.score_column is not None and self.metric != "scoring_rate":
            raise ValueError("score_column applies to metric: scoring_rate only")
        if self.significant_only and self.measure not in TESTED_MEASURES:
            raise ValueError("significant_only applies to difference, ratio and impact_ratio")
        return self

    @property
    def check_type(self) -> str:
        """Kind of check in the governance catalog's terms: ``fairness.<metric>.<family>``.

        The family is ``ratio`` (ratio, impact_ratio, min_max_ratio), ``difference``
        (difference, max_min_difference) or ``value`` (value, overall).
        """
        metric = self.metric.split("[", 1)[0]
        metric = "calibration" if metric == "calibration_gap" else metric
        return f"fairness.{metric}.{_FAMILY[self.measure]}"


class CheckOverride(_CheckBody):
    """Changes to a check defined in a policy this one extends (only the fields given apply)."""

    metric: str | None = None
    measure: Measure | None = None
    threshold: Threshold | None = None


class DataSpec(_Strict):
    """Where the data is and which column plays which part (command-line options win)."""

    path: str | None = Field(
        default=None, description="The data file, relative to the policy file."
    )
    label: str | None = None
    prediction: str | None = None
    score: str | None = None
    weight: str | None = None
    positive: Text | None = Field(default=None, description="The positive label value.")
    sensitive: list[str] = Field(default_factory=list)
    task: Literal["classification", "binary", "multiclass", "regression"] | None = None
    null_values: list[str] = Field(
        default_factory=list, description="Extra strings meaning 'missing' in a CSV file."
    )


class SettingsSpec(_Strict):
    """How the audit computes its statistics."""

    bootstrap: int | None = Field(default=None, ge=0)
    seed: int | None = None
    min_group_size: int | None = Field(default=None, ge=1)
    reference: dict[str, Text] = Field(
        default_factory=dict, description="The reference group per attribute, e.g. {sex: Male}."
    )
    max_order: int | None = Field(default=None, ge=1)
    ci_level: float | None = Field(default=None, gt=0, lt=1)
    correction: Literal["holm", "bh"] | None = None
    bins: dict[str, list[float]] = Field(
        default_factory=dict, description="Bin edges of numeric sensitive attributes."
    )


class DiscoverSpec(_Strict):
    """Worst-subgroup discovery: search conjunctions of attribute values for the largest gaps."""

    metric: str = Field(
        default="selection_rate", description="A rate: selection_rate, tpr, fpr, accuracy, ..."
    )
    explore: list[str] = Field(
        default_factory=list,
        description="Columns searched besides the sensitive attributes (numeric ones binned).",
    )
    bins: dict[str, list[float]] = Field(
        default_factory=dict, description="Bin edges of numeric explored columns."
    )
    min_support: float = Field(
        default=0.01, gt=0, lt=1, description="Smallest subgroup, as a share of the rows."
    )
    max_order: int = Field(default=3, ge=1, le=6, description="Most conditions in a subgroup.")
    fdr: float = Field(default=0.05, gt=0, lt=1, description="False-discovery-rate level.")
    method: Literal["bh", "by"] = Field(
        default="bh",
        description="bh: Benjamini-Hochberg; by: Benjamini-Yekutieli (any "
        "dependence between tests, more conservative).",
    )
    top: int = Field(default=10, ge=1, description="How many subgroups to report.")
    max_gap: float | None = Field(
        default=None,
        gt=0,
        description="When set, a check: no significant subgroup may be worse off than the "
        "rest by more than this.",
    )
    severity: Severity = "fail"
    requirements: list[str] = Field(default_factory=list)

    @field_validator("metric")
    @classmethod
    def _rate_metric(cls, v: str) -> str:
        if v not in DISCOVERABLE:
            fix = did_you_mean(v, DISCOVERABLE, f"use one of {', '.join(DISCOVERABLE)}")
            raise ValueError(f"discovery searches a rate metric, not {v!r} ({fix})")
        return v


class About(_Strict):
    """What a policy (or preset) is, where it comes from, and what it can and cannot show."""

    summary: str = ""
    sources: list[str] = Field(default_factory=list)
    establishes: list[str] = Field(default_factory=list)
    does_not_establish: list[str] = Field(default_factory=list)


class Policy(_Strict):
    """A policy: the checks an audit is judged against (``accord.yaml``, version 1).

    Examples
    --------
    >>> p = Policy.model_validate({"version": 1, "checks": [
    ...     {"id": "dp", "metric": "selection_rate", "measure": "min_max_ratio",
    ...      "threshold": {"gte": 0.8}}]})
    >>> p.checks[0].threshold.describe()
    '>= 0.8'
    """

    version: Literal[1] = Field(description="The version of this file format: 1.")
    system: str | None = Field(default=None, description="The AI system this policy is for.")
    about: About = Field(default_factory=About)
    extends: OneOrMany = Field(
        default_factory=list,
        description="Presets (four-fifths, nyc-ll144, equalized-odds, "
        "calibration-within-groups) or policy files (relative paths) this one builds on.",
    )
    parameters: dict[str, Text] = Field(
        default_factory=dict,
        description="Values for ${name} in checks' metric and grouping (e.g. sex: gender).",
    )
    data: DataSpec = Field(default_factory=DataSpec)
    settings: SettingsSpec = Field(default_factory=SettingsSpec)
    checks: list[Check] = Field(default_factory=list)
    overrides: dict[str, CheckOverride] = Field(
        default_factory=dict, description="Changes to checks of an extended policy, by id."
    )
    discover: DiscoverSpec | None = None

    @field_validator("checks")
    @classmethod
    def _unique_ids(cls, v: list[Check]) -> list[Check]:
        seen: set[str] = set()
        for c in v:
            if c.id in seen:
                raise ValueError(f"two checks have the id {c.id!r}; ids must be unique")
            seen.add(c.id)
        return v


def parameters_in(text: str) -> list[str]:
    """Return the ``${name}`` parameters a text uses.

    Examples
    --------
    >>> parameters_in("${sex}")
    ['sex']
    """
    return _PARAMETER.findall(text)


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace every ``${name}`` in ``text`` by its value (names must be in ``values``)."""
    return _PARAMETER.sub(lambda m: values[m.group(1)], text)
