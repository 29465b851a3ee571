"""The registry's web server: a REST API under ``/api`` (OpenAPI at ``/openapi.json``) and
server-rendered pages (inventory, system, audit, diff), over one registry database.

Examples
--------
>>> from accord.registry import Registry
>>> from accord.server import create_app
>>> reg = Registry("sqlite:///:memory:"); reg.upgrade()
>>> create_app(reg).openapi()["info"]["title"]
'accord registry'
"""

from accord.server._app import create_app
from accord.server._asgi import app_from_environment
from accord.server._client import TOKEN_ENV, push_audit
from accord.server._limits import DEFAULT_MAX_BYTES

__all__ = ["DEFAULT_MAX_BYTES", "TOKEN_ENV", "app_from_environment", "create_app", "push_audit"]
