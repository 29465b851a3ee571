from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from accord.privacy import Hierarchy

REPO = Path(__file__).resolve().parents[2]
ADULT = REPO / "datasets" / "adult"
#: The quasi-identifiers of the ARX comparison (privacy-anchors Table B4), in its order.
ADULT_QIS = ["age", "sex", "race", "marital_status", "native_country", "education", "workclass"]


@pytest.fixture(scope="session")
def adult() -> pl.DataFrame:
    """UCI Adult, train + test, with missing values written '?' as in the ARX comparison."""
    return pl.read_parquet(ADULT / "adult.parquet").with_columns(pl.col(pl.String).fill_null("?"))


@pytest.fixture(scope="session")
def adult_hierarchies() -> dict[str, Hierarchy]:
    out = {}
    for q in ADULT_QIS:
        with (ADULT / "hierarchies" / f"{q}.csv").open(encoding="utf-8") as handle:
            out[q] = Hierarchy.from_rows(q, list(csv.reader(handle, delimiter=";")))
    return out
