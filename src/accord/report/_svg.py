"""Render an Altair chart to inline SVG with vl-convert (offline: no script, no CDN)."""

from __future__ import annotations

import re
from html import escape
from typing import Any

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1f2328"
GRID = "#e4e6e9"

CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "padding": 8,
    "view": {"stroke": GRID},
    "axis": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 11,
        "titleFontSize": 12,
        "gridColor": GRID,
        "labelLimit": 320,
        "titleFontWeight": "normal",
    },
    "legend": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "labelLimit": 320,
    },
    "title": {"color": INK, "fontSize": 14, "anchor": "start"},
}


def chart_svg(chart: Any, *, title: str, description: str, chart_id: str) -> str:
    """Render a chart to SVG text with an accessible title and description.

    Examples
    --------
    >>> import altair as alt
    >>> c = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    >>> chart_svg(c, title="T", description="D", chart_id="c1").startswith("<svg")
    True
    """
    import vl_convert

    spec = chart.to_dict()
    spec["config"] = {**CONFIG, **spec.get("config", {})}
    svg: str = vl_convert.vegalite_to_svg(spec)
    head = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    svg = re.sub(
        r"<svg\b",
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"',
        svg,
        count=1,
    )
    return re.sub(r"(<svg\b[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1)
