from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

import accord
from accord.core import Finding, UsageError, ValueStatus
from accord.report import AuditResult
from accord.report._html import render_html

TEMPLATES = Path(accord.__file__).parent / "report" / "templates"
#: Words the reports never use about a system (what was measured, not a verdict).
CLAIMS = re.compile(
    # identifiers such as a checklist's PC-FAIR-02 are names, not claims
    r"(?<![-\w])(fair|unfair|unbiased|bias-free|compliant|non-compliant|debiased?)(?![-\w])",
    re.IGNORECASE,
)


class Page(HTMLParser):
    """Every tag with its attributes, and the text, of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def page_html(binary_result: AuditResult, findings: list[Finding]) -> str:
    result = binary_result.model_copy(update={"findings": findings})
    return render_html(result, [("inclusion", "Inclusion", "<p id='extra-p'>Regions</p>")])


@pytest.fixture(scope="module")
def page(page_html: str) -> Page:
    return Page(page_html)


def test_page_is_self_contained(page: Page, page_html: str) -> None:
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert "@import" not in page_html and "url(http" not in page_html


def test_one_chart_per_attribute_the_finest_intersection_heatmap_and_calibration(
    page: Page, binary_result: AuditResult
) -> None:
    svgs = page.all("svg")
    attributes = len(binary_result.roles.sensitive)
    assert len(svgs) == attributes + 1 + 1 + 1 + 1
    ids = [s["id"] for s in svgs]
    assert ids == [f"chart-groups-{i}" for i in range(attributes + 1)] + [
        "chart-intersections",
        "chart-calibration",
        "coverage-chart",
    ]
    for svg in svgs:
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] == f"{svg['id']}-title {svg['id']}-desc"


def test_ids_are_unique_so_inline_charts_do_not_share_gradients(page: Page) -> None:
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_every_chart_has_a_title_and_a_description(page_html: str) -> None:
    titles = re.findall(r'<title id="(chart-[\w-]+)-title">([^<]+)</title>', page_html)
    descs = re.findall(r'<desc id="(chart-[\w-]+)-desc">([^<]+)</desc>', page_html)
    assert len(titles) == len(descs) == 6
    assert all(len(d) > 60 for _, d in descs)


def test_sections_come_in_order(page_html: str) -> None:
    order = ["findings", "summary", "charts", "inclusion", "tables", "methods"]
    positions = [page_html.index(f'<section id="{s}"') for s in order]
    assert positions == sorted(positions)
    assert '<a href="#inclusion">Inclusion</a>' in page_html
    assert "<p id='extra-p'>Regions</p>" in page_html  # trusted fragment, not escaped


def test_findings_table_lists_every_check_failures_first(
    page_html: str, findings: list[Finding]
) -> None:
    section = page_html[
        page_html.index('<section id="findings"') : page_html.index('<section id="summary"')
    ]
    order = [section.index(f.check_id) for f in findings]
    fail, passed, insufficient = order
    assert fail < insufficient < passed
    assert "nyc-ll144:bias-audit" in section and "≥ 0.800" in section
    assert "judged" not in section  # every check here is judged on its point value


def test_no_findings_no_verdict(binary_result: AuditResult) -> None:
    assert '<section id="findings"' not in render_html(binary_result)


def test_every_table_has_a_caption_and_headers(page: Page, page_html: str) -> None:
    tables = page_html.count("<table>")
    assert tables > 10
    assert page_html.count("<caption>") == tables
    assert page_html.count('scope="col"') > tables


def test_small_groups_read_insufficient_data_never_a_number(
    page_html: str, binary_result: AuditResult
) -> None:
    grouping = binary_result.fairness.groupings[-1]
    small = [g for g in grouping.groups if g.status == ValueStatus.INSUFFICIENT_DATA]
    assert small
    tables = page_html[page_html.index('<section id="tables"') :]
    for g in small:
        head = "".join(f'<th scope="row">{escape(g.key[a])}</th>' for a in grouping.attributes)
        start = tables.index(head)
        row = tables[start : tables.index("</tr>", start)]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
        threshold = binary_result.fairness.suppress_below
        assert cells[0] == (escape(f"<{threshold}") if g.n is None else f"{g.n:,}")
        # The group's share of the data is a fact, unless it would give a withheld count
        # away; every metric is withheld.
        shown = cells[1:] if g.n is None else cells[2:]
        assert shown and all(c == "insufficient data" for c in shown), cells


def test_undefined_rates_are_written_out(binary_data: pl.DataFrame) -> None:
    # A group whose every label is negative has no true positive rate.
    df = binary_data.with_columns(
        pl.when(pl.col("race") == "asian").then(pl.lit("no")).otherwise(pl.col("y")).alias("y")
    )
    result = accord.audit(
        df, label="y", prediction="p", positive="yes", sensitive="race", bootstrap=0
    )
    html = render_html(result)
    assert ">undefined</td>" in html


def test_text_from_data_is_escaped() -> None:
    df = pl.DataFrame(
        {"y": [0, 1] * 40, "p": [1, 1, 0, 1] * 20, "g": ["<script>alert(1)</script>", "b&b"] * 40}
    )
    html = render_html(accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bad_extra_section_id_is_a_usage_error(binary_result: AuditResult) -> None:
    with pytest.raises(UsageError, match="section id"):
        render_html(binary_result, [("summary", "Clash", "<p></p>")])
    with pytest.raises(UsageError, match="section id"):
        render_html(binary_result, [("has space", "Bad", "<p></p>")])


def test_methods_name_intervals_bootstrap_correction_and_fingerprints(
    page_html: str, binary_result: AuditResult
) -> None:
    methods = page_html[page_html.index('<section id="methods"') :]
    assert "Wilson score interval" in methods
    assert "200 replicates, seed 0" in methods
    assert "Holm-Bonferroni" in methods
    assert binary_result.input.content_sha256 in methods
    assert f"version {binary_result.accord_version}" in methods
    assert "30 rows" in methods


def test_rerun_command_for_a_file(tmp_path: Path, binary_data: pl.DataFrame) -> None:
    path = tmp_path / "data.csv"
    binary_data.write_csv(path)
    result = accord.audit(
        str(path),
        label="y",
        prediction="p",
        positive="yes",
        sensitive=["sex", "age"],
        bins={"age": [30, 60]},
        bootstrap=50,
        seed=3,
    )
    html = render_html(result)
    assert (
        f"accord audit {path} --label y --prediction p --sensitive sex,age --positive yes "
        f"--bins age=30,60 --min-group-size 30 --bootstrap 50 --seed 3"
    ) in html


def test_regression_report_has_no_calibration_chart(regression_result: AuditResult) -> None:
    page = Page(render_html(regression_result))
    ids = [s["id"] for s in page.all("svg")]
    assert "chart-calibration" not in ids and "chart-intersections" in ids
    assert "MAE" in "".join(page.text)


def test_multiclass_report_labels_classes(multiclass_result: AuditResult) -> None:
    html = render_html(multiclass_result)
    assert "True positive rate [setosa]" in html
    assert "multiclass classification, 3 classes" in html


def test_single_attribute_has_no_heatmap() -> None:
    df = pl.DataFrame({"y": [0, 1] * 40, "p": [1, 1, 0, 1] * 20, "g": ["a", "b"] * 40})
    page = Page(
        render_html(accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0))
    )
    assert [s["id"] for s in page.all("svg")] == ["chart-groups-0", "coverage-chart"]


def test_language_guide(binary_result: AuditResult, findings: list[Finding]) -> None:
    # The report says what was measured; it never calls a system fair, unbiased or compliant.
    # (The coverage section quotes framework titles such as NIST's "Fair - with harmful bias
    # managed": those are the frameworks' words, so it is left out here.)
    for path in TEMPLATES.iterdir():
        assert not CLAIMS.search(path.read_text(encoding="utf-8")), path.name
    result = binary_result.model_copy(update={"findings": findings})
    text = " ".join(Page(render_html(result, coverage=False)).text)
    assert not CLAIMS.search(text), CLAIMS.search(text)


def test_page_size_stays_small(page_html: str) -> None:
    # Aggregates only: a 59-group audit stays well under two megabytes.
    assert len(page_html.encode()) < 2_000_000


def test_governance_coverage_section_is_on_by_default(binary_result: AuditResult) -> None:
    with_cov = Page(render_html(binary_result))
    without = Page(render_html(binary_result, coverage=False))
    assert any(a.get("id") == "coverage" for _, a in with_cov.tags)
    assert not any(a.get("id") == "coverage" for _, a in without.tags)
    text = " ".join(with_cov.text)
    assert "EU AI Act" in text and "legal advice" in text
    # a plain audit (no policy) measures without thresholds: nothing reads as passed or failed
    assert "Measured (no threshold set)" in text
