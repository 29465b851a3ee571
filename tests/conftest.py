"""Fixtures shared by every test area: real services, started once per session.

PostgreSQL: ``.ci/run`` starts a throwaway cluster and exports
ACCORD_TEST_POSTGRES_URL. On a developer machine without it, the fixture
starts its own throwaway cluster with the local PostgreSQL binaries, so the
README's plain ``python -m pytest`` runs the same tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    for d in PG_BIN_DIRS:
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of an empty PostgreSQL database on loopback."""
    url = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.fail(
            "PostgreSQL is needed: set ACCORD_TEST_POSTGRES_URL or install PostgreSQL 15 "
            "(Debian: apt-get install postgresql), as .ci/run does"
        )
    datadir = Path(tempfile.mkdtemp(prefix="accord-pg-"))
    port = _free_port()
    as_root = os.geteuid() == 0

    def run(cmd: list[str]) -> None:
        if as_root:  # initdb refuses to run as root: use the postgres system user
            shutil.chown(datadir, "postgres")
            cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]
        subprocess.run(cmd, check=True, capture_output=True)

    run([str(pg_bin / "initdb"), "-D", str(datadir), "-U", "accord", "--auth=trust"])
    run(
        [
            str(pg_bin / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(datadir / "log"),
            "-w",
            "-o",
            f"-h 127.0.0.1 -p {port} -k {datadir}",
            "start",
        ]
    )
    try:
        subprocess.run(
            [
                str(pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "accord",
                "accord_test",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://accord@127.0.0.1:{port}/accord_test"
    finally:
        run([str(pg_bin / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"])
        shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local-mode Spark session (Java 17 is on the machine; JAVA_HOME is found if unset)."""
    if not os.environ.get("JAVA_HOME"):
        java = shutil.which("java")
        if java:
            os.environ["JAVA_HOME"] = str(Path(os.path.realpath(java)).parent.parent)
    from accord.io import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


#: How every browser test starts Debian's Chromium: headless, and with its background
#: networking off (the machine has no network, and the tests assert no request leaves).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary (.ci/run sets ACCORD_CHROMIUM; Debian puts it in /usr/bin)."""
    path = os.environ.get("ACCORD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("the browser tests need Chromium: apt-get install -y chromium (.ci/run does)")
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium for the session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse two tests with one node id: pytest-xdist runs only one of them and reports
    the others as nothing at all (it hid 33 of 34 API fuzz tests once)."""
    counts = Counter(i.nodeid for i in items)
    twice = sorted(nodeid for nodeid, n in counts.items() if n > 1)
    if twice:
        raise pytest.UsageError("tests with the same node id: " + ", ".join(twice[:5]))
