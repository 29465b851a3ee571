"""A server process keeps its long-lived objects out of the garbage collector's sight."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from accord.registry import Registry

PROBE = """
import gc
from accord.server import app_from_environment
app = app_from_environment()
frozen = gc.get_freeze_count()
made_later = [[i] for i in range(100_000)]  # tracked objects made after start-up
print(frozen, len(gc.get_objects()))
"""


def test_the_started_server_is_frozen_and_a_full_collection_sees_only_new_objects(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    Registry(url).upgrade()
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, "ACCORD_DB": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    frozen, tracked = int(out[0]), int(out[1])
    # FastAPI, pydantic, SQLAlchemy and accord's own modules: well over 100,000 objects.
    assert frozen > 100_000
    # What a full collection traverses: the 100,000 lists made after start-up and little
    # else (the frozen objects are not in gc.get_objects()).
    assert 100_000 <= tracked < 100_000 + frozen // 4
