from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def adult() -> pl.DataFrame:
    """The bundled demo data: UCI Adult's test split with a model's predictions."""
    return pl.read_parquet(ROOT / "src" / "accord" / "data" / "adult_demo.parquet")


@pytest.fixture(scope="session")
def german() -> pl.DataFrame:
    """German Credit with a model's predictions (tests/data/README.md)."""
    return pl.read_parquet(ROOT / "tests" / "data" / "german_predictions.parquet")
