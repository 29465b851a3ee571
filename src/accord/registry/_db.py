"""Where the registry lives and how to connect to it (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from accord.core import UsageError

#: Environment variable that names the registry database when ``--db`` is not given.
DB_ENV = "ACCORD_DB"
#: Seconds a writer waits for another process's write lock on SQLite.
SQLITE_BUSY_SECONDS = 30


def default_url() -> str:
    """The registry database used when none is named.

    ``$ACCORD_DB`` if set, else a SQLite file in the user's data directory
    (``~/.local/share/accord/registry.sqlite3`` on Linux).

    Examples
    --------
    >>> default_url().startswith(("sqlite:///", "postgresql"))
    True
    """
    env = os.environ.get(DB_ENV)
    if env:
        return env
    from platformdirs import user_data_dir

    path = Path(user_data_dir("accord", appauthor=False)) / "registry.sqlite3"
    return f"sqlite:///{path}"


def normalise_url(url: str | None) -> URL:
    """Parse a database URL; ``postgresql://`` uses psycopg 3, a bare path means SQLite.

    Examples
    --------
    >>> normalise_url("postgresql://u@localhost/db").drivername
    'postgresql+psycopg'
    >>> normalise_url("/tmp/r.sqlite3").render_as_string()
    'sqlite:////tmp/r.sqlite3'
    """
    text = url or default_url()
    if "://" not in text:
        text = f"sqlite:///{Path(text).expanduser().resolve()}"
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise UsageError(
            "not a database URL", value=text, fix="use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise UsageError(
            "the registry runs on SQLite or PostgreSQL",
            value=parsed.drivername,
            fix="use sqlite:///PATH or postgresql://USER@HOST/DB",
        )
    return parsed


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for the registry, set up so that several processes can share it.

    On SQLite: WAL journal (readers never wait for the writer), a busy timeout,
    foreign keys on, and write transactions that take the write lock when they
    begin (``BEGIN IMMEDIATE``), so two writers queue instead of failing when
    one upgrades a read lock. On PostgreSQL the event chain is serialised by a
    row lock instead (see ``_events``).

    Examples
    --------
    >>> import tempfile
    >>> engine = make_engine(str(Path(tempfile.mkdtemp()) / "registry.sqlite3"))
    >>> with engine.connect() as conn:
    ...     [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "foreign_keys")]
    ['wal', 1]
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        _sqlite_setup(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("accord_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def describe(engine: Engine) -> str:
    """The engine's URL without its password, for messages.

    Examples
    --------
    >>> describe(make_engine("postgresql://auditor:s3cret@db.example.org/accord"))
    'postgresql+psycopg://auditor:***@db.example.org/accord'
    """
    return engine.url.render_as_string(hide_password=True)
