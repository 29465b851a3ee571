from __future__ import annotations

import re

from accord.report._charts import (
    ChartSpec,
    concat,
    heatmap,
    interval_chart,
    reliability_chart,
    to_svg,
    to_svgs,
)

ROWS = [
    {"group": "a", "metric": "rate", "v": 0.4, "lo": 0.3, "hi": 0.5, "note": None},
    {
        "group": "b",
        "metric": "rate",
        "v": None,
        "lo": None,
        "hi": None,
        "note": "insufficient data (n=4)",
    },
    {"group": "c", "metric": "rate", "v": 0.7, "lo": 0.6, "hi": 0.8, "note": None},
]


def test_interval_chart_writes_the_note_where_a_value_is_missing() -> None:
    chart = interval_chart(
        ROWS, category="group", value="v", low="lo", high="hi", facet="metric", note="note"
    )
    svg = to_svg(chart, title="Rates", description="Three groups.", chart_id="t1")
    assert "insufficient data (n=4)" in svg
    assert svg.count("<title") >= 1 and '<desc id="t1-desc">Three groups.</desc>' in svg
    # Two groups have a value: two points and two whiskers (one per group with a value).
    assert len(re.findall(r'aria-roledescription="(point|symbol)"', svg)) >= 2


def test_bars_without_intervals_serve_histograms() -> None:
    rows = [{"size": str(k), "classes": n} for k, n in [(1, 40), (2, 25), (5, 3)]]
    chart = interval_chart(rows, category="size", value="classes", mark="bar")
    svg = to_svg(chart, title="Class sizes", description="Histogram.", chart_id="hist")
    assert svg.count('aria-roledescription="bar"') == 3


def test_heatmap_ids_are_unique_per_chart() -> None:
    rows = [
        {"x": "m1", "y": "g1", "d": 0.2, "t": "+0.20"},
        {"x": "m1", "y": "g2", "d": -0.1, "t": "-0.10"},
        {"x": "m2", "y": "g1", "d": None, "t": "n=3"},
    ]
    svgs = to_svgs(
        [
            ChartSpec(heatmap(rows, x="x", y="y", color="d", text="t"), "One", "First.", "h1"),
            ChartSpec(heatmap(rows, x="x", y="y", color="d", text="t"), "Two", "Second.", "h2"),
        ]
    )
    ids = [set(re.findall(r'\bid="([^"]+)"', s)) for s in svgs]
    assert ids[0] and not ids[0] & ids[1]
    for svg, own in zip(svgs, ids, strict=True):
        refs = set(re.findall(r"url\(#([^)]+)\)", svg))
        assert refs <= own  # every reference points inside its own chart
    assert "n=3" in svgs[0]


def test_titles_and_descriptions_are_escaped() -> None:
    chart = reliability_chart(
        [{"s": 0.2, "o": 0.25, "g": "a"}, {"s": 0.8, "o": 0.7, "g": "a"}], x="s", y="o", series="g"
    )
    svg = to_svg(concat([chart, chart]), title="<b>", description="a & b", chart_id="r")
    assert '<title id="r-title">&lt;b&gt;</title>' in svg
    assert '<desc id="r-desc">a &amp; b</desc>' in svg
    assert svg.startswith("<svg") and 'role="img"' in svg.split(">", 1)[0]
