"""How the benchmarks measure a process: wall time, peak resident memory, a timeout.

Peak memory is VmHWM (``/proc/PID/status``): the high-water mark of the process's own
resident set. Not ``ru_maxrss`` (getrusage, wait4, ``/usr/bin/time -v``): Linux carries the
forking process's high-water mark across ``exec`` into the child, so a large parent
inflates it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory of a running process (VmHWM), in MiB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def descendants(pid: int) -> list[int]:
    """Every live process started (directly or not) by ``pid``, e.g. Spark's JVM."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name is in parentheses and may hold spaces: split after it.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children.get(child, [])
    return out


def descendants_hwm_mb(pid: int | None = None) -> float:
    """The sum of the peaks of ``pid``'s descendants (an upper bound of their joint peak)."""
    peaks = [vm_hwm_mb(child) for child in descendants(pid or os.getpid())]
    return sum(p for p in peaks if p is not None)


def java_home() -> str | None:
    """JAVA_HOME, or the installation of the ``java`` on the PATH when it is unset."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    # /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/<jdk>/bin/java
    return str(Path(os.path.realpath(java)).parent.parent) if java else None


def run_process(argv: list[str], timeout: float, workdir: Path) -> dict[str, Any]:
    """Run ``argv`` in a new session in ``workdir``; return rc, wall time, peak RSS, output.

    The process (and everything it started) is killed after ``timeout`` seconds. Its peak
    is sampled every 0.1 s, for a process that gets killed before it can report its own.
    """
    out_path, err_path = workdir / "stdout", workdir / "stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, start_new_session=True, cwd=workdir)
        timed_out = threading.Event()
        done = threading.Event()
        sampled: list[float] = []

        def stop() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        def sample() -> None:
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
        # A JVM or worker the task left behind must not outlive it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        returncode = os.waitstatus_to_exitcode(status)
    return {
        "rc": returncode,
        "timed_out": timed_out.is_set(),
        "wall_s": wall,
        # ru_maxrss is at least this process's own RSS when it started the child (the kernel
        # carries the forking process's high-water mark across exec); it stays small here.
        "rusage_maxrss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "sampled_peak_mb": max(sampled, default=None),
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "stdout": out_path.read_text(errors="replace")[-4000:],
        "stderr": err_path.read_text(errors="replace")[-2000:],
    }


def outcome(proc: dict[str, Any], timeout: float, reported: bool = True) -> tuple[str, str]:
    """``ok``, ``timeout`` or ``failed`` for a process ``run_process`` ran, and a note."""
    if proc["timed_out"]:
        return "timeout", f"timeout after {timeout:g} s"
    if proc["rc"] != 0 or not reported:
        last = proc["stderr"].strip().splitlines()[-1:] or ["(no output)"]
        return "failed", f"exit code {proc['rc']}: {last[0]}"
    return "ok", ""


#: A measurement whose first run took longer than this is not repeated: its noise is small
#: next to its time, and the slow anchors would take hours more.
REPEAT_UNDER_S = 20.0


def interleaved(
    jobs: Sequence[Callable[[], dict[str, Any]]],
    repeat: int,
    seconds: Callable[[dict[str, Any]], float | None],
    on_run: Callable[[int, dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every measurement of ``jobs`` up to ``repeat`` times, in rounds (each job once
    per round, in order, each run in a fresh process), and keep each job's median run.

    A run of a quarter of a second varies by a quarter from one process to the next on a
    small machine (the Polars floor at 10M rows: 0.19 to 0.29 s), which is more than the
    ratios it anchors can bear. Repeated in rounds, a floor and the task compared with it
    are measured under the same conditions, run after run: their ``runs_s`` lists are
    paired by round. A job whose first run took ``REPEAT_UNDER_S`` or more is not
    repeated; a run that did not finish stops that job's repetition and is its entry. Each
    entry keeps the median run's phases, every run's time (``runs_s``) and the largest peak
    memory of all its runs (``on_run`` hears of every run as it ends).

    Examples
    --------
    >>> times = {0: iter([0.3, 0.1, 0.2]), 1: iter([9.0])}
    >>> def job(i):
    ...     return lambda: {"status": "ok", "wall_s": 1.0 if i == 0 else 30.0,
    ...                     "t": next(times[i]), "peak_rss_mb": 10.0}
    >>> fast, slow = interleaved([job(0), job(1)], 3, lambda e: e["t"])
    >>> fast["t"], fast["runs_s"], slow["runs_s"]
    (0.2, [0.3, 0.1, 0.2], [9.0])
    """
    runs: list[list[dict[str, Any]]] = [[] for _ in jobs]
    for _ in range(max(1, repeat)):
        for i, job in enumerate(jobs):
            done = runs[i]
            if done and (done[-1]["status"] != "ok" or done[0]["wall_s"] >= REPEAT_UNDER_S):
                continue
            done.append(job())
            if on_run is not None:
                on_run(i, done[-1])
    return [_median_of(r, seconds) for r in runs]


def in_rounds(
    jobs: Mapping[str, Callable[[], dict[str, Any]]],
    repeat: int,
    seconds: Callable[[dict[str, Any]], float | None],
    label: str,
    width: int,
) -> dict[str, dict[str, Any]]:
    """``interleaved`` over named jobs, printing one line per run (``label`` first: the
    data size), each job's entry by its name."""
    names = list(jobs)

    def said(i: int, entry: dict[str, Any]) -> None:
        print(
            f"{label:>12}  {names[i]:<{width}} {entry['status']:<8} {entry['wall_s']:9.2f} s  "
            f"{entry.get('peak_rss_mb') or 0:8.0f} MB",
            flush=True,
        )

    # In rounds: a floor and the tasks compared with it run under the same conditions.
    entries = interleaved([jobs[n] for n in names], repeat, seconds, said)
    return dict(zip(names, entries, strict=True))


def median_run(
    run_once: Callable[[], dict[str, Any]],
    repeat: int,
    seconds: Callable[[dict[str, Any]], float | None],
) -> dict[str, Any]:
    """One measurement repeated (see ``interleaved``), its median run kept.

    Examples
    --------
    >>> times = iter([0.3, 0.1, 0.2])
    >>> entry = median_run(lambda: {"status": "ok", "wall_s": 1.0, "t": next(times),
    ...                             "peak_rss_mb": 10.0}, 3, lambda e: e["t"])
    >>> entry["t"], entry["runs_s"]
    (0.2, [0.3, 0.1, 0.2])
    """
    return interleaved([run_once], repeat, seconds)[0]


def _median_of(
    runs: list[dict[str, Any]], seconds: Callable[[dict[str, Any]], float | None]
) -> dict[str, Any]:
    if runs[-1]["status"] != "ok":
        return runs[-1]
    # A finished run without a time sorts last, never as the fastest.
    timed = sorted(runs, key=lambda e: (seconds(e) is None, seconds(e) or 0.0))
    chosen = dict(timed[(len(timed) - 1) // 2])
    chosen["runs_s"] = [seconds(e) for e in runs]
    times = [t for t in chosen["runs_s"] if t is not None]
    if len(times) > 1:
        chosen["notes"] = [
            *chosen.get("notes", []),
            f"median of {len(times)} runs ({min(times):.3g} to {max(times):.3g} s)",
        ]
    peaks = [e["peak_rss_mb"] for e in runs if e.get("peak_rss_mb") is not None]
    if peaks:
        chosen["peak_rss_mb"] = max(peaks)
    return chosen
