"""AuditResult: the one immutable record of an audit, from which every report is rendered."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field

from accord.core import (
    Finding,
    JsonRecord,
    UsageError,
    ValueStatus,
    did_you_mean,
    published_schema,
)
from accord.fairness import FairnessStats
from accord.inclusion import InclusionStats
from accord.policy import PolicyOutcome
from accord.privacy import DpGroupRelease

SCHEMA_VERSION = "1"


class InputInfo(BaseModel):
    """Where the audited data came from, and its fingerprints."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["file", "stdin", "frame"]
    library: str = Field(description="The library that held the data (polars for files).")
    path: str | None = None
    format: str | None = None
    rows: int
    columns: dict[str, str] = Field(description="Column -> type, for the columns with a role.")
    file_sha256: str | None = Field(default=None, description="SHA-256 of the file's bytes.")
    content_sha256: str = Field(
        description="SHA-256 of the audit's cell table: identical for the same data on any "
        "engine and in any row order."
    )


class RolesInfo(BaseModel):
    """Which column played which part."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str | None = None
    prediction: str | None = None
    score: str | None = None
    weight: str | None = None
    sensitive: list[str] = Field(default_factory=list)


class AuditSettings(BaseModel):
    """The settings the audit ran with: enough to re-run it and get the same numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: Literal["classification", "regression"]
    positive: str | None = None
    reference: dict[str, str] = Field(default_factory=dict)
    max_order: int | None = None
    min_group_size: int
    bootstrap: int
    seed: int
    ci_level: float
    bins: dict[str, list[float]] = Field(default_factory=dict)
    score_bins: int
    correction: str
    suppress_below: int = Field(
        default=0,
        description="Groups with 1 to suppress_below - 1 rows have their count withheld "
        "(0 or 1: counts shown; 0 in results recorded before this setting existed).",
    )
    dp_epsilon: float | None = Field(
        default=None, description="The privacy budget of the differentially private release."
    )


class AuditResult(JsonRecord):
    """The record of one audit: inputs' fingerprints, roles, settings, statistics, findings.

    Immutable and JSON-serialisable; its JSON Schema is published in the
    repository (``schemas/audit-result.schema.json``). Re-running an audit with
    the same inputs and seed gives the same numbers.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 1] * 25, "g": ["a"] * 60 + ["b"] * 40})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive=["g"], bootstrap=0)
    >>> result.by_group("selection_rate", attributes=["g"])["value"].to_list()
    [0.75, 0.75]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal["1"] = "1"
    accord_version: str
    created_at: datetime
    input: InputInfo
    roles: RolesInfo
    settings: AuditSettings
    fairness: FairnessStats
    inclusion: InclusionStats | None = Field(
        default=None,
        description="Representation against a reference population, blind "
        "spots, performance by region, missingness and proxies (when a reference population "
        "is given).",
    )
    findings: list[Finding] = Field(default_factory=list)
    policy: PolicyOutcome | None = Field(
        default=None,
        description="The policy the audit was judged against, and the analyses "
        "it asked for: impact-ratio tables, worst-subgroup discovery.",
    )
    dp_release: DpGroupRelease | None = Field(
        default=None,
        description="Per-group counts and rates released under differential privacy "
        "(audit with dp_epsilon / --dp-epsilon), each with its error bound.",
    )
    warnings: list[str] = Field(default_factory=list)

    # -- reports (JsonRecord gives to_dict, to_json, from_json and load) ------------------

    def to_html(self, path: str | Path | None = None) -> str:
        """A self-contained HTML report (charts inline, works offline); written to ``path``
        when given.
        """
        from accord.report._html import render_html
        from accord.report._policy_html import policy_sections

        sections = []
        if self.inclusion is not None:
            from accord.report._inclusion import render_inclusion_section

            sections.append(("inclusion", "Inclusion", render_inclusion_section(self.inclusion)))
        sections += policy_sections(self)
        html = render_html(self, sections)
        if path is not None:
            Path(path).write_text(html, encoding="utf-8")
        return html

    def to_markdown(self) -> str:
        """A short summary fit for a pull-request comment."""
        from accord.report._markdown import render_markdown

        return render_markdown(self)

    # -- access --------------------------------------------------------------------------

    def by_group(self, metric: str, attributes: list[str] | None = None) -> Any:
        """One metric per group of one grouping, as a Polars DataFrame.

        Parameters
        ----------
        metric
            A metric name (``selection_rate``, ``tpr``, ``auc``, ``tpr[setosa]`` for a
            multiclass audit, ...).
        attributes
            The grouping's attributes; default: the intersection of all sensitive
            attributes (or the largest computed).

        Returns
        -------
        polars.DataFrame
            One column per attribute, then ``n``, ``value``, ``ci_low``, ``ci_high`` and
            ``status``. ``value`` is null where the metric is undefined or the group too
            small.
        """
        stats = self.fairness
        names = [m.name for m in stats.metrics]
        if metric not in names:
            raise UsageError(
                "unknown metric",
                value=metric,
                fix=did_you_mean(metric, names, f"metrics are: {', '.join(names)}"),
            )
        attrs = attributes or max((g.attributes for g in stats.groupings), key=len)
        grouping = stats.grouping(attrs)
        if grouping is None:
            raise UsageError(
                "this grouping was not computed",
                value=attrs,
                fix="name sensitive attributes of the audit (raise max_order for more "
                "intersections)",
            )
        order = list(grouping.attributes)
        data: dict[str, list[Any]] = {a: [g.key[a] for g in grouping.groups] for a in order}
        data["n"] = [g.n for g in grouping.groups]
        ests = [g.metrics.get(metric) for g in grouping.groups]
        data["value"] = [e.value if e else None for e in ests]
        data["ci_low"] = [e.ci_low if e else None for e in ests]
        data["ci_high"] = [e.ci_high if e else None for e in ests]
        data["status"] = [e.status.value if e else ValueStatus.UNDEFINED.value for e in ests]
        schema: dict[str, Any] = {a: nw.String() for a in order}
        schema.update(
            {
                "n": nw.Int64(),
                "value": nw.Float64(),
                "ci_low": nw.Float64(),
                "ci_high": nw.Float64(),
                "status": nw.String(),
            }
        )
        return nw.from_dict(data, schema=schema, backend="polars").to_native()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of AuditResult, as published in ``schemas/audit-result.schema.json``.

    Examples
    --------
    >>> json_schema()["title"]
    'AuditResult'
    """
    return published_schema(AuditResult, "urn:accord:schema:audit-result:1")
