"""The published schema of accord inclusion's JSON, and the HTML page, opened in Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import polars as pl
import pytest

import accord
from accord.inclusion import assess, json_schema
from accord.report import render_inclusion_page, render_inclusion_section
from browser_support import open_page

ROOT = Path(__file__).resolve().parents[2]


def test_inclusion_schema_file_matches_the_model_and_validates_a_result(
    adult_result: object,
) -> None:
    on_disk = json.loads((ROOT / "schemas" / "inclusion-result.schema.json").read_text())
    assert on_disk == json.loads(accord.core.dumps(json_schema())), (
        "schemas/inclusion-result.schema.json is stale: run python scripts/generate_schemas.py"
    )
    jsonschema.Draft202012Validator(on_disk).validate(json.loads(adult_result.to_json()))


def test_section_escapes_values_from_the_data() -> None:
    df = pl.DataFrame({"g": ["<script>alert(1)</script>"] * 10 + ["b"] * 40})
    html = render_inclusion_section(assess(df, groups="g", bootstrap=0).stats)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.browser
def test_page_renders_in_chromium(adult_result: object, tmp_path: Path, browser: Any) -> None:
    page_path = tmp_path / "inclusion.html"
    page_path.write_text(render_inclusion_page(adult_result), encoding="utf-8")
    page, requests, _ = open_page(browser, page_path)
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 6
    # Every chart is drawn with a size, and has a title a screen reader can read.
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50
        assert charts.nth(i).locator("title").text_content()
    region_chart = page.locator("svg[aria-labelledby^='incl-perf2']")
    assert "no rows in the data" in (region_chart.text_content() or "")  # Africa, Oceania
    text = page.inner_text("body")
    assert "Blind spots" in text and "Africa" in text
    page.screenshot(path=str(tmp_path / "inclusion.png"), full_page=True)
    page.close()
    assert all(u.startswith("file:") for u in requests)  # no network: works offline
