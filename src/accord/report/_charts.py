"""Small chart builders shared by every report section, and their rendering to inline SVG.

Every builder takes plain rows (a list of dicts) and field names, and returns
an Altair chart; :func:`to_svgs` renders charts with vl-convert into SVG text
that works offline (no script, no CDN, no web font), with a ``<title>`` and a
``<desc>`` for screen readers and ids made unique within the page.

Examples
--------
>>> rows = [{"group": "a", "rate": 0.4, "lo": 0.3, "hi": 0.5},
...         {"group": "b", "rate": 0.6, "lo": 0.5, "hi": 0.7}]
>>> chart = interval_chart(rows, category="group", value="rate", low="lo", high="hi")
>>> svg = to_svg(chart, title="Rate by group", description="Two groups.", chart_id="rate")
>>> svg.startswith("<svg") and '<title id="rate-title">Rate by group</title>' in svg
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import altair as alt
import vl_convert

Row = Mapping[str, Any]
_DATA: Any = alt.Data  # untyped in Altair
Chart = Any  # an Altair chart (Altair ships no type information)

# Metric-compatible fonts on every platform, so that the text measured at render time fits
# the text the browser draws.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#e4e6e9"
#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999"]
POINT = "#0b5394"
HIGHLIGHT = "#b45309"
MISSING_FILL = "#eef0f2"

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
        "domainColor": MUTED,
        "tickColor": MUTED,
        "labelLimit": 260,
        "titleFontWeight": "normal",
    },
    "header": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 12,
        "labelFontWeight": "bold",
        "titleFontSize": 12,
        "labelLimit": 260,
    },
    "legend": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "titleLimit": 400,
        "labelLimit": 260,
    },
    "title": {"color": INK, "fontSize": 14, "anchor": "start", "subtitleColor": MUTED},
    "range": {"category": PALETTE},
}


def _data(rows: Sequence[Row]) -> Any:
    return _DATA(values=[dict(r) for r in rows])


def interval_chart(
    rows: Sequence[Row],
    *,
    category: str,
    value: str,
    low: str | None = None,
    high: str | None = None,
    facet: str | None = None,
    facet_order: Sequence[str] | None = None,
    category_order: Sequence[str] | None = None,
    note: str | None = None,
    highlight: str | None = None,
    reference: str | None = None,
    mark: str = "point",
    title: str = "",
    value_title: str = "",
    category_title: str = "",
    columns: int = 4,
    width: int = 170,
    step: int = 18,
) -> Chart:
    """Values per category as points (or bars) with interval whiskers, optionally faceted.

    Parameters
    ----------
    rows
        One dict per (category[, facet]).
    category, value
        The field naming the category (drawn on the vertical axis) and the field with its
        value; a row whose value is None draws no mark.
    low, high
        Fields with the interval's bounds (no whisker where either is None).
    facet
        A field to split the chart into small multiples, each with its own value scale.
    facet_order, category_order
        The order of the facets and categories (default: as they come).
    note
        A field with text written in place of the mark where the value is None
        (e.g. ``insufficient data``).
    highlight
        A boolean field: highlighted rows are drawn as diamonds in a second colour.
    reference
        A field holding a reference value per row (the same within a facet), drawn as a
        dashed vertical rule.
    mark
        ``point`` (no zero baseline: the intervals are what matter) or ``bar``.
    title, value_title, category_title
        Chart and axis titles.
    columns
        Facets per row.
    width, step
        Width of a panel, and height of one category, in pixels.

    Examples
    --------
    >>> chart = interval_chart([{"g": "a", "v": 0.5}], category="g", value="v", mark="bar")
    >>> chart.to_dict(validate=False)["layer"][0]["mark"]["type"]
    'bar'
    """
    order = (
        list(category_order) if category_order is not None else _unique(r[category] for r in rows)
    )
    y = alt.Y(
        f"{category}:N", sort=order, title=category_title or None, axis=alt.Axis(labelLimit=260)
    )
    x_scale = alt.Scale(zero=mark == "bar", nice=True)
    x_axis = alt.Axis(tickCount=4, labelFlush=True, labelOverlap=True)
    x = alt.X(f"{value}:Q", title=value_title or None, scale=x_scale, axis=x_axis)
    base = alt.Chart()
    layers = []
    if mark == "bar":
        layers.append(
            base.mark_bar(color=POINT, opacity=0.85, height={"band": 0.7}).encode(x=x, y=y)
        )
    if low and high:
        layers.append(
            base.mark_rule(color=INK, strokeWidth=1.5).encode(
                x=alt.X(f"{low}:Q", scale=x_scale, title=value_title or None, axis=x_axis),
                x2=f"{high}:Q",
                y=y,
            )
        )
    if mark != "bar":
        if highlight:
            layers.append(
                base.mark_point(filled=True, size=60, opacity=1).encode(
                    x=x,
                    y=y,
                    shape=alt.condition(
                        f"datum.{highlight}", alt.value("diamond"), alt.value("circle")
                    ),
                    color=alt.condition(
                        f"datum.{highlight}", alt.value(HIGHLIGHT), alt.value(POINT)
                    ),
                )
            )
        else:
            layers.append(
                base.mark_point(filled=True, size=50, color=POINT, opacity=1).encode(x=x, y=y)
            )
    if reference:
        layers.append(
            base.mark_rule(color=HIGHLIGHT, strokeDash=[4, 3], strokeWidth=1).encode(
                x=alt.X(f"{reference}:Q", scale=x_scale)
            )
        )
    if note:
        layers.append(
            base.mark_text(
                align="left", baseline="middle", dx=4, color=MUTED, fontStyle="italic", fontSize=11
            )
            .encode(y=y, x=alt.value(0), text=f"{note}:N")
            .transform_filter(f"datum.{value} === null")
        )
    # Sizes and resolutions go to the constructors: every Altair method call copies the
    # whole chart, and those copies are most of the time spent building it.
    chart = alt.layer(*layers, width=width, height=alt.Step(step))
    if facet:
        facets = list(facet_order) if facet_order is not None else _unique(r[facet] for r in rows)
        chart = chart.facet(
            facet=alt.Facet(f"{facet}:N", sort=facets, title=None),
            columns=columns,
            data=_data(rows),
            resolve=alt.Resolve(scale=alt.ScaleResolveMap(x="independent")),
        )
    else:
        chart.data = _data(rows)
    if title:
        chart.title = title
    return chart


def heatmap(
    rows: Sequence[Row],
    *,
    x: str,
    y: str,
    color: str,
    text: str | None = None,
    x_order: Sequence[str] | None = None,
    y_order: Sequence[str] | None = None,
    color_title: str = "",
    scheme: str = "blueorange",
    reverse: bool = False,
    domain: tuple[float, float] | None = None,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    cell: int = 26,
    cell_width: int = 74,
) -> Chart:
    """A grid of cells coloured by a value, with an optional text per cell.

    Cells whose colour value is None are drawn light grey (their text, e.g.
    ``insufficient data``, still shows). With a diverging ``scheme`` and a
    ``domain`` symmetric around 0, white means no difference.

    Examples
    --------
    >>> chart = heatmap([{"a": "x", "b": "y", "d": 0.1, "t": "+0.10"}], x="a", y="b",
    ...                 color="d", text="t", domain=(-0.2, 0.2))
    >>> len(chart.to_dict(validate=False)["layer"])
    3
    """
    xs = list(x_order) if x_order is not None else _unique(r[x] for r in rows)
    ys = list(y_order) if y_order is not None else _unique(r[y] for r in rows)
    # Slanted column headers: long metric names stay readable over narrow cells.
    enc_x = alt.X(
        f"{x}:N",
        sort=xs,
        title=x_title or None,
        axis=alt.Axis(
            orient="top",
            labelAngle=-30,
            labelAlign="left",
            labelBaseline="middle",
            labelLimit=200,
            labelPadding=4,
        ),
    )
    enc_y = alt.Y(f"{y}:N", sort=ys, title=y_title or None, axis=alt.Axis(labelLimit=260))
    if domain is None:
        vals = [abs(float(r[color])) for r in rows if r.get(color) is not None]
        top = max(vals, default=1.0) or 1.0
        domain = (-top, top)
    named: Any = scheme  # Altair types the scheme as a closed list of names
    scale = alt.Scale(scheme=named, domain=list(domain), domainMid=0, reverse=reverse, clamp=True)
    base = alt.Chart()
    filled = (
        base.mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=enc_x,
            y=enc_y,
            color=alt.Color(
                f"{color}:Q",
                scale=scale,
                legend=alt.Legend(
                    title=color_title or None,
                    orient="bottom",
                    gradientLength=240,
                    direction="horizontal",
                    titleLimit=640,
                ),
            ),
        )
        .transform_filter(f"datum.{color} !== null")
    )
    empty = (
        base.mark_rect(stroke="white", strokeWidth=1, color=MISSING_FILL)
        .encode(x=enc_x, y=enc_y)
        .transform_filter(f"datum.{color} === null")
    )
    layers = [filled, empty]
    if text:
        strong = 0.55 * max(abs(domain[0]), abs(domain[1]))
        layers.append(
            base.mark_text(fontSize=10, baseline="middle").encode(
                x=enc_x,
                y=enc_y,
                text=f"{text}:N",
                color=alt.condition(
                    f"datum.{color} !== null && abs(datum.{color}) > {strong!r}",
                    alt.value("white"),
                    alt.value(INK),
                ),
            )
        )
    chart = alt.layer(*layers, width=alt.Step(cell_width), height=alt.Step(cell))
    chart.data = _data(rows)
    if title:
        chart.title = title
    return chart


def reliability_chart(
    rows: Sequence[Row],
    *,
    x: str,
    y: str,
    series: str,
    low: str | None = None,
    high: str | None = None,
    series_order: Sequence[str] | None = None,
    title: str = "",
    x_title: str = "Mean score in bin",
    y_title: str = "Observed rate",
    series_title: str = "",
    size: int = 220,
) -> Chart:
    """Curves of observed rate against predicted score, one per series, over the diagonal.

    Examples
    --------
    >>> rows = [{"s": 0.1, "o": 0.12, "g": "a"}, {"s": 0.8, "o": 0.7, "g": "a"}]
    >>> chart = reliability_chart(rows, x="s", y="o", series="g")
    >>> len(chart.to_dict(validate=False)["layer"])  # the diagonal and the curve
    2
    """
    names = list(series_order) if series_order is not None else _unique(r[series] for r in rows)
    scale = alt.Scale(domain=[0, 1], nice=False)
    enc_x = alt.X(f"{x}:Q", scale=scale, title=x_title)
    enc_y = alt.Y(f"{y}:Q", scale=scale, title=y_title)
    colour = alt.Color(
        f"{series}:N",
        sort=names,
        title=series_title or None,
        scale=alt.Scale(range=PALETTE),
        legend=alt.Legend(orient="bottom", direction="vertical", symbolOpacity=1),
    )
    diagonal = (
        alt.Chart(_DATA(values=[{"_x": 0.0, "_y": 0.0}, {"_x": 1.0, "_y": 1.0}]))
        .mark_line(color=MUTED, strokeDash=[4, 4], strokeWidth=1)
        .encode(
            x=alt.X("_x:Q", scale=scale, title=x_title),
            y=alt.Y("_y:Q", scale=scale, title=y_title),
        )
    )
    base = alt.Chart(_data(rows))
    layers = [diagonal]
    if low and high:
        layers.append(
            base.mark_rule(strokeWidth=1, opacity=0.55).encode(
                x=enc_x,
                y=alt.Y(f"{low}:Q", scale=scale, title=y_title),
                y2=f"{high}:Q",
                color=colour,
            )
        )
    layers.append(
        base.mark_line(point=alt.OverlayMarkDef(filled=True, size=36), strokeWidth=1.8).encode(
            x=enc_x, y=enc_y, color=colour, order=f"{x}:Q"
        )
    )
    chart = alt.layer(*layers, width=size, height=size)
    if title:
        chart.title = title
    return chart


def concat(
    charts: Sequence[Chart], *, columns: int = 3, title: str = "", shared_colors: bool = False
) -> Chart:
    """Charts side by side (wrapping after ``columns``), each with its own colours unless
    ``shared_colors``.
    """
    resolve = alt.Resolve(
        scale=alt.ScaleResolveMap(color="shared" if shared_colors else "independent")
    )
    out = alt.concat(*charts, columns=columns, spacing=28, resolve=resolve)
    if title:
        out.title = title
    return out


# -- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSpec:
    """A chart to render, with the words a screen reader gives for it."""

    chart: Chart
    title: str
    description: str
    chart_id: str


_ID = re.compile(r'\bid="([^"]+)"')
_VL_VERSION: str | None = None


def _vl_version() -> str | None:
    global _VL_VERSION
    if _VL_VERSION is None:
        wanted = ".".join(str(alt.VEGALITE_VERSION).lstrip("v").split(".")[:2])
        _VL_VERSION = wanted if wanted in vl_convert.get_vegalite_versions() else ""
    return _VL_VERSION or None


def _render(spec: ChartSpec) -> str:
    vl = spec.chart.to_dict(validate=False)
    vl.pop("$schema", None)
    svg: str = vl_convert.vegalite_to_svg(vl, vl_version=_vl_version(), config=CONFIG)
    return _accessible(_unique_ids(svg, spec.chart_id), spec)


def _unique_ids(svg: str, prefix: str) -> str:
    # Vega numbers its gradients and clip paths from 0 in every SVG: inline, several
    # charts on one page would point at each other's definitions.
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = (
            svg.replace(f'id="{old}"', f'id="{new}"')
            .replace(f"url(#{old})", f"url(#{new})")
            .replace(f'href="#{old}"', f'href="#{new}"')
        )
    return svg


def _accessible(svg: str, spec: ChartSpec) -> str:
    end = svg.index(">")
    cid = escape(spec.chart_id, quote=True)
    attrs = (
        f' role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false"'
        f' id="{cid}" style="max-width:100%;height:auto"'
    )
    head = svg[:end].replace(' class="marks"', ' class="marks chart"')
    return (
        f'{head}{attrs}><title id="{cid}-title">{escape(spec.title)}</title>'
        f'<desc id="{cid}-desc">{escape(spec.description)}</desc>{svg[end + 1 :]}'
    )


def to_svg(chart: Chart, *, title: str, description: str, chart_id: str) -> str:
    """One chart as inline SVG text, with its title and description for screen readers.

    ``chart_id`` must be unique in the page: it prefixes the SVG's internal ids.
    """
    return to_svgs([ChartSpec(chart, title, description, chart_id)])[0]


def to_svgs(specs: Sequence[ChartSpec]) -> list[str]:
    """Several charts as inline SVG, in the order given."""
    _wait_engine()
    return [_render(s) for s in specs]


_ENGINE_LOCK = threading.Lock()
_ENGINE: threading.Thread | None = None


def start_engine() -> None:
    """Start vl-convert's JavaScript runtime in the background (once per process).

    Its start-up takes about half a second and runs outside the GIL: started before
    the charts are built, it overlaps with building them.
    """
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = threading.Thread(target=_warm, name="accord-vl-convert", daemon=True)
            _ENGINE.start()


def _warm() -> None:
    vl_convert.vegalite_to_svg({"data": {"values": []}, "mark": "point"}, vl_version=_vl_version())


def _wait_engine() -> None:
    start_engine()
    assert _ENGINE is not None
    _ENGINE.join()


def _unique(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))
