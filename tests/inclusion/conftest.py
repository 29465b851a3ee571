from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def adult_path() -> Path:
    """The Adult demo file: the packaged one when it is there, else the copy kept for tests."""
    for path in (
        ROOT / "src" / "accord" / "data" / "adult_demo.parquet",
        ROOT / "tests" / "data" / "adult_demo.parquet",
    ):
        if path.exists():
            return path
    raise FileNotFoundError("adult_demo.parquet")
