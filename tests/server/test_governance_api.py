"""The governance catalog through the API, and a system's classification, checklist and
coverage."""

from __future__ import annotations

import json

from accord.governance import classify, consensus, load_catalog

CAT = load_catalog()


def test_the_catalog_lists_every_framework_with_its_counts(world) -> None:
    c, h = world.client, world.as_("viewer@alpha")  # the catalog is no system's data
    page = c.get("/api/frameworks", headers=h).json()
    assert page["total"] == len(CAT.frameworks) == len(page["items"])
    assert [f["id"] for f in page["items"]] == list(CAT.frameworks)
    for f in page["items"]:
        fw = CAT.frameworks[f["id"]]
        assert f["items"] == len(fw.items) == sum(f["verification"].values())
        assert f["verification"]["unverified"] == sum(
            it.verification == "unverified" for it in fw.items
        )
        assert f["instrument_type"] == fw.instrument_type
        assert f["adopted"] == fw.adopted.isoformat()
    second = c.get("/api/frameworks?limit=1&offset=1", headers=h).json()
    assert [f["id"] for f in second["items"]] == [list(CAT.frameworks)[1]]


def test_a_framework_lists_its_items_with_their_evidence(world) -> None:
    c, h = world.client, world.as_("viewer")
    fw = c.get("/api/frameworks/euaia", headers=h).json()  # ids are case-insensitive
    assert fw["id"] == "EUAIA" and len(fw["items"]) == len(CAT.frameworks["EUAIA"].items)
    by_ref = {it["ref"]: it for it in fw["items"]}
    bias = by_ref["Art10(2)(f)"]
    assert "fairness.selection_rate.ratio" in bias["checks"]
    assert bias["verification"] == "primary" and bias["source"]
    assert bias["parent"] == "EUAIA:Art10" and bias["depth"] == 1
    assert fw["crosswalk"]["NIST-RMF"] == len(CAT.crosswalk("EUAIA", "NIST-RMF"))
    assert [d["date"] for d in fw["application_dates"]] == sorted(
        d["date"] for d in fw["application_dates"]
    )


def test_an_item_shows_its_links_both_ways(world) -> None:
    c, h = world.client, world.as_("viewer")
    # a link stored with the item as its target reads backwards, broad and narrow swapped
    ln = next(x for x in CAT.links if x.match in ("broad", "narrow"))
    framework, ref = ln.target.split(":", 1)
    d = c.get(f"/api/frameworks/{framework}/items/{ref}", headers=h).json()
    back = next(x for x in d["links"] if x["target"] == ln.source)
    assert back["source"] == ln.target
    assert back["match"] == {"broad": "narrow", "narrow": "broad"}[ln.match]
    assert back["rationale"] == ln.rationale
    assert back["target_framework"] == ln.source.split(":", 1)[0]
    # a reference with a slash in it (UN resolution numbers)
    d = c.get("/api/frameworks/UNGA/items/78/265.bias", headers=h).json()
    assert d["item"]["id"] == "UNGA:78/265.bias"
    assert [p["id"] for p in d["parents"]] == ["UNGA:78/265"]
    questions = c.get("/api/frameworks/EUAIA/items/Art27", headers=h).json()["questions"]
    assert "PC-RISK-03" in [q["id"] for q in questions]


def test_unknown_ids_are_404_or_422_with_a_suggestion(world) -> None:
    c, h = world.client, world.as_("viewer")
    r = c.get("/api/frameworks/EUAI", headers=h)
    assert r.status_code == 404 and "EUAIA" in r.json()["error"]
    r = c.get("/api/frameworks/EUAIA/items/Art10(2)(z)", headers=h)
    assert r.status_code == 404 and "Art10(2)" in r.json()["error"]
    r = c.get("/api/themes/FAIRNESS", headers=h)
    assert r.status_code == 404 and "FAIR" in r.json()["error"]
    r = c.get("/api/crosswalk?from=NIST&to=ISO42001", headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "query.from" and "NIST-RMF" in r.text
    r = c.get("/api/crosswalk?from=NIST-RMF", headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.to"


def test_the_crosswalk_between_two_frameworks(world) -> None:
    c, h = world.client, world.as_("viewer")
    cw = c.get("/api/crosswalk?from=ISO42001&to=NIST-RMF", headers=h).json()
    expected = CAT.crosswalk("ISO42001", "NIST-RMF")
    assert [(x["source"], x["match"], x["target"]) for x in cw["links"]] == [
        (x.source, x.match, x.target) for x in expected
    ]
    assert expected and all(x["source"].startswith("ISO42001:") for x in cw["links"])
    assert all(x["rationale"] and x["source_title"] for x in cw["links"])


def test_themes_and_the_consensus_view(world) -> None:
    c, h = world.client, world.as_("viewer")
    themes = c.get("/api/themes", headers=h).json()
    assert [t["id"] for t in themes] == [t.id for t in [*CAT.themes, *CAT.tags]]
    fair = next(t for t in themes if t["id"] == "FAIR")
    assert fair["items"] == len(CAT.items_with_theme("FAIR"))
    got = c.get("/api/themes/fair", headers=h).json()
    assert got == json.loads(consensus("FAIR").model_dump_json(by_alias=True))
    questions = c.get("/api/checklist", headers=h).json()
    assert [q["id"] for q in questions] == [q.id for q in CAT.checklist]


def test_checklist_answers_take_only_question_ids(world) -> None:
    c = world.client
    events = world.registry.list_events(action="checklist.answer").total
    r = c.put(
        "/api/systems/alpha/checklist/PC-FAIR-1",
        headers=world.as_("auditor"),
        json={"answer": "yes"},
    )
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["field"] == "path.item_id" and "PC-FAIR-01" in error["message"]
    assert world.registry.list_events(action="checklist.answer").total == events
    r = c.put(
        "/api/systems/alpha/checklist/PC-FAIR-01",
        headers=world.as_("auditor"),
        json={"answer": "no", "evidence_url": "https://example.org/rationale"},
    )
    assert r.status_code == 200
    status = c.get("/api/systems/alpha/checklist/status", headers=world.as_("viewer")).json()
    assert [s["id"] for s in status] == [q.id for q in CAT.checklist]
    row = next(s for s in status if s["id"] == "PC-FAIR-01")
    assert row["status"] == "answered" and row["answer"]["answer"] == "no"
    assert row["answer"]["evidence_url"] == "https://example.org/rationale"
    assert sum(s["status"] == "unanswered" for s in status) == len(CAT.checklist) - 1


def test_classifying_a_system_from_answers(world) -> None:
    c, h = world.client, world.as_("admin")
    answers = {"role": "both", "annex3": {"uses": ["5(b)"]}, "art6_3.profiling": True}
    r = c.put("/api/systems/beta/classification", headers=h, json={"answers": answers})
    assert r.status_code == 200, r.text
    stored = r.json()["classification"]
    assert stored == classify(answers).model_dump(mode="json", by_alias=True)
    assert r.json()["risk_tier"] == "high_risk"
    assert stored["deciding"][0] == {
        "question": "annex3.uses",
        "answer": ["5(b)"],
        "effect": stored["deciding"][0]["effect"],
    }
    art9 = next(o for o in stored["obligations"] if o["requirement"] == "EUAIA:Art9")
    assert art9["reference"] == "Art 9" and art9["applies_from"] == "2027-12-02"
    events = c.get("/api/events?action=system.classify", headers=h).json()["items"]
    assert events[0]["payload"]["tier"] == [None, "high_risk"]
    assert c.get("/api/systems?risk_tier=high_risk", headers=h).json()["total"] == 1
    # answers the questionnaire does not know are refused, naming the question
    r = c.put(
        "/api/systems/beta/classification",
        headers=h,
        json={"answers": {"annex3.use": ["5(b)"]}},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.answers.annex3.use"
    assert "annex3.uses" in r.json()["error"]
    r = c.put("/api/systems/beta/classification", headers=h, json={"answers": {"role": "owner"}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.answers.role"
    # a classification sent whole must be the output of accord classify
    r = c.patch("/api/systems/beta", headers=h, json={"classification": {"tier": "high"}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].startswith("body.classification")
    assert c.get("/api/systems/beta", headers=h).json()["risk_tier"] == "high_risk"


def test_a_systems_coverage_counts_its_latest_audit(world) -> None:
    c, h = world.client, world.as_("viewer")
    world.registry.classify_system("t", "alpha", {"annex3.uses": ["4(a)"], "us.aedt": True})
    world.registry.answer_checklist("t", "alpha", "PC-GOV-03", "yes")
    cov = c.get("/api/systems/alpha/coverage", headers=h).json()
    latest = c.get("/api/systems/alpha", headers=h).json()["latest_audit"]["id"]
    assert cov["audit_id"] == latest
    body = cov["coverage"]
    assert body["tier"] == "high_risk"
    assert [f["framework"] for f in body["frameworks"]][:1] == ["EUAIA"]
    statuses = {r["requirement"]: r["status"] for r in body["requirements"]}
    # the audit measured its metrics without a policy: measured, not judged
    assert statuses["NIST-RMF:MEASURE-2.11"] == "measured"
    assert statuses["NIST-RMF:GOVERN-1.6"] == "attested"  # the inventory question
    for f in body["frameworks"]:
        assert sum(f["counts"].values()) == f["total"]
