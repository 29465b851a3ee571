"""The ``accord`` command line (typer). Each command lives in its own module."""

from accord.cli import (  # noqa: F401  (registers the commands)
    _audit,
    _check,
    _classify,
    _coverage,
    _demo,
    _frameworks,
    _inclusion,
    _privacy,
    _registry,
    _serve,
)
from accord.cli._app import app, run


def main() -> None:
    """Entry point of the ``accord`` console script."""
    run()


__all__ = ["app", "main"]
