"""The REST API on SQLite and on PostgreSQL: what each endpoint returns."""

from __future__ import annotations

import hashlib
import json

import pytest

from accord.report import AuditResult
from registry_support import make_result


def test_systems_list_filters_and_paginates(world) -> None:
    c, h = world.client, world.as_("viewer")
    body = c.get("/api/systems", headers=h).json()
    assert [s["name"] for s in body["items"]] == ["alpha", "beta"]
    assert body["total"] == 2
    assert body["items"][0]["latest_audit"]["version"] == "1.1"
    assert c.get("/api/systems?risk_tier=high-risk", headers=h).json()["total"] == 1
    assert [s["name"] for s in c.get("/api/systems?q=TEAM%20B", headers=h).json()["items"]] == [
        "beta"
    ]
    page = c.get("/api/systems?limit=1&offset=1", headers=h).json()
    assert [s["name"] for s in page["items"]] == ["beta"] and page["total"] == 2
    # a search with SQL wildcards matches them literally
    assert c.get("/api/systems?q=%25", headers=h).json()["total"] == 0


def test_create_and_update_a_system(world) -> None:
    from accord.governance import classify

    c, h = world.client, world.as_("admin")
    classification = classify({"annex3.uses": ["5(b)"]}).model_dump(mode="json", by_alias=True)
    r = c.post(
        "/api/systems",
        headers=h,
        json={
            "name": "gamma",
            "owner": "o",
            "countries": ["IN"],
            "languages": ["hi"],
            "lifecycle": "design",
            "classification": classification,
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["risk_tier"] == "high_risk"
    assert r.json()["classification"] == classification
    r = c.patch("/api/systems/gamma", headers=h, json={"lifecycle": "deployed"})
    assert r.json()["lifecycle"] == "deployed"
    assert c.post("/api/systems", headers=h, json={"name": "gamma"}).status_code == 409
    events = c.get("/api/events?system=gamma", headers=h).json()["items"]
    assert [e["action"] for e in events] == ["system.update", "system.create"]
    assert events[0]["payload"]["changes"]["lifecycle"] == ["design", "deployed"]


def test_upload_list_get_and_result_roundtrip(world) -> None:
    c, h = world.client, world.as_("auditor")
    result = make_result(7, gap=0.05)
    body = {"system": "beta", "version": "0.2", "result": json.loads(result.to_json())}
    r = c.post("/api/audits", headers=h, json=body)
    assert r.status_code == 201, r.text
    audit = r.json()
    assert audit["system"] == "beta" and audit["version"] == "0.2"
    stored = c.get(f"/api/audits/{audit['id']}/result", headers=h).content
    assert hashlib.sha256(stored).hexdigest() == audit["result_sha256"]
    assert AuditResult.from_json(stored) == AuditResult.from_json(result.to_json())
    detail = c.get(f"/api/audits/{audit['id']}", headers=h).json()
    assert detail["dataset"]["rows"] == 600
    assert detail["previous_id"] is not None
    listed = c.get("/api/audits?system=beta", headers=h).json()
    assert [a["id"] for a in listed["items"]][0] == audit["id"] and listed["total"] == 2
    # the same audit twice is a conflict, not a second record
    again = c.post("/api/audits", headers=h, json=body)
    assert again.status_code == 409 and again.json()["ok"] is False


def test_an_invalid_audit_is_refused_naming_the_field(world) -> None:
    c, h = world.client, world.as_("auditor")
    data = json.loads(make_result(3).to_json())
    data["input"]["rows"] = "many"
    r = c.post("/api/audits", headers=h, json={"system": "alpha", "version": "2", "result": data})
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert "body.result.input.rows" in fields
    assert world.registry.list_audits(system="alpha").total == 2


def test_versions_aliases_checklist_signoffs(world) -> None:
    c = world.client
    v = c.post(
        "/api/systems/alpha/versions",
        headers=world.as_("auditor"),
        json={"name": "2.0", "description": "retrained"},
    )
    assert v.status_code == 201
    r = c.put(
        "/api/systems/alpha/aliases/production",
        headers=world.as_("admin"),
        json={"version": "1.1"},
    )
    assert r.json()["aliases"] == ["production"]
    c.put(
        "/api/systems/alpha/aliases/production",
        headers=world.as_("admin"),
        json={"version": "2.0"},
    )
    versions = {
        x["name"]: x
        for x in c.get("/api/systems/alpha/versions", headers=world.as_("viewer")).json()
    }
    assert versions["2.0"]["aliases"] == ["production"] and versions["1.1"]["aliases"] == []
    moves = c.get("/api/events?action=alias.set", headers=world.as_("viewer")).json()["items"]
    assert moves[0]["payload"] == {"alias": "production", "from": "1.1", "to": "2.0"}
    a = c.put(
        "/api/systems/alpha/checklist/PC-HUMAN-01",
        headers=world.as_("auditor"),
        json={"answer": "partial", "evidence_url": "https://example.org/doc"},
    )
    assert a.status_code == 200
    c.put(
        "/api/systems/alpha/checklist/PC-HUMAN-01",
        headers=world.as_("auditor"),
        json={"answer": "yes"},
    )
    answers = c.get("/api/systems/alpha/checklist", headers=world.as_("viewer")).json()
    assert [(x["item_id"], x["answer"]) for x in answers] == [("PC-HUMAN-01", "yes")]
    s = c.post(
        "/api/systems/alpha/signoffs",
        headers=world.as_("admin"),
        json={"version": "1.1", "use": "credit decisions", "comment": "ok"},
    )
    assert s.status_code == 201 and s.json()["signed_by"] == "token:admin"
    assert c.get("/api/systems/alpha/signoffs", headers=world.as_("viewer")).json()["total"] == 1
    bad = c.post(
        "/api/systems/alpha/signoffs",
        headers=world.as_("admin"),
        json={"version": "9.9", "use": "x"},
    )
    assert bad.status_code == 404


def test_compare_two_audits(world) -> None:
    c, h = world.client, world.as_("viewer")
    ids = [a["id"] for a in c.get("/api/audits?system=alpha", headers=h).json()["items"]]
    diff = c.get(f"/api/audits/{ids[1]}/compare/{ids[0]}", headers=h).json()
    sel = [m for m in diff["metrics"] if m["metric"] == "selection_rate"][0]
    assert sel["change"] == pytest.approx(sel["after"] - sel["before"])
    assert diff["same_data"] is False
    assert diff["settings_changed"]["seed"] == [0, 1]


def test_findings_are_queryable(world, results) -> None:
    from accord.pipeline import judge

    c = world.client
    result = judge(results[0], {"version": 1, "extends": "equalized-odds"}).model_copy(
        update={"created_at": results[0].created_at.replace(year=2026)}
    )
    c.post(
        "/api/audits",
        headers=world.as_("auditor"),
        json={"system": "beta", "version": "0.3", "result": json.loads(result.to_json())},
    )
    rows = c.get("/api/findings?system=beta", headers=world.as_("viewer")).json()
    assert rows["total"] == len(result.findings) == 2
    assert {f["check_id"] for f in rows["items"]} == {"equalized-odds-tpr", "equalized-odds-fpr"}


def test_one_error_shape_everywhere(world) -> None:
    c = world.client
    responses = [
        c.get("/api/systems"),  # 401
        c.get("/api/systems", headers={"Authorization": "Bearer nope"}),  # 401
        c.post("/api/systems", headers=world.as_("viewer"), json={"name": "x"}),  # 403
        c.get("/api/systems/nope", headers=world.as_("viewer")),  # 404
        c.get("/api/audits/999999", headers=world.as_("viewer")),  # 404
        c.get("/api/systems?limit=0", headers=world.as_("viewer")),  # 422
        c.post("/api/systems", headers=world.as_("admin"), content=b"{not json"),  # 422
        c.post("/api/systems", headers=world.as_("admin"), json={"name": "alpha"}),  # 409
        c.get("/api/no-such-route"),  # 404
        c.delete("/api/systems"),  # 405
    ]
    assert [r.status_code for r in responses] == [401, 401, 403, 404, 404, 422, 422, 409, 404, 405]
    for r in responses:
        body = r.json()
        assert set(body) == {"ok", "status", "error", "errors"}, body
        assert body["ok"] is False and body["status"] == r.status_code and body["error"]
    assert responses[5].json()["errors"][0]["field"] == "query.limit"


def test_upload_size_limit(world) -> None:
    r = world.client.post(
        "/api/audits", headers=world.as_("auditor"), content=b"{" + b" " * (5 * 1024 * 1024) + b"}"
    )
    assert r.status_code == 413 and r.json()["status"] == 413


def test_tokens_are_stored_only_as_hashes(world, db_url) -> None:
    from sqlalchemy import text

    c, h = world.client, world.as_("admin")
    new = c.post("/api/tokens", headers=h, json={"name": "ci", "role": "auditor"}).json()
    secret = new["token"]
    with world.registry.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(text("SELECT token_hash FROM api_tokens"))]
        dump = " ".join(
            str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row
        )
    assert hashlib.sha256(secret.encode()).hexdigest() in stored
    assert secret not in dump
    assert "token" not in c.get("/api/tokens", headers=h).json()[0]
    assert (
        c.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).json()["role"] == "auditor"
    )
    c.delete(f"/api/tokens/{new['id']}", headers=h)
    assert c.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_openapi_document(world) -> None:
    doc = world.client.get("/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/api/systems",
        "/api/audits",
        "/api/audits/{audit_id}/compare/{other_id}",
        "/api/findings",
        "/api/events",
        "/api/tokens",
    ):
        assert path in paths
    assert not any(p.startswith(("/systems", "/login", "/audits")) for p in paths)
    assert "HTTPBearer" in doc["components"]["securitySchemes"]
