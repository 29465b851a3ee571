"""An HTML page charting the governance catalog: themes x frameworks, and verification."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from accord.governance import Catalog, load_catalog, theme_matrix
from accord.report._charts import INK, MISSING_FILL, to_svg


def _data(rows: list[dict[str, Any]]) -> Any:
    import altair as alt

    data: Any = alt.Data  # Altair's constructors are untyped
    return data(values=rows)


_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

VERIFICATION_COLOURS = {"primary": "#009E73", "secondary": "#E69F00", "unverified": "#D55E00"}

PAGE = _ENV.from_string("""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>accord - AI governance frameworks: themes x frameworks</title>
<style>
body { font-family: Arial, 'Liberation Sans', Helvetica, sans-serif; color: #1f2328;
       max-width: 1200px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #e4e6e9; padding: 0.25rem 0.45rem; text-align: left; }
td.n { text-align: right; }
.note { color: #57606a; font-size: 0.85rem; }
</style></head>
<body>
<h1>AI governance frameworks: where they meet</h1>
<p>{{ n_frameworks }} frameworks, {{ n_items }} items with their own numbering,
{{ n_links }} item-to-item crosswalk links. Each cell counts the items of a framework that
carry a theme; an item may carry several themes.</p>
<figure>{{ matrix | safe }}</figure>
<h2>How each item was checked</h2>
<p>Primary: against the official text or a verbatim consolidation. Secondary: against at least
two independent secondary sources. Unverified: not yet confirmed.</p>
<figure>{{ verification | safe }}</figure>
<h2>The matrix as a table</h2>
<table>
<thead><tr><th scope="col">Framework</th>{% for t in themes %}<th scope="col" title="{{ t.title }}">{{ t.id }}</th>{% endfor %}<th scope="col">Binding</th></tr></thead>
<tbody>
{% for fw in frameworks %}<tr><th scope="row">{{ fw.short_name }}</th>
{% for t in themes %}<td class="n">{{ counts[fw.id][t.id] or "" }}</td>{% endfor %}<td>{{ fw.binding }}</td></tr>
{% endfor %}
</tbody></table>
<p class="note">Summaries in the catalog are accord's own paraphrases. accord informs; it does
not give legal advice.</p>
</body></html>
""")


def _matrix_chart(cat: Catalog, counts: dict[str, dict[str, int]]) -> Any:
    # Counts want a sequential scale that starts at zero; the shared heatmap builder of
    # _charts centres its scale on zero for signed differences, which would spend half of
    # the palette on values that cannot occur here.
    import altair as alt

    rows = [
        {
            "framework": fw.short_name,
            "theme": th.title,
            "items": counts[fw.id][th.id],
            "label": str(counts[fw.id][th.id] or ""),
        }
        for fw in cat.frameworks.values()
        for th in cat.themes
    ]
    order_fw = [fw.short_name for fw in cat.frameworks.values()]
    order_th = [th.title for th in cat.themes]
    base = alt.Chart(_data(rows)).encode(
        x=alt.X(
            "theme:N",
            sort=order_th,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-35, labelAlign="left"),
        ),
        y=alt.Y("framework:N", sort=order_fw, title=None),
    )
    scale = alt.Scale(scheme="blues", type="sqrt", domainMin=0)
    rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(
            "datum.items == 0",
            alt.value(MISSING_FILL),
            alt.Color("items:Q", title="Items", scale=scale),
        ),
        tooltip=["framework:N", "theme:N", "items:Q"],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition("datum.items > 12", alt.value("white"), alt.value(INK)),
    )
    return (rects + text).properties(width=34 * len(order_th) + 20, height=24 * len(order_fw))


def _verification_chart(cat: Catalog) -> Any:
    import altair as alt

    rows = []
    for fw in cat.frameworks.values():
        for status in ("primary", "secondary", "unverified"):
            n = sum(it.verification == status for it in fw.items)
            if n:
                rows.append({"framework": fw.short_name, "status": status, "items": n})
    return (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("items:Q", title="Items"),
            y=alt.Y(
                "framework:N", sort=[fw.short_name for fw in cat.frameworks.values()], title=None
            ),
            color=alt.Color(
                "status:N",
                title="Checked against",
                scale=alt.Scale(
                    domain=list(VERIFICATION_COLOURS), range=list(VERIFICATION_COLOURS.values())
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["framework:N", "status:N", "items:Q"],
        )
        .properties(width=560, height=22 * len(cat.frameworks))
    )


def render_matrix_charts(catalog: Catalog | None = None) -> tuple[str, str]:
    """Chart the catalog as two inline SVGs: the themes x frameworks matrix, and how each
    framework's items were checked (primary, secondary, unverified).

    Examples
    --------
    >>> matrix, verification = render_matrix_charts()
    >>> matrix.startswith("<svg") and "Themes x frameworks" in matrix
    True
    """
    cat = catalog or load_catalog()
    counts = theme_matrix(cat)
    desc = "; ".join(
        f"{fw.short_name}: "
        + ", ".join(f"{t.id} {counts[fw.id][t.id]}" for t in cat.themes if counts[fw.id][t.id])
        for fw in cat.frameworks.values()
    )
    matrix = to_svg(
        _matrix_chart(cat, counts),
        title="Themes x frameworks",
        description=desc,
        chart_id="matrix",
    )
    verification = to_svg(
        _verification_chart(cat),
        title="Verification status of the catalog items",
        description="Items per framework checked against primary or secondary sources, or "
        "not yet verified.",
        chart_id="verification",
    )
    return matrix, verification


def render_matrix_page(catalog: Catalog | None = None) -> str:
    """Render the themes x frameworks matrix (and verification status) as an HTML page.

    Examples
    --------
    >>> page = render_matrix_page()
    >>> page.startswith("<!doctype html>") and page.count("<svg") == 2
    True
    """
    cat = catalog or load_catalog()
    matrix, verification = render_matrix_charts(cat)
    return PAGE.render(
        n_frameworks=len(cat.frameworks),
        n_items=sum(len(fw.items) for fw in cat.frameworks.values()),
        n_links=len(cat.links),
        matrix=matrix,
        verification=verification,
        themes=cat.themes,
        frameworks=list(cat.frameworks.values()),
        counts=theme_matrix(cat),
    )
