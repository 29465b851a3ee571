"""Killing the server in the middle of uploads leaves no partial audit and a valid chain."""

from __future__ import annotations

import json
import os
import signal
import socket
import time

import httpx
from sqlalchemy import func, select

from accord.pipeline import judge
from accord.registry import Registry
from accord.registry._models import Audit, FindingRow
from registry_support import make_result, running_server

#: The checks whose findings every upload carries.
POLICY = {"version": 1, "extends": "equalized-odds"}


def _body(result, system: str, version: str) -> bytes:
    return json.dumps(
        {"system": system, "version": version, "result": json.loads(result.to_json())}
    ).encode()


def _consistent(reg: Registry) -> tuple[int, int]:
    """Every stored audit is whole: its findings are all there and its JSON parses."""
    with reg.reading() as s:
        audits = s.execute(select(Audit.id, Audit.n_findings)).all()
        for audit_id, n in audits:
            found = s.scalar(select(func.count()).where(FindingRow.audit_id == audit_id))
            assert found == n, f"audit {audit_id}: {found} of {n} findings"
            reg.audit_result(audit_id)
    events = reg.list_events(action="audit.record", limit=500).total
    return len(audits), events


def test_kill_during_a_half_sent_upload(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("t", "alpha")
    token = reg.create_token("t", "ci", "auditor").token
    base_result = make_result(1, bootstrap=20)
    result = judge(base_result, POLICY)
    body = _body(result, "alpha", "1.0")
    with running_server(db_url) as (base, proc):
        port = int(base.rsplit(":", 1)[1])
        sock = socket.create_connection(("127.0.0.1", port))
        head = (
            f"POST /api/audits HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}"
            f"\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body[: len(body) // 2])
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        sock.close()
    assert _consistent(reg) == (0, 0)
    assert reg.verify().ok
    # the server comes back and the same upload then succeeds, once
    with running_server(db_url) as (base, _):
        r = httpx.post(
            base + "/api/audits",
            content=body,
            timeout=60,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert r.status_code == 201, r.text
    assert _consistent(reg) == (1, 1)
    assert reg.verify().ok
    reg.dispose()


def test_kill_at_random_moments_of_many_uploads(db_url: str) -> None:
    """Uploads in flight while the server is killed: each audit is recorded whole or not at
    all, and the chain verifies after every kill."""
    from concurrent.futures import ThreadPoolExecutor

    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("t", "alpha")
    token = reg.create_token("t", "ci", "auditor").token
    base_result = make_result(3, bootstrap=20)
    findings = judge(base_result, POLICY).findings
    bodies = [
        _body(
            base_result.model_copy(
                update={
                    "findings": findings,
                    "created_at": base_result.created_at.replace(microsecond=i),
                }
            ),
            "alpha",
            f"v{i % 3}",
        )
        for i in range(60)
    ]

    def send(base: str, body: bytes) -> int:
        try:
            return httpx.post(
                base + "/api/audits",
                content=body,
                timeout=30,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            ).status_code
        except httpx.HTTPError:
            return -1

    acknowledged = 0
    for round_, delay in enumerate((0.15, 0.35, 0.6)):
        chunk = bodies[round_ * 20 : (round_ + 1) * 20]
        with running_server(db_url) as (base, proc), ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(send, base, b) for b in chunk]
            time.sleep(delay)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            codes = [f.result() for f in futures]
        audits, events = _consistent(reg)
        assert audits == events, "an audit without its event, or an event without its audit"
        acknowledged += codes.count(201)
        assert audits >= acknowledged  # every acknowledged upload is stored
        assert reg.verify().ok
    reg.dispose()
