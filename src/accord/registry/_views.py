"""What the registry returns: plain, immutable pydantic records (also the API's responses)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from accord.governance import Coverage

Role = Literal["viewer", "auditor", "admin"]
Lifecycle = Literal["design", "development", "validation", "deployed", "retired"]
AuditStatus = Literal["pass", "warn", "fail", "error", "no_checks"]
Answer = Literal["yes", "no", "partial", "not_applicable"]
Decision = Literal["approved", "rejected"]

T = TypeVar("T")


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class Page(_View, Generic[T]):
    """One page of a list, with what is needed to fetch the next."""

    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


class LatestAudit(_View):
    """The most recent audit of a system, as the inventory shows it."""

    id: int
    created_at: datetime
    status: AuditStatus
    version: str


class SystemView(_View):
    """An AI system in the inventory."""

    name: str
    owner: str
    purpose: str
    domain: str
    countries: list[str]
    languages: list[str]
    lifecycle: Lifecycle
    risk_tier: str | None
    classification: dict[str, Any] | None = Field(
        description="The risk classification: tier, the answers that decided it, and the "
        "obligations it brings."
    )
    created_at: datetime
    updated_at: datetime
    latest_audit: LatestAudit | None = None
    aliases: dict[str, str] = Field(default_factory=dict, description="Alias -> version name.")


class VersionView(_View):
    """One version of a system's model."""

    system: str
    name: str
    description: str
    created_at: datetime
    aliases: list[str] = Field(default_factory=list)
    audits: int = 0


class DatasetView(_View):
    """The audited data, by fingerprint."""

    content_sha256: str
    file_sha256: str | None
    rows: int
    columns: dict[str, str]
    roles: dict[str, Any]
    path: str | None


class KeyDisparity(_View):
    """The spread of one key metric across the groups of one attribute."""

    attribute: str
    metric: str
    measure: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    status: str
    groups: int


class FindingView(_View):
    """One finding of one audit."""

    audit_id: int
    system: str
    check_id: str
    title: str
    status: str
    severity: str
    metric: str
    measure: str
    grouping: list[str]
    value: float | None
    ci_low: float | None
    ci_high: float | None
    message: str
    requirements: list[str]


class AuditView(_View):
    """A recorded audit's summary (the full result is at ``/api/audits/{id}/result``)."""

    id: int
    system: str
    version: str
    created_at: datetime
    recorded_at: datetime
    recorded_by: str
    accord_version: str
    schema_version: str
    task: str
    status: AuditStatus
    rows: int
    n_findings: int
    n_fail: int
    n_warn: int
    n_pass: int
    sensitive: list[str]
    result_sha256: str
    dataset_sha256: str
    key_disparities: list[KeyDisparity] = Field(default_factory=list)


class AuditDetail(AuditView):
    """An audit with its findings and dataset."""

    findings: list[FindingView]
    dataset: DatasetView
    previous_id: int | None = Field(description="The previous audit of the same system.")


class ChecklistAnswerView(_View):
    """The current answer to one process question for one system."""

    system: str
    item_id: str
    answer: Answer
    evidence_url: str | None
    comment: str
    answered_by: str
    answered_at: datetime


class ChecklistItemStatus(_View):
    """One question of the governance checklist, and where a system stands on it."""

    id: str = Field(description="The question id, e.g. PC-GOV-01.")
    area: str
    question: str
    expected_evidence: str
    requirements: list[str] = Field(description="The requirement ids a yes speaks to.")
    status: Literal["answered", "unanswered", "not_in_checklist"] = Field(
        description="not_in_checklist: an answer recorded for an id the checklist no longer has."
    )
    answer: ChecklistAnswerView | None = None


class SystemCoverage(_View):
    """The governance coverage of a system: its latest audit's checks, its classification
    and its checklist answers, per framework requirement.
    """

    system: str
    audit_id: int | None = Field(description="The audit whose checks count (the latest).")
    coverage: Coverage
    problem: str | None = Field(
        default=None, description="Why the latest audit's checks do not count, if they do not."
    )


class SignOffView(_View):
    """A sign-off: who approved which version for which use."""

    id: int
    system: str
    version: str
    audit_id: int | None
    decision: Decision
    use: str
    comment: str
    signed_by: str
    signed_at: datetime


class EventView(_View):
    """One entry of the hash-chained event log."""

    seq: int
    at: datetime
    actor: str
    action: str
    system: str | None
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class TokenView(_View):
    """An API token's record (never its secret)."""

    id: int
    name: str
    prefix: str
    role: Role
    system: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class NewToken(TokenView):
    """A token just created: the only time its secret is shown."""

    token: str = Field(description="The secret; store it now, it cannot be shown again.")


class UserView(_View):
    """A person who logs in with a password."""

    id: int
    username: str
    role: Role
    system: str | None
    created_at: datetime
    disabled_at: datetime | None


class ChainStatus(_View):
    """The result of verifying the event chain."""

    ok: bool
    events: int
    head_seq: int
    head_hash: str
    problems: list[str]


class MetricChange(_View):
    """How one metric's spread across one grouping's groups changed between two audits."""

    grouping: list[str]
    metric: str
    measure: str
    before: float | None
    before_ci: tuple[float | None, float | None]
    after: float | None
    after_ci: tuple[float | None, float | None]
    change: float | None
    intervals_overlap: bool | None = Field(
        description="Whether the two confidence intervals overlap; if they do, the change "
        "may be noise."
    )


class FindingChange(_View):
    """A check whose outcome differs (or exists in one audit only)."""

    check_id: str
    before: str | None
    after: str | None


class AuditComparison(_View):
    """What changed from one audit to another."""

    before: AuditView
    after: AuditView
    same_data: bool
    settings_changed: dict[str, tuple[Any, Any]]
    findings: list[FindingChange]
    metrics: list[MetricChange]
