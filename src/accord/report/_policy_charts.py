"""Charts of impact ratios and discovered subgroups, drawn by the report's shared builders.

Each estimate is a point with its interval as a whisker and a dashed reference line (0.8
for impact ratios, 0 for gaps); points that breach are highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from accord.fairness import Discovery, ImpactTable
from accord.policy import format_key

#: The level impact ratios are flagged below (the four-fifths rule; LL144's auditors' flag).
FLAG_BELOW = 0.8


def impact_chart(table: ImpactTable) -> str:
    """Return an SVG of each included category's impact ratio with its interval."""
    rows = [
        {
            "group": ", ".join(r.key.values()),
            "value": r.impact_ratio.value,
            "lo": r.impact_ratio.ci_low,
            "hi": r.impact_ratio.ci_high,
            "ref": FLAG_BELOW,
            "flag": r.impact_ratio.value < FLAG_BELOW,
        }
        for r in table.rows
        if r.impact_ratio is not None and r.impact_ratio.value is not None
    ]
    title = f"Impact ratio by {' × '.join(table.attributes)}"
    return _estimates_svg(
        rows,
        axis=f"Impact ratio ({table.ci_level:.0%} CI)",
        title=title,
        chart_id=_chart_id("impact", table.attributes, table.exclude_below),
        description=f"{title}: {len(rows)} categories; those below {FLAG_BELOW:g} are "
        "highlighted.",
    )


def discovery_chart(discovery: Discovery) -> str:
    """Return an SVG of each reported subgroup's gap to the rest, with its interval."""
    rows = [
        {
            "group": format_key(s.conditions),
            "value": s.gap.value,
            "lo": s.gap.ci_low,
            "hi": s.gap.ci_high,
            "ref": 0.0,
            "flag": s.direction == "worse",
        }
        for s in discovery.top
    ]
    title = f"Gap in {discovery.metric}: subgroup minus the rest"
    return _estimates_svg(
        rows,
        axis=f"Gap in {discovery.metric} (95% CI)",
        title=title,
        chart_id="worst-subgroups-gap",
        description=f"{title}, for {len(rows)} subgroups; those worse off than the rest are "
        "highlighted.",
    )


def _estimates_svg(
    rows: Sequence[Mapping[str, object]], *, axis: str, title: str, chart_id: str, description: str
) -> str:
    from accord.report._charts import interval_chart, to_svg

    if not rows:
        return ""
    chart = interval_chart(
        rows,
        category="group",
        value="value",
        low="lo",
        high="hi",
        reference="ref",
        highlight="flag",
        width=380,
        value_title=axis,
    )
    return to_svg(chart, title=title, chart_id=chart_id, description=description)


def _chart_id(prefix: str, attributes: list[str], exclude_below: float) -> str:
    # Unique in the page: a table is one grouping under one exclusion rule.
    name = "-".join([prefix, *attributes, f"{exclude_below:g}"])
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)
