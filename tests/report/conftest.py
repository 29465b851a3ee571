"""Fixed audits for the report tests: fixed data, seed and creation time, so output is stable."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import accord
from accord.core import Estimate, Finding
from accord.report import AuditResult

GOLDEN = Path(__file__).parent / "golden"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
CREATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def fixed(result: AuditResult) -> AuditResult:
    """Pin what changes from run to run or release to release, so output is comparable."""
    pinned = result.input.model_copy(update={"content_sha256": "c0ffee" * 10 + "0123"})
    return result.model_copy(
        update={"created_at": CREATED, "accord_version": "0.0.0+test", "input": pinned}
    )


def binary_frame(n: int = 3000, seed: int = 11) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n, p=[0.42, 0.58])
    race = rng.choice(["white", "black", "asian", "other"], n, p=[0.62, 0.2, 0.15, 0.03])
    age = rng.integers(18, 90, n)
    base = 0.25 + 0.12 * (sex == "male") - 0.06 * (race == "black")
    y = rng.random(n) < base
    score = np.clip(base + 0.35 * (y - 0.5) + rng.normal(0, 0.15, n), 0, 1)
    return pl.DataFrame(
        {
            "sex": sex,
            "race": race,
            "age": age,
            "y": np.where(y, "yes", "no"),
            "p": np.where(score > 0.45, "yes", "no"),
            "s": score,
        }
    )


@pytest.fixture(scope="session")
def binary_data() -> pl.DataFrame:
    return binary_frame()


@pytest.fixture(scope="session")
def binary_result(binary_data: pl.DataFrame) -> AuditResult:
    """Three sensitive attributes (one numeric, binned), a score, small intersections."""
    return fixed(
        accord.audit(
            binary_data,
            label="y",
            prediction="p",
            score="s",
            positive="yes",
            sensitive=["sex", "race", "age"],
            bins={"age": [30, 60]},
            bootstrap=200,
            seed=0,
        )
    )


@pytest.fixture(scope="session")
def regression_result() -> AuditResult:
    rng = np.random.default_rng(5)
    n = 2000
    sex = rng.choice(["female", "male"], n, p=[0.45, 0.55])
    region = rng.choice(["north", "south", "east", "west"], n, p=[0.4, 0.3, 0.28, 0.02])
    y = 30000 + 5000 * (sex == "male") + rng.normal(0, 8000, n)
    p = y + rng.normal(0, 4000, n) + 2500 * (region == "south")
    df = pl.DataFrame({"sex": sex, "region": region, "y": y, "p": p})
    return fixed(
        accord.audit(
            df,
            label="y",
            prediction="p",
            sensitive=["sex", "region"],
            task="regression",
            bootstrap=200,
            seed=0,
        )
    )


@pytest.fixture(scope="session")
def multiclass_result() -> AuditResult:
    rng = np.random.default_rng(9)
    n = 1500
    classes = np.array(["setosa", "versicolor", "virginica"])
    g = rng.choice(["a", "b"], n, p=[0.6, 0.4])
    y = rng.choice(classes, n)
    p = np.where(rng.random(n) < 0.75 - 0.1 * (g == "b"), y, rng.choice(classes, n))
    df = pl.DataFrame({"g": g, "y": y, "p": p})
    return fixed(accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=100))


@pytest.fixture(scope="session")
def findings() -> list[Finding]:
    return [
        Finding(
            check_id="selection-ratio-sex",
            title="Selection rate ratio by sex",
            status="fail",
            metric="selection_rate",
            measure="min_max_ratio",
            grouping=["sex"],
            value=Estimate(value=0.61, ci_low=0.55, ci_high=0.68),
            threshold={"gte": 0.8},
            groups=[{"sex": "female"}],
            requirements=["nyc-ll144:bias-audit", "eu-ai-act:art-10"],
        ),
        Finding(
            check_id="tpr-difference-race",
            status="pass",
            metric="tpr",
            measure="max_min_difference",
            grouping=["race"],
            value=Estimate(value=0.04, ci_low=0.01, ci_high=0.09),
            threshold={"lte": 0.1},
        ),
        Finding(
            check_id="auc-small-groups",
            status="insufficient_data",
            metric="auc",
            measure="min",
            grouping=["sex", "race"],
            threshold={"gte": 0.7},
            message="2 groups are below the minimum group size",
        ),
    ]


@pytest.fixture(scope="session")
def golden() -> Callable[[str, str], None]:
    """Compare a text with its golden file; ACCORD_UPDATE_GOLDEN=1 rewrites the file."""
    return _check_golden


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} changed; if the change is intended, rerun with ACCORD_UPDATE_GOLDEN=1 "
        f"and review the diff"
    )
