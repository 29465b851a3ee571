"""The benchmark harness's own logic: the streamed data, what runs at the out-of-core size,
the targets it states and the points it plots (no benchmark is run, no time asserted)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import datagen  # noqa: E402
import harness  # noqa: E402
import plot  # noqa: E402
import privacy_suite  # noqa: E402
import results_report as report  # noqa: E402
from tasks import OUT_OF_CORE, TASKS  # noqa: E402


def test_data_written_in_chunks_has_the_sources_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datagen, "DATA", tmp_path)
    monkeypatch.setattr(datagen, "CHUNK_ROWS", 7_000)
    monkeypatch.setattr(datagen, "ROW_GROUP_ROWS", 2_048)
    meta = datagen.build(60_000, log=lambda _: None)
    frame = pl.read_parquet(meta["path"])
    layout = pq.ParquetFile(meta["path"]).metadata
    assert frame.height == 60_000
    assert layout.num_row_groups > 60_000 // 7_000  # several chunks, each in row groups
    assert max(layout.row_group(i).num_rows for i in range(layout.num_row_groups)) == 2_048
    assert meta["positives"] == frame["label"].sum()
    assert meta["cells"] == frame.select(datagen.SENSITIVE).n_unique()
    assert meta["loaded_mb"] == pytest.approx(pq.read_table(meta["path"]).nbytes / 2**20, rel=0.02)
    base = pl.from_arrow(datagen.base_table())
    assert isinstance(base, pl.DataFrame)
    share = (base.group_by("sex", "race").len().with_columns(pl.col("len") / base.height)).join(
        frame.group_by("sex", "race").len().with_columns(pl.col("len") / frame.height),
        on=["sex", "race"],
    )
    assert share.select((pl.col("len") - pl.col("len_right")).abs().max()).item() < 0.01


def test_a_second_build_reuses_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datagen, "DATA", tmp_path)
    first = datagen.build(5_000, log=lambda _: None)
    said: list[str] = []
    again = datagen.build(5_000, log=said.append)
    assert again == first
    assert said == []


def test_only_accord_on_the_file_and_the_floors_run_out_of_core() -> None:
    assert {"polars-floor", "duckdb-floor", "accord-boot", "accord-duckdb-boot"} <= set(
        OUT_OF_CORE
    )
    assert "accord-loaded-boot" not in OUT_OF_CORE and "fairlearn" not in OUT_OF_CORE
    assert set(OUT_OF_CORE) <= set(TASKS)


def test_a_skipped_anchor_says_where_it_is_measured() -> None:
    entry = harness.not_run("fairlearn", 100_000_000, [1_000_000, 10_000_000])
    assert entry["status"] == "not run"
    assert entry["notes"] == ["not run at 100M (anchors are measured at 1M and 10M)"]
    spark = harness.not_run("accord-spark-boot", 2_000_000, [100_000])
    assert spark["notes"] == ["not run at 2M (Spark is measured at 100k)"]


def test_privacy_sizes_follow_the_fairness_rows() -> None:
    assert privacy_suite.sizes_for([1_000_000, 10_000_000, 100_000_000], 100_000_000) == [
        "48k",
        "1m",
        "10m",
    ]
    assert privacy_suite.sizes_for([48_842, 100_000], 100_000_000) == ["48k", "100k"]


def test_only_selects_across_both_suites() -> None:
    tasks, cells, with_help = harness.select_tasks("accord-boot,assess-*")
    assert tasks == ["accord-boot"]
    assert [c.name for c in cells] == [n for n in privacy_suite.NAMES if n.startswith("assess-")]
    assert not with_help
    with pytest.raises(SystemExit):
        harness.select_tasks("no-such-task")


def _run(task: str, rows: int, compute: float, peak: float, status: str = "ok") -> dict[str, Any]:
    return {
        "task": task,
        "rows": rows,
        "status": status,
        "phases": {"compute": compute},
        "wall_s": compute + 1,
        "peak_rss_mb": peak,
        "notes": [],
        "check": {},
    }


def _results(runs: list[dict[str, Any]], big: int = 100_000_000) -> dict[str, Any]:
    return {"options": {"big_rows": big, "timeout_s": 600.0}, "runs": runs, "data": {}}


def test_the_out_of_core_targets_are_judged() -> None:
    big = 100_000_000
    results = _results(
        [
            _run("duckdb-floor", big, 2.0, 100),
            _run("accord-boot", big, 3.0, 1_000),
            _run("accord-duckdb-boot", big, 5.0, 5_000),
            _run("accord-boot", 1_000_000, 0.2, 300),
        ]
    )
    lines = report.target_lines(results)
    assert any("accord (Polars streaming" in t and "1.50x: meets" in t for t in lines)
    assert any(
        "accord (Polars streaming" in t and "meets the target (under 4 GB" in t for t in lines
    )
    assert any("accord (DuckDB engine" in t and "2.50x: misses" in t for t in lines)
    assert any(
        "accord (DuckDB engine" in t and "misses the target (under 4 GB" in t for t in lines
    )
    assert any("1M 300 MB, 100M 1,000 MB" in t for t in lines)
    assert report.target_lines(_results([_run("accord-boot", 1_000_000, 0.2, 300)])) == []


def test_a_stopped_task_is_plotted_at_the_timeout() -> None:
    results = _results(
        [
            _run("fairlearn", 1_000_000, 40.0, 700),
            _run("fairlearn-boot", 1_000_000, 0.0, 700, status="timeout"),
            _run("aequitas", 1_000_000, 1.0, 300),  # in the tables only
        ]
    )
    points = {p["tool"]: p for p in plot.fairness_points(results)}
    assert set(points) == {"Fairlearn MetricFrame", "Fairlearn, n_boot=100"}
    assert points["Fairlearn, n_boot=100"]["seconds"] == 600.0
    assert points["Fairlearn, n_boot=100"]["status"] == plot.STOPPED
    assert points["Fairlearn MetricFrame"]["status"] == plot.FINISHED
    assert plot.svg(results).lstrip().startswith("<svg")


def test_short_measurements_keep_the_median_of_repeated_runs() -> None:
    from measure import median_run

    times = iter([0.30, 0.10, 0.25, 0.20, 0.40])
    peaks = iter([10.0, 50.0, 20.0, 30.0, 40.0])

    def once() -> dict[str, Any]:
        return {"status": "ok", "wall_s": 1.0, "t": next(times), "peak_rss_mb": next(peaks)}

    entry = median_run(once, 5, lambda e: e["t"])
    assert entry["t"] == 0.25 and entry["runs_s"] == [0.30, 0.10, 0.25, 0.20, 0.40]
    assert entry["peak_rss_mb"] == 50.0  # the largest of all runs, not the median run's
    assert "median of 5 runs" in entry["notes"][-1]


def test_slow_or_failed_measurements_are_not_repeated() -> None:
    from measure import REPEAT_UNDER_S, median_run

    calls: list[int] = []

    def slow() -> dict[str, Any]:
        calls.append(1)
        return {"status": "ok", "wall_s": REPEAT_UNDER_S + 1, "t": 1.0, "peak_rss_mb": 1.0}

    assert median_run(slow, 5, lambda e: e["t"])["runs_s"] == [1.0] and len(calls) == 1
    outcomes = iter(["ok", "timeout"])

    def flaky() -> dict[str, Any]:
        return {"status": next(outcomes), "wall_s": 1.0, "t": 1.0, "peak_rss_mb": 1.0}

    assert median_run(flaky, 5, lambda e: e["t"])["status"] == "timeout"


def test_repeated_measurements_run_in_rounds_so_that_pairs_share_conditions() -> None:
    from measure import interleaved

    order: list[str] = []

    def job(name: str, wall: float) -> Any:
        def run() -> dict[str, Any]:
            order.append(name)
            return {"status": "ok", "wall_s": wall, "t": float(len(order)), "peak_rss_mb": 1.0}

        return run

    floor, task, slow = interleaved(
        [job("floor", 1.0), job("task", 1.0), job("slow", 99.0)], 3, lambda e: e["t"]
    )
    assert order == ["floor", "task", "slow", "floor", "task", "floor", "task"]
    # runs_s are paired by round: the floor's and the task's i-th runs were neighbours
    assert floor["runs_s"] == [1.0, 4.0, 6.0] and task["runs_s"] == [2.0, 5.0, 7.0]
    assert slow["runs_s"] == [3.0]
