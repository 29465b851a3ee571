"""Open data and bind its columns to roles; no statistics happen here."""

from accord.io._engines import ENGINES, open_sql, spark_session
from accord.io._read import SUPPORTED_SUFFIXES, Source, open_source
from accord.io._roles import Roles, check_roles, column_names
from accord.io._write import write_frame

__all__ = [
    "ENGINES",
    "SUPPORTED_SUFFIXES",
    "Roles",
    "Source",
    "check_roles",
    "column_names",
    "open_source",
    "open_sql",
    "spark_session",
    "write_frame",
]
