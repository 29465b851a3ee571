"""HTML fragments for the report: impact-ratio tables and worst-subgroup discovery.

Impact tables are laid out as the summary of results of a NYC Local Law 144 audit.

Each fragment is a section ``(id, title, html)`` that the HTML report places after its
charts; text from the data is escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from accord.report._policy_charts import discovery_chart, impact_chart
from accord.report._policy_layout import (
    Layout,
    discovery_layout,
    distinct_tables,
    impact_layout,
)
from accord.report._result import AuditResult
from accord.report._templates import template_environment

STYLE = """<style>
.accord-policy-table table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
.accord-policy-table caption{text-align:left;font-weight:600;padding:.25rem 0}
.accord-policy-table th,.accord-policy-table td{padding:.25rem .6rem;border-bottom:1px solid #e4e6e9;text-align:left}
.accord-policy-table .num{text-align:right}
.accord-policy-table tr.flag td{background:#fdecea}
.accord-policy-table tr.excluded td{color:#57606a;font-style:italic}
.accord-policy-table figcaption{color:#57606a;font-size:.9rem}
.accord-policy-table .accord-chart svg{max-width:100%;height:auto}
</style>"""


def policy_sections(result: AuditResult) -> list[tuple[str, str, str]]:
    """Return the report sections a policy adds: impact ratios and worst subgroups.

    Each is ``(id, title, html)``, for ``render_html(result, extra_sections=...)``; an
    audit without them gives an empty list.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 1] * 25, "g": ["a", "b"] * 50})
    >>> r = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                  policy={"version": 1, "extends": "four-fifths"})
    >>> [s[0] for s in policy_sections(r)]
    ['impact-ratios']
    """
    outcome = result.policy
    if outcome is None:
        return []
    sections = []
    if outcome.impact_tables:
        sections.append(("impact-ratios", "Impact ratios", impact_tables_html(result)))
    if outcome.discovery is not None:
        sections.append(("worst-subgroups", "Worst subgroups", discovery_html(result)))
    return sections


def impact_tables_html(result: AuditResult) -> str:
    """Return every impact table of ``result`` as HTML, each with its chart and notes.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [1, 1, 0, 1] * 30,
    ...                    "g": ["a"] * 70 + ["b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                       preset=["four-fifths"])
    >>> html = impact_tables_html(result)
    >>> html.count("<table") >= 1 and "0.977" in html
    True
    """
    assert result.policy is not None
    parts = [STYLE]
    for table in distinct_tables(result.policy.impact_tables):
        layout = impact_layout(table)
        marks = [
            "excluded"
            if r.status in ("excluded", "withheld")
            else "flag"
            if r.impact_ratio is not None
            and r.impact_ratio.value is not None
            and r.impact_ratio.value < 0.8
            else ""
            for r in table.rows
        ]
        parts.append(_render(layout, impact_chart(table), marks))
    return "\n".join(parts)


def discovery_html(result: AuditResult) -> str:
    """Return the discovered subgroups of ``result`` as HTML, with a chart of their gaps.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [1, 1, 0, 1] * 30,
    ...                    "g": ["a"] * 70 + ["b"] * 50, "h": ["x", "y", "z"] * 40})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                       discover=True, explore=["h"])
    >>> html = discovery_html(result)
    >>> "tested" in html
    True
    """
    assert result.policy is not None and result.policy.discovery is not None
    d = result.policy.discovery
    marks = ["flag" if s.direction == "worse" else "" for s in d.top]
    return STYLE + _render(discovery_layout(d), discovery_chart(d), marks)


def _render(layout: Layout, chart: str, marks: list[str]) -> str:
    from markupsafe import Markup

    template = _environment().get_template("policy_layout.html.j2")
    # The SVG comes from vl-convert, not from the data: it is markup, not text.
    html: str = template.render(
        layout=layout,
        chart=Markup(chart),  # noqa: S704
        marks=marks,
    )
    return html


@cache
def _environment() -> Any:
    return template_environment()
