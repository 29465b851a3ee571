"""Shared test support for the registry and server tests: databases, audits, servers."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

import accord
from accord.report import AuditResult

ROOT = Path(__file__).resolve().parent.parent


def make_result(
    seed: int = 0, *, gap: float = 0.1, rows: int = 600, bootstrap: int = 40, minutes: int = 0
) -> AuditResult:
    """A real audit of synthetic predictions with a planted selection-rate gap."""
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b"], rows)
    y = rng.integers(0, 2, rows)
    p = (rng.random(rows) < 0.5 - gap * (g == "b")).astype(int)
    result = accord.audit(
        pl.DataFrame({"y": y, "p": p, "g": g}),
        label="y",
        prediction="p",
        sensitive=["g"],
        bootstrap=bootstrap,
        seed=seed,
    )
    when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes + seed)
    return result.model_copy(update={"created_at": when})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_postgres_database(base_url: str) -> str:
    """A new empty database on the test cluster, so that each test starts from nothing."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = base_url.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


@contextmanager
def running_server(
    db_url: str, *, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``uvicorn --factory accord.server:app_from_environment`` in a child process."""
    port = port or free_port()
    environ = {**os.environ, "ACCORD_DB": db_url, **(env or {})}
    proc = subprocess.Popen(
        [
            str(Path(os.sys.executable)),
            "-m",
            "uvicorn",
            "--factory",
            "accord.server:app_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_up(base: str, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")
