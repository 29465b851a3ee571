from __future__ import annotations

from pathlib import Path

import pytest

from accord.inclusion import InclusionResult, assess

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def adult_path() -> Path:
    """The Adult demo file that ships with accord (test split with a model's predictions)."""
    return ROOT / "src" / "accord" / "data" / "adult_demo.parquet"


@pytest.fixture(scope="session")
def adult_result(adult_path: Path) -> InclusionResult:
    """The inclusion audit of the Adult demo: countries and sex against the 1990 census."""
    return assess(
        adult_path,
        groups=["native_country", "sex"],
        reference="us-census-1990",
        label="income",
        prediction="prediction",
        exclude=["score"],
        bootstrap=100,
    )
