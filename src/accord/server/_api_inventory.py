"""API: systems, versions, aliases, checklist answers and sign-offs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.exceptions import RequestValidationError

from accord.core import UsageError
from accord.registry import (
    ChecklistAnswerView,
    ChecklistItemStatus,
    Page,
    Registry,
    SignOffView,
    SystemCoverage,
    SystemView,
    VersionView,
)
from accord.registry._views import AuditStatus, Lifecycle
from accord.server._auth import Admin, Auditor, Viewer, check_system, registry_of, require_unscoped
from accord.server._errors import ERROR_RESPONSES
from accord.server._inputs import (
    NAME_PATTERN,
    QUESTION_IDS,
    TEXT_PATTERN,
    AliasSet,
    ChecklistAnswerIn,
    ClassificationAnswers,
    QuestionId,
    SignOffIn,
    SystemCreate,
    SystemFields,
    VersionCreate,
)

router = APIRouter(prefix="/api", tags=["inventory"], responses=ERROR_RESPONSES)

Reg = Annotated[Registry, Depends(registry_of)]
SystemName = Annotated[str, Path(min_length=1, max_length=200, pattern=NAME_PATTERN)]
QuestionPath = Annotated[
    QuestionId,
    Path(
        min_length=1,
        max_length=200,
        pattern=NAME_PATTERN,
        description="A question id of the governance checklist (GET /api/checklist).",
        examples=["PC-GOV-01"],
        json_schema_extra={"enum": QUESTION_IDS},
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]


@router.get("/systems", summary="List systems")
def list_systems(
    reg: Reg,
    who: Viewer,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=TEXT_PATTERN,
            description="Search name, owner, purpose, domain.",
        ),
    ] = None,
    risk_tier: Annotated[str | None, Query(max_length=50, pattern=TEXT_PATTERN)] = None,
    status: Annotated[AuditStatus | None, Query(description="Status of the latest audit.")] = None,
    lifecycle: Lifecycle | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SystemView]:
    """The inventory, ordered by name; a token limited to one system sees only that one."""
    return reg.list_systems(
        q=q,
        risk_tier=risk_tier,
        status=status,
        lifecycle=lifecycle,
        only=who.system_id,
        limit=limit,
        offset=offset,
    )


@router.post("/systems", status_code=201, summary="Add a system")
def create_system(body: SystemCreate, reg: Reg, who: Admin) -> SystemView:
    """Add a system to the inventory (admins not limited to one system)."""
    require_unscoped(who)
    fields = body.model_dump(exclude={"name"}, exclude_none=True)
    return reg.create_system(who.actor, body.name, **fields)


@router.get("/systems/{name}", summary="Get a system")
def get_system(name: SystemName, reg: Reg, who: Viewer) -> SystemView:
    """One system with its latest audit and aliases."""
    check_system(who, name)
    return reg.get_system(name)


@router.patch("/systems/{name}", summary="Update a system")
def update_system(name: SystemName, body: SystemFields, reg: Reg, who: Admin) -> SystemView:
    """Change a system's fields (the event log keeps before and after)."""
    check_system(who, name)
    return reg.update_system(who.actor, name, **body.model_dump(exclude_unset=True))


@router.get("/systems/{name}/versions", summary="List a system's versions")
def list_versions(name: SystemName, reg: Reg, who: Viewer) -> list[VersionView]:
    """Versions, newest first, with aliases and audit counts."""
    check_system(who, name)
    return reg.list_versions(name)


@router.post("/systems/{name}/versions", status_code=201, summary="Add a version")
def create_version(name: SystemName, body: VersionCreate, reg: Reg, who: Auditor) -> VersionView:
    """Add a version to a system."""
    check_system(who, name)
    return reg.create_version(who.actor, name, body.name, body.description)


@router.put("/systems/{name}/aliases/{alias}", summary="Point an alias at a version")
def set_alias(
    name: SystemName, alias: SystemName, body: AliasSet, reg: Reg, who: Admin
) -> VersionView:
    """Move an alias such as ``production``; every move is in the event log."""
    check_system(who, name)
    return reg.set_alias(who.actor, name, alias, body.version)


@router.get("/systems/{name}/checklist", summary="A system's checklist answers")
def get_checklist(name: SystemName, reg: Reg, who: Viewer) -> list[ChecklistAnswerView]:
    """The current answer to each process question."""
    check_system(who, name)
    return reg.checklist(name)


@router.get("/systems/{name}/checklist/status", summary="A system's checklist status")
def checklist_status(name: SystemName, reg: Reg, who: Viewer) -> list[ChecklistItemStatus]:
    """Every question of the governance checklist: answered (with its evidence link) or
    unanswered; answers to ids the checklist no longer has come last.
    """
    check_system(who, name)
    return reg.checklist_status(name)


@router.put("/systems/{name}/checklist/{item_id}", summary="Answer a checklist question")
def answer_checklist(
    name: SystemName, item_id: QuestionPath, body: ChecklistAnswerIn, reg: Reg, who: Auditor
) -> ChecklistAnswerView:
    """Record an answer to a question of the governance checklist, with a link to its
    evidence (earlier answers are kept). An id the checklist does not have is a 422.
    """
    check_system(who, name)
    return reg.answer_checklist(
        who.actor, name, item_id, body.answer, evidence_url=body.evidence_url, comment=body.comment
    )


@router.put("/systems/{name}/classification", summary="Classify a system")
def classify_system(
    name: SystemName, body: ClassificationAnswers, reg: Reg, who: Admin
) -> SystemView:
    """Classify the system under the EU AI Act from questionnaire answers (the question ids
    of ``accord classify``) and store the result: the tier (which becomes the risk tier),
    the answers that decided it, and the obligations with references and dates.
    """
    check_system(who, name)
    try:
        return reg.classify_system(who.actor, name, body.answers)
    except UsageError as exc:
        if not (exc.column or "").startswith("answers"):
            raise
        # Name the field as every other validation error does: body.answers.<question id>.
        raise RequestValidationError(
            [
                {
                    "loc": ("body", *exc.column.split(".", 1)),  # type: ignore[union-attr]
                    "msg": f"{exc.message}; {exc.fix}" if exc.fix else exc.message,
                    "type": "value_error",
                    "input": exc.value,
                }
            ]
        ) from None


@router.get("/systems/{name}/coverage", summary="A system's governance coverage")
def coverage(name: SystemName, reg: Reg, who: Viewer) -> SystemCoverage:
    """Which framework requirements the latest audit's checks evidence (passing or
    failing), which the checklist answers speak to, and which nothing covers yet; the
    classification decides which obligations are in scope.
    """
    check_system(who, name)
    return reg.coverage(name)


@router.get("/systems/{name}/signoffs", summary="A system's sign-offs")
def list_signoffs(
    name: SystemName, reg: Reg, who: Viewer, limit: Limit = 50, offset: Offset = 0
) -> Page[SignOffView]:
    """Sign-offs, newest first."""
    check_system(who, name)
    return reg.list_signoffs(name, limit=limit, offset=offset)


@router.post("/systems/{name}/signoffs", status_code=201, summary="Sign off a version")
def sign_off(name: SystemName, body: SignOffIn, reg: Reg, who: Admin) -> SignOffView:
    """Approve (or reject) a version for a use, with a comment."""
    check_system(who, name)
    return reg.sign_off(
        who.actor,
        name,
        body.version,
        decision=body.decision,
        use=body.use,
        comment=body.comment,
        audit_id=body.audit_id,
    )
