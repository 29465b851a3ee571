"""The ``accord`` command line (typer). Each command lives in its own module."""

from accord.cli import _audit, _demo, _registry, _serve  # noqa: F401  (registers the commands)
from accord.cli._app import app, run


def main() -> None:
    """Entry point of the ``accord`` console script."""
    run()


__all__ = ["app", "main"]
