"""Migrations create the schema from an empty database, and match the models."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from accord.core import RegistryError
from accord.registry import Registry, check_schema, current_revision, head_revision
from accord.registry._models import Base


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    reg = Registry(db_url)
    assert current_revision(reg.engine) is None
    with pytest.raises(RegistryError, match="no schema yet"):
        check_schema(reg.engine)
    reg.upgrade()
    assert current_revision(reg.engine) == head_revision()
    check_schema(reg.engine)
    tables = set(inspect(reg.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    reg.upgrade()  # idempotent
    assert reg.verify().ok and reg.verify().events == 0
    reg.dispose()


def test_old_tier_spellings_become_the_classification_ids(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade("0001")
    insert = text(
        "INSERT INTO systems (name, owner, purpose, domain, countries, languages, lifecycle, "
        "risk_tier, created_at, updated_at) VALUES (:name, '', '', '', '[]', '[]', 'deployed', "
        ":tier, :now, :now)"
    )
    old = {"a": "high-risk", "b": "High Risk", "c": "minimal", "d": "medium", "e": None}
    with reg.engine.begin() as conn:
        for name, tier in old.items():
            conn.execute(insert, {"name": name, "tier": tier, "now": datetime.now(UTC)})
    reg.upgrade()
    tiers = {s.name: s.risk_tier for s in reg.list_systems(limit=10).items}
    # the classification's tiers in its own spelling; anything else is left as it was
    assert tiers == {"a": "high_risk", "b": "high_risk", "c": "minimal", "d": "medium", "e": None}
    reg.dispose()


def test_models_match_the_migrations(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    with reg.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff
    reg.dispose()


def test_the_event_log_refuses_update_and_delete(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("t", "s")
    for sql in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"), reg.engine.begin() as conn:
            conn.execute(text(sql))
    assert reg.verify().ok
    reg.dispose()


def test_several_processes_can_upgrade_at_once(db_url: str) -> None:
    code = (
        "import sys; from accord.registry import Registry; r = Registry(sys.argv[1]); "
        "r.upgrade(); r.create_system('p', 'sys-' + sys.argv[2])"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_url, str(i)], stderr=subprocess.PIPE)
        for i in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    reg = Registry(db_url)
    assert reg.list_systems().total == 3
    assert reg.verify().ok and reg.verify().events == 3
    reg.dispose()
