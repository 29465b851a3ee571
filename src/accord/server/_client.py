"""A small client for the registry API: what ``accord audit --push --server URL`` uses."""

from __future__ import annotations

import json
import os
from typing import Any

from accord.core import RegistryError, UsageError
from accord.report import AuditResult

TOKEN_ENV = "ACCORD_TOKEN"


def push_audit(
    server: str,
    result: AuditResult,
    *,
    system: str,
    version: str,
    token: str | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Record an audit on a registry server through ``POST /api/audits``.

    Parameters
    ----------
    server
        The server's base URL, e.g. ``https://accord.example.org``.
    result
        The audit to record.
    system, version
        Which system and version it audits.
    token
        An auditor's API token; default: ``$ACCORD_TOKEN``.
    timeout
        Seconds to wait for the server.

    Returns
    -------
    dict
        The recorded audit's summary, as the server returns it.

    Examples
    --------
    Record an audit of version 2.1 of the system ``credit``, with the token in
    ``$ACCORD_TOKEN`` (the call is skipped here: it needs a running server):

    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1] * 50, "g": ["a", "b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    >>> recorded = push_audit("https://accord.example.org", result,  # doctest: +SKIP
    ...                       system="credit", version="2.1")
    >>> recorded["system"], recorded["version"], recorded["rows"]  # doctest: +SKIP
    ('credit', '2.1', 100)
    """
    import httpx

    token = token if token is not None else os.environ.get(TOKEN_ENV, "")
    if not token:
        raise UsageError(
            "pushing to a server needs an API token",
            fix=f"set {TOKEN_ENV} to a token from `accord token create --role auditor`",
        )
    body = (
        '{"system":'
        + json.dumps(system)
        + ',"version":'
        + json.dumps(version)
        + ',"result":'
        + result.to_json(indent=None)
        + "}"
    )
    url = server.rstrip("/") + "/api/audits"
    try:
        response = httpx.post(
            url,
            content=body.encode("utf-8"),
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise RegistryError(
            "could not reach the registry server",
            value=url,
            fix=f"check the URL and that the server runs ({exc})",
        ) from None
    if response.status_code != 201:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text[:300]
        raise RegistryError(
            f"the server refused the audit ({response.status_code}: {message})",
            fix=_fix_for(response.status_code),
        )
    data: dict[str, Any] = response.json()
    return data


def _fix_for(status: int) -> str:
    return {
        401: f"check {TOKEN_ENV}: the token is unknown, revoked or expired",
        403: "use a token with the auditor role (for this system)",
        404: "ask an admin to add the system first (POST /api/systems)",
        409: "this audit is already recorded",
        413: "the audit is larger than the server accepts",
    }.get(status, "see the server's message")
