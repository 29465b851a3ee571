"""The web pages: server-rendered with Jinja2, no JavaScript, no CDN.

Pages log in with an API token or a user's password and keep a signed session
cookie; every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.registry import Principal, Registry
from accord.server import _auth
from accord.server._charts import timeline_rows, timeline_svg
from accord.server._inputs import NAME_PATTERN, TEXT_PATTERN

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LOGIN_CSRF_COOKIE = "accord_login_csrf"
STATUS_LABELS = {
    "pass": "pass",
    "fail": "fail",
    "warn": "warn",
    "error": "error",
    "no_checks": "no checks",
    "insufficient_data": "insufficient data",
    None: "never audited",
}

router = APIRouter(include_in_schema=False)

SystemName = Annotated[str, PathParam(min_length=1, max_length=200, pattern=NAME_PATTERN)]
AuditId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
FormText = Annotated[str, Form(max_length=10_000, pattern=TEXT_PATTERN)]


def _registry(request: Request) -> Registry:
    return _auth.registry_of(request)


def _session(request: Request) -> tuple[Principal, str] | None:
    key: bytes = request.app.state.session_key
    found = _auth.read_session(key, request.cookies.get(_auth.SESSION_COOKIE))
    if found is None:
        return None
    kind, ident, payload = found
    principal = _registry(request).principal(kind, ident)
    return None if principal is None else (principal, payload)


def login_required(request: Request) -> tuple[Principal, str]:
    """The logged-in principal and its session payload; else a redirect to the login page."""
    found = _session(request)
    if found is None:
        raise HTTPException(401, "log in first")
    return found


Session = Annotated[tuple[Principal, str], Depends(login_required)]


def _render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    session: tuple[Principal, str] | None = None,
) -> HTMLResponse:
    key: bytes = request.app.state.session_key
    ctx = {"status_labels": STATUS_LABELS, "who": None, "csrf": None, **context}
    if session is not None:
        ctx["who"] = session[0]
        ctx["csrf"] = _auth.csrf_token(key, session[1])
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)


def _check_form(
    request: Request, session: tuple[Principal, str], csrf: str | None, role: str
) -> Principal:
    principal, payload = session
    if not _auth.check_csrf(request.app.state.session_key, payload, csrf):
        raise HTTPException(
            403,
            "the form has expired or did not come from this site; reload the page and try again",
        )
    if not principal.allows(role):
        raise HTTPException(403, f"this needs the {role} role")
    return principal


def _visible(principal: Principal, system: str) -> None:
    if principal.system is not None and principal.system != system:
        raise HTTPException(404, "no system of this name")


# -- login -------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, next: Annotated[str, Query(max_length=500)] = "/", error: str | None = None
) -> HTMLResponse:
    """The login page: an API token, or a user name and password."""
    nonce = secrets.token_urlsafe(24)
    response = _render(
        request,
        "login.html",
        {"next": _safe_next(next), "error": error, "login_csrf": nonce},
        status=401 if error else 200,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=request.app.state.secure_cookies,
        max_age=3600,
        path="/login",
    )
    return response


@router.post("/login")
def login(
    request: Request,
    csrf: Annotated[str, Form(max_length=200)] = "",
    token: Annotated[str, Form(max_length=500)] = "",
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the credentials; on success set the session cookie and go on."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf, expected):
        return login_form(request, next=next, error="The form expired; please try again.")
    reg = _registry(request)
    principal = None
    if token.strip():
        principal = reg.authenticate_token(token.strip())
    elif username and password:
        principal = reg.authenticate_user(username, password)
    if principal is None:
        return login_form(
            request, next=next, error="Those credentials are not valid (or were revoked)."
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        _auth.SESSION_COOKIE,
        _auth.make_session(request.app.state.session_key, principal),
        httponly=True,
        samesite="lax",
        secure=request.app.state.secure_cookies,
        max_age=_auth.SESSION_SECONDS,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(
    request: Request, session: Session, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """End the session."""
    _check_form(request, session, csrf, "viewer")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(_auth.SESSION_COOKIE)
    return response


def _safe_next(target: str) -> str:
    """Only a path on this site (never ``//host`` or a scheme): no open redirect."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# -- inventory ---------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def inventory(
    request: Request,
    session: Session,
    q: Annotated[str, Query(max_length=200, pattern=TEXT_PATTERN)] = "",
    tier: Annotated[str, Query(max_length=50, pattern=TEXT_PATTERN)] = "",
    status: Annotated[str, Query(max_length=20, pattern=TEXT_PATTERN)] = "",
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> HTMLResponse:
    """Every system: risk tier, latest audit status, last audited, owner; filter and search."""
    principal = session[0]
    reg = _registry(request)
    allowed = ("pass", "warn", "fail", "error", "no_checks", "never_audited")
    page = reg.list_systems(
        q=q or None,
        risk_tier=tier or None,
        status=status if status in allowed else None,
        only=principal.system_id,
        limit=50,
        offset=offset,
    )
    return _render(
        request,
        "inventory.html",
        {
            "page": page,
            "q": q,
            "tier": tier,
            "status": status,
            "tiers": reg.risk_tiers(),
            "statuses": allowed,
        },
        session=session,
    )


# -- system ------------------------------------------------------------------------------------


@router.get("/systems/{name}", response_class=HTMLResponse)
def system_page(request: Request, name: SystemName, session: Session) -> HTMLResponse:
    """A system: classification, timeline of key disparities, findings, checklist,
    sign-offs, events.
    """
    _visible(session[0], name)
    reg = _registry(request)
    system = reg.get_system(name)
    history = reg.key_disparity_history(name)
    latest = reg.get_audit(system.latest_audit.id) if system.latest_audit else None
    return _render(
        request,
        "system.html",
        {
            "system": system,
            "chart": timeline_svg(history),
            "chart_rows": timeline_rows(history),
            "audits": list(reversed(history))[:20],
            "latest": latest,
            "versions": reg.list_versions(name),
            "checklist": reg.checklist(name),
            "signoffs": reg.list_signoffs(name, limit=20).items,
            "events": reg.list_events(system=name, limit=20).items,
            "obligations": _obligations(system.classification),
        },
        session=session,
    )


def _obligations(classification: dict[str, Any] | None) -> list[Any]:
    if not classification:
        return []
    found = classification.get("obligations")
    return list(found) if isinstance(found, list) else []


@router.post("/systems/{name}/checklist")
def answer_checklist(
    request: Request,
    name: SystemName,
    session: Session,
    item_id: Annotated[str, Form(min_length=1, max_length=200, pattern=NAME_PATTERN)],
    answer: Annotated[str, Form(pattern=r"^(yes|no|partial|not_applicable)$")],
    evidence_url: Annotated[str, Form(max_length=2000, pattern=r"^(https?://\S+)?$")] = "",
    comment: FormText = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a checklist answer from the system page (auditors and admins)."""
    principal = _check_form(request, session, csrf, "auditor")
    _visible(principal, name)
    _registry(request).answer_checklist(
        principal.actor, name, item_id, answer, evidence_url=evidence_url or None, comment=comment
    )
    return RedirectResponse(f"/systems/{quote(name)}#checklist", status_code=303)


@router.post("/systems/{name}/signoffs")
def sign_off(
    request: Request,
    name: SystemName,
    session: Session,
    version: Annotated[str, Form(min_length=1, max_length=200, pattern=NAME_PATTERN)],
    use: Annotated[str, Form(min_length=1, max_length=2000, pattern=r"^[^\x00]*\S[^\x00]*$")],
    decision: Annotated[str, Form(pattern=r"^(approved|rejected)$")] = "approved",
    comment: FormText = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a sign-off from the system page (admins)."""
    principal = _check_form(request, session, csrf, "admin")
    _visible(principal, name)
    _registry(request).sign_off(
        principal.actor, name, version, decision=decision, use=use, comment=comment
    )
    return RedirectResponse(f"/systems/{quote(name)}#signoffs", status_code=303)


# -- audits ------------------------------------------------------------------------------------


def _audit_for(request: Request, session: tuple[Principal, str], audit_id: int) -> Any:
    reg = _registry(request)
    if not session[0].sees(reg.audit_system_id(audit_id)):
        raise HTTPException(404, "no audit with this id")
    return reg.get_audit(audit_id)


@router.get("/audits/{audit_id}", response_class=HTMLResponse)
def audit_page(request: Request, audit_id: AuditId, session: Session) -> HTMLResponse:
    """An audit: its summary, the full report (in a frame), a link to the diff."""
    audit = _audit_for(request, session, audit_id)
    return _render(request, "audit.html", {"audit": audit}, session=session)


@router.get("/audits/{audit_id}/report", response_class=HTMLResponse)
def audit_report(request: Request, audit_id: AuditId, session: Session) -> HTMLResponse:
    """The full HTML report of the audit, rendered from the stored AuditResult."""
    audit = _audit_for(request, session, audit_id)
    result = _registry(request).audit_result(audit.id)
    try:
        html = result.to_html()
    except ModuleNotFoundError:
        # The HTML renderer is not part of this installation yet: show the essentials.
        return _render(request, "report_fallback.html", {"audit": audit, "result": result})
    return HTMLResponse(html)


@router.get("/audits/{audit_id}/diff", response_class=HTMLResponse)
def audit_diff(
    request: Request,
    audit_id: AuditId,
    session: Session,
    against: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    """What changed since the previous audit of the same system (or ``?against=ID``)."""
    audit = _audit_for(request, session, audit_id)
    other_id = against or audit.previous_id
    comparison = None
    if other_id is not None:
        other = _audit_for(request, session, other_id)
        comparison = _registry(request).compare(other.id, audit.id)
    return _render(
        request, "diff.html", {"audit": audit, "comparison": comparison}, session=session
    )


# -- frameworks --------------------------------------------------------------------------------


@router.get("/frameworks", response_class=HTMLResponse)
def frameworks(request: Request, session: Session) -> HTMLResponse:
    """The governance catalog and crosswalk, once this installation has them."""
    return _render(request, "frameworks.html", {}, session=session, status=501)


# -- errors ------------------------------------------------------------------------------------


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page (the API answers in JSON instead)."""
    return _render(
        request,
        "error.html",
        {"code": status, "message": message},
        status=status,
        session=_session(request),
    )


def http_error_page(request: Request, exc: StarletteHTTPException) -> Response:
    """Starlette's HTTP errors as pages; 401 sends the browser to the login page."""
    if exc.status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return error_page(request, exc.status_code, str(exc.detail))
