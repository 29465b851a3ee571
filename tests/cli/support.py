"""Run accord as a user does: a separate process, ``python -m accord ...``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def accord(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``accord ARGS`` in ``cwd`` and return the finished process (output captured)."""
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
