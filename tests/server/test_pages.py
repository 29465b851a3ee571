"""The pages through a logged-in session: the governance pages, and the error page of a
report that cannot be rendered."""

from __future__ import annotations

import re

from sqlalchemy import update

from accord.governance import load_catalog
from accord.registry._models import Audit


def _login(world) -> None:
    c = world.client
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    r = c.post(
        "/login",
        data={"csrf": csrf, "token": world.tokens["viewer"], "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_governance_pages_answer_and_refuse_unknown_ids(world) -> None:
    _login(world)
    c = world.client
    cat = load_catalog()
    page = c.get("/frameworks").text
    assert page.count('<tr><th scope="row"><a href="/frameworks/') == len(cat.frameworks)
    assert page.count("<svg") == 2  # the matrix and the verification chart, inline
    assert "Art10(2)(f)" in c.get("/frameworks/EUAIA").text
    item = c.get("/frameworks/UNGA/items/78/265.bias")
    assert item.status_code == 200 and "Non-discrimination" in item.text
    assert c.get("/frameworks/EUAIA/items/Art10(2)(z)").status_code == 404
    assert c.get("/themes/PRIV").status_code == 200
    r = c.get("/crosswalk?from=NIST&to=ISO42001")
    assert r.status_code == 422 and "query.from" in r.text and "NIST-RMF" in r.text
    pairs = c.get("/crosswalk").text
    assert "Frameworks the crosswalk links" in pairs


def test_a_report_that_cannot_be_rendered_gets_a_clear_error_page(world) -> None:
    _login(world)
    audit_id = world.registry.list_audits(system="alpha").items[0].id
    with world.registry.writing() as s:  # a stored result changed behind accord's back
        s.execute(
            update(Audit).where(Audit.id == audit_id).values(result_json='{"schema_version": 1}')
        )
    r = world.client.get(f"/audits/{audit_id}/report")
    assert r.status_code == 500
    assert "could not be rendered" in r.text and f"/api/audits/{audit_id}/result" in r.text
    assert world.client.get(f"/audits/{audit_id}").status_code == 200  # the page around it
