"""The registry: an inventory of AI systems, their versions, audits, findings, checklist
answers and sign-offs, with an append-only, hash-chained event log.

SQLite (a file in the user's data directory) by default, PostgreSQL in
production; the schema is created and upgraded by the Alembic migrations
shipped in the package.

Examples
--------
>>> from accord.registry import Registry
>>> reg = Registry("sqlite:///:memory:")
>>> reg.upgrade()
>>> reg.verify().ok
True
"""

from accord.registry._db import default_url, make_engine, normalise_url
from accord.registry._db import describe as describe_url
from accord.registry._errors import ConflictError, IntegrityCheckError, NotFoundError
from accord.registry._governance import check_question
from accord.registry._migrate import check_schema, current_revision, head_revision
from accord.registry._principal import ROLE_RANK, Principal, local_principal
from accord.registry._store import Registry
from accord.registry._views import (
    AuditComparison,
    AuditDetail,
    AuditView,
    ChainStatus,
    ChecklistAnswerView,
    ChecklistItemStatus,
    EventView,
    FindingView,
    NewToken,
    Page,
    SignOffView,
    SystemCoverage,
    SystemView,
    TokenView,
    UserView,
    VersionView,
)

__all__ = [
    "ROLE_RANK",
    "AuditComparison",
    "AuditDetail",
    "AuditView",
    "ChainStatus",
    "ChecklistAnswerView",
    "ChecklistItemStatus",
    "ConflictError",
    "EventView",
    "FindingView",
    "IntegrityCheckError",
    "NewToken",
    "NotFoundError",
    "Page",
    "Principal",
    "Registry",
    "SignOffView",
    "SystemCoverage",
    "SystemView",
    "TokenView",
    "UserView",
    "VersionView",
    "check_question",
    "check_schema",
    "current_revision",
    "default_url",
    "describe_url",
    "head_revision",
    "local_principal",
    "make_engine",
    "normalise_url",
]
