"""What a policy added to an audit: its sources, and the analyses its checks needed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.fairness import Discovery, ImpactTable
from accord.policy._model import _Strict as _Frozen


class PolicySource(_Frozen):
    """A file or preset a policy was read from, and the hash of its text."""

    kind: Literal["file", "preset"]
    name: str
    sha256: str


class PolicyOutcome(_Frozen):
    """The policy an audit was judged against, and the analyses it asked for.

    Stored in ``AuditResult.policy``; the findings themselves are ``AuditResult.findings``.
    """

    system: str | None = Field(default=None, description="The system the policy is for.")
    version: int = 1
    sources: list[PolicySource] = Field(
        default_factory=list, description="Files and presets the policy was built from."
    )
    presets: list[str] = Field(default_factory=list, description="Presets in force.")
    checks: int = Field(default=0, description="Checks enabled.")
    impact_tables: list[ImpactTable] = Field(
        default_factory=list, description="Impact-ratio tables (four-fifths rule, NYC LL144)."
    )
    discovery: Discovery | None = Field(default=None, description="Worst-subgroup discovery.")
    errors: dict[str, str] = Field(
        default_factory=dict,
        description="Check id -> why an analysis the check needs could not be computed.",
    )
