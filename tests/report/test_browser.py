"""The HTML report in a real headless Chromium: charts present and visible, nothing fetched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.core import Finding
from accord.report import AuditResult
from browser_support import open_page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


@pytest.fixture(scope="module")
def report_file(binary_result: AuditResult, findings: list[Finding]) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "audit.html"
    binary_result.model_copy(update={"findings": findings}).to_html(path)
    return path


def test_charts_render_and_are_visible(browser: object, report_file: Path) -> None:
    page, requests, errors = open_page(browser, report_file)
    charts = page.locator("svg.chart")
    assert charts.count() == 7  # six of the audit, one of governance coverage
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 150 and box["height"] > 60
        # Vega drew marks inside: points, rectangles, lines or text.
        assert chart.locator("path, rect, line, text").count() > 20
    assert page.get_by_role("heading", name="Summary").is_visible()
    # Screen readers see each chart as one image named by its title and description.
    assert page.get_by_role("img", name=re.compile(r"^Key metrics by sex Dot plot")).count() == 1
    assert page.get_by_role("img").count() == 7
    page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=True)
    assert requests == [report_file.as_uri()]  # nothing but the file itself
    assert errors == []
    page.close()


def test_keyboard_reaches_the_skip_link_and_tables(browser: object, report_file: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(report_file.as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the summary"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#summary"
    # Wide tables scroll inside a focusable region, so keyboard users can reach every column.
    regions = page.locator("div.scroll[tabindex='0']")
    assert regions.count() > 10
    page.close()


def test_narrow_screen_does_not_scroll_sideways(browser: object, report_file: Path) -> None:
    page = browser.new_page(viewport={"width": 480, "height": 900})  # type: ignore[attr-defined]
    page.goto(report_file.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 480
    page.screenshot(path=str(ARTIFACTS / "audit-narrow.png"), full_page=False)
    page.close()
