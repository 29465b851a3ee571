"""Limits and headers: the cap on request bodies, security headers on every response."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The default cap on a request body (an AuditResult of a large intersectional audit is a
#: few MiB).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# The audit report is one self-contained HTML document with inline styles, charts and
# possibly a little inline script; it is shown in a sandboxed frame.
_REPORT_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'none'"
)


class _TooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so that FastAPI's body parser
    passes it on (it turns any other exception into a 400).
    """

    def __init__(self) -> None:
        super().__init__(413, "the request body is larger than the server accepts")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether or not a length is sent.

    Starlette's own body limit answers in plain text; this one answers in the API's
    one error shape. It counts the streamed bytes too (not only Content-Length), so a
    chunked upload cannot grow without bound.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send)
                return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        mib = self.max_bytes / 1024 / 1024
        body = json.dumps(
            {
                "ok": False,
                "status": 413,
                "error": f"the request body is larger than the limit of {mib:g} MiB",
                "errors": [],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Content-Security-Policy and friends on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = _REPORT_CSP if path.endswith("/report") else _PAGE_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ]
                if not path.startswith(("/api", "/openapi.json", "/docs")):
                    headers.append((b"content-security-policy", csp.encode()))
                if not path.startswith("/static"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
