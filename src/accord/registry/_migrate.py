"""Create and upgrade the registry's schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from accord.core import RegistryError

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "accord.registry:migrations"


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    # '%' would be read as interpolation by configparser.
    cfg.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the latest).

    Safe to run from several processes at once: on PostgreSQL the migration
    holds an advisory lock, on SQLite the write lock.
    """
    from alembic import command

    cfg = _config(engine)
    # One transaction for the whole upgrade: it commits at the end, or leaves nothing.
    with engine.execution_options(accord_write=True).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database).

    Examples
    --------
    >>> from accord.registry import Registry
    >>> reg = Registry("sqlite:///:memory:")
    >>> current_revision(reg.engine) is None
    True
    >>> reg.upgrade()
    >>> current_revision(reg.engine) == head_revision()
    True
    """
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The latest revision this version of accord ships.

    Examples
    --------
    >>> from alembic.script import ScriptDirectory
    >>> scripts = ScriptDirectory.from_config(_config_for_scripts())
    >>> scripts.get_revision(head_revision()).nextrev  # no later revision
    frozenset()
    """
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config_for_scripts()).get_current_head()
    assert head is not None
    return head


def _config_for_scripts() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def check_schema(engine: Engine) -> None:
    """Raise unless the database is at the latest revision.

    Examples
    --------
    >>> from accord.registry import Registry
    >>> reg = Registry("sqlite:///:memory:")
    >>> check_schema(reg.engine)
    Traceback (most recent call last):
    ...
    accord.core._errors.RegistryError: the registry database has no schema yet. Fix: run ...
    >>> reg.upgrade()
    >>> check_schema(reg.engine)  # returns quietly
    """
    current = current_revision(engine)
    if current != head_revision():
        has_tables = bool(inspect(engine).get_table_names())
        raise RegistryError(
            "the registry database is not at the latest schema"
            if has_tables
            else "the registry database has no schema yet",
            value=current,
            fix="run `accord db upgrade` (with the same --db)",
        )
