"""The ``accord`` command line (typer). Each command lives in its own module."""

from accord.cli import _audit  # noqa: F401  (registers the command)
from accord.cli import _check  # noqa: F401  (registers the command)
from accord.cli._app import app, run


def main() -> None:
    """Entry point of the ``accord`` console script."""
    run()


__all__ = ["app", "main"]
