"""Who is calling: bearer tokens for the API, signed session cookies for the pages.

Roles rank viewer < auditor < admin; a token or user may also be limited to one
system, and then every other system is invisible to it (404, never 403, so
that it cannot even learn which systems exist).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from accord.registry import NotFoundError, Principal, Registry

SESSION_COOKIE = "accord_session"
SESSION_SECONDS = 8 * 3600

bearer = HTTPBearer(auto_error=False, description="An API token from `accord token create`.")


def request_registry(request: Request) -> Registry:
    """The registry the app serves."""
    reg: Registry = request.app.state.registry
    return reg


async def registry_of(request: Request) -> Registry:
    """The registry the app serves, as a dependency.

    ``async`` because it does no I/O: FastAPI runs a plain ``def`` dependency in a worker
    thread, and each hop to a thread and back cost about 0.3 ms a request under load.
    """
    return request_registry(request)


def api_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller of an API route: a valid bearer token, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401, "a bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
        )
    principal = request_registry(request).authenticate_token(credentials.credentials)
    if principal is None:
        raise HTTPException(
            401,
            "the token is unknown, revoked or expired",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return principal


def requires(role: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through callers whose role is at least ``role``."""

    async def check(principal: Annotated[Principal, Depends(api_principal)]) -> Principal:
        if not principal.allows(role):
            raise HTTPException(
                403, f"this needs the {role} role (the token is a {principal.role})"
            )
        return principal

    return check


Viewer = Annotated[Principal, Depends(requires("viewer"))]
Auditor = Annotated[Principal, Depends(requires("auditor"))]
Admin = Annotated[Principal, Depends(requires("admin"))]


def require_unscoped(principal: Principal) -> None:
    """Refuse a caller limited to one system (for inventory-wide changes)."""
    if principal.system_id is not None:
        raise HTTPException(403, "a token limited to one system cannot do this")


def check_system(principal: Principal, name: str) -> None:
    """404 unless the caller may see this system."""
    if principal.system is not None and principal.system != name:
        raise NotFoundError(
            "no system of this name", value=name, fix="list systems with GET /api/systems"
        )


def check_audit(registry: Registry, principal: Principal, audit_id: int) -> None:
    """404 unless the audit exists and the caller may see its system."""
    if not principal.sees(registry.audit_system_id(audit_id)):
        raise NotFoundError(
            "no audit with this id", value=audit_id, fix="list audits with GET /api/audits"
        )


# -- web sessions -----------------------------------------------------------------------------
# A signed cookie (HMAC-SHA256 with a key kept in the database, so that every server
# process accepts every other's sessions). The principal is looked up again on every
# request, so a revoked token or disabled user loses its session at once.


def _sign(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def make_session(key: bytes, principal: Principal, now: float | None = None) -> str:
    """A session cookie value for a principal."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    payload = f"{principal.kind}:{principal.id}:{expires}"
    raw = f"{payload}:{_sign(key, payload)}"
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii")


def read_session(
    key: bytes, cookie: str | None, now: float | None = None
) -> tuple[str, int, str] | None:
    """(kind, id, payload) from a valid, unexpired session cookie, else None."""
    if not cookie:
        return None
    try:
        raw = base64.urlsafe_b64decode(cookie.encode("ascii")).decode("ascii")
        kind, ident, expires, sig = raw.split(":")
        payload = f"{kind}:{ident}:{expires}"
        if not hmac.compare_digest(sig, _sign(key, payload)):
            return None
        if int(expires) < (now or time.time()):
            return None
        return kind, int(ident), payload
    except (ValueError, UnicodeError):
        return None


def csrf_token(key: bytes, session_payload: str) -> str:
    """The CSRF token of a session: forms must send it back."""
    return _sign(key, "csrf:" + session_payload)


def check_csrf(key: bytes, session_payload: str, sent: str | None) -> bool:
    """Whether a form carried its session's CSRF token."""
    return sent is not None and hmac.compare_digest(sent, csrf_token(key, session_payload))
