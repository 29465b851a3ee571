"""The Markdown summary: short enough for a pull-request comment or a CI job summary."""

from __future__ import annotations

import re

from accord.report import _format as fmt
from accord.report._digest import (
    Gap,
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
from accord.report._result import AuditResult

#: Small groups named before "and N more".
MAX_SMALL_LISTED = 8
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: object) -> str:
    r"""Text from data, escaped so that Markdown shows it as written.

    Examples
    --------
    >>> md("[30, 60) | *all*")
    '\\[30, 60) \\| \\*all\\*'
    """
    return _SPECIAL.sub(r"\\\1", str(text))


def render_markdown(result: AuditResult) -> str:
    """Render ``result`` as a short Markdown summary.

    It names the largest gap per key metric with its confidence interval, the
    worst-off group, the groups too small to report, the policy checks when the
    audit has any, and one line on the methods; the HTML report has the rest.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 40, "p": [0, 1, 1, 1] * 20, "g": ["a", "b"] * 40})
    >>> text = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0).to_markdown()
    >>> text.splitlines()[0]
    '### accord fairness audit'
    """
    stats = result.fairness
    level = fmt.percent(stats.ci_level)
    source = source_name(result)
    lines = [f"### accord fairness audit{': ' + md(source) if source else ''}", ""]
    lines.append(
        f"{result.input.rows:,} rows · {md(task_text(stats))} · sensitive: "
        f"{md(', '.join(result.roles.sensitive))} ({fmt.plural(len(stats.groupings), 'grouping')}, "
        f"{fmt.plural(group_count(stats), 'group')}) · {level} confidence intervals"
    )
    lines.append("")
    lines += _findings(result, level)
    gaps = largest_gaps(stats, key_metrics(stats))
    lines += _gaps(gaps, level)
    lines += _worst(gaps, stats.ci_level, stats.suppress_below)
    lines += _small(result)
    warnings = all_warnings(result)
    if warnings:
        lines.append("**Warnings**")
        lines.append("")
        lines += [f"- {md(w)}" for w in warnings]
        lines.append("")
    lines.append(_methods(result))
    return "\n".join(lines) + "\n"


def _findings(result: AuditResult, level: str) -> list[str]:
    findings = sorted(result.findings, key=lambda f: fmt.STATUS_ORDER.index(f.status))
    if not findings:
        return []
    counts = [
        f"{fmt.STATUS_MARK[s]} {n} {s.value.replace('_', ' ')}"
        for s in fmt.STATUS_ORDER
        if (n := sum(1 for f in findings if f.status == s))
    ]
    titles = {m.name: short_title(m) for m in result.fairness.metrics}
    out = [f"**Policy checks:** {' · '.join(counts)}", ""]
    out.append(f"| Status | Check | Metric | Value [{level} CI] | Threshold | Groups breaching |")
    out.append("|---|---|---|---|---|---|")
    for f in findings:
        groups = "; ".join(md(fmt.group(g)) for g in f.groups) or "—"
        value = md(fmt.estimate(f.value)) if f.value is not None else "—"
        out.append(
            f"| {fmt.STATUS_MARK[f.status]} {f.status.value.replace('_', ' ')} | `{f.check_id}` | "
            f"{md(titles.get(f.metric, f.metric))} ({md(f.measure)}) | {value} | "
            f"{md(fmt.threshold_text(f.threshold))} | {groups} |"
        )
    out.append("")
    return out


def _gaps(gaps: list[Gap], level: str) -> list[str]:
    if not gaps:
        return ["No metric could be compared: no grouping has two groups with enough data.", ""]
    out = ["**Largest gap per key metric** (across all groupings)", ""]
    out.append(
        f"| Metric | Grouping | Lowest → highest | Max − min [{level} CI] | "
        f"Min / max [{level} CI] | Differ from reference¹ |"
    )
    out.append("|---|---|---|---|---|---|")
    for gap in gaps:
        m, attrs = gap.metric.name, gap.grouping.attributes
        low, high = gap.lowest, gap.highest
        span = (
            f"{fmt.number(low.metrics[m].value)} ({md(fmt.group(low.key, attrs))}) → "
            f"{fmt.number(high.metrics[m].value)} ({md(fmt.group(high.key, attrs))})"
        )
        ratio = md(fmt.estimate(gap.summary.min_max_ratio)) if gap.ratio_meaningful else "—"
        out.append(
            f"| {md(short_title(gap.metric))} | {md(fmt.grouping(attrs))} | {span} | "
            f"{md(fmt.estimate(gap.summary.max_min_difference))} | {ratio} | "
            f"{gap.tests_text()} |"
        )
    out.append("")
    return out


def _worst(gaps: list[Gap], level: float, threshold: int) -> list[str]:
    worst = worst_off(gaps)
    if worst is None:
        return []
    first = worst.gaps[0]
    m = first.metric.name
    attrs = worst.grouping.attributes
    names = fmt.join_words([fmt.lower_first(short_title(g.metric)) for g in worst.gaps])
    text = (
        f"**Worst-off group:** {md(fmt.group(worst.group.key, attrs))} "
        f"({md(fmt.grouping(attrs))}, {md(fmt.n_of(worst.group.n, threshold))}), worst on "
        f"{md(names)}; "
        f"{md(fmt.lower_first(short_title(first.metric)))} "
        f"{md(fmt.estimate_prose(worst.group.metrics[m], level))}"
    )
    ref = first.reference
    if ref is not None:
        text += (
            f" against {md(fmt.estimate_prose(ref.metrics[m], level))} for the reference "
            f"{md(fmt.group(ref.key, attrs))}"
        )
    return [text + ".", ""]


def _small(result: AuditResult) -> list[str]:
    stats = result.fairness
    small = small_groups(stats)
    minimum = stats.min_group_size
    note = md(disclosure_text(result))
    dp = dp_text(result)
    tail = [f"{md(dp)}", ""] if dp is not None else []
    if not small:
        return [f"Every group has at least {minimum} rows. {note}", "", *tail]
    named = ", ".join(
        f"{md(fmt.group(g.key, grouping.attributes))} ({md(fmt.n_of(g.n, stats.suppress_below))})"
        for grouping, g in small[:MAX_SMALL_LISTED]
    )
    more = f" and {len(small) - MAX_SMALL_LISTED} more" if len(small) > MAX_SMALL_LISTED else ""
    return [
        f"**Too small to report** (fewer than {minimum} rows, shown as *insufficient data*): "
        f"{named}{more}. {note}",
        "",
        *tail,
    ]


def _methods(result: AuditResult) -> str:
    stats = result.fairness
    parts = []
    methods = dict.fromkeys(m.ci_method for m in stats.metrics)
    parts.append("intervals: " + "; ".join(md(fmt.method(c)) for c in methods))
    derived = [md(c) for c, _ in derived_methods(stats, {})]
    if derived:
        parts.append("differences and ratios: " + "; ".join(derived))
    if stats.bootstrap:
        parts.append(f"bootstrap B = {stats.bootstrap:,}, seed {stats.seed}")
    if stats.significance is not None:
        sig = stats.significance
        parts.append(
            f"¹ {md(sig.tests)} against the reference group, {md(sig.correction)} correction "
            f"over {sig.n_tests:,} tests, α = {sig.alpha:g}"
        )
    parts.append(f"minimum group size {stats.min_group_size}")
    parts.append(f"accord {md(result.accord_version)}")
    parts.append(f"data sha256 {result.input.content_sha256[:12]}")
    return "<sub>Methods: " + " · ".join(parts) + ".</sub>"
