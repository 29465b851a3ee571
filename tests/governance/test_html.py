"""The coverage section and the themes x frameworks page: structure, and a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.core import Finding
from accord.governance import classify, compute_coverage, load_catalog
from accord.report._coverage import render_coverage_page, render_coverage_section
from accord.report._frameworks import render_matrix_page
from browser_support import open_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "governance"


@pytest.fixture(scope="module")
def coverage() -> object:
    cls = classify({"annex3.uses": ["4(a)"], "us.aedt": True, "us.nyc": True})
    findings = [
        Finding(
            check_id="<b>four-fifths</b>",
            status="fail",
            metric="selection_rate",
            measure="ratio",
            requirements=["EEOC-UGESP:1607.4(D)"],
        ),
        Finding(check_id="eo", status="pass", metric="tpr", measure="difference"),
    ]
    return compute_coverage(
        findings=findings,
        measured=["fairness.audit"],
        classification=cls.model_dump(mode="json", by_alias=True),
    )


def test_coverage_section_is_a_self_contained_fragment(coverage: object) -> None:
    html = render_coverage_section(coverage)  # type: ignore[arg-type]
    assert html.startswith('<section class="accord-coverage"') and html.rstrip().endswith(
        "</section>"
    )
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "&lt;b&gt;four-fifths&lt;/b&gt;" in html and "<b>four-fifths</b>" not in html
    for fw in ("EU AI Act", "NYC Local Law 144", "NIST AI RMF", "ISO/IEC 42001"):
        assert fw in html
    assert "legal advice" in html


def test_matrix_page_counts_match_the_catalog() -> None:
    page = render_matrix_page()
    cat = load_catalog()
    n_items = sum(len(fw.items) for fw in cat.frameworks.values())
    assert f"{n_items} items" in page and f"{len(cat.links)} item-to-item" in page
    assert page.count("<svg") == 2 and "<script" not in page


@pytest.mark.browser
@pytest.mark.parametrize("name", ["matrix", "coverage"])
def test_pages_render_in_chromium(browser: object, coverage: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.html"
    html = render_matrix_page() if name == "matrix" else render_coverage_page(coverage)  # type: ignore[arg-type]
    path.write_text(html, encoding="utf-8")
    page, requests, errors = open_page(browser, path, width=1200)
    charts = page.locator("figure svg")
    assert charts.count() == (2 if name == "matrix" else 1)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    assert not errors
    assert all(u.startswith("file://") for u in requests), requests
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()
