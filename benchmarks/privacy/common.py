"""Shared helpers of the privacy benchmarks: the data (Adult, and jittered scaled copies)
and a timer that reports compute time and peak memory (VmHWM) of the process.

    python benchmarks/privacy/common.py 1m     # build (or find) the 1M-row copy, print its path
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import vm_hwm_mb  # noqa: E402

ADULT = REPO / "datasets" / "adult"
CACHE = REPO / "benchmarks" / ".data"
QIS = ["age", "sex", "race", "marital_status", "native_country", "education", "workclass"]
SENSITIVE = "occupation"
#: Attributes redrawn from their marginal in 10% of the rows of a scaled copy.
REDRAWN = ["race", "marital_status", "native_country", "education", "workclass", "occupation"]


def rows_of(size: str) -> int:
    """``48k`` (Adult itself), ``200k``, ``1m``, ``10m``, ... as a number of rows."""
    s = size.lower()
    if s == "48k":
        return 48_842
    if s.isdigit():
        return int(s)
    mult = {"k": 1_000, "m": 1_000_000}[s[-1]]
    return int(float(s[:-1]) * mult)


def size_of(rows: int) -> str:
    """The inverse of ``rows_of``: 1000000 -> ``1m``, 100000 -> ``100k``."""
    if rows == 48_842:
        return "48k"
    for suffix, mult in (("m", 1_000_000), ("k", 1_000)):
        if rows % mult == 0:
            return f"{rows // mult}{suffix}"
    return str(rows)


def dataset(size: str) -> Path:
    """Parquet file of Adult (48k) or a jittered scaled copy, built once and cached.

    Plain resampling would repeat every record 20 or 200 times (already 6- and
    150-anonymous); the copies jitter age by up to 2 years and redraw 10% of each
    categorical attribute from its marginal, which keeps realistic uniqueness.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"adult-{size.lower()}.parquet"
    if path.exists():
        return path
    base = pl.read_parquet(ADULT / "adult.parquet").with_columns(pl.col(pl.String).fill_null("?"))
    n = rows_of(size)
    if n == base.height:
        base.write_parquet(path)
        return path
    rng = np.random.default_rng(43)
    df = base[rng.integers(0, base.height, n)]
    age = np.clip(df["age"].to_numpy() + rng.integers(-2, 3, n), 17, 90)
    df = df.with_columns(pl.Series("age", age, dtype=pl.Int32))
    for col in REDRAWN:
        values = base[col].to_numpy()
        redraw = rng.random(n) < 0.10
        new = df[col].to_numpy().copy()
        new[redraw] = values[rng.integers(0, len(values), int(redraw.sum()))]
        df = df.with_columns(pl.Series(col, new))
    df.write_parquet(path)
    return path


def hierarchies_rows() -> dict[str, list[list[str]]]:
    out = {}
    for q in QIS:
        with (ADULT / "hierarchies" / f"{q}.csv").open(encoding="utf-8") as handle:
            out[q] = list(csv.reader(handle, delimiter=";"))
    return out


class Timer:
    """Measures the compute time of a block; ``report`` prints one JSON line."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def report(**fields: Any) -> None:
    print(json.dumps({**fields, "peak_rss_mb": round(vm_hwm_mb() or 0.0, 1)}))
    sys.stdout.flush()


if __name__ == "__main__":
    # benchmarks/run builds the data in a child process, before the cells that time it.
    print(dataset(sys.argv[1]))
