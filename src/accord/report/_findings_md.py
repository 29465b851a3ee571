"""Findings as Markdown: a pull-request comment or a CI job summary.

The verdict first, then failures, check errors and warnings with the groups that breach,
the passing checks folded away, then impact tables and worst subgroups. GitHub limits a
comment to 65,536 characters; the text is cut below that, saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.core import Finding, FindingStatus
from accord.policy import format_estimate, format_key, format_threshold, verdict
from accord.report._digest import disclosure_text
from accord.report._markdown import md
from accord.report._policy_layout import (
    Layout,
    discovery_layout,
    distinct_tables,
    impact_layout,
)
from accord.report._result import AuditResult

#: GitHub's limit on a comment is 65,536 characters; keep a margin for the cut notice.
MAX_CHARS = 60_000
HEADLINE = {"passed": "✅ passed", "failed": "❌ failed", "error": "💥 a check could not run"}
SECTIONS = (
    (FindingStatus.FAIL, "Failures"),
    (FindingStatus.ERROR, "Checks that could not run"),
    (FindingStatus.WARN, "Warnings"),
    (FindingStatus.INSUFFICIENT_DATA, "Not enough data"),
)


def render_findings_markdown(
    result: AuditResult, *, fail_on: str = "fail", max_chars: int = MAX_CHARS
) -> str:
    """Render the verdict and findings of ``result`` as a Markdown comment.

    Parameters
    ----------
    result
        An audit judged against a policy.
    fail_on
        Which statuses fail the gate: the headline follows the same rule as the exit code.
    max_chars
        Longest text returned; the tail is cut (at a line end) beyond it.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 0] * 25, "g": ["a", "b"] * 50})
    >>> policy = {"version": 1, "checks": [{"id": "dp", "metric": "selection_rate",
    ...           "measure": "min_max_ratio", "threshold": {"gte": 0.8}}]}
    >>> r = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                  policy=policy)
    >>> render_findings_markdown(r).splitlines()[0]
    '## accord policy check: ✅ passed'
    """
    v = verdict(result.findings, fail_on)
    out = [f"## accord policy check: {HEADLINE[v.outcome]}", ""]
    out.append(_provenance(result))
    out += [
        "",
        f"**{v.summary}**" + ("" if fail_on == "fail" else f" (failing on: {fail_on})"),
        "",
    ]
    for status, title in SECTIONS:
        chosen = [f for f in result.findings if f.status == status]
        if chosen:
            out += [f"### {title}", "", *_findings_table(chosen), ""]
    passed = [f for f in result.findings if f.status == FindingStatus.PASS]
    if passed:
        out += [
            f"<details><summary>Passed ({len(passed)})</summary>",
            "",
            *_findings_table(passed),
            "",
            "</details>",
            "",
        ]
    if result.policy is not None:
        for table in distinct_tables(result.policy.impact_tables):
            out += _layout(impact_layout(table))
        if result.policy.discovery is not None:
            out += _layout(discovery_layout(result.policy.discovery))
    out += [f"_{md(disclosure_text(result))}_", ""]
    text = "\n".join(out).rstrip() + "\n"
    return _cut(text, max_chars)


def _provenance(result: AuditResult) -> str:
    parts = []
    if result.policy is not None and result.policy.system:
        parts.append(f"**System** {_cell(result.policy.system)}")
    source = result.input.path.rsplit("/", 1)[-1] if result.input.path else result.input.kind
    parts.append(
        f"**Data** {_cell(source)}, {result.input.rows:,} rows "
        f"(`{result.input.content_sha256[:12]}`)"
    )
    if result.policy is not None and result.policy.sources:
        parts.append(
            "**Policy** "
            + ", ".join(
                f"{_cell(s.name.rsplit('/', 1)[-1])} (`{s.sha256[:12]}`)"
                for s in result.policy.sources
            )
        )
    parts.append(f"accord {result.accord_version}")
    return " · ".join(parts)


def _findings_table(findings: Sequence[Finding]) -> list[str]:
    rows = [
        "| Check | Grouping | Value [CI] | Threshold | Groups | Evidence for |",
        "|---|---|---|---|---|---|",
    ]
    for f in findings:
        groups = "; ".join(format_key(g) for g in f.groups[:5])
        if len(f.groups) > 5:
            groups += f"; and {len(f.groups) - 5} more"
        if f.status in (FindingStatus.PASS, FindingStatus.INSUFFICIENT_DATA) or not groups:
            groups = f.message
        title = f"`{f.check_id}`" + (f"<br>{_cell(f.title)}" if f.title else "")
        rows.append(
            "| "
            + " | ".join(
                [
                    title,
                    _cell(" × ".join(f.grouping) or "-"),
                    _cell(format_estimate(f.value)),
                    _cell(format_threshold(f.threshold, f.judge)),
                    _cell(groups),
                    _cell(", ".join(f.requirements)),
                ]
            )
            + " |"
        )
    return rows


def _layout(layout: Layout) -> list[str]:
    align = ["---:" if i in layout.numeric else "---" for i in range(len(layout.columns))]
    lines = [
        f"### {_cell(layout.title)}",
        "",
        "| " + " | ".join(_cell(c) for c in layout.columns) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in layout.rows]
    lines.append("")
    lines += [f"- {_cell(n)}" for n in layout.notes]
    return [*lines, ""]


def _cell(text: str) -> str:
    # Table cells cannot hold a pipe or a line break; data values may contain either.
    return text.replace("|", "\\|").replace("\n", " ")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit("\n", 1)[0]
    return head + f"\n\n_… cut at {limit:,} characters: see the full report._\n"
