"""Build the benchmark data: Adult resampled to N rows, written as Parquet under benchmarks/data/.

The rows are drawn with replacement (numpy ``default_rng(0)``) from the 16,281 rows of
``src/accord/data/adult_demo.parquet`` (the Adult test split with the demo model's
predictions). Columns: ``sex``, ``race``, ``age_band`` (strings; 2 x 5 x 3 = 30 cells),
``label`` and ``prediction`` (int8, 1 = income >50K) and ``score`` (float64, P(>50K)).

Every size is written the same way, a chunk of ``CHUNK_ROWS`` rows at a time through
``pyarrow.parquet.ParquetWriter`` (row groups of ``ROW_GROUP_ROWS`` rows, zstd): the
100M-row file never has to fit in memory, and 1M, 10M and 100M rows share one distribution
and one file layout. A file is rebuilt only when it is missing or was made from other inputs.
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
FORMAT_VERSION = 3
#: Rows drawn and written at a time: about 50 MB of Arrow buffers, whatever the file's size.
CHUNK_ROWS = 1 << 20
#: Rows per Parquet row group (Polars' default): the unit DuckDB and Polars read in parallel.
ROW_GROUP_ROWS = 1 << 18


def base_table() -> Any:
    """The 16,281 demo rows in the benchmark's columns, as an Arrow table."""
    import polars as pl
    import pyarrow as pa

    demo = pl.read_parquet(SOURCE)
    band = (
        pl.when(pl.col("age") < 25)
        .then(pl.lit(AGE_BANDS[0]))
        .when(pl.col("age") < 45)
        .then(pl.lit(AGE_BANDS[1]))
        .otherwise(pl.lit(AGE_BANDS[2]))
    )
    frame = demo.select(
        pl.col("sex"),
        pl.col("race"),
        band.alias("age_band"),
        (pl.col("income") == ">50K").cast(pl.Int8).alias("label"),
        (pl.col("prediction") == ">50K").cast(pl.Int8).alias("prediction"),
        pl.col("score").cast(pl.Float64),
    )
    schema = pa.schema(
        [(c, pa.string()) for c in SENSITIVE]
        + [("label", pa.int8()), ("prediction", pa.int8()), ("score", pa.float64())]
    )
    return frame.to_arrow().cast(schema)


def path_for(rows: int) -> Path:
    """Where the data set of ``rows`` rows lives."""
    return DATA / f"adult_{rows}.parquet"


def build(rows: int, *, log: Any = print) -> dict[str, Any]:
    """Make (or reuse) the data set of ``rows`` rows and return what it is."""
    import numpy as np
    import pyarrow.compute as pc
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
    base = base_table()
    rng = np.random.default_rng(SEED)
    cells: set[tuple[str, ...]] = set()
    loaded = positives = 0
    partial = path.with_suffix(".parquet.partial")  # a stopped build leaves no usable file
    with pq.ParquetWriter(partial, base.schema, compression="zstd") as writer:
        for first in range(0, rows, CHUNK_ROWS):
            size = min(CHUNK_ROWS, rows - first)
            chunk = base.take(rng.integers(0, base.num_rows, size=size))
            writer.write_table(chunk, row_group_size=ROW_GROUP_ROWS)
            # What the six columns take once loaded (Arrow buffers): the yardstick for memory.
            loaded += chunk.nbytes
            positives += pc.sum(chunk["label"].cast("int64")).as_py()
            cells.update(
                tuple(r.values())
                for r in chunk.select(SENSITIVE).group_by(SENSITIVE).aggregate([]).to_pylist()
            )
            if rows > CHUNK_ROWS and (first + size) * 10 // rows > first * 10 // rows:
                log(f"  {first + size:,} of {rows:,} rows written")  # every tenth or so
    partial.replace(path)
    meta = {
        **wanted,
        "path": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "bytes": path.stat().st_size,
        "loaded_mb": loaded / 2**20,
        "cells": len(cells),
        "positives": positives,
        "row_group_rows": ROW_GROUP_ROWS,
        "build_s": time.perf_counter() - start,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    log(
        f"built {meta['path']}: {rows:,} rows, {len(cells)} cells, {meta['bytes'] / 1e6:.1f} MB "
        f"on disk, {meta['loaded_mb']:.0f} MB loaded, in {meta['build_s']:.1f} s"
    )
    return meta


if __name__ == "__main__":
    # benchmarks/run builds the data in a child process and reads the description on stdout.
    described = build(int(float(sys.argv[1])), log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(described))
