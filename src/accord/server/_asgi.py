"""The application built from environment variables: for ``uvicorn --factory`` and for
``accord serve`` with several worker processes.
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from accord.registry import Registry, check_schema
from accord.server._app import DEFAULT_THREADS, create_app
from accord.server._limits import DEFAULT_MAX_BYTES

ENV_DB = "ACCORD_DB"
ENV_MAX_UPLOAD = "ACCORD_MAX_UPLOAD_BYTES"
ENV_SECURE_COOKIES = "ACCORD_SECURE_COOKIES"
ENV_THREADS = "ACCORD_THREADS"


def app_from_environment() -> FastAPI:
    r"""Build the app over ``$ACCORD_DB`` (default: the user's SQLite registry).

    The schema must be at the latest revision (``accord db upgrade``); the server
    never migrates on its own when started this way, so that several processes
    can start at once.

    Examples
    --------
    Run four worker processes on one PostgreSQL database::

        ACCORD_DB=postgresql://accord@db/accord \\
            uvicorn --factory accord.server:app_from_environment --workers 4

    The same, in Python, over a SQLite file:

    >>> import tempfile
    >>> from unittest import mock
    >>> url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "registry.sqlite3")
    >>> Registry(url).upgrade()
    >>> with mock.patch.dict(os.environ, {ENV_DB: url}):  # set for this call only
    ...     app_from_environment().title
    'accord registry'
    """
    registry = Registry(os.environ.get(ENV_DB) or None)
    check_schema(registry.engine)
    app = create_app(
        registry,
        max_upload_bytes=int(os.environ.get(ENV_MAX_UPLOAD, DEFAULT_MAX_BYTES)),
        secure_cookies=os.environ.get(ENV_SECURE_COOKIES, "") not in ("", "0", "false"),
        threads=int(os.environ.get(ENV_THREADS, DEFAULT_THREADS)),
    )
    settle_heap()
    return app


def settle_heap() -> None:
    """Move every object of the started server out of the garbage collector's sight.

    The server's modules, routes and models (about 175,000 objects) live as long as the
    process; a full collection traverses them all, taking about 100 ms on 2 cores, and
    stalls every request in flight, several times a minute under load. Frozen
    (``gc.freeze``), they are never traversed, and a full collection takes a few
    milliseconds. Only for a server process (``app_from_environment``), since the freeze
    is process-wide.
    """
    gc.collect()
    gc.freeze()
