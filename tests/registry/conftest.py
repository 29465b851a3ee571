from __future__ import annotations

from pathlib import Path

import pytest

from registry_support import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_url"))
