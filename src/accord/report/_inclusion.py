"""The inclusion section of a report, and the standalone page of ``accord inclusion``.

The section is an HTML fragment (trusted markup, with every value from the
data escaped by Jinja2) that a full report places under its own heading; the
page wraps it with a header, a style sheet and the methods. Charts are Altair
specifications rendered to inline SVG by vl-convert, so the page needs no
script and no network.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from accord.core import Estimate, FindingStatus, ValueStatus
from accord.inclusion import (
    InclusionResult,
    InclusionStats,
    PerformanceGrouping,
    Proxies,
    Representation,
    country_table,
)

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#e4e6e9"
STATUS_COLOURS = {"under": "#D55E00", "absent": "#D55E00", "over": "#0072B2", "ok": "#8c959f"}
POINT = "#0b5394"
HIGHLIGHT = "#b45309"
STATUS_ORDER = [
    FindingStatus.FAIL,
    FindingStatus.ERROR,
    FindingStatus.WARN,
    FindingStatus.INSUFFICIENT_DATA,
    FindingStatus.PASS,
]
_ID = re.compile(r'\bid="')
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
        level=f"{stats.settings.ci_level * 100:g}%",
        max_rows=MAX_ROWS,
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
    env = Environment(
        loader=PackageLoader("accord.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=_pct, ratio=_ratio, num=_num, key=_key, ci=_ci, p=_p)
    return env


# -- formatting ----------------------------------------------------------------------------


def _missing_words(e: Estimate | None) -> str | None:
    if e is None:
        return "—"
    if e.status != ValueStatus.OK or e.value is None:
        return e.status.value.replace("_", " ")
    return None


def _pct(e: Estimate | None) -> str:
    words = _missing_words(e)
    if words or e is None or e.value is None:
        return words or "—"
    return f"{e.value * 100:.1f}%"


def _ratio(e: Estimate | None, digits: int = 2) -> str:
    words = _missing_words(e)
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


def _p(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def _key(key: dict[str, str]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in key.items())


def _sorted_findings(stats: InclusionStats) -> list[Any]:
    return sorted(stats.findings, key=lambda f: STATUS_ORDER.index(f.status))


# -- charts --------------------------------------------------------------------------------


def _charts(stats: InclusionStats, prefix: str) -> dict[str, str]:
    """Render every chart of the section to inline SVG, by name."""
    out: dict[str, str] = {}
    for i, rep in enumerate(stats.representation):
        out[f"rep{i}"] = _svg(
            _representation_chart(rep),
            f"{prefix}-rep{i}",
            f"Representation ratio by {rep.grouping}",
            _rep_description(rep),
        )
    if stats.performance is not None:
        singles = [g for g in stats.performance.groupings if len(g.attributes) == 1]
        overall = stats.performance.overall.accuracy.value
        for i, g in enumerate(singles):
            out[f"perf{i}"] = _svg(
                _performance_chart(g, overall, _world(stats, g)),
                f"{prefix}-perf{i}",
                f"Accuracy by {g.attributes[0]}",
                _perf_description(g),
            )
    for i, p in enumerate(stats.proxies):
        out[f"proxy{i}"] = _svg(
            _proxy_chart(p, stats.settings.proxy_threshold),
            f"{prefix}-proxy{i}",
            f"Proxies for {p.attribute}",
            _proxy_description(p),
        )
    return out


def _representation_chart(rep: Representation) -> Any:
    import altair as alt

    rows: list[dict[str, Any]] = []
    for g in rep.groups:
        r = g.ratio
        rows.append(
            {
                "group": g.group,
                "ratio": r.value if r.value is not None else 0.0,
                "lo": r.ci_low,
                "hi": r.ci_high,
                "status": g.status,
                "label": "absent" if g.status == "absent" else f"{r.value or 0:.2f}",
            }
        )
    order = [r["group"] for r in rows]
    top = max([2.0, *[float(r["hi"]) for r in rows if r["hi"] is not None]])
    x = alt.X(
        "ratio:Q",
        title="Share in the data ÷ share in the reference (1 = as in the reference)",
        scale=alt.Scale(domain=[0, min(top * 1.05, 10.0)], clamp=True),
    )
    y = alt.Y("group:N", sort=order, title=None)
    colour = alt.Color(
        "status:N",
        title="Status",
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    base = alt.Chart(_data(rows))
    bars = base.mark_bar(height={"band": 0.7}).encode(x=x, y=y, color=colour)
    whiskers = base.mark_rule(color=INK, strokeWidth=1.5).encode(
        x=alt.X("lo:Q", scale=alt.Scale(domain=[0, min(top * 1.05, 10.0)], clamp=True)),
        x2="hi:Q",
        y=y,
    )
    labels = base.mark_text(align="left", dx=6, color=MUTED, fontSize=11).encode(
        x=alt.X("hi:Q"), y=y, text="label:N"
    )
    one = (
        alt.Chart(_data([{"one": 1.0}]))
        .mark_rule(color=HIGHLIGHT, strokeDash=[5, 3], strokeWidth=1.5)
        .encode(x="one:Q")
    )
    return alt.layer(bars, whiskers, labels, one).properties(
        width=460,
        height=alt.Step(22),
        title={
            "text": f"Representation by {rep.grouping}",
            "subtitle": f"against {rep.reference_name or 'the reference population'}; "
            "whiskers: 95% interval",
        },
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
    g: PerformanceGrouping, overall: float | None, world: Sequence[str] = ()
) -> Any:
    import altair as alt

    rows: list[dict[str, Any]] = []
    for grp in g.groups:
        label = next(iter(grp.key.values()))
        e = grp.accuracy
        rows.append(
            {
                "group": label,
                "acc": e.value,
                "lo": e.ci_low,
                "hi": e.ci_high,
                "n": grp.n,
                "worst": g.worst is not None and grp.key == g.worst,
                "note": None
                if e.value is not None
                else f"{e.status.value.replace('_', ' ')} (n={grp.n})",
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
    ok = sorted((r for r in rows if r["acc"] is not None), key=lambda r: r["acc"])
    small = sorted((r for r in rows if r["acc"] is None), key=lambda r: -r["n"])
    rows = (ok + small)[:MAX_CHART_GROUPS]
    order = [r["group"] for r in rows]
    x = alt.X(
        "acc:Q",
        title="Accuracy (95% interval)",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format="%"),
    )
    y = alt.Y("group:N", sort=order, title=None)
    base = alt.Chart(_data(rows))
    layers = [
        base.mark_rule(color=INK, strokeWidth=1.5).encode(
            x=alt.X("lo:Q", scale=alt.Scale(zero=False)), x2="hi:Q", y=y
        ),
        base.mark_point(filled=True, size=90, opacity=1).encode(
            x=x,
            y=y,
            color=alt.condition("datum.worst", alt.value(HIGHLIGHT), alt.value(POINT)),
            shape=alt.condition("datum.worst", alt.value("diamond"), alt.value("circle")),
        ),
        base.mark_text(
            align="left", baseline="middle", dx=4, color=MUTED, fontStyle="italic", fontSize=11
        )
        .encode(y=y, x=alt.value(0), text="note:N")
        .transform_filter("datum.acc === null"),
    ]
    if overall is not None:
        layers.append(
            alt.Chart(_data([{"overall": overall}]))
            .mark_rule(color=HIGHLIGHT, strokeDash=[5, 3], strokeWidth=1.2)
            .encode(x="overall:Q")
        )
    return alt.layer(*layers).properties(
        width=460,
        height=alt.Step(18),
        title={
            "text": f"Accuracy by {g.attributes[0]}",
            "subtitle": "diamond: worst group; dashed line: overall accuracy",
        },
    )


def _proxy_chart(p: Proxies, threshold: float) -> Any:
    import altair as alt

    rows: list[dict[str, Any]] = [
        {"feature": r.feature, "v": r.cramers_v_corrected or 0.0, "flagged": r.flagged}
        for r in p.ranking[:15]
    ]
    y = alt.Y("feature:N", sort=[r["feature"] for r in rows], title=None)
    base = alt.Chart(_data(rows))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("v:Q", title="Bias-corrected Cramér's V", scale=alt.Scale(domain=[0, 1])),
        y=y,
        color=alt.condition("datum.flagged", alt.value("#D55E00"), alt.value(POINT)),
    )
    rule = (
        alt.Chart(_data([{"t": threshold}]))
        .mark_rule(color=HIGHLIGHT, strokeDash=[5, 3])
        .encode(x="t:Q")
    )
    return alt.layer(bars, rule).properties(
        width=360,
        height=alt.Step(18),
        title={
            "text": f"What stands in for {p.attribute}",
            "subtitle": f"dashed line: flagged from {threshold:g}",
        },
    )


def _data(rows: list[dict[str, Any]]) -> Any:
    import altair as alt

    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _svg(chart: Any, chart_id: str, title: str, description: str) -> str:
    import vl_convert

    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    config = {
        "font": FONT,
        "background": "white",
        "view": {"stroke": GRID},
        "axis": {
            "labelColor": INK,
            "titleColor": INK,
            "gridColor": GRID,
            "labelLimit": 260,
            "titleFontWeight": "normal",
        },
        "title": {"anchor": "start", "color": INK, "subtitleColor": MUTED},
        "legend": {"labelColor": INK, "titleColor": INK},
    }
    svg: str = vl_convert.vegalite_to_svg(spec, config=config)
    # Vega numbers clip paths from 0 in every SVG: inline, charts would share them.
    svg = _ID.sub(f'id="{chart_id}-', svg).replace("url(#", f"url(#{chart_id}-")
    end = svg.index(">")
    cid = escape(chart_id, quote=True)
    return (
        f'{svg[:end]} role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'style="max-width:100%;height:auto"><title id="{cid}-title">{escape(title)}'
        f'</title><desc id="{cid}-desc">{escape(description)}</desc>{svg[end + 1 :]}'
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
