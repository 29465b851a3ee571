from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Where long work reports how far it has got (the command line draws a rich bar)."""

    def stage(self, description: str, total: int | None = None) -> None:
        """Start a new stage of ``total`` steps (None: unknown length)."""

    def advance(self, steps: int = 1) -> None:
        """Mark ``steps`` more steps of the current stage as done."""


class SilentProgress:
    """A progress sink that shows nothing (the default for the Python API)."""

    def stage(self, description: str, total: int | None = None) -> None:
        """Ignore the stage."""

    def advance(self, steps: int = 1) -> None:
        """Ignore the step."""
