"""Run the privacy benchmarks, each cell in its own process, and print ratios.

    python benchmarks/privacy/run.py --sizes 48k            # validation (seconds)
    python benchmarks/privacy/run.py --sizes 48k,1m,10m     # the full run (long)

The assessment compares accord's full report with pycanon (k, l, t separately) and with a
packed-key Polars group-by that computes k, l, t, classes and prosecutor risk (the one-pass
floor, measured in the same run). The anonymisation compares accord with anjana and with
ARX's published search times and losses on Adult. pycanon's t and anjana are skipped above
``--slow-limit`` rows (they take minutes to hours there: see the research figures).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from common import rows_of

HERE = Path(__file__).resolve().parent


def cell(script: str, *args: str, timeout: float) -> dict[str, object]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(HERE / script), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "args": args}
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["no output"], "args": args}
    out: dict[str, object] = json.loads(lines[-1])
    out["wall"] = round(wall, 2)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="48k")
    p.add_argument("--models", default="k5,k10,k5_l3,k5_t0.3")
    p.add_argument("--slow-limit", type=int, default=100_000)
    p.add_argument("--timeout", type=float, default=3600)
    args = p.parse_args()
    for size in args.sizes.split(","):
        n = rows_of(size)
        floor = cell("assess.py", "--tool", "floor", "--size", size, timeout=args.timeout)
        acc = cell("assess.py", "--tool", "accord", "--size", size, timeout=args.timeout)
        print(f"\n== assessment, {size} rows")
        rows = [("floor (packed-key Polars: k, l, t, risk)", floor), ("accord (full report)", acc)]
        for metric in ("k", "l", "t"):
            if metric == "t" and n > args.slow_limit:
                continue
            rows.append(
                (
                    f"pycanon {metric}",
                    cell(
                        "assess.py",
                        "--tool",
                        f"pycanon-{metric}",
                        "--size",
                        size,
                        timeout=args.timeout,
                    ),
                )
            )
        base = floor.get("seconds")
        for name, r in rows:
            if "error" in r:
                print(f"  {name:42s} error: {r['error']}")
                continue
            ratio = (
                f"{r['seconds'] / base:6.2f}x floor" if isinstance(base, float) and base else ""
            )
            print(
                f"  {name:42s} {r['seconds']:9.3f} s compute {r['wall']:8.2f} s wall "
                f"{r['peak_rss_mb']:8.0f} MB  {ratio}"
            )
        print(
            f"  agreement: accord k={acc.get('k')} l={acc.get('l')} t={acc.get('t')} "
            f"classes={acc.get('classes')}; floor k={floor.get('k')} l={floor.get('l')} "
            f"t={floor.get('t')} classes={floor.get('classes')}"
        )
        print(f"\n== anonymisation, {size} rows (5% suppression limit)")
        for model in args.models.split(","):
            tools = ["accord", "accord-search"] + (["anjana"] if n <= args.slow_limit else [])
            for tool in tools:
                r = cell(
                    "anonymize.py",
                    "--tool",
                    tool,
                    "--size",
                    size,
                    "--model",
                    model,
                    timeout=args.timeout,
                )
                if "error" in r:
                    print(f"  {model:8s} {tool:14s} error: {r['error']}")
                    continue
                print(
                    f"  {model:8s} {tool:14s} {r['seconds']:8.3f} s compute "
                    f"{r['wall']:7.2f} s wall {r['peak_rss_mb']:7.0f} MB  loss {r['loss']} "
                    f"suppressed {r['suppressed_pct']}% classes {r['classes']}"
                    + (
                        f"  levels {r['levels']} search {r['search_seconds']} s "
                        f"({r['nodes_evaluated']} nodes)"
                        if "levels" in r
                        else ""
                    )
                    + (
                        f"  [ARX on 48k: loss {r['arx_loss_48k']}, search {r['arx_search_48k']} s]"
                        if size == "48k" and tool == "accord"
                        else ""
                    )
                )


if __name__ == "__main__":
    main()
