"""API: the event log and its verification, tokens, who am I, health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from accord import __version__
from accord.registry import ChainStatus, EventView, NewToken, Page, Registry, TokenView
from accord.server._auth import Admin, Viewer, check_system, registry_of, require_unscoped
from accord.server._errors import ERROR_RESPONSES
from accord.server._inputs import NAME_PATTERN, TokenCreate

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

Reg = Annotated[Registry, Depends(registry_of)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]


class Me(BaseModel):
    """The caller, as the server sees it."""

    actor: str
    role: str
    system: str | None


class Health(BaseModel):
    """Whether the server and its database answer."""

    ok: bool
    version: str


@router.get("/events", tags=["events"], summary="List events")
def list_events(
    reg: Reg,
    who: Viewer,
    system: Annotated[
        str | None, Query(min_length=1, max_length=200, pattern=NAME_PATTERN)
    ] = None,
    action: Annotated[str | None, Query(max_length=50, pattern=r"^[a-z_.]+$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[EventView]:
    """The hash-chained event log, newest first."""
    if system is not None:
        check_system(who, system)
    return reg.list_events(
        system=system, action=action, only=who.system_id, limit=limit, offset=offset
    )


@router.get("/events/verify", tags=["events"], summary="Verify the event chain")
def verify(reg: Reg, who: Admin) -> ChainStatus:
    """Recompute every event's hash and check every link (admins not limited to a system)."""
    require_unscoped(who)
    return reg.verify()


@router.get("/tokens", tags=["tokens"], summary="List tokens")
def list_tokens(reg: Reg, who: Admin) -> list[TokenView]:
    """Every token's record; never a secret."""
    require_unscoped(who)
    return reg.list_tokens()


@router.post("/tokens", tags=["tokens"], status_code=201, summary="Create a token")
def create_token(body: TokenCreate, reg: Reg, who: Admin) -> NewToken:
    """Create a token; the response is the only time its secret is shown."""
    require_unscoped(who)
    return reg.create_token(
        who.actor, body.name, body.role, system=body.system, expires_at=body.expires_at
    )


@router.delete("/tokens/{token_id}", tags=["tokens"], summary="Revoke a token")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], reg: Reg, who: Admin
) -> TokenView:
    """Revoke a token: it stops working at once."""
    require_unscoped(who)
    return reg.revoke_token(who.actor, token_id)


@router.get("/me", tags=["tokens"], summary="Who am I")
def me(who: Viewer) -> Me:
    """The caller's identity, role and system limit."""
    return Me(actor=who.actor, role=who.role, system=who.system)


@router.get("/health", tags=["health"], summary="Health check")
def health(reg: Reg) -> Health:
    """No authentication: says whether the database answers."""
    reg.list_systems(limit=1)
    return Health(ok=True, version=__version__)
