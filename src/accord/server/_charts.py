"""Charts for the pages: Altair specs rendered to inline SVG by vl-convert (no JavaScript)."""

from __future__ import annotations

from typing import Any

from accord.registry import AuditView

METRIC_TITLES = {
    "selection_rate": "selection rate",
    "tpr": "true positive rate",
    "fpr": "false positive rate",
    "accuracy": "accuracy",
    "auc": "AUC",
    "mae": "mean absolute error",
    "rmse": "RMSE",
}


def timeline_rows(audits: list[AuditView]) -> list[dict[str, Any]]:
    """One row per audit x attribute x key metric, oldest audit first."""
    rows = []
    for a in audits:
        for d in a.key_disparities:
            if d.value is None:
                continue
            rows.append(
                {
                    "audit": a.id,
                    "date": a.created_at.isoformat(),
                    "version": a.version,
                    "attribute": d.attribute,
                    "metric": METRIC_TITLES.get(d.metric, d.metric),
                    "value": d.value,
                    "ci_low": d.ci_low if d.ci_low is not None else d.value,
                    "ci_high": d.ci_high if d.ci_high is not None else d.value,
                }
            )
    return rows


def timeline_svg(audits: list[AuditView]) -> str | None:
    """The largest gap between groups of each key metric, per attribute, across audits,
    with its confidence interval; None when there is nothing to plot.
    """
    rows = timeline_rows(audits)
    if not rows:
        return None
    import altair as alt
    import vl_convert as vlc

    base = alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
    x = alt.X("date:T", title="Audit date", axis=alt.Axis(format="%Y-%m-%d", labelAngle=0))
    color = alt.Color(
        "metric:N",
        title="Metric",
        scale=alt.Scale(range=["#1f5fa8", "#b3461f", "#2e7d32", "#6a3d9a"]),
    )
    band = base.mark_rule(strokeWidth=2, opacity=0.45).encode(
        x=x, y=alt.Y("ci_low:Q"), y2="ci_high:Q", color=color
    )
    line = base.mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=x,
        y=alt.Y("value:Q", title="Largest gap between groups"),
        color=color,
        tooltip=[
            "version:N",
            "metric:N",
            alt.Tooltip("value:Q", format=".3f"),
            alt.Tooltip("ci_low:Q", format=".3f"),
            alt.Tooltip("ci_high:Q", format=".3f"),
        ],
    )
    chart = (
        alt.layer(band, line)
        .properties(width=620, height=150)
        .facet(
            row=alt.Row(
                "attribute:N",
                title=None,
                header=alt.Header(labelFontSize=13, labelFontWeight="bold"),
            )
        )
        .configure_view(stroke="#bbb")
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_legend(orient="top")
    )
    svg: str = vlc.vegalite_to_svg(chart.to_dict())
    return svg[svg.index("<svg") :] if "<svg" in svg else svg
