from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def adult() -> pl.DataFrame:
    return pl.read_parquet(DATA / "adult_predictions.parquet")


@pytest.fixture(scope="session")
def german() -> pl.DataFrame:
    return pl.read_parquet(DATA / "german_predictions.parquet")
