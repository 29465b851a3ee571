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


def test_login_inventory_system_chart_report(demo_server, browser) -> None:
    base, _ = demo_server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url) if not r.url.startswith((base, "data:", "about:")) else None
        ),
    )
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
    assert "EU AI Act Art. 9" in page.inner_text("#h-class + p + ul + table")
    page.screenshot(path=str(ARTIFACTS / "system.png"), full_page=True)

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
        base + "/systems/loan-approval/checklist", form={"item_id": "x", "answer": "yes"}
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
