"""HTML reports of the privacy commands: risk assessment, anonymisation, PII scan.

Self-contained pages: charts are Altair specifications rendered to inline SVG
with vl-convert, so they work offline with no script and no CDN.
"""

from __future__ import annotations

from html import escape
from typing import Any

from accord.core import coarsen_count, disclosure_note
from accord.privacy import PrivacyResult
from accord.report._templates import template_environment

_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
_BLUE = "#0072B2"
_ORANGE = "#D55E00"


def _svg(spec_chart: Any, title: str) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec_chart.to_dict())
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


def class_size_chart(result: PrivacyResult, k_target: int = 5) -> str:
    """Bars of the records in every class-size bin; bins below ``k_target`` in orange."""
    import altair as alt

    small, large = f"smaller than {k_target}", f"{k_target} or more"
    rows = [
        {"size": b.label, "records": b.records, "class": small if b.low < k_target else large}
        for b in result.classes.histogram
        if b.records is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X(
                "size:N",
                sort=[b.label for b in result.classes.histogram],
                title="Class size (records sharing one combination of quasi-identifiers)",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("records:Q", title="Records"),
            color=alt.Color(
                "class:N",
                scale=alt.Scale(domain=[small, large], range=[_ORANGE, _BLUE]),
                legend=alt.Legend(title="Class size"),
            ),
            tooltip=["size:N", "records:Q"],
        )
        .properties(width=560, height=220)
        .configure(font=_FONT)
    )
    return _svg(chart, "Records by equivalence-class size")


def attribute_chart(result: PrivacyResult, top: int = 12) -> str:
    """Horizontal bars: share of records each attribute (or pair) makes unique."""
    import altair as alt

    rows = [
        {"attributes": " + ".join(r.attributes), "unique share": r.unique_share}
        for r in result.attribute_risk[:top]
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar(color=_BLUE)
        .encode(
            y=alt.Y("attributes:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X(
                "unique share:Q", title="Share of records made unique", axis=alt.Axis(format="%")
            ),
            tooltip=["attributes:N", alt.Tooltip("unique share:Q", format=".2%")],
        )
        .properties(width=420, height=max(60, 22 * len(rows)))
        .configure(font=_FONT)
    )
    return _svg(chart, "Quasi-identifiers ranked by the records they make unique")


def _env() -> Any:
    return template_environment(
        strict=False,
        pct=lambda v, d=2: "n/a" if v is None else f"{100 * v:.{d}f}%",
        num=lambda v, d=4: "n/a" if v is None else f"{v:.{d}g}",
        count=coarsen_count,
        model=lambda m: {
            "pitman": "Pitman",
            "zayatz": "Zayatz",
            "snb": "SNB",
            "dankar": "Dankar's rule",
        }.get(m, m),
    )


def privacy_html(result: PrivacyResult) -> str:
    """The risk assessment as a self-contained HTML page.

    Examples
    --------
    >>> import polars as pl, accord.privacy as ap
    >>> df = pl.DataFrame({"zip": ["1", "1", "2"], "dx": ["a", "b", "a"]})
    >>> "k-anonymity" in privacy_html(ap.assess(df, quasi_identifiers=["zip"]))
    True
    """
    return str(
        _env()
        .get_template("privacy.html.j2")
        .render(
            r=result,
            size_chart=class_size_chart(result),
            attr_chart=attribute_chart(result) if result.attribute_risk else "",
            threshold=result.settings.suppress_below,
            disclosure=disclosure_note(result.settings.suppress_below),
        )
    )


def anonymization_html(result: Any) -> str:
    """The anonymisation report (transformation, suppression, utility before and after).

    Examples
    --------
    >>> import polars as pl, accord.privacy as ap
    >>> df = pl.DataFrame({"age": [21, 22, 23, 24, 35, 36, 37, 38], "sex": ["F"] * 8})
    >>> r = ap.anonymize(df, {"quasi_identifiers": ["age", "sex"], "privacy": {"k": 4}})
    >>> '<div class="v">4</div><div class="l">k-anonymity of the output' in anonymization_html(r)
    True
    """
    return str(_env().get_template("anonymization.html.j2").render(r=result))


def pii_html(result: Any) -> str:
    """The PII scan as a self-contained HTML page.

    Examples
    --------
    >>> import polars as pl, accord.privacy as ap
    >>> df = pl.DataFrame({"contact": ["a@example.org", "b@example.net"], "x": [1, 2]})
    >>> "<tr><td>contact</td><td>EMAIL_ADDRESS</td>" in pii_html(ap.scan_pii(df))
    True
    """
    return str(_env().get_template("pii.html.j2").render(r=result))
