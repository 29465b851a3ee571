"""End to end in real headless Chromium: log in, inventory, system with its chart, report."""

from __future__ import annotations

import pytest

from accord.registry import Registry
from registry_support import ROOT, running_server

ARTIFACTS = ROOT / "test-artifacts" / "registry"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory):
    from accord.registry._demo import seed_demo

    db = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    reg = Registry(db)
    reg.upgrade()
    seed_demo(reg, rows=1500, bootstrap=50)
    reg.create_user("test", "risk-officer", "correct horse battery", "admin")
    token = reg.create_token("test", "browser", "viewer", system="loan-approval").token
    reg.dispose()
    with running_server(db) as (base, _):
        yield base, token


def _watched_page(browser, base: str) -> tuple[object, list[str]]:
    """A new page, and the list of every URL it requests from anywhere but this site."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url) if not r.url.startswith((base, "data:", "about:")) else None
        ),
    )
    return page, external


def test_login_inventory_system_chart_report(demo_server, browser) -> None:
    base, _ = demo_server
    page, external = _watched_page(browser, base)
    page.goto(base + "/")
    assert page.url.startswith(base + "/login")
    page.fill("#username", "risk-officer")
    page.fill("#password", "wrong password")
    page.click("form[aria-labelledby=with-password] button")
    assert "not valid" in page.inner_text("[role=alert]")
    page.fill("#username", "risk-officer")
    page.fill("#password", "correct horse battery")
    page.click("form[aria-labelledby=with-password] button")
    page.wait_for_url(base + "/")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 4
    assert "never audited" in page.inner_text("table.list")
    page.screenshot(path=str(ARTIFACTS / "inventory.png"), full_page=True)
    page.fill("#q", "credit")
    page.click("form.filters button")
    assert page.locator("table.list tbody tr").count() == 1

    page.click("text=loan-approval")
    assert page.locator("h1").inner_text() == "loan-approval"
    chart = page.locator("figure.chart svg")
    assert chart.count() == 1 and chart.bounding_box()["width"] > 400
    assert page.locator("figure.chart svg path").count() > 4
    classification = page.locator("#classification")
    assert "High-risk AI system (Art 6)" in classification.locator("p.tier").inner_text()
    assert "annex3.uses" in classification.locator("table").first.inner_text()
    duties = classification.locator("details.obligations table")
    assert "Art 9" in duties.inner_text() and "2027-12-02" in duties.inner_text()
    coverage = page.locator("#coverage")
    assert coverage.locator("svg[role=img]").count() == 1
    assert "Evidenced by a passing check" in coverage.inner_text()
    checklist = page.locator("#checklist table")
    assert checklist.locator("tbody tr.c-answered").count() == 7
    assert checklist.locator("tbody tr.c-unanswered").count() == 33
    assert checklist.locator("#q-PC-DATA-01 a[href^='https://']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "system.png"), full_page=True)
    coverage.locator("details summary").first.click()
    attested = coverage.locator("tr.status-attested").first
    assert attested.is_visible() and "PC-" in attested.inner_text()
    coverage.screenshot(path=str(ARTIFACTS / "system-coverage.png"))
    # an answer from the form, to a question of the governance checklist
    page.select_option("#item_id", "PC-GOV-01")
    page.select_option("#answer", "yes")
    page.fill("#evidence_url", "https://wiki.example.org/ai-policy")
    page.click("form[action$='/checklist'] button")
    page.wait_for_url("**#q-PC-GOV-01")
    assert page.locator("#q-PC-GOV-01").get_attribute("class") == "c-answered"
    assert checklist.locator("tbody tr.c-answered").count() == 8

    page.click("section[aria-labelledby=h-findings] a[href^='/audits/']")
    frame = page.frame_locator("iframe.report")
    assert "audit of loan-approval" in frame.locator("h1").first.inner_text().lower()
    assert frame.locator("svg[role=img]").count() >= 2  # the full report, charts included
    page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=False)
    page.click("text=Compare with the previous audit")
    assert "Findings that changed" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "diff.png"), full_page=True)
    assert external == []  # offline: nothing fetched from anywhere else
    page.close()


def test_frameworks_crosswalk_and_theme(demo_server, browser) -> None:
    base, token = demo_server  # a viewer limited to one system still reads the catalog
    page, external = _watched_page(browser, base)
    page.goto(base + "/login")
    page.fill("#token", token)
    page.click("form[aria-labelledby=with-token] button")
    page.wait_for_url(base + "/")
    page.click("header nav >> text=Frameworks")
    assert page.locator("h1").inner_text() == "AI governance frameworks"
    catalog = page.locator("section[aria-labelledby=h-catalog] table tbody tr")
    assert catalog.count() == 20
    matrix = page.locator("section[aria-labelledby=h-matrix] figure svg[role=img]")
    assert matrix.count() == 1 and matrix.bounding_box()["width"] > 400
    assert "Themes x frameworks" in matrix.locator("title").text_content()
    page.screenshot(path=str(ARTIFACTS / "frameworks.png"), full_page=True)

    page.click("text=EU AI Act >> nth=0")
    assert page.locator("h1").inner_text() == "EU AI Act"
    row = page.locator("tr[id='i-Art10(2)(f)']")
    assert "fairness.selection_rate.ratio" in row.inner_text()
    assert "primary" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "framework.png"), full_page=False)
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "framework-items.png"), full_page=False)
    row.locator("th a").click()
    assert page.locator("h1").inner_text().startswith("EUAIA:Art10(2)(f)")
    links = page.locator("section[aria-labelledby=h-links] tbody tr")
    assert links.count() >= 1
    assert page.locator("section[aria-labelledby=h-checks] code").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "item.png"), full_page=True)

    page.goto(base + "/crosswalk")
    page.select_option("#cw-from", "NIST-RMF")
    page.select_option("#cw-to", "ISO42001")
    page.click("form[action='/crosswalk'] button")
    page.wait_for_url("**/crosswalk?from=NIST-RMF&to=ISO42001")
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 5
    assert {m.inner_text() for m in rows.locator(".match").all()} <= {
        "exact",
        "close",
        "broad",
        "narrow",
        "related",
    }
    page.screenshot(path=str(ARTIFACTS / "crosswalk.png"), full_page=False)

    page.goto(base + "/themes/FAIR")
    assert page.locator("h1").inner_text() == "Fairness & non-discrimination"
    assert page.locator("section[aria-labelledby=h-side] tbody tr").count() >= 10
    assert page.locator("article.ground").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "theme.png"), full_page=False)
    assert page.goto(base + "/themes/FAIRNESS").status == 404
    assert external == []
    page.close()


def test_forms_need_their_csrf_token_and_the_role(demo_server, browser) -> None:
    base, token = demo_server
    page = browser.new_page()
    page.goto(base + "/login")
    page.fill("#token", token)
    page.click("form[aria-labelledby=with-token] button")
    page.wait_for_url(base + "/")
    names = page.locator("table.list tbody th").all_inner_texts()
    assert names == ["loan-approval"]  # the token is limited to this system
    assert page.goto(base + "/systems/cv-screening").status == 404
    page.goto(base + "/systems/loan-approval")
    assert page.locator("form[action$='/signoffs']").count() == 0  # a viewer has no forms
    # a forged cross-site post, without the CSRF token, is refused
    r = page.request.post(
        base + "/systems/loan-approval/checklist", form={"item_id": "PC-GOV-01", "answer": "yes"}
    )
    assert r.status == 403
    page.close()


def test_keyboard_reaches_the_main_content(demo_server, browser) -> None:
    base, _ = demo_server
    page = browser.new_page()
    page.goto(base + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    labels = page.locator("label").all()
    for label in labels:
        target = label.get_attribute("for")
        assert target and page.locator(f"#{target}").count() == 1
    page.close()
