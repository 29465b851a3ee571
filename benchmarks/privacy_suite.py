"""The privacy suite of benchmarks/run: accord's risk assessment and anonymisation against
pycanon, anjana and a one-pass floor (the scripts in benchmarks/privacy/).

Each cell (one tool, one data size, one anonymisation model) runs
``benchmarks/privacy/assess.py`` or ``anonymize.py`` in its own process, measured like a
fairness task (wall time, VmHWM, timeout); the script reports its own compute time and
results as one JSON line. The data are Adult itself (48,842 rows) and jittered scaled copies
(benchmarks/privacy/common.py), built in a child process before the cells that time them.
A cell stopped at the timeout is not run again at a larger size.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from measure import in_rounds, outcome, run_process

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "privacy"
sys.path.insert(0, str(SCRIPTS))

from common import rows_of, size_of  # noqa: E402

ADULT_SIZE = "48k"
MODELS = ("k5", "k10", "k5_l3", "k5_t0.3")
#: What each tool is, in a few words.
ASSESS_WHAT = {
    "floor": "packed-key Polars group-by: k, l, t, classes, prosecutor risk",
    "accord": "accord.privacy.assess: the full report (k, l, t, risks, uniqueness)",
    "pycanon-k": "pycanon k_anonymity",
    "pycanon-l": "pycanon l_diversity",
    "pycanon-t": "pycanon t_closeness",
}
ANONYMIZE_WHAT = {
    "accord": "accord.privacy.anonymize: optimal search, rows written to Parquet",
    "accord-search": "the same search, no rows written",
    "anjana": "anjana (greedy generalisation)",
}
#: Result fields shown per bench, in order.
ASSESS_FIELDS = ("k", "l", "t", "classes")
ANONYMIZE_FIELDS = ("loss", "suppressed_pct", "classes", "levels")


@dataclass(frozen=True)
class Cell:
    """One privacy measurement: a bench, a tool and (for anonymisation) a model."""

    bench: str  # "assess" | "anonymize"
    tool: str
    model: str | None = None

    @property
    def name(self) -> str:
        """The name ``--only`` matches, e.g. ``assess-pycanon-t``, ``anonymize-anjana-k5``."""
        return f"{self.bench}-{self.tool}" + (f"-{self.model}" if self.model else "")

    def entry(self, size: str, **fields: Any) -> dict[str, Any]:
        """What the results say about this cell at one size."""
        base = {"bench": self.bench, "tool": self.tool, "model": self.model, "name": self.name}
        return {**base, "size": size, "rows": rows_of(size), "notes": [], **fields}

    def argv(self, size: str) -> list[str]:
        args = [sys.executable, str(SCRIPTS / f"{self.bench}.py"), "--tool", self.tool]
        args += ["--size", size]
        return args + (["--model", self.model] if self.model else [])


CELLS = [Cell("assess", tool) for tool in ASSESS_WHAT] + [
    Cell("anonymize", tool, model) for model in MODELS for tool in ANONYMIZE_WHAT
]
NAMES = [c.name for c in CELLS]


def select(patterns: list[str] | None) -> list[Cell]:
    """The cells named by ``--only`` patterns (all of them without patterns)."""
    if not patterns:
        return list(CELLS)
    return [c for c in CELLS if any(fnmatch.fnmatchcase(c.name, p) for p in patterns)]


def sizes_for(rows: list[int], big_rows: int) -> list[str]:
    """Adult itself, then every fairness row count below the out-of-core size."""
    return [ADULT_SIZE] + [size_of(r) for r in rows if r < big_rows and size_of(r) != ADULT_SIZE]


def build(size: str) -> dict[str, Any]:
    """Build (or find) the data of one size in a child process; say what it is."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "common.py"), size],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    path = Path(proc.stdout.strip().splitlines()[-1])
    return {"size": size, "rows": rows_of(size), "bytes": path.stat().st_size}


def run_cell(cell: Cell, size: str, timeout: float) -> dict[str, Any]:
    """Run one cell in its own process and gather what it measured."""
    entry = cell.entry(size)
    with tempfile.TemporaryDirectory(prefix=f"accord-bench-{cell.name}-") as tmp:
        proc = run_process(cell.argv(size), timeout, Path(tmp))
    lines = [ln for ln in proc["stdout"].splitlines() if ln.startswith("{")]
    values: dict[str, Any] = json.loads(lines[-1]) if proc["rc"] == 0 and lines else {}
    entry["wall_s"] = proc["wall_s"]
    entry["peak_rss_mb"] = values.pop("peak_rss_mb", None) or proc["sampled_peak_mb"]
    entry["seconds"] = values.pop("seconds", None)
    entry["values"] = {k: v for k, v in values.items() if k not in ("bench", "tool", "size")}
    entry["status"], note = outcome(proc, timeout, lines != [])
    entry["notes"] += [note] if note else []
    return entry


def run_suite(
    sizes: list[str],
    cells: list[Cell],
    timeout: float,
    *,
    save: Callable[[list[dict[str, Any]], dict[str, Any]], None] | None = None,
    repeat: int = 1,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every cell at every size, one process each; a cell stopped at the timeout at one size
    is reported as not run at the larger ones."""
    entries: list[dict[str, Any]] = []
    data: dict[str, Any] = {}
    stopped: dict[str, str] = {}
    for size in sizes:
        data[size] = build(size)
        here = [c for c in cells if c.name not in stopped]

        measured = in_rounds(
            {
                c.name: (lambda c=c, size=size: run_cell(c, size, timeout))  # type: ignore[misc]
                for c in here
            },
            repeat,
            lambda e: e.get("seconds"),
            size,
            32,
        )
        for cell in cells:
            if cell.name in measured:
                entry = measured[cell.name]
                if entry["status"] == "timeout":
                    stopped[cell.name] = size
            else:
                note = f"not run: stopped at the timeout at {stopped[cell.name]} rows"
                entry = cell.entry(size, status="not run", notes=[note])
            entries.append(entry)
        if save is not None:
            save(entries, data)  # keep what is done so far
    return entries, data


# -- tables ---------------------------------------------------------------------------------


def _by(entries: list[dict[str, Any]], size: str) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in entries if e["size"] == size}


def _ratio(top: dict[str, Any] | None, bottom: dict[str, Any] | None, what: str) -> str:
    if not top or not bottom or top.get("status") != "ok" or bottom.get("status") != "ok":
        if top and top.get("status") == "timeout" and bottom and bottom.get("seconds"):
            return f"> {top['wall_s'] / bottom['seconds']:,.0f}x {what} (timeout)"
        return ""
    if not bottom.get("seconds"):
        return ""
    r = top["seconds"] / bottom["seconds"]
    return f"{r:,.1f}x {what}" if r >= 10 else f"{r:.2f}x {what}"


def _value(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return ",".join(str(x) for x in v)
    return str(v)


def _row(e: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """A cell's times, memory and result fields, as table text."""
    from results_report import fmt

    values = e.get("values", {})
    measured = [fmt(e.get("seconds")), fmt(e.get("wall_s")), fmt(e.get("peak_rss_mb"))]
    return measured + [_value(values.get(f)) for f in fields]


def tables(entries: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    """One assessment table and one anonymisation table per size, as header + rows."""
    from results_report import notes_text

    out = []
    for size in data:
        cells = _by(entries, size)
        rows_n = data[size]["rows"]
        title = f"{rows_n:,} rows" + (" (Adult)" if size == ADULT_SIZE else " (jittered copy)")
        assess = []
        for tool, what in ASSESS_WHAT.items():
            e = cells.get(f"assess-{tool}")
            if e is None:
                continue
            ratio = ""
            if tool == "accord":
                ratio = _ratio(e, cells.get("assess-floor"), "floor")
            elif tool.startswith("pycanon"):
                ratio = _ratio(e, cells.get("assess-accord"), "accord")
            assess.append([tool, what, *_row(e, ASSESS_FIELDS), ratio, notes_text(e)])
        anonymize = []
        for model in MODELS:
            accord = cells.get(f"anonymize-accord-{model}")
            for tool, what in ANONYMIZE_WHAT.items():
                e = cells.get(f"anonymize-{tool}-{model}")
                if e is None:
                    continue
                values = e.get("values", {})
                ratio = _ratio(e, accord, "accord") if tool == "anjana" else ""
                notes = notes_text(e)
                if size == ADULT_SIZE and tool == "accord-search" and values.get("arx_search_48k"):
                    notes = (
                        f"ARX 3.9.2 on the same data: loss {values['arx_loss_48k']}, "
                        f"search {values['arx_search_48k']} s"
                    )
                anonymize.append([model, tool, what, *_row(e, ANONYMIZE_FIELDS), ratio, notes])
        out.append(
            {
                "title": f"privacy assessment, {title}",
                "header": [
                    "tool",
                    "what",
                    "compute s",
                    "wall s",
                    "peak MB",
                    *ASSESS_FIELDS,
                    "ratio",
                    "notes",
                ],
                "rows": assess,
            }
        )
        out.append(
            {
                "title": f"anonymisation (5% suppression limit), {title}",
                "header": [
                    "model",
                    "tool",
                    "what",
                    "compute s",
                    "wall s",
                    "peak MB",
                    "loss",
                    "suppressed %",
                    "classes",
                    "levels",
                    "ratio",
                    "notes",
                ],
                "rows": anonymize,
            }
        )
    return [t for t in out if t["rows"]]


def agreement(entries: list[dict[str, Any]], data: dict[str, Any]) -> list[str]:
    """Whether accord, the floor and pycanon agree on k, l, t and the classes, per size."""
    out = []
    for size in data:
        cells = _by(entries, size)
        accord = cells.get("assess-accord", {}).get("values")
        if not accord:
            continue
        checks = []
        for name in ("assess-floor", "assess-pycanon-k", "assess-pycanon-l", "assess-pycanon-t"):
            values = cells.get(name, {}).get("values") or {}
            for field in ASSESS_FIELDS:
                if field in values and field in accord and values[field] is not None:
                    same = abs(float(values[field]) - float(accord[field])) <= 1e-6 * max(
                        1.0, abs(float(accord[field]))
                    )
                    checks.append(
                        f"{field} {'=' if same else '!='} {name.removeprefix('assess-')}"
                        + ("" if same else f" ({accord[field]} vs {values[field]})")
                    )
        if checks:
            out.append(f"{data[size]['rows']:,} rows, accord: {', '.join(checks)}")
    return out
