"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

Layout, top to bottom: the policy verdict when the audit has findings; a
plain-language summary; the charts; any extra sections other parts of accord
pass in; the full tables; the methods. The page is rendered from Jinja2
templates in ``templates/`` with autoescaping on; numbers are written by
:mod:`accord.report._format`, so a group too small reads ``insufficient data``
and an undefined rate reads ``undefined``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from accord.core import SUPPRESS_BELOW, UsageError
from accord.fairness import FairnessStats, MetricInfo
from accord.report import _format as fmt
from accord.report._digest import (
    all_warnings,
    derived_methods,
    disclosure_text,
    dp_text,
    group_count,
    key_metrics,
    largest_gaps,
    short_title,
    small_groups,
    source_name,
    task_text,
    worst_off,
)
from accord.report._figures import audit_figures
from accord.report._result import AuditResult
from accord.report._templates import template_environment

#: (id, title, HTML fragment): a section another part of accord adds to the report.
Section = tuple[str, str, str]

_SECTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_RESERVED = {"findings", "summary", "charts", "tables", "methods", "main", "contents"}
#: Small groups listed by name in the summary before "and N more".
MAX_SMALL_LISTED = 12


@dataclass(frozen=True)
class ExtraSection:
    """A section of the report that another part of accord rendered."""

    id: str
    title: str
    html: Markup


def render_html(
    result: AuditResult, extra_sections: Sequence[Section] = (), *, coverage: bool = True
) -> str:
    """Render ``result`` as one self-contained HTML page.

    Parameters
    ----------
    result
        The audit to report.
    extra_sections
        ``(id, title, html)`` triples placed after the charts, each under its own
        heading and listed in the contents. ``html`` is trusted markup: its author
        escapes whatever it took from data.
    coverage
        Add the governance section: which framework requirements this audit gives
        evidence for (passing or failing), which need a process answer, and which
        nothing covers yet.

    Returns
    -------
    str
        The page: inline CSS, inline SVG charts, no script and no external resource.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 40, "p": [0, 1, 1, 1] * 20, "g": ["a", "b"] * 40})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    >>> page = render_html(result, [("notes", "Notes", "<p>Reviewed.</p>")])
    >>> page.startswith("<!DOCTYPE html>") and 'id="notes"' in page
    True
    """
    stats = result.fairness
    sections = [_extra(s) for s in extra_sections]
    if result.dp_release is not None:
        from accord.report._dp_html import dp_section

        sections.append(_extra(dp_section(result)))
    if coverage:
        sections.append(_coverage_section(result))
    figures = audit_figures(stats)
    keys = key_metrics(stats)
    gaps = largest_gaps(stats, keys)
    small = small_groups(stats)
    findings = sorted(result.findings, key=lambda f: fmt.STATUS_ORDER.index(f.status))
    titles = {m.name: short_title(m) for m in stats.metrics}
    context: dict[str, Any] = {
        "r": result,
        "stats": stats,
        "title": _title(result),
        "task": task_text(stats),
        "level": fmt.percent(stats.ci_level),
        "groupings_count": len(stats.groupings),
        "groups_count": group_count(stats),
        "intersections": [g for g in stats.groupings if len(g.attributes) > 1],
        "keys": keys,
        "gaps": gaps,
        "worst": worst_off(gaps),
        "small": small,
        "small_listed": small[:MAX_SMALL_LISTED],
        "disclosure": disclosure_text(result),
        "dp_text": dp_text(result),
        "warnings": all_warnings(result),
        "figures": figures,
        "sections": sections,
        "findings": findings,
        "finding_counts": _counts(findings),
        "methods": _methods(stats),
        "derived": derived_methods(stats, titles),
        "command": _command(result),
        "metric_titles": titles,
        "titles_of": lambda names, lower=False: [
            fmt.lower_first(titles.get(n, n)) if lower else titles.get(n, n) for n in names
        ],
    }
    return _environment().get_template("report.html.j2").render(**context)


def _coverage_section(result: AuditResult) -> ExtraSection:
    from accord.governance import compute_coverage, evidence_from_audit
    from accord.report._coverage import render_coverage_section

    evidence = evidence_from_audit(result.to_dict())
    cov = compute_coverage(findings=evidence.findings, measured=evidence.measured)
    html = render_coverage_section(cov, embedded=True)
    return _extra(("coverage", "Evidence for governance frameworks", html))


def _extra(section: Section) -> ExtraSection:
    sid, title, html = section
    if not _SECTION_ID.match(sid) or sid in _RESERVED:
        raise UsageError(
            "a report section id must be a unique HTML id",
            value=sid,
            fix="use letters, digits, '-' and '_', starting with a letter, and "
            f"none of {', '.join(sorted(_RESERVED))}",
        )
    return ExtraSection(id=sid, title=title, html=Markup(html))  # noqa: S704 - trusted fragment


def _title(result: AuditResult) -> str:
    source = source_name(result)
    return f"Fairness audit of {source}" if source else "Fairness audit"


def _counts(findings: Sequence[Any]) -> list[tuple[str, str, int]]:
    out = []
    for status in fmt.STATUS_ORDER:
        n = sum(1 for f in findings if f.status == status)
        if n:
            out.append((status.value, status.value.replace("_", " "), n))
    return out


def _methods(stats: FairnessStats) -> list[tuple[str, list[MetricInfo]]]:
    """Interval methods of the group metrics, with the metrics each one covers."""
    by_method: dict[str, list[MetricInfo]] = {}
    for m in stats.metrics:
        by_method.setdefault(m.ci_method, []).append(m)
    return list(by_method.items())


def _command(result: AuditResult) -> str | None:
    """The command line that re-runs this audit, when the data was a file."""
    if result.input.kind != "file" or not result.input.path:
        return None
    roles, s = result.roles, result.settings
    parts = ["accord", "audit", result.input.path]
    pairs = [
        ("--label", roles.label),
        ("--prediction", roles.prediction),
        ("--sensitive", ",".join(roles.sensitive)),
        ("--score", roles.score),
        ("--weight", roles.weight),
        ("--positive", s.positive),
    ]
    if s.task == "regression":
        pairs.append(("--task", "regression"))
    for flag, value in pairs:
        if value:
            parts += [flag, value]
    for col, ref in s.reference.items():
        parts += ["--reference", f"{col}={ref}"]
    for col, edges in s.bins.items():
        parts += ["--bins", f"{col}=" + ",".join(f"{e:g}" for e in edges)]
    if s.max_order is not None:
        parts += ["--max-order", str(s.max_order)]
    parts += [
        "--min-group-size",
        str(s.min_group_size),
        "--bootstrap",
        str(s.bootstrap),
        "--seed",
        str(s.seed),
    ]
    if s.ci_level != 0.95:
        parts += ["--ci-level", f"{s.ci_level:g}"]
    if s.suppress_below != SUPPRESS_BELOW:
        parts += ["--suppress-below", str(s.suppress_below)]
    if s.dp_epsilon is not None:
        parts += ["--dp-epsilon", f"{s.dp_epsilon:g}"]
    if s.correction != "holm":
        parts += ["--correction", s.correction]
    return shlex.join(parts)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env: Environment = template_environment(
        keep_trailing_newline=True,
        est=fmt.estimate,
        prose=fmt.estimate_prose,
        num=fmt.number,
        pval=fmt.p_value,
        group=fmt.group,
        grouping=fmt.grouping,
        signed=fmt.signed,
        ci=fmt.interval,
        missing=fmt.missing_text,
        plural=fmt.plural,
        words=fmt.join_words,
        lowerfirst=fmt.lower_first,
        threshold=fmt.threshold_text,
        method=fmt.method,
        edge=fmt.edge,
        count=fmt.count,
        n_of=fmt.n_of,
    )
    env.globals.update(
        status_mark=fmt.STATUS_MARK, INSUFFICIENT=fmt.INSUFFICIENT, UNDEFINED=fmt.UNDEFINED
    )
    return env
