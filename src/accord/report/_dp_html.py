"""The report's section on the differentially private release: the budget and its split,
then every group's noisy count and rates with their bounds, and a chart of the rates.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup

from accord.privacy import DpGroupRelease, DpInterval
from accord.report import _format as fmt
from accord.report._result import AuditResult
from accord.report._templates import template_environment

SECTION_ID = "dp-release"
TITLE = "Differentially private release"


def dp_section(result: AuditResult) -> tuple[str, str, str]:
    """The section ``(id, title, html)`` of ``result``'s differentially private release.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 100, "p": [0, 1, 1, 1] * 50, "g": ["a", "b"] * 100})
    >>> r = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                  dp_epsilon=1.0)
    >>> sid, title, html = dp_section(r)
    >>> sid, "ε = 1" in html
    ('dp-release', True)
    """
    dp = result.dp_release
    assert dp is not None
    quantities = ["count", *dp.rates]
    titles = {"count": "Count", **{k: _rate_title(k) for k in dp.rates}}
    # One row per grouping: the epsilon of each of its queries.
    budget = [
        {s.quantity: s.epsilon for s in dp.split if s.attributes == g.attributes}
        for g in dp.groupings
    ]
    html = (
        _environment()
        .get_template("dp_release.html.j2")
        .render(
            dp=dp,
            quantities=quantities,
            titles=titles,
            budget=budget,
            spent=sum(s.epsilon for s in dp.split),
            level=fmt.percent(dp.confidence),
            chart=Markup(_chart(dp, titles)),  # noqa: S704 - SVG from vl-convert, not data
        )
    )
    return SECTION_ID, TITLE, html


def _rate_title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _interval(e: DpInterval) -> str:
    if e.value is None:
        return fmt.UNDEFINED
    assert e.low is not None and e.high is not None
    return f"{e.value:.3f} [{e.low:.3f}, {e.high:.3f}]"


def _chart(dp: DpGroupRelease, titles: dict[str, str]) -> str:
    """Each single attribute's groups: the released rates (or counts) with their bounds."""
    from accord.report._charts import interval_chart, to_svg

    singles = [g for g in dp.groupings if len(g.attributes) == 1]
    if not singles:
        return ""
    rows: list[dict[str, Any]] = []
    for grouping in singles:
        for g in grouping.groups:
            label = f"{grouping.attributes[0]}: {fmt.group(g.key)}"
            if dp.rates:
                for name, e in g.rates.items():
                    rows.append(
                        {
                            "group": label,
                            "what": titles[name],
                            "v": e.value,
                            "lo": e.low,
                            "hi": e.high,
                            "note": None if e.value is not None else fmt.UNDEFINED,
                        }
                    )
            else:
                rows.append(
                    {
                        "group": label,
                        "what": "Count",
                        "v": g.count,
                        "lo": max(0.0, g.count - dp.count_bound),
                        "hi": g.count + dp.count_bound,
                        "note": None,
                    }
                )
    chart = interval_chart(
        rows,
        category="group",
        value="v",
        low="lo",
        high="hi",
        facet="what",
        note="note",
        columns=2,
        width=220,
    )
    what = fmt.join_words([titles[n].lower() for n in dp.rates]) if dp.rates else "counts"
    return to_svg(
        chart,
        title="Differentially private " + what,
        description=f"Released {what} of every group of "
        + fmt.join_words([g.attributes[0] for g in singles])
        + f", each with the interval it lies in with {fmt.percent(dp.confidence)} confidence "
        "whatever the noise drawn. The values are in the tables below.",
        chart_id="chart-dp",
    )


@cache
def _environment() -> Any:
    return template_environment(
        interval=_interval, grouping=fmt.grouping, group=fmt.group, count=fmt.count
    )
