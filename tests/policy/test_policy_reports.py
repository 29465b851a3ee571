"""Findings rendered: JUnit XML, Markdown, the terminal, and the HTML fragments (impact
tables, worst subgroups) in a real headless Chromium."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import accord
from accord.core import FindingStatus
from accord.report import (
    AuditResult,
    policy_sections,
    render_findings_markdown,
    render_findings_terminal,
    render_junit,
)
from browser_support import open_page

DATA = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "adult_demo.parquet"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "policy"
POLICY = {
    "version": 1,
    "system": "income-screen",
    "extends": ["four-fifths", "nyc-ll144"],
    "checks": [
        {
            "id": "ppv-floor",
            "metric": "ppv",
            "grouping": ["sex"],
            "threshold": {"gte": 0.9},
            "severity": "warn",
        },
        {"id": "auc", "metric": "auc", "measure": "overall", "threshold": {"gte": 0.7}},
        {"id": "no-column", "metric": "tpr", "grouping": ["nope"], "threshold": {"gte": 0}},
    ],
    "discover": {"explore": ["age", "education"], "max_order": 2},
}


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return accord.audit(
        DATA,
        label="income",
        prediction="prediction",
        score="score",
        positive=">50K",
        sensitive=["sex", "race"],
        bootstrap=100,
        policy=POLICY,
    )


def test_junit_has_one_testcase_per_check_and_group(result: AuditResult) -> None:
    root = ET.fromstring(render_junit(result))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "accord policy: income-screen"
    cases = suite.findall("testcase")
    assert len(cases) == sum(max(1, len(f.outcomes)) for f in result.findings)
    by_name = {(c.get("classname"), c.get("name")): c for c in cases}
    female = by_name[("accord.four-fifths[sex]", "sex=Female")]
    assert female.find("failure") is not None and "breaches >= 0.8" in female.find("failure").get(
        "message"
    )
    assert by_name[("accord.four-fifths[sex]", "sex=Male")].find("system-out") is not None
    assert by_name[("accord.no-column", "(check)")].find("error") is not None
    excluded = by_name[("accord.nyc-ll144-race-ethnicity[race]", "race=Other")]
    assert excluded.find("skipped") is not None
    assert "excluded from the impact ratios" in excluded.find("skipped").get("message")
    # Warnings fail only when the gate says so, as the exit code does.
    ppv = ("accord.ppv-floor[sex]", "sex=Female")
    assert by_name[ppv].find("failure") is None
    strict = {
        (c.get("classname"), c.get("name")): c
        for c in ET.fromstring(render_junit(result, fail_on="warn")).iter("testcase")
    }
    assert strict[ppv].find("failure") is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["verdict"] == "error" and props["data_sha256"] == result.input.content_sha256


def test_markdown_puts_failures_first_and_lays_out_the_tables(result: AuditResult) -> None:
    md = render_findings_markdown(result)
    lines = md.splitlines()
    assert lines[0] == "## accord policy check: 💥 a check could not run"
    order = [
        md.index(h)
        for h in (
            "### Failures",
            "### Checks that could not run",
            "### Warnings",
            "<summary>Passed",
        )
    ]
    assert order == sorted(order)
    assert "**System** income-screen" in md
    assert "| Category | # of applicants | # selected | Selection rate | Impact ratio |" in md
    assert "### Worst subgroups by selection_rate" in md
    assert "EEOC-UGESP:1607.4(D)" in md
    short = render_findings_markdown(result, max_chars=2000)
    assert len(short) < 2100 and "cut at 2,000 characters" in short


def test_markdown_cells_escape_pipes_from_the_data() -> None:
    df = {"y": [0, 1] * 60, "p": [0, 1, 1, 1] * 30, "g": ["a|b", "c"] * 60}
    import polars as pl

    r = accord.audit(
        pl.DataFrame(df),
        label="y",
        prediction="p",
        sensitive="g",
        bootstrap=0,
        policy={"version": 1, "extends": "four-fifths"},
    )
    md = render_findings_markdown(r)
    assert "a\\|b" in md and "| a|b |" not in md


def test_terminal_lists_every_finding_and_the_verdict(result: AuditResult) -> None:
    out = io.StringIO()
    render_findings_terminal(result, Console(file=out, width=140, no_color=True))
    text = out.getvalue()
    for f in result.findings:
        assert f.check_id in text
    counts = {
        s: sum(f.status.value == s for f in result.findings)
        for s in ("fail", "error", "warn", "pass")
    }
    assert text.rstrip().splitlines()[-1] == (
        f"policy error: {counts['fail']} fail, {counts['error']} error, {counts['warn']} warn, "
        f"{counts['pass']} pass"
    )
    assert "FAIL" in text and "ERROR" in text and "warn" in text
    assert "race categories" in text and "Worst subgroups" in text


def test_policy_sections_for_the_html_report(result: AuditResult) -> None:
    sections = policy_sections(result)
    assert [s[0] for s in sections] == ["impact-ratios", "worst-subgroups"]
    impact = sections[0][2]
    # Four-fifths and LL144 compute the same sex table: it is shown once.
    assert impact.count("<caption>sex categories</caption>") == 1
    assert impact.count("<caption>race categories</caption>") == 1  # four-fifths
    assert impact.count("<caption>race categories (categories under 2% excluded from") == 1
    assert impact.count("<svg") == 4
    assert 'class="excluded"' in impact and 'class="flag"' in impact
    assert "<script" not in impact and "http" not in impact.replace("http://www.w3.org", "")


@pytest.mark.browser
def test_the_fragments_render_in_chromium(result: AuditResult, browser: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f'<section id="{i}"><h2>{t}</h2>{h}</section>' for i, t, h in policy_sections(result)
    )
    page_file = ARTIFACTS / "policy-sections.html"
    page_file.write_text(
        f"<!DOCTYPE html><html lang=en><meta charset=utf-8>"
        f"<body style='font-family:sans-serif'>{body}</body></html>"
    )
    page, requests, _ = open_page(browser, page_file, width=1100)
    charts = page.locator("figure svg")
    assert charts.count() == 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50
    # The intersectional table holds every category of the data, excluded ones too.
    rows = page.locator("figure:has(caption:text('sex × race categories')) tbody tr")
    assert rows.count() == 10
    assert page.locator("tr.excluded").count() >= 6
    assert page.locator("#worst-subgroups tbody tr").count() == len(result.policy.discovery.top)  # type: ignore[union-attr]
    page.screenshot(path=str(ARTIFACTS / "policy-sections.png"), full_page=True)
    page.close()
    assert [u for u in requests if not u.startswith("file:")] == []


def test_statuses_of_the_fixture_cover_every_kind(result: AuditResult) -> None:
    assert {f.status for f in result.findings} == {
        FindingStatus.FAIL,
        FindingStatus.WARN,
        FindingStatus.ERROR,
        FindingStatus.PASS,
    }
