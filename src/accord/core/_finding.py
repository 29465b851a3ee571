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
