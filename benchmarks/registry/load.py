"""Bounded load test of the registry server on loopback.

Seeds a registry with N audits (default 10,000, spread over 20 systems), starts
``accord.server`` with uvicorn on 127.0.0.1, and runs C concurrent clients for D
seconds against the read endpoints (list systems, list audits, list a system's
audits, get an audit, get a system). Prints throughput and p50/p99 latency, overall
and per endpoint, and writes them as JSON to benchmarks/results/registry-load.json.

    python benchmarks/registry/load.py                      # the full run: 10,000 / 50 / 60 s
    python benchmarks/registry/load.py --think 0.5          # 50 users pausing 0.5 s on average
    python benchmarks/registry/load.py --audits 500 --clients 10 --seconds 5   # a quick check

Every request goes to 127.0.0.1; the run stops by itself after --seconds (and after
--max-requests at most).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np
import polars as pl
from rich.progress import Progress

import accord
from accord.registry import Registry

ROOT = Path(__file__).resolve().parents[2]


def seed(db: str, audits: int, systems: int) -> str:
    reg = Registry(db)
    reg.upgrade()
    if reg.list_audits(limit=1).total >= audits:
        return reg.create_token("bench", "bench", "viewer").token
    rng = np.random.default_rng(0)
    n = 400
    g = rng.choice(["a", "b"], n)
    frame = pl.DataFrame({"y": rng.integers(0, 2, n), "p": rng.integers(0, 2, n), "g": g})
    base = accord.audit(frame, label="y", prediction="p", sensitive=["g"], bootstrap=0)
    names = [f"system-{i:02d}" for i in range(systems)]
    for name in names:
        reg.create_system("bench", name, owner="bench", risk_tier="high-risk")
    with Progress() as bar:
        task = bar.add_task("seeding audits", total=audits)
        for i in range(audits):
            result = base.model_copy(update={"created_at": base.created_at + timedelta(seconds=i)})
            reg.record_audit("bench", names[i % systems], f"v{i // systems // 50}", result)
            bar.advance(task)
    token = reg.create_token("bench", "bench", "viewer").token
    reg.dispose()
    return token


async def run_clients(
    base: str,
    token: str,
    clients: int,
    seconds: float,
    max_requests: int,
    audit_ids: list[int],
    systems: list[str],
    think: float = 0.0,
    warmup: float = 0.0,
) -> dict[str, list[float]]:
    """Latencies per endpoint over ``seconds``, after ``warmup`` seconds whose requests are
    kept apart (under ``"_warmup"``): the first requests of a fresh server process open
    connections and fill its caches, which its users meet once, not on every click.
    """
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    measured_from = time.monotonic() + warmup
    deadline = measured_from + seconds
    sent = 0
    headers = {"Authorization": f"Bearer {token}"}
    rnd = random.Random(0)

    def next_request() -> tuple[str, str]:
        kind = rnd.choice(
            ["list_systems", "list_audits", "list_system_audits", "get_audit", "get_system"]
        )
        return kind, {
            "list_systems": "/api/systems?limit=50",
            "list_audits": "/api/audits?limit=50",
            "list_system_audits": f"/api/audits?system={rnd.choice(systems)}&limit=50",
            "get_audit": f"/api/audits/{rnd.choice(audit_ids)}",
            "get_system": f"/api/systems/{rnd.choice(systems)}",
        }[kind]

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal sent
        if think:
            # People do not all click in the same millisecond: each client starts after a
            # pause of its own, so that requests arrive at a steady rate from the start.
            await asyncio.sleep(rnd.expovariate(1 / think))
        while time.monotonic() < deadline and sent < max_requests:
            sent += 1
            kind, path = next_request()
            started, t0 = time.monotonic(), time.perf_counter()
            try:
                r = await http.get(path, headers=headers)
            except httpx.TransportError as exc:
                # e.g. a kept-alive connection the server closed during a long pause
                errors.append(f"{path}: {type(exc).__name__}")
                continue
            key = kind if started >= measured_from else "_warmup"
            latencies.setdefault(key, []).append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors.append(f"{path}: {r.status_code}")
            if think:
                # A person reads a page before the next click: exponential pauses of mean
                # `think` make the clients' requests arrive like independent users'.
                await asyncio.sleep(rnd.expovariate(1 / think))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[:3]}", file=sys.stderr)
    latencies["_errors"] = [float(len(errors))]
    return latencies


def summarise(latencies: dict[str, list[float]], seconds: float) -> dict[str, object]:
    errors = int(latencies.pop("_errors")[0])
    warm = latencies.pop("_warmup", [])
    every = [x for v in latencies.values() for x in v]

    def stats(values: list[float]) -> dict[str, float]:
        q = statistics.quantiles(values, n=100, method="inclusive")
        return {
            "requests": len(values),
            "p50_ms": round(q[49] * 1000, 2),
            "p99_ms": round(q[98] * 1000, 2),
        }

    return {
        "throughput_rps": round(len(every) / seconds, 1),
        "errors": errors,
        "overall": stats(every),
        "by_endpoint": {k: stats(v) for k, v in sorted(latencies.items())},
        "warmup": stats(warm) if len(warm) > 1 else None,
    }


def _free_port() -> int:
    # A fixed port can still be held by the server of a run that just ended.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--audits", type=int, default=10_000)
    ap.add_argument("--systems", type=int, default=20)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds of load before the measured window, reported apart (default 5)",
    )
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of each client between requests, in seconds (0: back to back, "
        "the server's saturation)",
    )
    ap.add_argument("--db", help="database URL (default: a SQLite file in a temp dir)")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="accord-load-"))
    db = args.db or f"sqlite:///{tmp / 'registry.sqlite3'}"
    t0 = time.perf_counter()
    token = seed(db, args.audits, args.systems)
    print(f"seeded {args.audits} audits in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    reg = Registry(db)
    audit_ids = [a.id for a in reg.list_audits(limit=500).items]
    systems = [s.name for s in reg.list_systems(limit=500).items]
    reg.dispose()
    port = args.port or _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "accord.server:app_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, "ACCORD_DB": db},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        latencies = asyncio.run(
            run_clients(
                base,
                token,
                args.clients,
                args.seconds,
                args.max_requests,
                audit_ids,
                systems,
                args.think,
                args.warmup,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "audits": args.audits,
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "workers": args.workers,
        "think_s": args.think,
        "database": db.split(":")[0],
        **summarise(latencies, args.seconds),
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registry-load.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
