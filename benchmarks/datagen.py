"""Build the benchmark data: Adult resampled to N rows, written as Parquet under benchmarks/data/.

The rows are drawn with replacement (numpy ``default_rng(0)``) from the 16,281 rows of
``src/accord/data/adult_demo.parquet`` (the Adult test split with the demo model's
predictions). Columns: ``sex``, ``race``, ``age_band`` (strings; 2 x 5 x 3 = 30 cells),
``label`` and ``prediction`` (int8, 1 = income >50K) and ``score`` (float64, P(>50K)).
A file is rebuilt only when it is missing or was made from other inputs.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "accord" / "data" / "adult_demo.parquet"
DATA = ROOT / "benchmarks" / "data"
SEED = 0
SENSITIVE = ["sex", "race", "age_band"]
AGE_BANDS = ["<25", "25-44", "45+"]
COLUMNS = [*SENSITIVE, "label", "prediction", "score"]
FORMAT_VERSION = 2


def base_frame() -> Any:
    """The 16,281 demo rows in the benchmark's columns."""
    import polars as pl

    demo = pl.read_parquet(SOURCE)
    band = (
        pl.when(pl.col("age") < 25)
        .then(pl.lit(AGE_BANDS[0]))
        .when(pl.col("age") < 45)
        .then(pl.lit(AGE_BANDS[1]))
        .otherwise(pl.lit(AGE_BANDS[2]))
    )
    return demo.select(
        pl.col("sex"),
        pl.col("race"),
        band.alias("age_band"),
        (pl.col("income") == ">50K").cast(pl.Int8).alias("label"),
        (pl.col("prediction") == ">50K").cast(pl.Int8).alias("prediction"),
        pl.col("score").cast(pl.Float64),
    )


def path_for(rows: int) -> Path:
    """Where the data set of ``rows`` rows lives."""
    return DATA / f"adult_{rows}.parquet"


def build(rows: int, *, log: Any = print) -> dict[str, Any]:
    """Make (or reuse) the data set of ``rows`` rows and return what it is."""
    import numpy as np
    import pyarrow.parquet as pq

    path = path_for(rows)
    meta_path = path.with_suffix(".json")
    source_sha = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    wanted = {"rows": rows, "seed": SEED, "source_sha256": source_sha, "format": FORMAT_VERSION}
    if path.exists() and meta_path.exists():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        if all(meta.get(k) == v for k, v in wanted.items()):
            return meta
    DATA.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    base = base_frame()
    index = np.random.default_rng(SEED).integers(0, base.height, size=rows)
    frame = base[index]
    frame.write_parquet(path, compression="zstd", statistics=True)
    cells = frame.select(SENSITIVE).n_unique()
    meta = {
        **wanted,
        "path": str(path.relative_to(ROOT)),
        "bytes": path.stat().st_size,
        # What the six columns take once loaded (Arrow buffers): the yardstick for peak memory.
        "loaded_mb": pq.read_table(path).nbytes / 2**20,
        "cells": cells,
        "positives": int(frame["label"].sum()),
        "build_s": time.perf_counter() - start,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    log(
        f"built {meta['path']}: {rows:,} rows, {cells} cells, {meta['bytes'] / 1e6:.1f} MB "
        f"on disk, {meta['loaded_mb']:.0f} MB loaded, in {meta['build_s']:.1f} s"
    )
    return meta


if __name__ == "__main__":
    # benchmarks/run builds the data in a child process and reads the description on stdout.
    described = build(int(float(sys.argv[1])), log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(described))
