"""Reports: the AuditResult record and its renderings (HTML, JSON, Markdown, terminal).

The HTML renderer (Jinja2, Altair, vl-convert) is imported on first use, so that
importing the record stays fast. Report sections of other areas reuse the chart
builders of ``accord.report._charts`` (bars with interval whiskers, heatmaps,
reliability curves, ``to_svg``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.report._findings_md import render_findings_markdown
from accord.report._findings_terminal import render_findings_terminal
from accord.report._junit import render_junit
from accord.report._markdown import render_markdown
from accord.report._policy_html import discovery_html, impact_tables_html, policy_sections
from accord.report._privacy import anonymization_html, pii_html, privacy_html
from accord.report._result import (
    SCHEMA_VERSION,
    AuditResult,
    AuditSettings,
    InputInfo,
    RolesInfo,
    json_schema,
)
from accord.report._terminal import render_terminal

if TYPE_CHECKING:
    from accord.report._coverage import render_coverage_section
    from accord.report._frameworks import render_matrix_charts
    from accord.report._html import render_html
    from accord.report._inclusion import render_inclusion_page, render_inclusion_section

__all__ = [
    "SCHEMA_VERSION",
    "AuditResult",
    "AuditSettings",
    "InputInfo",
    "RolesInfo",
    "anonymization_html",
    "discovery_html",
    "impact_tables_html",
    "json_schema",
    "pii_html",
    "policy_sections",
    "privacy_html",
    "render_coverage_section",
    "render_findings_markdown",
    "render_findings_terminal",
    "render_html",
    "render_inclusion_page",
    "render_inclusion_section",
    "render_junit",
    "render_markdown",
    "render_matrix_charts",
    "render_terminal",
]


def __getattr__(name: str) -> Any:
    if name == "render_html":
        from accord.report._html import render_html

        return render_html
    if name == "render_coverage_section":
        from accord.report._coverage import render_coverage_section

        return render_coverage_section
    if name == "render_matrix_charts":
        from accord.report._frameworks import render_matrix_charts

        return render_matrix_charts
    if name in ("render_inclusion_page", "render_inclusion_section"):
        from accord.report import _inclusion

        return getattr(_inclusion, name)
    raise AttributeError(f"module 'accord.report' has no attribute {name!r}")
