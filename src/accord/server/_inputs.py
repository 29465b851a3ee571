"""What the API accepts: request bodies and query types, validated before anything runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from accord.core import AccordError
from accord.governance import Classification, load_catalog
from accord.registry import check_question
from accord.registry._views import Answer, Decision, Lifecycle, Role
from accord.report import AuditResult

# A name: printable, no '/', no surrounding spaces (it appears in URLs and logs).
NAME_PATTERN = r"^[^/\s\x00-\x1f\x7f](?:[^/\x00-\x1f\x7f]*[^/\s\x00-\x1f\x7f])?$"
# Free text: anything but NUL, which PostgreSQL cannot store in text.
TEXT_PATTERN = r"^[^\x00]*$"

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NAME_PATTERN)]
Text = Annotated[str, Field(max_length=10_000, pattern=TEXT_PATTERN)]
ShortText = Annotated[str, Field(max_length=200, pattern=TEXT_PATTERN)]
Url = Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s\x00-\x1f]+$")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _utc(value: datetime) -> datetime:
    """A timestamp in UTC; one outside years 1900-9999 is refused."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not 1900 <= value.year <= 9999:
        raise ValueError("year must be between 1900 and 9999")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("timestamp out of range") from None


Timestamp = Annotated[datetime, AfterValidator(_utc)]


def _question(value: str) -> str:
    """A question id of the governance checklist; an unknown one is refused with a hint."""
    try:
        return check_question(value)
    except AccordError as exc:
        raise PydanticCustomError(
            "unknown_question", "{problem}; {fix}", {"problem": exc.message, "fix": exc.fix}
        ) from None


#: A question id of the governance checklist (listed by GET /api/checklist).
QuestionId = Annotated[str, AfterValidator(_question)]
QUESTION_IDS = [q.id for q in load_catalog().checklist]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SystemFields(_Input):
    """A system's descriptive fields (all optional when updating)."""

    owner: ShortText | None = None
    purpose: Text | None = None
    domain: ShortText | None = None
    countries: list[ShortText] | None = Field(
        None, max_length=300, description="ISO 3166 codes, e.g. DE, IN."
    )
    languages: list[ShortText] | None = Field(
        None, max_length=300, description="BCP 47 tags, e.g. en, hi."
    )
    lifecycle: Lifecycle | None = None
    risk_tier: ShortText | None = Field(
        None, description="Set by the classification when one is given."
    )
    classification: Classification | None = Field(
        None,
        description="The EU AI Act classification, as `accord classify --json` writes it: "
        "tier, the answers that decided it, obligations with references and dates. Or send "
        "the answers to PUT /api/systems/{name}/classification.",
    )


class SystemCreate(SystemFields):
    """A new system."""

    name: Name


class VersionCreate(_Input):
    """A new version of a system."""

    name: Name
    description: Text = ""


class AliasSet(_Input):
    """Where an alias should point."""

    version: Name


class AuditUpload(_Input):
    """An audit to record: the full AuditResult, for one version of one system."""

    system: Name
    version: Name = Field(description="The version audited (created if new).")
    result: AuditResult


class ChecklistAnswerIn(_Input):
    """An answer to one process question."""

    answer: Answer
    evidence_url: Url | None = None
    comment: Text = ""


class ClassificationAnswers(_Input):
    """Answers to the EU AI Act questionnaire, by the documented question ids."""

    answers: dict[Annotated[str, Field(max_length=100)], Any] = Field(
        max_length=200,
        description='Question id -> answer, e.g. {"annex3.uses": ["4(a)"], '
        '"art6_3.profiling": true}; unanswered questions take their default. The ids are '
        "listed in docs/governance.md (accord classify).",
    )


class SignOffIn(_Input):
    """A sign-off of one version for one use."""

    version: Name
    decision: Decision = "approved"
    use: Annotated[str, Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*\S[^\x00]*$")]
    comment: Text = ""
    audit_id: Id | None = None


class TokenCreate(_Input):
    """A new API token."""

    name: Name
    role: Role
    system: Name | None = Field(None, description="Limit the token to this one system.")
    expires_at: Timestamp | None = None
