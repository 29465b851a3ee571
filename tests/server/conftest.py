from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.registry import Registry
from accord.report import AuditResult
from registry_support import fresh_postgres_database, make_result

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def results() -> list[AuditResult]:
    """Three real audits with different gaps (computed once per session)."""
    return [make_result(i, gap=g) for i, g in enumerate((0.15, 0.08, 0.02))]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_url"))


@dataclass
class World:
    """A registry with two systems, tokens for every role, and a client."""

    registry: Registry
    client: TestClient
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who != "anonymous" else {}


@pytest.fixture
def world(db_url: str, results: list[AuditResult]) -> Iterator[World]:
    from accord.server import create_app

    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("test", "alpha", owner="team a", risk_tier="high-risk")
    reg.create_system("test", "beta", owner="team b")
    reg.record_audit("test", "alpha", "1.0", results[0])
    reg.record_audit("test", "alpha", "1.1", results[1])
    reg.record_audit("test", "beta", "0.1", results[2])
    tokens = {
        role: reg.create_token("test", role, role).token for role in ("viewer", "auditor", "admin")
    }
    for role in ("viewer", "auditor", "admin"):
        tokens[f"{role}@alpha"] = reg.create_token("test", f"{role}-a", role, system="alpha").token
    with TestClient(create_app(reg, max_upload_bytes=4 * 1024 * 1024)) as client:
        yield World(reg, client, tokens)
    reg.dispose()
