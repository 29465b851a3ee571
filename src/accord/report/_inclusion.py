"""The inclusion section of a report, and the standalone page of ``accord inclusion``.

The section is an HTML fragment (trusted markup, with every value from the
data escaped by Jinja2) that a full report places under its own heading; the
page wraps it with a header, a style sheet and the methods. Charts are Altair
specifications rendered to inline SVG by vl-convert, so the page needs no
script and no network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from accord.core import Estimate, disclosure_note
from accord.inclusion import (
    InclusionResult,
    InclusionStats,
    PerformanceGrouping,
    Proxies,
    Representation,
    country_table,
)
from accord.report import _format as fmt
from accord.report._templates import template_environment

#: The badge (report.css class) a representation status is shown with.
STATUS_BADGE = {"absent": "fail", "under": "fail", "over": "warn", "ok": "pass"}
#: Blind spots and groups listed in tables before "and N more".
MAX_ROWS = 40
#: Countries shown in the performance chart (the rest are in the table).
MAX_CHART_GROUPS = 45


def render_inclusion_section(stats: InclusionStats, *, chart_prefix: str = "incl") -> str:
    """Render the inclusion section as an HTML fragment (headings from h3 down).

    Examples
    --------
    >>> import polars as pl
    >>> from accord.inclusion import assess
    >>> r = assess(pl.DataFrame({"g": ["a"] * 50 + ["b"] * 5}), groups="g", bootstrap=0)
    >>> "Blind spots" in render_inclusion_section(r.stats)
    True
    """
    env = _env()
    return env.get_template("inclusion_section.html.j2").render(
        s=stats,
        charts=_charts(stats, chart_prefix),
        findings=_sorted_findings(stats),
        level=fmt.percent(stats.settings.ci_level),
        badge=STATUS_BADGE,
        max_rows=MAX_ROWS,
        disclosure=disclosure_note(stats.settings.suppress_below),
    )


def render_inclusion_page(result: InclusionResult) -> str:
    """Render the result of ``accord inclusion`` as a self-contained HTML page.

    Examples
    --------
    >>> import polars as pl
    >>> from accord.inclusion import assess
    >>> r = assess(pl.DataFrame({"g": ["a"] * 50 + ["b"] * 5}), groups="g", bootstrap=0)
    >>> render_inclusion_page(r).startswith("<!DOCTYPE html>")
    True
    """
    env = _env()
    section = Markup(render_inclusion_section(result.stats))  # noqa: S704 (rendered above)
    return env.get_template("inclusion_page.html.j2").render(
        r=result, section=section, title=_title(result)
    )


def _title(result: InclusionResult) -> str:
    where = result.input.path or "data frame"
    return f"Inclusion audit of {where}"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env: Environment = template_environment(
        pct=_pct, ratio=_ratio, num=_num, key=_key, ci=_ci, p=fmt.p_value, count=fmt.count
    )
    return env


# -- formatting ----------------------------------------------------------------------------


def _pct(e: Estimate | None) -> str:
    words = fmt.missing_text(e)
    if words or e is None or e.value is None:
        return words or "—"
    return f"{e.value * 100:.1f}%"


def _ratio(e: Estimate | None, digits: int = 2) -> str:
    words = fmt.missing_text(e)
    if words or e is None or e.value is None:
        return words or "—"
    return f"{e.value:.{digits}f}"


def _ci(e: Estimate | None, scale: float = 1.0, digits: int = 2) -> str:
    if e is None or e.ci_low is None or e.ci_high is None or e.value is None:
        return ""
    return f"{e.ci_low * scale:.{digits}f} – {e.ci_high * scale:.{digits}f}"


def _num(x: float | int | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if isinstance(x, int):
        return f"{x:,}"
    if x != 0 and abs(x) < 10**-digits:
        return f"{x:.1e}"
    return f"{x:.{digits}f}"


def _key(key: dict[str, str]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in key.items())


def _sorted_findings(stats: InclusionStats) -> list[Any]:
    return sorted(stats.findings, key=lambda f: fmt.STATUS_ORDER.index(f.status))


# -- charts --------------------------------------------------------------------------------


def _charts(stats: InclusionStats, prefix: str) -> dict[str, str]:
    """Render every chart of the section to inline SVG, by name."""
    from accord.report._charts import ChartSpec, start_engine, to_svgs

    start_engine()
    specs: dict[str, ChartSpec] = {}
    for i, rep in enumerate(stats.representation):
        specs[f"rep{i}"] = ChartSpec(
            _representation_chart(rep, stats.settings.suppress_below),
            f"Representation ratio by {rep.grouping}",
            _rep_description(rep),
            f"{prefix}-rep{i}",
        )
    if stats.performance is not None:
        singles = [g for g in stats.performance.groupings if len(g.attributes) == 1]
        overall = stats.performance.overall.accuracy.value
        for i, g in enumerate(singles):
            specs[f"perf{i}"] = ChartSpec(
                _performance_chart(g, overall, _world(stats, g), stats.settings.suppress_below),
                f"Accuracy by {g.attributes[0]}",
                _perf_description(g),
                f"{prefix}-perf{i}",
            )
    for i, p in enumerate(stats.proxies):
        specs[f"proxy{i}"] = ChartSpec(
            _proxy_chart(p, stats.settings.proxy_threshold),
            f"Proxies for {p.attribute}",
            _proxy_description(p),
            f"{prefix}-proxy{i}",
        )
    return dict(zip(specs, to_svgs(list(specs.values())), strict=True))


def _representation_chart(rep: Representation, threshold: int) -> Any:
    from accord.report._charts import interval_chart

    rows = [
        {
            "group": g.group,
            "ratio": g.ratio.value if g.status != "absent" else None,
            # An absent group's note takes the place of its bar and whisker (the table has both).
            "lo": g.ratio.ci_low if g.status != "absent" else None,
            "hi": g.ratio.ci_high if g.status != "absent" else None,
            "one": 1.0,
            "note": f"absent (expected {g.expected:,.0f} rows)"
            if g.status == "absent"
            else (f"{g.status}: fewer than {threshold} rows" if g.n is None else None),
        }
        for g in rep.groups
    ]
    return interval_chart(
        rows,
        category="group",
        value="ratio",
        low="lo",
        high="hi",
        note="note",
        reference="one",
        mark="bar",
        width=420,
        step=22,
        title=f"Representation by {rep.grouping}",
        value_title="Share in the data ÷ share in the reference (dashed: 1, as in the reference)",
    )


def _world(stats: InclusionStats, g: PerformanceGrouping) -> list[str]:
    """List every M49 region (or sub-region) when the grouping is one.

    The chart then also shows the parts of the world the data has no rows from.
    """
    column = g.attributes[0]
    for d in stats.dimensions:
        if d.kind == "country" and column in (f"{d.name}:region", f"{d.name}:subregion"):
            return sorted(country_table().names_at(column.rsplit(":", 1)[1]))
    return []


def _performance_chart(
    g: PerformanceGrouping, overall: float | None, world: Sequence[str] = (), threshold: int = 0
) -> Any:
    from accord.report._charts import interval_chart

    rows: list[dict[str, Any]] = []
    for grp in g.groups:
        e = grp.accuracy
        rows.append(
            {
                "group": next(iter(grp.key.values())),
                "acc": None if e.value is None else e.value * 100,
                "lo": None if e.ci_low is None else e.ci_low * 100,
                "hi": None if e.ci_high is None else e.ci_high * 100,
                "n": grp.n or 0,
                "worst": g.worst is not None and grp.key == g.worst,
                "note": None
                if e.value is not None
                else f"{e.status.value.replace('_', ' ')} ({fmt.n_of(grp.n, threshold)})",
            }
        )
    present = {r["group"] for r in rows}
    rows += [
        {
            "group": name,
            "acc": None,
            "lo": None,
            "hi": None,
            "n": 0,
            "worst": False,
            "note": "no rows in the data",
        }
        for name in world
        if name not in present
    ]
    ok = sorted((r for r in rows if r["acc"] is not None), key=lambda r: float(r["acc"]))
    small = sorted((r for r in rows if r["acc"] is None), key=lambda r: -int(r["n"]))
    rows = (ok + small)[:MAX_CHART_GROUPS]
    for r in rows:
        r["overall"] = None if overall is None else overall * 100
    return interval_chart(
        rows,
        category="group",
        value="acc",
        low="lo",
        high="hi",
        note="note",
        highlight="worst",
        reference="overall" if overall is not None else None,
        width=420,
        title=f"Accuracy by {g.attributes[0]}",
        value_title="Accuracy, % (diamond: worst group; dashed: overall)",
    )


def _proxy_chart(p: Proxies, threshold: float) -> Any:
    from accord.report._charts import interval_chart

    rows = [
        {"feature": r.feature, "v": r.cramers_v_corrected or 0.0, "t": threshold}
        for r in p.ranking[:15]
    ]
    return interval_chart(
        rows,
        category="feature",
        value="v",
        reference="t",
        mark="bar",
        width=360,
        title=f"What stands in for {p.attribute}",
        value_title=f"Bias-corrected Cramér's V (dashed: flagged from {threshold:g})",
    )


def _rep_description(rep: Representation) -> str:
    parts = [
        f"{g.group}: {'absent' if g.status == 'absent' else _ratio(g.ratio)}" for g in rep.groups
    ]
    return "Representation ratio per group, 1 meaning as in the reference. " + "; ".join(parts)


def _perf_description(g: PerformanceGrouping) -> str:
    worst = _key(g.worst) if g.worst else "none"
    return (
        f"Accuracy per group with 95% intervals. Worst group: {worst}, "
        f"{_pct(g.worst_accuracy)}; gap to the best: {_pct(g.gap)}."
    )


def _proxy_description(p: Proxies) -> str:
    top: Sequence[str] = [f"{r.feature} {r.cramers_v_corrected or 0:.2f}" for r in p.ranking[:5]]
    return f"Bias-corrected Cramér's V of each feature with {p.attribute}: " + "; ".join(top)
