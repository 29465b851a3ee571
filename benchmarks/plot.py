"""The cost curve: time against rows, log-log, one line per tool (Altair, rendered to SVG by
vl-convert so that the README shows it without any script)."""

from __future__ import annotations

from typing import Any

#: The fairness lines: task -> (label, colour, floor?). accord's variants and the anchors'
#: second configurations are in the tables; the plot keeps one line per tool and engine.
FAIRNESS_LINES = {
    "polars-floor": ("Polars group-by (floor)", "#525252", True),
    "duckdb-floor": ("DuckDB GROUP BY (floor)", "#969696", True),
    "accord-boot": ("accord (Polars streaming)", "#08519c", False),
    "accord-duckdb-boot": ("accord (DuckDB engine)", "#3182bd", False),
    "accord-spark-boot": ("accord (Spark, local mode)", "#6baed6", False),
    "aequitas-inter": ("Aequitas (30 cells)", "#31a354", False),
    "aif360-subgroups": ("AIF360 (per cell)", "#756bb1", False),
    "fairlearn": ("Fairlearn MetricFrame", "#e6550d", False),
    "fairlearn-boot": ("Fairlearn, n_boot=100", "#a63603", False),
}
PRIVACY_LINES = {
    "assess-floor": ("packed-key Polars group-by (floor)", "#525252", True),
    "assess-accord": ("accord assessment", "#08519c", False),
    "anonymize-accord-k5": ("accord anonymisation, k=5", "#4292c6", False),
    "assess-pycanon-k": ("pycanon k", "#fd8d3c", False),
    "assess-pycanon-l": ("pycanon l", "#e6550d", False),
    "assess-pycanon-t": ("pycanon t", "#a63603", False),
    "anonymize-anjana-k5": ("anjana, k=5", "#756bb1", False),
}
FINISHED = "finished"
STOPPED = "stopped at the timeout"


def fairness_points(results: dict[str, Any]) -> list[dict[str, Any]]:
    """(rows, seconds) of every plotted fairness task that finished or was stopped."""
    timeout = results["options"]["timeout_s"]
    out = []
    for e in results.get("runs", []):
        if e["task"] not in FAIRNESS_LINES or e["status"] not in ("ok", "timeout"):
            continue
        ph = e["phases"]
        work = sum(ph.get(p, 0.0) for p in ("load", "prep", "compute"))
        out.append(_point(FAIRNESS_LINES[e["task"]], e["rows"], e["status"], work, timeout))
    return out


def privacy_points(results: dict[str, Any]) -> list[dict[str, Any]]:
    """(rows, compute seconds) of every plotted privacy cell that finished or was stopped."""
    timeout = results["options"]["timeout_s"]
    return [
        _point(PRIVACY_LINES[e["name"]], e["rows"], e["status"], e.get("seconds"), timeout)
        for e in results.get("privacy", [])
        if e["name"] in PRIVACY_LINES and e["status"] in ("ok", "timeout")
    ]


def _point(
    line: tuple[str, str, bool], rows: int, status: str, work: float | None, timeout: float
) -> dict[str, Any]:
    label, _, floor = line
    done = status == "ok"
    return {
        "tool": label,
        "rows": rows,
        # A stopped task is drawn at the timeout: its real time is at least that.
        "seconds": max(work or 0.0, 1e-3) if done else timeout,
        "status": FINISHED if done else STOPPED,
        "kind": "floor" if floor else "tool",
    }


#: Log axes with ticks at 1, 3, 10, 30, ... only (Vega's default log ticks crowd the labels).
TICKS = [m * 10.0**e for e in range(-3, 10) for m in (1, 3)]


def _panel(points: list[dict[str, Any]], lines: dict[str, Any], title: str, seconds: str) -> Any:
    import altair as alt

    present = [v for v in lines.values() if any(p["tool"] == v[0] for p in points)]
    color = alt.Color(
        "tool:N",
        title=None,
        sort=[v[0] for v in present],
        scale=alt.Scale(domain=[v[0] for v in present], range=[v[1] for v in present]),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260, symbolType="stroke"),
    )
    rows = [p["rows"] for p in points]
    x = alt.X(
        "rows:Q",
        title="rows",
        scale=alt.Scale(type="log", domain=[min(rows) / 1.5, max(rows) * 1.5], nice=False),
        axis=alt.Axis(values=TICKS, labelExpr="format(datum.value, '~s')"),
    )
    y = alt.Y(
        "seconds:Q",
        title=seconds,
        scale=alt.Scale(type="log"),
        axis=alt.Axis(values=TICKS, labelExpr="format(datum.value, '~g') + ' s'"),
    )
    base = alt.Chart(alt.Data(values=points)).encode(x=x, y=y, color=color)
    line = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash(
            "kind:N",
            scale=alt.Scale(domain=["floor", "tool"], range=[[5, 3], [1, 0]]),
            legend=None,
        ),
    )
    tooltip = ["tool:N", "rows:Q", "seconds:Q", "status:N"]
    done = base.mark_point(size=50, filled=True, opacity=1).encode(tooltip=tooltip)
    stopped = base.mark_point(
        size=90, filled=False, shape="triangle-up", strokeWidth=2, opacity=1
    ).encode(tooltip=tooltip)
    return alt.layer(
        line,
        done.transform_filter(alt.datum.status == FINISHED),
        stopped.transform_filter(alt.datum.status == STOPPED),
    ).properties(title=title, width=330, height=260)


def chart(results: dict[str, Any]) -> Any:
    """The fairness panel, and the privacy panel beside it when the run has one."""
    import altair as alt

    panels = []
    fairness = fairness_points(results)
    if fairness:
        panels.append(
            _panel(fairness, FAIRNESS_LINES, "Fairness audit, 30 cells", "seconds after imports")
        )
    privacy = privacy_points(results)
    if privacy:
        panels.append(
            _panel(
                privacy, PRIVACY_LINES, "Privacy: assessment and anonymisation", "compute seconds"
            )
        )
    if not panels:
        raise SystemExit("nothing to plot: no task finished or was stopped")
    return (
        alt.hconcat(*panels)
        .properties(
            title=alt.TitleParams(
                "Time against rows, log-log",
                subtitle="dashed: the one-pass floors; hollow triangle: stopped at the timeout "
                "(drawn at the timeout, its real time is longer)",
                anchor="start",
                offset=10,
            )
        )
        .resolve_scale(color="independent")
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_legend(labelFontSize=11)
    )


def svg(results: dict[str, Any]) -> str:
    """The cost curve as an SVG document."""
    import vl_convert

    spec = chart(results).to_dict()
    rendered: str = vl_convert.vegalite_to_svg(spec)
    return rendered
