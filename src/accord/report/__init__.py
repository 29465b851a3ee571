"""Reports: the AuditResult record and its renderings (HTML, JSON, Markdown, terminal)."""

from accord.report._result import (
    SCHEMA_VERSION,
    AuditResult,
    AuditSettings,
    InputInfo,
    RolesInfo,
    json_schema,
)
from accord.report._privacy import anonymization_html, pii_html, privacy_html
from accord.report._terminal import render_terminal

__all__ = [
    "SCHEMA_VERSION",
    "AuditResult",
    "AuditSettings",
    "InputInfo",
    "RolesInfo",
    "anonymization_html",
    "json_schema",
    "pii_html",
    "privacy_html",
    "render_terminal",
]
