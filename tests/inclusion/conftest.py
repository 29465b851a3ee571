from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def adult_path() -> Path:
    """The Adult demo file that ships with accord (test split with a model's predictions)."""
    return ROOT / "src" / "accord" / "data" / "adult_demo.parquet"
