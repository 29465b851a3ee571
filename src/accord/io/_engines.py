"""Open a file on another engine than Polars (DuckDB, Spark), or a table in a SQL database.

Each engine is an optional dependency, imported only when asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import narwhals as nw

from accord.core import DataError, UsageError, missing_extra

ENGINES = ("polars", "duckdb", "spark")


def scan_duckdb(path: Path, fmt: str, separator: str, null_values: list[str] | None) -> Any:
    """A lazy DuckDB relation over a file (DuckDB streams it and spills to disk if needed)."""
    try:
        import duckdb
    except ImportError:
        raise missing_extra("duckdb", "sql") from None
    con = duckdb.connect()
    if fmt == "parquet":
        return con.read_parquet(str(path))
    if fmt == "csv":
        kwargs: dict[str, Any] = {"sep": separator, "header": True}
        if null_values:
            kwargs["na_values"] = null_values
        return con.read_csv(str(path), **kwargs)
    raise UsageError(
        "the DuckDB engine reads CSV and Parquet files",
        value=path.name,
        fix="convert the file to Parquet, or use --engine polars",
    )


def spark_session(master: str | None = None) -> Any:
    """The active Spark session, or a new one (local mode with all cores by default)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise missing_extra("pyspark", "spark") from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = (
        SparkSession.builder.appName("accord")
        .master(master or "local[*]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # accord draws its own progress
        # The one pass returns a few hundred groups: a small shuffle is enough.
        .config("spark.sql.shuffle.partitions", "8")
    )
    return builder.getOrCreate()


def scan_spark(
    path: Path, fmt: str, separator: str, null_values: list[str] | None, master: str | None
) -> Any:
    """A Spark DataFrame over a file (read lazily, split across the cluster)."""
    spark = spark_session(master)
    if fmt == "parquet":
        return spark.read.parquet(str(path))
    if fmt == "csv":
        reader = (
            spark.read.option("header", True).option("inferSchema", True).option("sep", separator)
        )
        if null_values:
            reader = reader.option("nullValue", null_values[0])
        return reader.csv(str(path))
    raise UsageError(
        "the Spark engine reads CSV and Parquet files",
        value=path.name,
        fix="convert the file to Parquet, or use --engine polars",
    )


def open_sql(url: str, table: str) -> nw.LazyFrame[Any]:
    """A table in a SQL database, through Ibis: the one pass runs inside the database.

    Parameters
    ----------
    url
        A connection URL Ibis understands, e.g. ``postgresql://user@host:5432/db``
        or ``duckdb:///path/to.db``.
    table
        The table (or view) to audit; ``schema.table`` is accepted.
    """
    try:
        import ibis
    except ImportError:
        raise missing_extra("ibis-framework", "sql") from None
    try:
        con = ibis.connect(url)
    except Exception as exc:  # drivers raise their own types; say which URL failed
        raise DataError(
            f"cannot connect to the database: {str(exc).splitlines()[0]}",
            value=_redact(url),
            fix="check the URL, the server and the credentials",
        ) from None
    database = None
    name = table
    if "." in table:
        database, name = table.rsplit(".", 1)
    try:
        expr = con.table(name, database=database) if database else con.table(name)
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        what = (
            "the table does not exist in the database"
            if detail in ("", name, table)
            else f"cannot open the table: {detail}"
        )
        raise DataError(
            what,
            value=table,
            fix="check the table name (schema.table for another schema)",
        ) from None
    frame: nw.LazyFrame[Any] = nw.from_native(expr)
    return frame


def _redact(url: str) -> str:
    # Never echo a password back into a terminal or a log.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url
