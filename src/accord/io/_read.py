"""Open the data a user names: a file, standard input, or a dataframe object."""

from __future__ import annotations

import hashlib
import io
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl

from accord.core import DataError, EmptyDataError, UsageError
from accord.io._engines import ENGINES, scan_duckdb, scan_spark

_CSV = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")
_PARQUET = (".parquet", ".pq")
_IPC = (".arrow", ".ipc", ".feather")
SUPPORTED_SUFFIXES = _CSV + _PARQUET + _IPC


@dataclass
class Source:
    """Data opened lazily, and what accord knows about where it came from.

    ``frame`` is a narwhals LazyFrame on the input's own engine: a Polars scan
    for files, the user's own library for frames.
    """

    frame: nw.LazyFrame[Any]
    kind: str  # "file" | "stdin" | "frame"
    library: str
    path: str | None = None
    format: str | None = None
    _digest: _FileDigest | None = field(default=None, repr=False)

    @property
    def file_sha256(self) -> str | None:
        """SHA-256 of the file's bytes (computed in the background while the pass runs)."""
        return self._digest.result() if self._digest is not None else None

    def describe(self) -> dict[str, Any]:
        """Where the data came from, as the fields of a result's ``input`` record.

        Examples
        --------
        >>> import polars as pl
        >>> open_source(pl.DataFrame({"a": [1]})).describe()["library"]
        'polars'
        """
        return {
            "kind": self.kind,
            "library": self.library,
            "path": self.path,
            "format": self.format,
            "file_sha256": self.file_sha256,
        }


class _FileDigest:
    """Hash a file on a background thread: hashlib releases the GIL on large reads."""

    def __init__(self, data: Path | bytes) -> None:
        self._value: str | None = None
        self._thread = threading.Thread(target=self._run, args=(data,), daemon=True)
        self._thread.start()

    def _run(self, data: Path | bytes) -> None:
        digest = hashlib.sha256()
        if isinstance(data, bytes):
            digest.update(data)
        else:
            with data.open("rb") as handle:
                while chunk := handle.read(1 << 22):
                    digest.update(chunk)
        self._value = digest.hexdigest()

    def result(self) -> str | None:
        self._thread.join()
        return self._value


def open_source(
    data: Any,
    *,
    separator: str | None = None,
    null_values: Sequence[str] | None = None,
    engine: str = "polars",
    spark_master: str | None = None,
) -> Source:
    """Open ``data`` lazily.

    Parameters
    ----------
    data
        A path to a CSV, Parquet or Arrow IPC file; ``"-"`` for CSV on standard
        input; or any dataframe narwhals accepts (pandas, Polars eager or lazy,
        PyArrow, DuckDB, PySpark, Ibis, ...).
    separator
        CSV field separator; guessed from the suffix when None (tab for .tsv).
    null_values
        Extra strings that mean "missing" in a CSV file (e.g. ``["?"]``).
    engine
        For a file: ``polars`` (streaming; the default), ``duckdb`` (streams and
        spills to disk) or ``spark`` (for files too big for one machine).
    spark_master
        The Spark master URL with ``engine="spark"`` (default: local mode).

    Returns
    -------
    Source
        The lazy frame and where it came from.

    Examples
    --------
    >>> import polars as pl
    >>> open_source(pl.DataFrame({"a": [1]})).library
    'polars'
    """
    if isinstance(data, str | Path):
        nulls = list(null_values) if null_values else None
        if engine not in ENGINES:
            raise UsageError(
                "unknown engine", value=engine, fix=f"use one of {', '.join(ENGINES)}"
            )
        if str(data) == "-":
            return _read_stdin(separator, nulls)
        if engine != "polars":
            return _scan_other(Path(data), engine, separator, nulls, spark_master)
        return _scan_file(Path(data), separator, nulls)
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise UsageError(
            "data must be a file path, '-' for standard input, or a dataframe",
            value=type(data).__name__,
            fix="pass a pandas, Polars, PyArrow, DuckDB or PySpark object, or a file path",
        ) from None
    native = data.to_native() if isinstance(data, nw.DataFrame | nw.LazyFrame) else data
    library = type(native).__module__.split(".")[0]
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
    return Source(frame=lazy, kind="frame", library=library)


def _format_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(_CSV):
        return "csv"
    if name.endswith(_PARQUET):
        return "parquet"
    if name.endswith(_IPC):
        return "ipc"
    raise UsageError(
        "cannot tell the file format from its name",
        value=path.name,
        fix="use a file ending in .csv, .tsv, .parquet or .arrow",
    )


def _scan_file(path: Path, separator: str | None, null_values: list[str] | None) -> Source:
    _check_file(path)
    fmt = _format_of(path)
    try:
        if fmt == "csv":
            sep = separator or ("\t" if ".tsv" in path.name.lower() else ",")
            if path.name.lower().endswith(".gz"):
                lf = pl.read_csv(
                    path, separator=sep, null_values=null_values, infer_schema_length=10_000
                ).lazy()
            else:
                lf = pl.scan_csv(
                    path, separator=sep, null_values=null_values, infer_schema_length=10_000
                )
        elif fmt == "parquet":
            lf = pl.scan_parquet(path)
        else:
            lf = pl.scan_ipc(path)
        lf.collect_schema()
    except pl.exceptions.NoDataError:
        raise EmptyDataError("the file has no data", value=str(path)) from None
    except (pl.exceptions.ComputeError, OSError) as exc:
        raise DataError(
            f"cannot read the file as {fmt}: {_first_line(exc)}", value=str(path)
        ) from None
    return Source(
        frame=nw.from_native(lf),
        kind="file",
        library="polars",
        path=str(path),
        format=fmt,
        _digest=_FileDigest(path),
    )


def _scan_other(
    path: Path,
    engine: str,
    separator: str | None,
    null_values: list[str] | None,
    spark_master: str | None,
) -> Source:
    _check_file(path)
    fmt = _format_of(path)
    sep = separator or ("\t" if ".tsv" in path.name.lower() else ",")
    if engine == "duckdb":
        native = scan_duckdb(path, fmt, sep, null_values)
    else:
        native = scan_spark(path, fmt, sep, null_values, spark_master)
    return Source(
        frame=nw.from_native(native),
        kind="file",
        library=engine,
        path=str(path),
        format=fmt,
        _digest=_FileDigest(path),
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UsageError("file not found", value=str(path), fix="check the path")
    if path.is_dir():
        raise UsageError("expected a file, got a directory", value=str(path))
    if path.stat().st_size == 0:
        raise EmptyDataError("the file is empty", value=str(path), fix="pass a file with data")


def _read_stdin(separator: str | None, null_values: list[str] | None) -> Source:
    raw = sys.stdin.buffer.read()
    if not raw.strip():
        raise EmptyDataError("standard input is empty", fix="pipe a CSV file into the command")
    try:
        df = pl.read_csv(
            io.BytesIO(raw),
            separator=separator or ",",
            null_values=null_values,
            infer_schema_length=10_000,
        )
    except pl.exceptions.ComputeError as exc:
        raise DataError(f"cannot read standard input as CSV: {_first_line(exc)}") from None
    return Source(
        frame=nw.from_native(df.lazy()),
        kind="stdin",
        library="polars",
        path="-",
        format="csv",
        _digest=_FileDigest(raw),
    )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
