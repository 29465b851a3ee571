from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
ADULT = DATA / "adult_predictions.parquet"
GERMAN = DATA / "german_predictions.parquet"


@pytest.fixture(scope="session")
def adult() -> pl.DataFrame:
    return pl.read_parquet(ADULT)


@pytest.fixture(scope="session")
def german() -> pl.DataFrame:
    return pl.read_parquet(GERMAN)
