"""Reports: the AuditResult record and its renderings (HTML, JSON, Markdown, terminal)."""

from accord.report._findings_md import render_findings_markdown
from accord.report._findings_terminal import render_findings_terminal
from accord.report._junit import render_junit
from accord.report._policy_html import discovery_html, impact_tables_html, policy_sections
from accord.report._result import (
    SCHEMA_VERSION,
    AuditResult,
    AuditSettings,
    InputInfo,
    RolesInfo,
    json_schema,
)
from accord.report._terminal import render_terminal

__all__ = [
    "SCHEMA_VERSION",
    "AuditResult",
    "AuditSettings",
    "InputInfo",
    "RolesInfo",
    "discovery_html",
    "impact_tables_html",
    "json_schema",
    "policy_sections",
    "render_findings_markdown",
    "render_findings_terminal",
    "render_junit",
    "render_terminal",
]
