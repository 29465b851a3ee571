"""accord's benchmark: accord against the anchors and the one-pass floor, one process each.

Run it through ``benchmarks/run`` (see benchmarks/README.md):

    benchmarks/run [--rows 1e6,1e7] [--only TASK,...] [--timeout S] [--readme]
    benchmarks/run --from benchmarks/results/latest.json --readme

For each row count it builds the data (datagen.py), then runs every task (tasks.py) in a
fresh Python process, one after another, and measures the process's wall time and peak
resident memory (VmHWM: the high-water mark of the process's own resident set, reported by
the task at its end, or sampled every 0.1 s for a task that is stopped). A task still
running after ``--timeout`` seconds is killed and reported with how far it got. The
results go to benchmarks/results/ as JSON; ``--readme`` also rewrites the tables in
benchmarks/README.md between its markers.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
from tasks import TASKS, vm_hwm_mb  # noqa: E402

ROOT = HERE.parent
RESULTS = HERE / "results"
HELP_RUNS = 5
LIBRARIES = [
    "accord",
    "polars",
    "duckdb",
    "numpy",
    "pandas",
    "pyarrow",
    "narwhals",
    "fairlearn",
    "scikit-learn",
    "aif360",
    "aequitas",
]


def parse_rows(text: str) -> list[int]:
    """``1e6,1e7`` -> [1000000, 10000000]."""
    try:
        rows = [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of row counts: {text!r}") from None
    if not rows or min(rows) < 1:
        raise argparse.ArgumentTypeError(f"row counts must be positive: {text!r}")
    return rows


def select_tasks(only: str | None) -> list[str]:
    """The tasks named by ``--only`` (names or shell patterns, comma-separated), in run order."""
    if not only:
        return list(TASKS)
    patterns = [p.strip() for p in only.split(",") if p.strip()]
    chosen = [t for t in TASKS if any(fnmatch.fnmatchcase(t, p) for p in patterns)]
    unknown = [p for p in patterns if not any(fnmatch.fnmatchcase(t, p) for t in TASKS)]
    if unknown and not (unknown == ["help"]):
        raise SystemExit(f"unknown task(s) {', '.join(unknown)}; tasks: {', '.join(TASKS)}, help")
    return chosen


def run_process(argv: list[str], timeout: float, workdir: Path) -> dict[str, Any]:
    """Run ``argv`` in a new session; return rc, wall time, peak RSS and its output."""
    out_path, err_path = workdir / "stdout", workdir / "stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, start_new_session=True)
        timed_out = threading.Event()
        done = threading.Event()
        sampled: list[float] = []

        def stop() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        def sample() -> None:
            # The peak of a process that gets killed: its last VmHWM before the kill.
            while not done.wait(0.1):
                value = vm_hwm_mb(proc.pid)
                if value is not None:
                    sampled.append(value)

        timer = threading.Timer(timeout, stop)
        sampler = threading.Thread(target=sample, daemon=True)
        timer.start()
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            done.set()
        wall = time.perf_counter() - start
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "rc": proc.returncode,
        "timed_out": timed_out.is_set(),
        "wall_s": wall,
        # ru_maxrss is at least this process's own RSS when it started the child (the kernel
        # carries the forking process's high-water mark across exec); it stays small here.
        "rusage_maxrss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "sampled_peak_mb": max(sampled, default=None),
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "stdout": out_path.read_text(errors="replace")[-2000:],
        "stderr": err_path.read_text(errors="replace")[-2000:],
    }


def run_task(task: str, data: Path, timeout: float, profile_dir: Path | None) -> dict[str, Any]:
    """Run one task in its own process and gather what it measured."""
    with tempfile.TemporaryDirectory(prefix=f"accord-bench-{task}-") as tmp:
        work = Path(tmp)
        argv = [
            sys.executable,
            str(HERE / "tasks.py"),
            task,
            str(data),
            str(work / "result.json"),
            "--progress",
            str(work / "progress"),
        ]
        if profile_dir is not None:
            argv += ["--profile", str(profile_dir / f"{task}-{data.stem}.prof")]
        proc = run_process(argv, timeout, work)
        progress = (
            (work / "progress").read_text().splitlines() if (work / "progress").exists() else []
        )
        result = json.loads((work / "result.json").read_text()) if proc["rc"] == 0 else {}
    entry: dict[str, Any] = {
        "task": task,
        "rc": proc["rc"],
        "wall_s": proc["wall_s"],
        # The task's own VmHWM at its end; for a killed task, the last sample before the kill.
        "peak_rss_mb": result.get("peak_rss_mb") or proc["sampled_peak_mb"],
        "rusage_maxrss_mb": proc["rusage_maxrss_mb"],
        "cpu_s": proc["cpu_s"],
        "phases": result.get("phases", {}),
        "notes": result.get("notes", []),
        "check": result.get("check", {}),
    }
    if proc["timed_out"]:
        entry["status"] = "timeout"
        entry["notes"].append(f"timeout after {timeout:g} s" + _how_far(progress))
    elif proc["rc"] != 0:
        entry["status"] = "failed"
        last = proc["stderr"].strip().splitlines()[-1:] or ["(no output)"]
        entry["notes"].append(f"exit code {proc['rc']}: {last[0]}")
    else:
        entry["status"] = "ok"
    if progress:
        entry["last_progress"] = progress[-1].strip()
    return entry


def _how_far(progress: list[str]) -> str:
    """What a killed task had finished: bootstrap replicates, or its last phase."""
    for line in reversed(progress):
        match = re.search(r"bootstrap replicate (\d+)/(\d+) done", line)
        if match:
            return f", {match[1]}/{match[2]} replicates"
    for line in progress:
        match = re.search(r"bootstrap of (\d+) replicates started", line)
        if match:
            return f", 0/{match[1]} replicates"
    phases = [line.split()[-1] for line in progress if " start " in line]
    return f", 0 replicates (still in {phases[-1]})" if phases else ""


def time_help(runs: int, timeout: float) -> dict[str, Any]:
    """Wall time of ``accord --help`` (the console script), ``runs`` times."""
    script = Path(sys.executable).with_name("accord")
    argv = (
        [str(script), "--help"] if script.exists() else [sys.executable, "-m", "accord", "--help"]
    )
    walls, rss = [], []
    with tempfile.TemporaryDirectory(prefix="accord-bench-help-") as tmp:
        for _ in range(runs):
            proc = run_process(argv, timeout, Path(tmp))
            if proc["rc"] != 0:
                return {"status": "failed", "notes": [proc["stderr"][-300:]]}
            walls.append(proc["wall_s"])
            rss.append(proc["rusage_maxrss_mb"])  # too short-lived to sample
    return {
        "status": "ok",
        "runs": runs,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "peak_rss_mb": max(rss),
        "command": " ".join(["accord", "--help"]),
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on (and how busy it was)."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": list(os.getloadavg()),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="tasks: " + ", ".join(TASKS) + ", help (accord --help)",
    )
    parser.add_argument(
        "--rows",
        type=parse_rows,
        default=parse_rows("1e6,1e7"),
        help="row counts, e.g. 1e6,1e7 (default)",
    )
    parser.add_argument(
        "--only", help="tasks to run: names or patterns, e.g. 'accord*,polars-floor'"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds before a task is stopped (default 600)",
    )
    parser.add_argument(
        "--readme", action="store_true", help="rewrite the result tables in benchmarks/README.md"
    )
    parser.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        help="do not run: reprint (and with --readme, rewrite) saved results",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also write cProfile stats of each task's compute phase",
    )
    args = parser.parse_args(argv)

    results = json.loads(args.from_file.read_text()) if args.from_file else run_all(args)
    report.print_results(results)
    if args.readme:
        report.update_readme(results, HERE / "README.md")
        print(f"updated {HERE / 'README.md'}")
    return 0


def build_data(rows: int) -> dict[str, Any]:
    """Build the data in a child process: the harness itself stays small (see run_process)."""
    proc = subprocess.run(
        [sys.executable, str(HERE / "datagen.py"), str(rows)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    meta: dict[str, Any] = json.loads(proc.stdout)
    return meta


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    tasks = select_tasks(args.only)
    with_help = not args.only or any(
        fnmatch.fnmatchcase("help", p.strip()) for p in args.only.split(",")
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    profile_dir = RESULTS / f"profile-{stamp}" if args.profile else None
    if profile_dir is not None:
        profile_dir.mkdir()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": {"rows": args.rows, "tasks": tasks, "timeout_s": args.timeout},
        "data": {},
        "runs": [],
    }
    out = RESULTS / f"run-{stamp}.json"
    for rows in args.rows if tasks else []:
        meta = build_data(rows)
        results["data"][str(rows)] = meta
        for task in tasks:
            print(f"{rows:>12,}  {task:<20}", end="", flush=True)
            entry = run_task(task, ROOT / meta["path"], args.timeout, profile_dir)
            entry["rows"] = rows
            results["runs"].append(entry)
            print(
                f" {entry['status']:<8} {entry['wall_s']:9.2f} s  {entry['peak_rss_mb']:8.0f} MB",
                flush=True,
            )
            out.write_text(json.dumps(results, indent=1) + "\n")  # keep what is done so far
    if with_help:
        results["help"] = time_help(HELP_RUNS, args.timeout)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    out.write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "latest.json").write_text(out.read_text())
    print(f"results: {out.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    sys.exit(main())
