"""The evidence-coverage section of the HTML report (and a stand-alone page)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from accord.governance import STATUS_LABELS, STATUSES, Coverage
from accord.report._charts import to_svg

#: Okabe-Ito based colours: red-orange for failing, greens and blue for covered, greys for
#: nothing yet.
COLOURS = {
    "failing": "#D55E00",
    "inconclusive": "#CC79A7",
    "process_gap": "#E69F00",
    "needs_answer": "#F0E442",
    "uncovered": "#BBBBBB",
    "measured": "#56B4E9",
    "evidenced": "#009E73",
    "attested": "#0072B2",
    "not_applicable": "#E4E6E9",
}


def _data(rows: list[dict[str, Any]]) -> Any:
    import altair as alt

    data: Any = alt.Data  # Altair's constructors are untyped
    return data(values=rows)


_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

SECTION = _ENV.from_string("""\
<section class="accord-coverage" id="coverage">
<h2>Evidence coverage against governance frameworks</h2>
{% if cov.tier_label %}<p>EU AI Act classification: <strong>{{ cov.tier_label }}</strong></p>{% endif %}
<p>For each requirement in scope: evidenced by a passing or a failing check of this audit,
measured without a threshold, answered in the process checklist, or covered by nothing yet.
Evidence supports a requirement; it does not by itself show compliance.</p>
<figure>{{ chart | safe }}</figure>
<table class="accord-coverage-summary">
<thead><tr><th scope="col">Framework</th><th scope="col">Requirements</th>
{% for s in statuses %}<th scope="col">{{ labels[s] }}</th>{% endfor %}</tr></thead>
<tbody>
{% for f in cov.frameworks %}<tr><th scope="row">{{ f.title }}</th><td>{{ f.total }}</td>
{% for s in statuses %}<td>{{ f.counts.get(s, 0) }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
{% for f in cov.frameworks %}
<details{% if loop.first %} open{% endif %}>
<summary>{{ f.title }}: {{ f.total }} requirements</summary>
{% if f.note %}<p>{{ f.note }}</p>{% endif %}
<table class="accord-coverage-items">
<thead><tr><th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>
<tbody>
{% for r in rows[f.framework] %}
<tr class="status-{{ r.status }}">
<td><code>{{ r.requirement }}</code> {{ r.title }}</td>
<td><span class="badge" style="background:{{ colours[r.status] }}">{{ labels[r.status] }}</span></td>
<td>{% for c in r.checks %}<div>{{ c.check_id }} <em>{{ c.check_type }}</em>: {{ c.status }}</div>{% endfor %}
{% for p in r.process %}<div>{{ p.question }}: {{ p.answer or "unanswered" }}{% if p.evidence %}
 (<a href="{{ p.evidence }}">evidence</a>){% endif %}</div>{% endfor %}</td>
</tr>
{% endfor %}
</tbody></table>
</details>
{% endfor %}
{% if cov.unmapped_checks %}<p>Checks accord cannot map to requirements: {{ cov.unmapped_checks | join(", ") }}</p>{% endif %}
<p class="disclaimer">{{ cov.disclaimer }}</p>
</section>
""")

PAGE = _ENV.from_string("""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>accord - evidence coverage</title>
<style>
body { font-family: Arial, 'Liberation Sans', Helvetica, sans-serif; color: #1f2328;
       max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e4e6e9; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
.badge { padding: 0.1rem 0.4rem; border-radius: 0.3rem; white-space: nowrap; }
.disclaimer { color: #57606a; font-size: 0.85rem; }
details { margin: 0.6rem 0; } summary { font-weight: bold; cursor: pointer; }
</style></head>
<body>
<h1>accord: evidence coverage</h1>
{{ section | safe }}
</body></html>
""")


def _chart(cov: Coverage) -> str:
    import altair as alt

    rows: list[dict[str, Any]] = []
    for f in cov.frameworks:
        for n, s in enumerate(STATUSES):
            if f.counts.get(s):
                rows.append(
                    {
                        "framework": f.title,
                        "status": STATUS_LABELS[s],
                        "order": n,
                        "count": f.counts[s],
                    }
                )
    domain = [STATUS_LABELS[s] for s in STATUSES]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "count:Q",
                stack="normalize",
                title="Share of requirements in scope",
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("framework:N", title=None, sort=[f.title for f in cov.frameworks]),
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(domain=domain, range=[COLOURS[s] for s in STATUSES]),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("order:Q"),
            tooltip=["framework:N", "status:N", "count:Q"],
        )
        .properties(width=620, height=max(60, 34 * len(cov.frameworks)))
    )
    desc = "; ".join(
        f"{f.title}: "
        + ", ".join(
            f"{f.counts[s]} {STATUS_LABELS[s].lower()}" for s in STATUSES if f.counts.get(s)
        )
        for f in cov.frameworks
    )
    return to_svg(
        chart, title="Evidence coverage by framework", description=desc, chart_id="coverage-chart"
    )


def render_coverage_section(coverage: Coverage) -> str:
    """Render coverage as an HTML fragment (a ``<section>``) for the audit report.

    Examples
    --------
    >>> from accord.governance import compute_coverage
    >>> html = render_coverage_section(compute_coverage(frameworks=["EEOC-UGESP"]))
    >>> html.startswith('<section class="accord-coverage"') and "<svg" in html
    True
    """
    rows: dict[str, list[Any]] = {f.framework: [] for f in coverage.frameworks}
    rank = {s: n for n, s in enumerate(STATUSES)}
    for r in coverage.requirements:
        rows[r.framework].append(r)
    for fw in rows:
        rows[fw].sort(key=lambda r: rank[r.status])
    return SECTION.render(
        cov=coverage,
        chart=_chart(coverage),
        statuses=STATUSES,
        labels=STATUS_LABELS,
        colours=COLOURS,
        rows=rows,
    )


def render_coverage_page(coverage: Coverage) -> str:
    """Render coverage as a stand-alone HTML page (works offline)."""
    return PAGE.render(section=render_coverage_section(coverage))
