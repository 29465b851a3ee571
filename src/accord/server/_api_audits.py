"""API: audits (upload, list, get, the stored result, compare two) and findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from accord.registry import AuditComparison, AuditDetail, AuditView, FindingView, Page, Registry
from accord.registry._views import AuditStatus
from accord.server._auth import Auditor, Viewer, check_audit, check_system, registry_of
from accord.server._errors import ERROR_RESPONSES
from accord.server._inputs import NAME_PATTERN, TEXT_PATTERN, AuditUpload, Timestamp
from accord.server._inputs import Id as IdType

router = APIRouter(prefix="/api", tags=["audits"], responses=ERROR_RESPONSES)

Reg = Annotated[Registry, Depends(registry_of)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
NameQuery = Annotated[str | None, Query(min_length=1, max_length=200, pattern=NAME_PATTERN)]


@router.post("/audits", status_code=201, summary="Record an audit")
def upload_audit(body: AuditUpload, reg: Reg, who: Auditor) -> AuditView:
    """Record an AuditResult for a version of a system (the version is created if new).

    The body is validated against the AuditResult model; it is stored as canonical
    JSON, and its SHA-256 identifies it (the same audit cannot be recorded twice).
    """
    check_system(who, body.system)
    return reg.record_audit(who.actor, body.system, body.version, body.result)


@router.get("/audits", summary="List audits")
def list_audits(
    reg: Reg,
    who: Viewer,
    system: NameQuery = None,
    version: NameQuery = None,
    status: AuditStatus | None = None,
    since: Annotated[Timestamp | None, Query(description="Audits run at or after.")] = None,
    until: Annotated[Timestamp | None, Query(description="Audits run before.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AuditView]:
    """Audits, newest first."""
    if system is not None:
        check_system(who, system)
    return reg.list_audits(
        system=system,
        version=version,
        status=status,
        since=since,
        until=until,
        only=who.system_id,
        limit=limit,
        offset=offset,
    )


@router.get("/audits/{audit_id}", summary="Get an audit")
def get_audit(audit_id: Id, reg: Reg, who: Viewer) -> AuditDetail:
    """An audit's summary, findings, dataset fingerprint and the previous audit's id."""
    check_audit(reg, who, audit_id)
    return reg.get_audit(audit_id)


@router.get(
    "/audits/{audit_id}/result",
    summary="The stored AuditResult",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}},
            "description": "The AuditResult JSON, byte for byte as stored.",
        }
    },
)
def get_result(audit_id: Id, reg: Reg, who: Viewer) -> Response:
    """The full AuditResult JSON exactly as recorded (its SHA-256 is ``result_sha256``)."""
    check_audit(reg, who, audit_id)
    return Response(reg.audit_json(audit_id), media_type="application/json")


@router.get("/audits/{audit_id}/compare/{other_id}", summary="Compare two audits")
def compare(audit_id: Id, other_id: Id, reg: Reg, who: Viewer) -> AuditComparison:
    """What changed from ``audit_id`` to ``other_id``: settings, data, findings, metrics."""
    check_audit(reg, who, audit_id)
    check_audit(reg, who, other_id)
    return reg.compare(audit_id, other_id)  # type: ignore[no-any-return]


@router.get("/findings", summary="List findings")
def list_findings(
    reg: Reg,
    who: Viewer,
    system: NameQuery = None,
    audit_id: Annotated[IdType | None, Query()] = None,
    status: Annotated[str | None, Query(max_length=30, pattern=TEXT_PATTERN)] = None,
    check_id: Annotated[str | None, Query(max_length=200, pattern=TEXT_PATTERN)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[FindingView]:
    """Findings across audits, newest audit first."""
    if system is not None:
        check_system(who, system)
    if audit_id is not None:
        check_audit(reg, who, audit_id)
    return reg.list_findings(
        system=system,
        audit_id=audit_id,
        status=status,
        check_id=check_id,
        only=who.system_id,
        limit=limit,
        offset=offset,
    )
