"""Alembic environment: runs the registry's migrations on the connection accord hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, text

from accord.registry._models import Base

# A fixed key for PostgreSQL's advisory lock: one migration at a time per database.
_LOCK_KEY = 7_072_001

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})"))
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("accord's migrations run online only")
run_migrations_online()
