"""The web pages: server-rendered with Jinja2, no JavaScript, no CDN.

Pages log in with an API token or a user's password and keep a signed session
cookie; every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.core import AccordError
from accord.governance import (
    QUESTIONS_BY_ID,
    TIER_LABELS,
    Classification,
    Coverage,
    Obligation,
)
from accord.registry import Principal, Registry
from accord.server import _auth
from accord.server._charts import timeline_rows, timeline_svg
from accord.server._inputs import NAME_PATTERN, TEXT_PATTERN, QuestionId

LOG = logging.getLogger("accord.server")


def item_url(item_id: str) -> str:
    """The page of a catalog item: ``EUAIA:Art10(2)(f)`` -> ``/frameworks/EUAIA/items/...``."""
    framework, _, ref = item_id.partition(":")
    return f"/frameworks/{quote(framework, safe='')}/items/{quote(ref, safe='/()')}"


TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["tier_label"] = lambda tier: TIER_LABELS.get(tier, tier)
TEMPLATES.env.globals["item_url"] = item_url
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
    return _auth.request_registry(request)


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


def render(
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
    response = render(
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
    return render(
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
    """A system: classification and obligations, timeline of key disparities, findings,
    governance coverage, checklist status, sign-offs, events.
    """
    _visible(session[0], name)
    reg = _registry(request)
    system = reg.get_system(name)
    history = reg.key_disparity_history(name)
    latest = reg.get_audit(system.latest_audit.id) if system.latest_audit else None
    classification = _classification(system.classification)
    # By date, and within a date in the classification's own order (by article).
    duties = sorted(
        (o for o in (classification.obligations if classification else []) if not o.basis),
        key=lambda o: o.applies_from or date.min,
    )
    checklist = reg.checklist_status(name)
    coverage = reg.coverage(name)
    return render(
        request,
        "system.html",
        {
            "system": system,
            "chart": timeline_svg(history),
            "chart_rows": timeline_rows(history),
            "audits": list(reversed(history))[:20],
            "latest": latest,
            "versions": reg.list_versions(name),
            "classification": classification,
            "duties": duties,
            "duty_schedule": _schedule(duties),
            "today": date.today(),
            "questions": QUESTIONS_BY_ID,
            "checklist": checklist,
            "checklist_counts": {
                "answered": sum(c.status == "answered" for c in checklist),
                "evidence": sum(
                    c.status == "answered" and bool(c.answer and c.answer.evidence_url)
                    for c in checklist
                ),
                "questions": sum(c.status != "not_in_checklist" for c in checklist),
            },
            "coverage": coverage,
            "coverage_html": _coverage_html(coverage.coverage.model_dump_json(by_alias=True)),
            "signoffs": reg.list_signoffs(name, limit=20).items,
            "events": reg.list_events(system=name, limit=20).items,
        },
        session=session,
    )


def _schedule(duties: list[Obligation]) -> list[tuple[str, int]]:
    """How many obligations apply today, and how many from each later date."""
    today = date.today()
    now = sum(o.applies_from is None or o.applies_from <= today for o in duties)
    later: dict[date, int] = {}
    for o in duties:
        if o.applies_from is not None and o.applies_from > today:
            later[o.applies_from] = later.get(o.applies_from, 0) + 1
    out = [("in force today", now)] if now else []
    return out + [(f"from {d.isoformat()}", n) for d, n in sorted(later.items())]


def _classification(record: dict[str, Any] | None) -> Classification | None:
    """The stored classification, when it is the output of ``accord classify``."""
    if not record:
        return None
    try:
        return Classification.model_validate(record)
    except ValueError:
        return None  # recorded before the governance classification: shown as it is


@lru_cache(maxsize=64)
def _coverage_html(coverage_json: str) -> Markup:
    """The coverage section of the audit report, for the system page (rendered once per
    distinct coverage: its chart costs a vl-convert run).
    """
    from accord.report import render_coverage_section

    coverage = Coverage.model_validate_json(coverage_json)
    return Markup(render_coverage_section(coverage, embedded=True))  # noqa: S704 - escaped by its template


@router.post("/systems/{name}/checklist")
def answer_checklist(
    request: Request,
    name: SystemName,
    session: Session,
    item_id: Annotated[QuestionId, Form(min_length=1, max_length=200, pattern=NAME_PATTERN)],
    answer: Annotated[str, Form(pattern=r"^(yes|no|partial|not_applicable)$")],
    evidence_url: Annotated[str, Form(max_length=2000, pattern=r"^(https?://\S+)?$")] = "",
    comment: FormText = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record an answer to a question of the governance checklist from the system page
    (auditors and admins).
    """
    principal = _check_form(request, session, csrf, "auditor")
    _visible(principal, name)
    _registry(request).answer_checklist(
        principal.actor, name, item_id, answer, evidence_url=evidence_url or None, comment=comment
    )
    return RedirectResponse(f"/systems/{quote(name)}#q-{quote(item_id)}", status_code=303)


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
    return render(request, "audit.html", {"audit": audit}, session=session)


@router.get("/audits/{audit_id}/report", response_class=HTMLResponse)
def audit_report(request: Request, audit_id: AuditId, session: Session) -> HTMLResponse:
    """The full HTML report of the audit, rendered from the stored AuditResult."""
    audit = _audit_for(request, session, audit_id)
    try:
        html = _registry(request).audit_result(audit.id).to_html()
    except AccordError:
        raise  # a refusal with its own message and status
    except Exception:
        LOG.exception("the report of audit %s could not be rendered", audit.id)
        return error_page(
            request,
            500,
            f"The report of audit #{audit.id} could not be rendered. Its stored JSON is at "
            f"/api/audits/{audit.id}/result (check it against result_sha256), and the "
            "server's log has the details.",
        )
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
    return render(
        request, "diff.html", {"audit": audit, "comparison": comparison}, session=session
    )


# -- errors ------------------------------------------------------------------------------------


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page (the API answers in JSON instead)."""
    return render(
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
