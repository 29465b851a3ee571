"""accord's benchmark: accord against the anchors and the one-pass floor, one process each.

Run it through ``benchmarks/run`` (see benchmarks/README.md):

    benchmarks/run [--rows 1e6,1e7,1e8] [--big-rows 1e8] [--suite fairness,privacy]
                   [--only TASK,...] [--timeout S] [--readme] [--profile]
    benchmarks/run --from benchmarks/results/latest.json --readme

The fairness suite builds the data of each row count (datagen.py), then runs every task
(tasks.py) in a fresh Python process, one after another, and measures the process's wall
time and peak resident memory (VmHWM: the high-water mark of the process's own resident
set, reported by the task at its end, or sampled every 0.1 s for a task that is stopped).
At the out-of-core size (``--big-rows``) only accord reading the file and the floors run.
The privacy suite (privacy_suite.py) does the same for accord's privacy assessment and
anonymisation against pycanon, anjana and a one-pass floor. A task still running after
``--timeout`` seconds is killed and reported with how far it got. The results go to
benchmarks/results/ as JSON; ``--readme`` also rewrites the tables and the cost-curve plot
in benchmarks/README.md between its markers.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import privacy_suite  # noqa: E402
import results_report as report  # noqa: E402
from measure import in_rounds, outcome, run_process  # noqa: E402
from tasks import ANCHOR_REASON, NOT_OUT_OF_CORE, OUT_OF_CORE, TASKS  # noqa: E402

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
    "pyspark",
    "pycanon",
    "anjana",
]
SUITES = ("fairness", "privacy")


def parse_rows(text: str) -> list[int]:
    """``1e6,1e7`` -> [1000000, 10000000]."""
    try:
        rows = [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of row counts: {text!r}") from None
    if not rows or min(rows) < 1:
        raise argparse.ArgumentTypeError(f"row counts must be positive: {text!r}")
    return rows


def parse_suites(text: str) -> list[str]:
    """``fairness,privacy`` -> the suites to run, in run order."""
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in SUITES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"suites are {', '.join(SUITES)}: got {text!r}")
    return [s for s in SUITES if s in chosen]


def select_tasks(only: str | None) -> tuple[list[str], list[privacy_suite.Cell], bool]:
    """The fairness tasks, privacy cells and ``accord --help`` named by ``--only`` (names or
    shell patterns, comma-separated), in run order; everything without ``--only``."""
    if not only:
        return list(TASKS), privacy_suite.select(None), True
    patterns = [p.strip() for p in only.split(",") if p.strip()]
    names = [*TASKS, *privacy_suite.NAMES, "help"]
    unknown = [p for p in patterns if not any(fnmatch.fnmatchcase(t, p) for t in names)]
    if unknown:
        raise SystemExit(f"unknown task(s) {', '.join(unknown)}; tasks: {', '.join(names)}")
    chosen = [t for t in TASKS if any(fnmatch.fnmatchcase(t, p) for p in patterns)]
    with_help = any(fnmatch.fnmatchcase("help", p) for p in patterns)
    return chosen, privacy_suite.select(patterns), with_help


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
    if "jvm_peak_rss_mb" in result:  # Spark: the JVM is a process of its own
        entry["jvm_peak_rss_mb"] = result["jvm_peak_rss_mb"]
    entry["status"], note = outcome(proc, timeout)
    if entry["status"] == "timeout":
        note += _how_far(progress)
    entry["notes"] += [note] if note else []
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
    versions: dict[str, str | None] = {}
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


def not_run(task: str, rows: int, smaller: list[int]) -> dict[str, Any]:
    """The entry of a task that does not run at the out-of-core size, and why."""
    sizes = report.spoken_list([report.size_label(r) for r in smaller]) or "smaller sizes"
    reason = NOT_OUT_OF_CORE.get(task, ANCHOR_REASON).format(sizes=sizes)
    return {
        "task": task,
        "rows": rows,
        "status": "not run",
        "wall_s": None,
        "peak_rss_mb": None,
        "phases": {},
        "notes": [f"not run at {report.size_label(rows)} ({reason})"],
        "check": {},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="fairness tasks: "
        + ", ".join(TASKS)
        + ", help (accord --help)\nprivacy cells: "
        + ", ".join(privacy_suite.NAMES),
    )
    parser.add_argument(
        "--rows",
        type=parse_rows,
        default=parse_rows("1e6,1e7,1e8"),
        help="row counts of the fairness suite (default 1e6,1e7,1e8); the privacy suite "
        "runs at 48k (Adult) and at each of them below --big-rows",
    )
    parser.add_argument(
        "--big-rows",
        type=lambda text: parse_rows(text)[0],
        default=100_000_000,
        help="row counts from this one up are out of core: their file is written in chunks "
        "and only accord on the file and the floors run there (default 1e8)",
    )
    parser.add_argument(
        "--suite",
        type=parse_suites,
        default=list(SUITES),
        help="suites to run: fairness, privacy or both (default fairness,privacy)",
    )
    parser.add_argument(
        "--only", help="tasks to run: names or patterns, e.g. 'accord*,polars-floor,assess-*'"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds before a task is stopped (default 600)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="run each measurement up to this many times, in rounds, each run in a fresh "
        "process, and keep the median (only measurements whose first run takes under 20 s; "
        "default 5)",
    )
    parser.add_argument(
        "--readme",
        action="store_true",
        help="rewrite the results and the cost-curve plot in benchmarks/README.md",
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
        help="also write cProfile stats of each fairness task's compute phase",
    )
    args = parser.parse_args(argv)

    results = json.loads(args.from_file.read_text()) if args.from_file else run_all(args)
    report.print_results(results)
    if args.readme:
        report.update_readme(results, HERE / "README.md")
        print(f"updated {HERE / 'README.md'} and {HERE / report.PLOT}")
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
    tasks, cells, with_help = select_tasks(args.only)
    if "fairness" not in args.suite:
        tasks, with_help = [], False
    if "privacy" not in args.suite:
        cells = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    profile_dir = RESULTS / f"profile-{stamp}" if args.profile else None
    if profile_dir is not None:
        profile_dir.mkdir()
    sizes = privacy_suite.sizes_for(args.rows, args.big_rows) if cells else []
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": {
            "rows": args.rows,
            "big_rows": args.big_rows,
            "suites": args.suite,
            "tasks": tasks,
            "privacy_cells": [c.name for c in cells],
            "privacy_sizes": sizes,
            "timeout_s": args.timeout,
            "repeat": args.repeat,
        },
        "data": {},
        "runs": [],
    }
    out = RESULTS / f"run-{stamp}.json"

    def save() -> None:
        out.write_text(json.dumps(results, indent=1) + "\n")  # keep what is done so far

    smaller = [r for r in args.rows if r < args.big_rows]
    for rows in args.rows if tasks else []:
        big = rows >= args.big_rows
        if big and not any(t in OUT_OF_CORE for t in tasks):
            continue
        meta = build_data(rows)
        results["data"][str(rows)] = meta
        here = [t for t in tasks if not (big and t not in OUT_OF_CORE)]

        path = ROOT / meta["path"]
        measured = in_rounds(
            {
                t: (lambda t=t, path=path: run_task(t, path, args.timeout, profile_dir))  # type: ignore[misc]
                for t in here
            },
            args.repeat,
            lambda e: report.seconds(e, "compute"),
            f"{rows:,}",
            20,
        )
        for task in tasks:
            entry = measured[task] if task in measured else not_run(task, rows, smaller)
            entry["rows"] = rows
            results["runs"].append(entry)
        save()
    if cells:

        def keep(entries: list[dict[str, Any]], data: dict[str, Any]) -> None:
            results["privacy"], results["privacy_data"] = entries, data
            save()

        privacy_suite.run_suite(sizes, cells, args.timeout, save=keep, repeat=args.repeat)
    if with_help:
        results["help"] = time_help(HELP_RUNS, args.timeout)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    save()
    (RESULTS / "latest.json").write_text(out.read_text())
    print(f"results: {out.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    sys.exit(main())
