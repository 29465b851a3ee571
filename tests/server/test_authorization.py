"""Every API endpoint x every role, including tokens limited to one system."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from accord.report import AuditResult

RANK = {"viewer": 0, "auditor": 1, "admin": 2}
CALLERS = [
    "anonymous",
    "viewer",
    "auditor",
    "admin",
    "viewer@alpha",
    "auditor@alpha",
    "admin@alpha",
]


@dataclass
class Endpoint:
    method: str
    path: str  # {alpha_audit} / {beta_audit} are filled in
    role: str  # the least role allowed
    system: str | None  # the system whose data it touches (None: inventory-wide)
    body: Callable[[], Any] | None = None
    unscoped_only: bool = False  # refused to any token limited to a system
    route: str | None = None  # the route's template, where the path does not tell it


def _endpoints(result: AuditResult) -> list[Endpoint]:
    counter = itertools.count(1)

    def upload(system: str) -> Callable[[], Any]:
        def make() -> Any:
            r = result.model_copy(
                update={"created_at": result.created_at + timedelta(days=next(counter))}
            )
            return {"system": system, "version": "9", "result": json.loads(r.to_json())}

        return make

    def uniq() -> str:
        return "n" + uuid.uuid4().hex[:8]

    out = []
    for sys_ in ("alpha", "beta"):
        aud = f"{{{sys_}_audit}}"
        out += [
            Endpoint("GET", f"/api/systems/{sys_}", "viewer", sys_),
            Endpoint("PATCH", f"/api/systems/{sys_}", "admin", sys_, lambda: {"owner": "x"}),
            Endpoint("GET", f"/api/systems/{sys_}/versions", "viewer", sys_),
            Endpoint(
                "POST", f"/api/systems/{sys_}/versions", "auditor", sys_, lambda: {"name": uniq()}
            ),
            Endpoint(
                "PUT",
                f"/api/systems/{sys_}/aliases/production",
                "admin",
                sys_,
                lambda s=sys_: {"version": "1.0" if s == "alpha" else "0.1"},
            ),
            Endpoint("GET", f"/api/systems/{sys_}/checklist", "viewer", sys_),
            Endpoint(
                "PUT",
                f"/api/systems/{sys_}/checklist/PC-GOV-01",
                "auditor",
                sys_,
                lambda: {"answer": "yes"},
            ),
            Endpoint("GET", f"/api/systems/{sys_}/checklist/status", "viewer", sys_),
            Endpoint("GET", f"/api/systems/{sys_}/coverage", "viewer", sys_),
            Endpoint(
                "PUT",
                f"/api/systems/{sys_}/classification",
                "admin",
                sys_,
                lambda: {"answers": {"annex3.uses": ["4(a)"], "art6_3.profiling": True}},
            ),
            Endpoint("GET", f"/api/systems/{sys_}/signoffs", "viewer", sys_),
            Endpoint(
                "POST",
                f"/api/systems/{sys_}/signoffs",
                "admin",
                sys_,
                lambda s=sys_: {"version": "1.0" if s == "alpha" else "0.1", "use": "testing"},
            ),
            Endpoint("POST", "/api/audits", "auditor", sys_, upload(sys_)),
            Endpoint("GET", f"/api/audits?system={sys_}", "viewer", sys_),
            Endpoint("GET", f"/api/audits/{aud}", "viewer", sys_),
            Endpoint("GET", f"/api/audits/{aud}/result", "viewer", sys_),
            Endpoint("GET", f"/api/audits/{aud}/compare/{aud}", "viewer", sys_),
            Endpoint("GET", f"/api/findings?system={sys_}", "viewer", sys_),
            Endpoint("GET", f"/api/findings?audit_id={aud}", "viewer", sys_),
            Endpoint("GET", f"/api/events?system={sys_}", "viewer", sys_),
        ]
    out += [
        Endpoint("GET", "/api/systems", "viewer", None),
        Endpoint(
            "POST", "/api/systems", "admin", None, lambda: {"name": uniq()}, unscoped_only=True
        ),
        Endpoint("GET", "/api/audits", "viewer", None),
        Endpoint("GET", "/api/findings", "viewer", None),
        Endpoint("GET", "/api/events", "viewer", None),
        Endpoint("GET", "/api/events/verify", "admin", None, unscoped_only=True),
        Endpoint("GET", "/api/tokens", "admin", None, unscoped_only=True),
        Endpoint(
            "POST",
            "/api/tokens",
            "admin",
            None,
            lambda: {"name": uniq(), "role": "viewer"},
            unscoped_only=True,
        ),
        Endpoint("DELETE", "/api/tokens/{spare_token}", "admin", None, unscoped_only=True),
        Endpoint("GET", "/api/me", "viewer", None),
        # the governance catalog: read-only, for every role and every system scope
        Endpoint("GET", "/api/frameworks", "viewer", None),
        Endpoint(
            "GET", "/api/frameworks/EUAIA", "viewer", None, route="/api/frameworks/{framework_id}"
        ),
        Endpoint(
            "GET",
            "/api/frameworks/EUAIA/items/Art10(2)(f)",
            "viewer",
            None,
            route="/api/frameworks/{framework_id}/items/{ref:path}",
        ),
        Endpoint("GET", "/api/crosswalk?from=NIST-RMF&to=ISO42001", "viewer", None),
        Endpoint("GET", "/api/themes", "viewer", None),
        Endpoint("GET", "/api/themes/FAIR", "viewer", None, route="/api/themes/{theme}"),
        Endpoint("GET", "/api/checklist", "viewer", None),
    ]
    return out


def _expected(ep: Endpoint, caller: str) -> int:
    if caller == "anonymous":
        return 401
    role, _, scope = caller.partition("@")
    if RANK[role] < RANK[ep.role]:
        return 403
    if scope and ep.system is not None and ep.system != scope:
        return 404  # another system's data is invisible, not merely forbidden
    if scope and ep.unscoped_only:
        return 403
    return 200


def test_every_endpoint_for_every_caller(world, results) -> None:
    c = world.client
    ids = {s: world.registry.list_audits(system=s).items[0].id for s in ("alpha", "beta")}
    endpoints = _endpoints(results[0])
    # every API route of the app is in the table (a new route must be added here)
    routes = {
        (m, r.path)
        for r in c.app.routes
        if getattr(r, "path", "").startswith("/api")
        for m in getattr(r, "methods", ())
        if m != "HEAD"
    }
    covered = {
        (
            e.method,
            e.route
            or e.path.split("?")[0]
            .replace("{alpha_audit}", "{audit_id}", 1)
            .replace("{alpha_audit}", "{other_id}")
            .replace("{beta_audit}", "{audit_id}", 1)
            .replace("{beta_audit}", "{other_id}")
            .replace("alpha", "{name}")
            .replace("beta", "{name}")
            .replace("production", "{alias}")
            .replace("/PC-GOV-01", "/{item_id}")
            .replace("{spare_token}", "{token_id}"),
        )
        for e in endpoints
    }
    assert routes - {("GET", "/api/health")} <= covered, routes - covered
    mismatches = []
    checked = 0
    for ep in endpoints:
        for caller in CALLERS:
            path = ep.path.format(
                alpha_audit=ids["alpha"],
                beta_audit=ids["beta"],
                spare_token=world.registry.create_token("t", "spare", "viewer").id
                if "{spare_token}" in ep.path
                else 0,
            )
            body = ep.body() if ep.body else None
            r = c.request(ep.method, path, headers=world.as_(caller), json=body)
            expected = _expected(ep, caller)
            ok = (200 <= r.status_code < 300) if expected == 200 else r.status_code == expected
            if not ok:
                mismatches.append(
                    f"{ep.method} {path} as {caller}: {r.status_code} "
                    f"(expected {expected}) {r.text[:120]}"
                )
            checked += 1
    assert not mismatches, "\n".join(mismatches)
    assert checked == len(endpoints) * len(CALLERS)


def test_a_scoped_token_lists_only_its_system(world) -> None:
    c, h = world.client, world.as_("viewer@alpha")
    assert [s["name"] for s in c.get("/api/systems", headers=h).json()["items"]] == ["alpha"]
    assert {a["system"] for a in c.get("/api/audits", headers=h).json()["items"]} == {"alpha"}
    events = c.get("/api/events?limit=500", headers=h).json()["items"]
    assert events and {e["system"] for e in events} == {"alpha"}


def test_a_viewer_cannot_push(world, results) -> None:
    body = {"system": "alpha", "version": "3", "result": json.loads(results[2].to_json())}
    r = world.client.post("/api/audits", headers=world.as_("viewer"), json=body)
    assert r.status_code == 403
    assert world.registry.list_audits(system="alpha").total == 2
