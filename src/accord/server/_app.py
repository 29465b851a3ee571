"""The FastAPI application: the REST API under /api and the web pages, over one registry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import __version__
from accord.core import AccordError, UsageError
from accord.registry import Registry
from accord.server import _errors
from accord.server._limits import DEFAULT_MAX_BYTES, BodyLimit, SecurityHeaders

STATIC = Path(__file__).parent / "static"
#: Worker threads per process for the requests' database work (see create_app).
DEFAULT_THREADS = 4

DESCRIPTION = """\
The accord registry: AI systems, their versions, audits, findings, checklist answers and
sign-offs, with a hash-chained event log.

Authenticate with `Authorization: Bearer <token>` (tokens come from `accord token create`).
Roles: **viewer** reads; **auditor** also records audits, versions and checklist answers;
**admin** also edits systems, moves aliases, signs off and manages tokens. A token limited
to one system sees nothing else. Every error has one shape:
`{"ok": false, "status", "error", "errors": [{"field", "message", "type"}]}`.
"""


def create_app(
    registry: Registry,
    *,
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
    secure_cookies: bool = False,
    threads: int = DEFAULT_THREADS,
) -> FastAPI:
    """Build the application over a registry whose schema is up to date.

    Parameters
    ----------
    registry
        The registry to serve.
    max_upload_bytes
        Requests with a larger body are refused with 413.
    secure_cookies
        Mark the session cookie ``Secure`` (set it when serving behind HTTPS).
    threads
        Worker threads that run the database work of requests at once (per process).

    Examples
    --------
    >>> from accord.registry import Registry
    >>> reg = Registry("sqlite:///:memory:"); reg.upgrade()
    >>> app = create_app(reg)
    >>> app.title
    'accord registry'
    """
    from accord.server import (
        _api_admin,
        _api_audits,
        _api_frameworks,
        _api_inventory,
        _web,
        _web_frameworks,
    )

    if threads < 1:
        raise UsageError("threads must be at least 1", value=threads)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Requests run their database work in anyio's worker threads (40 by default).
        # Under load 40 threads fight over the GIL: on 2 cores with SQLite, 4 threads
        # served 160 requests/s where 40 served 115 (benchmarks/registry/load.py).
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="accord registry",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.registry = registry
    app.state.session_key = registry.secret_key()
    app.state.secure_cookies = secure_cookies
    app.include_router(_api_inventory.router)
    app.include_router(_api_audits.router)
    app.include_router(_api_admin.router)
    app.include_router(_api_frameworks.router)
    app.include_router(_web.router)
    app.include_router(_web_frameworks.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def on_validation(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await _errors.on_validation_error(request, exc)
        assert isinstance(exc, RequestValidationError)
        items = _errors.validation_items(exc)
        return _web.error_page(
            request,
            422,
            "The request is not valid: "
            + "; ".join(f"{i['field']}: {i['message']}" for i in items),
        )

    async def on_accord(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await _errors.on_accord_error(request, exc)
        assert isinstance(exc, AccordError)
        return _web.error_page(request, _errors.status_for(exc), str(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await _errors.on_http_error(request, exc)
        assert isinstance(exc, StarletteHTTPException)
        return _web.http_error_page(request, exc)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(AccordError, on_accord)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api", "/openapi.json"))
