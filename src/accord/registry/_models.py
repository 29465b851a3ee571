"""The registry's tables (SQLAlchemy 2 declarative models).

The schema itself is created and upgraded by the Alembic migrations in
``accord/registry/migrations``; these classes must match them (a test compares
the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("viewer", "auditor", "admin")
LIFECYCLE = ("design", "development", "validation", "deployed", "retired")
AUDIT_STATUSES = ("pass", "warn", "fail", "no_checks")
ANSWERS = ("yes", "no", "partial", "not_applicable")
DECISIONS = ("approved", "rejected")


def utcnow() -> datetime:
    """The current time, in UTC, to the microsecond."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no timezone-aware type: without this, the same row would read
    back naive on SQLite and aware on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every registry table."""

    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class System(Base):
    """An AI system: what it is for, who owns it, where it runs, how risky it is."""

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    owner: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(200), default="")
    countries: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    lifecycle: Mapped[str] = mapped_column(String(20), default="development")
    risk_tier: Mapped[str | None] = mapped_column(String(50), index=True)
    classification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[Version]] = relationship(back_populates="system", order_by="Version.id")

    __table_args__ = (
        CheckConstraint(
            "lifecycle IN ('design', 'development', 'validation', 'deployed', 'retired')",
            name="ck_systems_lifecycle",
        ),
    )


class Version(Base):
    """One version of a system's model."""

    __tablename__ = "versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    system: Mapped[System] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("system_id", "name", name="uq_versions_system_name"),)


class Alias(Base):
    """A movable name for one version of a system, such as ``production``."""

    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="RESTRICT"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("system_id", "name", name="uq_aliases_system_name"),)


class Dataset(Base):
    """Audited data, known by the fingerprint of its cell table (never its rows)."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)
    roles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Audit(Base):
    """One recorded audit: the full AuditResult JSON plus summary columns for queries."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="RESTRICT"))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(comment="When the audit ran.")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    accord_version: Mapped[str] = mapped_column(String(50))
    schema_version: Mapped[str] = mapped_column(String(10))
    task: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int] = mapped_column(Integer)
    n_findings: Mapped[int] = mapped_column(Integer, default=0)
    n_fail: Mapped[int] = mapped_column(Integer, default=0)
    n_warn: Mapped[int] = mapped_column(Integer, default=0)
    n_pass: Mapped[int] = mapped_column(Integer, default=0)
    sensitive: Mapped[list[Any]] = mapped_column(default=list)
    key_disparities: Mapped[list[Any]] = mapped_column(
        default=list, comment="The spread of the key metrics per attribute, for timelines."
    )
    result_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    result_json: Mapped[str] = mapped_column(Text, deferred=True)

    system: Mapped[System] = relationship()
    version: Mapped[Version] = relationship()
    dataset: Mapped[Dataset] = relationship()
    findings: Mapped[list[FindingRow]] = relationship(order_by="FindingRow.id")

    __table_args__ = (
        Index("ix_audits_system_created", "system_id", "created_at"),
        Index("ix_audits_created", "created_at"),
        Index("ix_audits_status", "status"),
        Index("ix_audits_version", "version_id"),
    )


class FindingRow(Base):
    """One finding of one audit (a copy of the AuditResult's, for queries)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    system_id: Mapped[int] = mapped_column(
        ForeignKey("systems.id", ondelete="RESTRICT"), index=True
    )
    check_id: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    metric: Mapped[str] = mapped_column(String(100))
    measure: Mapped[str] = mapped_column(String(100))
    grouping: Mapped[list[Any]] = mapped_column(default=list)
    value: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[list[Any]] = mapped_column(default=list)


class ChecklistAnswer(Base):
    """An answer to one process question for one system, with a link to its evidence.

    Answers are never overwritten: a new answer is a new row, the latest counts.
    """

    __tablename__ = "checklist_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    item_id: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(String(20))
    evidence_url: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(200))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_checklist_system_item", "system_id", "item_id"),)


class SignOff(Base):
    """Who approved (or rejected) which version for which use, when, and why."""

    __tablename__ = "signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(
        ForeignKey("systems.id", ondelete="RESTRICT"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="RESTRICT"))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id", ondelete="RESTRICT"))
    decision: Mapped[str] = mapped_column(String(20))
    use: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[Version] = relationship()


class Event(Base):
    """One entry of the append-only, hash-chained log of every change."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50), index=True)
    system_id: Mapped[int | None] = mapped_column(
        ForeignKey("systems.id", ondelete="RESTRICT"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ChainHead(Base):
    """The single row that names the last event; writers lock it to append in order."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """An API token, stored only as the SHA-256 of its secret."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(
        String(16), comment="The first characters, to tell tokens apart; not enough to use one."
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class User(Base):
    """A person who logs in to the web pages with a password (stored as a scrypt hash)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column()


class Setting(Base):
    """Server-wide settings shared by every process (e.g. the session-signing key)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
