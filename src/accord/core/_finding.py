"""A check's outcome: the unit that policies, reports, CI gates and the registry share."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core._estimate import Estimate


class FindingStatus(StrEnum):
    """The outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    INSUFFICIENT_DATA = "insufficient_data"
    ERROR = "error"


class GroupOutcome(BaseModel):
    """How one group (or one summary across groups) fared against a check's threshold.

    Examples
    --------
    >>> GroupOutcome(key={"sex": "Female"}, status="fail", judged=0.7).status.value
    'fail'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: dict[str, str] = Field(
        default_factory=dict,
        description="The group ({attribute: value}); empty for a summary across groups.",
    )
    status: FindingStatus
    value: Estimate | None = None
    judged: float | None = Field(
        default=None,
        description="The number compared with the threshold (the point "
        "estimate or an end of its interval, as the check's judge says).",
    )
    n: int | None = Field(default=None, description="Rows in the group.")
    reference: dict[str, str] | None = Field(
        default=None, description="The group this one was compared with, if any."
    )
    p_adjusted: float | None = None
    note: str = ""


class Finding(BaseModel):
    """One check's outcome, with the evidence behind it.

    Examples
    --------
    >>> f = Finding(check_id="di-sex", status="pass", metric="selection_rate", measure="ratio")
    >>> f.status.value
    'pass'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    check_id: str
    title: str = ""
    status: FindingStatus
    severity: Literal["fail", "warn"] = "fail"
    metric: str
    measure: str
    grouping: list[str] = Field(default_factory=list)
    value: Estimate | None = None
    threshold: dict[str, float] = Field(default_factory=dict)
    judge: Literal["point", "ci_lower", "ci_upper"] = "point"
    groups: list[dict[str, str]] = Field(
        default_factory=list, description="The groups that breach the threshold."
    )
    requirements: list[str] = Field(
        default_factory=list, description="Framework requirement ids this check is evidence for."
    )
    message: str = ""
    check_type: str | None = Field(
        default=None,
        description="What kind of check this is, e.g. "
        "'fairness.selection_rate.impact_ratio': the key the governance catalog maps to "
        "requirements.",
    )
    preset: str | None = Field(default=None, description="The preset the check comes from.")
    location: str | None = Field(
        default=None, description="Where the check is written: 'FILE:LINE' of the policy."
    )
    outcomes: list[GroupOutcome] = Field(
        default_factory=list,
        description="Every group (or summary) the check judged, breaching or not.",
    )
