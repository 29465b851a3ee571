"""Charts of impact ratios and discovered subgroups, as inline SVG.

Each estimate is a point with its interval as a whisker, and dashed reference lines;
vl-convert renders the Altair chart to SVG, so the page needs no script and works offline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from accord.fairness import Discovery, ImpactTable
from accord.policy import format_key

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1f2328"
POINT = "#0b5394"
FLAG = "#b42318"
RULE = "#57606a"


def impact_chart(table: ImpactTable, *, flag_below: float = 0.8) -> str:
    """Return an SVG of each included category's impact ratio with its interval.

    Points below ``flag_below`` (the four-fifths level) are drawn in red; dashed lines
    mark 0.8 and 1.
    """
    rows = [
        {
            "group": ", ".join(r.key.values()),
            "value": r.impact_ratio.value,
            "lo": r.impact_ratio.ci_low
            if r.impact_ratio.ci_low is not None
            else r.impact_ratio.value,
            "hi": r.impact_ratio.ci_high
            if r.impact_ratio.ci_high is not None
            else r.impact_ratio.value,
            "flag": "below" if r.impact_ratio.value < flag_below else "at or above",
        }
        for r in table.rows
        if r.impact_ratio is not None and r.impact_ratio.value is not None
    ]
    title = f"Impact ratio by {' × '.join(table.attributes)}"
    return _interval_svg(
        rows,
        rules=(flag_below, 1.0),
        axis="Impact ratio (95% CI)",
        title=title,
        description=f"{title}: {len(rows)} categories; "
        f"categories below {flag_below:g} are marked.",
    )


def discovery_chart(discovery: Discovery) -> str:
    """Return an SVG of each reported subgroup's gap to the rest, with its interval."""
    rows = [
        {
            "group": format_key(s.conditions),
            "value": s.gap.value,
            "lo": s.gap.ci_low,
            "hi": s.gap.ci_high,
            "flag": "below" if s.direction == "worse" else "at or above",
        }
        for s in discovery.top
    ]
    title = f"Gap in {discovery.metric}: subgroup minus the rest"
    return _interval_svg(
        rows,
        rules=(0.0,),
        axis=f"Gap in {discovery.metric} (95% CI)",
        title=title,
        description=f"{title}, for {len(rows)} subgroups; "
        "subgroups worse off than the rest are marked.",
    )


def _interval_svg(
    rows: Sequence[Mapping[str, Any]],
    *,
    rules: Sequence[float],
    axis: str,
    title: str,
    description: str,
) -> str:
    import altair as alt
    import vl_convert

    if not rows:
        return ""
    order = [r["group"] for r in rows]
    y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    base = alt.Chart(alt.Data(values=list(rows)))  # type: ignore[no-untyped-call]
    whiskers = base.mark_rule(color=RULE).encode(x=alt.X("lo:Q", title=axis), x2="hi:Q", y=y)
    points = base.mark_point(filled=True, size=70).encode(
        x="value:Q",
        y=y,
        color=alt.Color(
            "flag:N",
            scale=alt.Scale(domain=["below", "at or above"], range=[FLAG, POINT]),
            legend=None,
        ),
        tooltip=["group:N", alt.Tooltip("value:Q", format=".3f")],
    )
    marks = alt.Data(values=[{"x": r} for r in rules])  # type: ignore[no-untyped-call]
    lines = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color=RULE).encode(x="x:Q")
    chart = (
        (lines + whiskers + points)
        .properties(width=420, height=max(60, 22 * len(rows)))
        .configure(
            font=FONT,
            background="white",
            axis={
                "labelColor": INK,
                "titleColor": INK,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
            },
            view={"stroke": None},
        )
    )
    svg: str = vl_convert.vegalite_to_svg(chart.to_json())
    # An accessible name for screen readers, as the rest of the report gives its charts.
    label = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    return re.sub(
        r"(<svg[^>]*>)",
        lambda m: m.group(1).replace("<svg", '<svg role="img"', 1) + label,
        svg,
        count=1,
    )
