"""`accord demo`: run as a user runs it, then check its JSON against Polars on the same file."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from .support import accord

DEMO = Path(str(files("accord").joinpath("data/adult_demo.parquet")))
SENSITIVE = ["sex", "race", "age"]
AGE_BANDS = ["<25", "[25, 45)", ">=45"]
POSITIVE = ">50K"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    cwd = tmp_path_factory.mktemp("demo")
    # No --out: the reports go to ./accord-report, the documented default.
    return accord("demo", "--format", "json", "--bootstrap", "200", "--seed", "7", cwd=cwd), cwd


@pytest.fixture(scope="module")
def report(run: tuple[subprocess.CompletedProcess[str], Path]) -> dict[str, Any]:
    proc, cwd = run
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads((cwd / "accord-report" / "audit.json").read_text())
    return data


@pytest.fixture(scope="module")
def rows() -> pl.DataFrame:
    """The demo file, read independently of accord, with the age bands the demo uses."""
    df = pl.read_parquet(DEMO)
    band = (
        pl.when(pl.col("age") < 25)
        .then(pl.lit(AGE_BANDS[0]))
        .when(pl.col("age") < 45)
        .then(pl.lit(AGE_BANDS[1]))
        .otherwise(pl.lit(AGE_BANDS[2]))
    )
    return df.with_columns(
        age=band, y=pl.col("income") == POSITIVE, p=pl.col("prediction") == POSITIVE
    )


def grouping(report: dict[str, Any], attributes: list[str]) -> dict[str, Any]:
    for g in report["fairness"]["groupings"]:
        if g["attributes"] == attributes:
            return g
    raise AssertionError(f"no grouping {attributes}")


def by_key(g: dict[str, Any]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(grp["key"][a] for a in g["attributes"]): grp for grp in g["groups"]}


def test_demo_prints_the_summary_and_where_it_wrote(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    proc, cwd = run
    assert proc.returncode == 0, proc.stderr
    assert "16,281" in proc.stdout
    assert f"wrote {Path('accord-report') / 'audit.json'}" in proc.stdout
    assert sorted(p.name for p in (cwd / "accord-report").iterdir()) == ["audit.json"]


def test_demo_audits_the_bundled_file_with_the_documented_roles(report: dict[str, Any]) -> None:
    assert report["input"]["rows"] == 16281 == pl.read_parquet(DEMO).height
    assert report["input"]["file_sha256"] == hashlib.sha256(DEMO.read_bytes()).hexdigest()
    assert report["roles"] == {
        "label": "income",
        "prediction": "prediction",
        "score": "score",
        "weight": None,
        "sensitive": SENSITIVE,
    }
    settings = report["settings"]
    assert (settings["positive"], settings["bootstrap"], settings["seed"]) == (POSITIVE, 200, 7)
    assert settings["bins"] == {"age": [25.0, 45.0]}
    found = [g["attributes"] for g in report["fairness"]["groupings"]]
    expected = [list(c) for k in (1, 2, 3) for c in itertools.combinations(SENSITIVE, k)]
    assert found == expected


@pytest.mark.parametrize("attributes", [["sex"], ["race"], ["age"], ["sex", "race", "age"]])
def test_group_counts_and_rates_agree_with_polars(
    report: dict[str, Any], rows: pl.DataFrame, attributes: list[str]
) -> None:
    expected = rows.group_by(attributes).agg(
        n=pl.len(),
        selection_rate=pl.col("p").mean(),
        tpr=pl.col("p").filter(pl.col("y")).mean(),
        accuracy=(pl.col("p") == pl.col("y")).mean(),
    )
    groups = by_key(grouping(report, attributes))
    assert len(groups) == expected.height
    min_size = report["settings"]["min_group_size"]
    withheld = report["settings"]["suppress_below"]
    for row in expected.iter_rows(named=True):
        group = groups[tuple(row[a] for a in attributes)]
        # A group below the suppression threshold keeps its count to itself.
        assert group["n"] == (None if 0 < row["n"] < withheld else row["n"])
        for metric in ("selection_rate", "tpr", "accuracy"):
            estimate = group["metrics"][metric]
            if row["n"] < min_size:
                assert estimate["status"] == "insufficient_data"
                assert estimate["value"] is None
            elif row[metric] is None:  # no positives in the group: TPR is undefined, not 0
                assert estimate["status"] == "undefined"
                assert estimate["value"] is None
            else:
                assert estimate["value"] == pytest.approx(row[metric], rel=1e-11, abs=1e-12)
                # A rate of exactly 0 may come with a lower bound a rounding error above it.
                lo, hi = estimate["ci_low"] - 1e-12, estimate["ci_high"] + 1e-12
                assert lo <= estimate["value"] <= hi


def test_selection_rate_gap_by_sex_agrees_with_polars(
    report: dict[str, Any], rows: pl.DataFrame
) -> None:
    rates = dict(rows.group_by("sex").agg(pl.col("p").mean()).iter_rows())
    g = grouping(report, ["sex"])
    assert g["reference"] == {"sex": "Male"}  # the largest group
    summary = g["summaries"]["selection_rate"]
    gap = summary["max_min_difference"]
    assert gap["value"] == pytest.approx(rates["Male"] - rates["Female"], rel=1e-11)
    assert gap["ci_low"] < gap["value"] < gap["ci_high"]
    ratio = summary["min_max_ratio"]["value"]
    assert ratio == pytest.approx(rates["Female"] / rates["Male"], rel=1e-11)
    (female,) = g["disparities"]["selection_rate"]
    assert female["key"] == {"sex": "Female"}
    assert female["difference"]["value"] == pytest.approx(
        rates["Female"] - rates["Male"], rel=1e-11
    )


def test_an_unknown_format_is_bad_usage(tmp_path: Path) -> None:
    proc = accord("demo", "--format", "pdf", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2
    assert "pdf" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_demo_is_the_documented_audit_command(report: dict[str, Any], tmp_path: Path) -> None:
    # The command its help text names, on the bundled file, must give the same record.
    proc = accord(
        "audit", str(DEMO), "--label", "income", "--prediction", "prediction",
        "--score", "score", "--positive", POSITIVE, "--sensitive", "sex,race,age",
        "--bins", "age=25,45", "--bootstrap", "200", "--seed", "7",
        "--format", "json", "--out", str(tmp_path), "--quiet",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    direct = json.loads((tmp_path / "audit.json").read_text())
    assert direct["created_at"] and report["created_at"]
    assert {**direct, "created_at": None} == {**report, "created_at": None}
