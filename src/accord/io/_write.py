"""Write a lazy frame to a file, streaming where the engine allows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl

from accord.core import UsageError


def write_frame(frame: nw.LazyFrame[Any], path: str | Path) -> int:
    """Write ``frame`` to a Parquet, CSV or Arrow IPC file chosen by the suffix.

    A Polars lazy frame is streamed to the file; frames of other engines are
    collected first. Returns the number of rows written.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.parquet")
    >>> write_frame(nw.from_native(pl.LazyFrame({"a": [1, 2]})), p)
    2
    """
    path = Path(path)
    name = path.name.lower()
    native = frame.to_native()
    lazy = (
        native
        if isinstance(native, pl.LazyFrame)
        else (frame.collect(backend="polars").to_native().lazy())
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith((".parquet", ".pq")):
        lazy.sink_parquet(path)
    elif name.endswith((".csv", ".tsv")):
        lazy.sink_csv(path, separator="\t" if name.endswith(".tsv") else ",")
    elif name.endswith((".arrow", ".ipc", ".feather")):
        lazy.sink_ipc(path)
    else:
        raise UsageError(
            "cannot tell the output format from its name",
            value=path.name,
            fix="end the file name in .parquet, .csv or .arrow",
        )
    return int(
        pl.scan_parquet(path).select(pl.len()).collect().item()
        if name.endswith((".parquet", ".pq"))
        else pl.scan_ipc(path).select(pl.len()).collect().item()
        if name.endswith((".arrow", ".ipc", ".feather"))
        else pl.scan_csv(path, separator="\t" if name.endswith(".tsv") else ",")
        .select(pl.len())
        .collect()
        .item()
    )
