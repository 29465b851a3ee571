"""The one error shape of the API, and how every failure maps onto it.

Every error response of ``/api`` is::

    {"ok": false, "status": 422, "error": "one line", "errors": [{"field": ..., "message": ...,
     "type": ...}]}

``field`` names where the problem is, as a dotted path (``body.result.input.rows``,
``query.limit``).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.core import AccordError, UsageError
from accord.registry import ConflictError, NotFoundError


class ErrorItem(BaseModel):
    """One problem, and where it is."""

    field: str | None = Field(description="Dotted path of the offending field, if any.")
    message: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    ok: bool = False
    status: int
    error: str
    errors: list[ErrorItem] = Field(default_factory=list)


#: Documented on every route, so that clients (and fuzzers) know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in [
        (400, "Bad request"),
        (401, "Not authenticated"),
        (403, "Not allowed for this role"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "Upload too large"),
        (422, "Invalid input: the field is named"),
    ]
}


def error_response(
    status: int,
    error: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON response in the one error shape."""
    body = ErrorBody(status=status, error=error, errors=[ErrorItem(**e) for e in errors or []])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def status_for(exc: AccordError) -> int:
    """The HTTP status for one of accord's errors."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, UsageError):
        return 422
    return 400


def validation_items(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's validation errors, each with its field as a dotted path."""
    items = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        items.append(
            {
                "field": ".".join(loc) or None,
                "message": str(err.get("msg", "")),
                "type": str(err.get("type", "invalid")),
            }
        )
    return items


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with every offending field named."""
    assert isinstance(exc, RequestValidationError)
    items = validation_items(exc)
    first = items[0] if items else {"field": None, "message": "invalid input"}
    where = f" at {first['field']}" if first.get("field") else ""
    return error_response(422, f"invalid input{where}: {first['message']}", items)


async def on_accord_error(request: Request, exc: Exception) -> JSONResponse:
    """Accord's own errors, with the status their class implies."""
    assert isinstance(exc, AccordError)
    status = status_for(exc)
    return error_response(
        status,
        str(exc),
        [{"field": exc.column, "message": exc.message, "type": type(exc).__name__}],
    )


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors (404 for an unknown route, 405, ...), in the same shape."""
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, str(exc.detail), headers=headers)
