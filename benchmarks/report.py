"""Tables, ratios and cross-tool checks from a benchmark run, for the terminal and the README."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

START = "<!-- benchmark-results:start -->"
END = "<!-- benchmark-results:end -->"

#: What each task is, in a few words (the tables' second column).
WHAT = {
    "polars-floor": "Polars scan_parquet -> group_by(cell, label, prediction).len()",
    "duckdb-floor": "DuckDB GROUP BY straight from the Parquet file",
    "accord": "accord.audit(path), no bootstrap",
    "accord-boot": "accord.audit(path), bootstrap=1000",
    "accord-score-boot": "accord.audit(path) with score (AUC, Brier, ECE), bootstrap=1000",
    "accord-loaded-boot": "accord.audit(Polars DataFrame), bootstrap=1000",
    "aequitas": "Aequitas crosstabs + Bias + Fairness, sex, race, age band one at a time",
    "aequitas-inter": "Aequitas crosstabs + Bias + Fairness on one sex-race-age column",
    "aif360-sex": "AIF360 ClassificationMetric, Male vs Female: SPD, DI, EOD, AOD",
    "aif360-subgroups": "AIF360 ClassificationMetric per cell vs the rest (30x): SPD, DI, EOD, AOD",
    "fairlearn": "Fairlearn MetricFrame, 5 metrics by sex x race x age band",
    "fairlearn-boot": "the same MetricFrame with n_boot=100",
}
ACCORD_REF = "accord-boot"
FLOOR = "polars-floor"
#: Ratios reported: (label, numerator task, denominator task, how each is measured).
RATIOS = [
    ("accord (no bootstrap) / Polars floor, compute", "accord", FLOOR, "compute"),
    ("accord (bootstrap 1000) / Polars floor, compute", "accord-boot", FLOOR, "compute"),
    (
        "accord with score (bootstrap 1000) / Polars floor, compute",
        "accord-score-boot",
        FLOOR,
        "compute",
    ),
    (
        "accord on a loaded frame (bootstrap 1000) / Polars floor, load + compute",
        "accord-loaded-boot",
        FLOOR,
        "total",
    ),
    ("DuckDB floor / Polars floor, compute", "duckdb-floor", FLOOR, "compute"),
    ("Fairlearn MetricFrame / accord (bootstrap 1000)", "fairlearn", ACCORD_REF, "work"),
    (
        "Fairlearn MetricFrame n_boot=100 / accord (bootstrap 1000)",
        "fairlearn-boot",
        ACCORD_REF,
        "work",
    ),
    ("AIF360 per cell / accord (bootstrap 1000)", "aif360-subgroups", ACCORD_REF, "work"),
    ("AIF360 by sex / accord (bootstrap 1000)", "aif360-sex", ACCORD_REF, "work"),
    ("Aequitas on the 30 cells / accord (bootstrap 1000)", "aequitas-inter", ACCORD_REF, "work"),
    ("Aequitas per attribute / accord (bootstrap 1000)", "aequitas", ACCORD_REF, "work"),
]


def fmt(x: float | None) -> str:
    """Seconds or megabytes with three significant figures, no exponent."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def seconds(entry: dict[str, Any], how: str) -> float | None:
    """A task's time: ``compute``; ``work`` = prep + compute (everything after loading);
    ``total`` = load + prep + compute. None unless the task finished."""
    if entry.get("status") != "ok":
        return None
    phases = entry["phases"]
    parts = {
        "compute": ["compute"],
        "work": ["prep", "compute"],
        "total": ["load", "prep", "compute"],
    }[how]
    return sum(phases.get(p, 0.0) for p in parts)


def by_task(results: dict[str, Any], rows: int) -> dict[str, dict[str, Any]]:
    return {e["task"]: e for e in results["runs"] if e["rows"] == rows}


def row_counts(results: dict[str, Any]) -> list[int]:
    return sorted({e["rows"] for e in results["runs"]})


def ratio_text(results: dict[str, Any], rows: int, num: str, den: str, how: str) -> str:
    tasks = by_task(results, rows)
    a, b = tasks.get(num), tasks.get(den)
    if a is None or b is None:
        return "-"
    bottom = seconds(b, "compute" if den in (FLOOR, ACCORD_REF) else how)
    if not bottom:
        return "-"
    top = seconds(a, how)
    if top is not None:
        return f"{top / bottom:,.1f}x" if top / bottom >= 10 else f"{top / bottom:.2f}x"
    if a.get("status") == "timeout":
        return f"> {results['options']['timeout_s'] / bottom:,.0f}x (timeout)"
    return a.get("status", "-")


def memory_lines(results: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Peak RSS of accord against the loaded columns and against the floor."""
    out: list[tuple[str, list[str]]] = []
    rows = row_counts(results)
    loaded = [results["data"].get(str(r), {}).get("loaded_mb") for r in rows]
    out.append(("the six columns once loaded (Arrow), MB", [fmt(v) for v in loaded]))
    for task in (ACCORD_REF, "accord-loaded-boot"):
        cells = []
        for r, size in zip(rows, loaded, strict=True):
            e = by_task(results, r).get(task)
            floor = by_task(results, r).get(FLOOR)
            if e is None or e.get("status") != "ok" or not size:
                cells.append("-")
                continue
            text = f"{e['peak_rss_mb'] / size:.1f}x columns"
            if floor and floor.get("status") == "ok":
                text += f", {e['peak_rss_mb'] / floor['peak_rss_mb']:.2f}x floor"
            cells.append(text)
        out.append((f"{task} peak RSS", cells))
    return out


def ratio_rows(results: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Every ratio (time, then memory) with a figure for at least one row count."""
    rows = row_counts(results)
    out = [
        (label, [ratio_text(results, r, num, den, how) for r in rows])
        for label, num, den, how in RATIOS
    ]
    out += memory_lines(results)
    return [(label, cells) for label, cells in out if any(c != "-" for c in cells)]


def agreement(results: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Per-cell selection rate and TPR of every tool against the Polars floor."""
    out = []
    for rows in row_counts(results):
        tasks = by_task(results, rows)
        ref = tasks.get(FLOOR, {}).get("check")
        if not ref:
            continue
        for task, entry in tasks.items():
            if task == FLOOR or not entry.get("check"):
                continue
            parts = []
            for metric, expected in ref.items():
                got = entry["check"].get(metric, {})
                diffs, odd, withheld = [], [], []
                for cell, want in expected.items():
                    have = got.get(cell, "missing")
                    if isinstance(have, str):  # "missing", "insufficient data"
                        withheld.append(f"{cell} {have}")
                    elif want is None and have is None:
                        continue
                    elif want is None or have is None:
                        odd.append(f"{cell}: floor {_v(want)}, {task} {_v(have)}")
                    else:
                        diffs.append(abs(have - want))
                text = f"{metric}: {len(diffs)} cells, max abs diff {max(diffs, default=0):.1e}"
                if odd:
                    text += f"; {len(odd)} differ in kind ({'; '.join(odd[:3])})"
                if withheld:
                    text += f"; {len(withheld)} not compared ({'; '.join(withheld[:3])})"
                parts.append(text)
            out.append((rows, task, " | ".join(parts)))
    return out


def _v(x: float | None) -> str:
    return "undefined" if x is None else f"{x:g}"


# -- terminal -------------------------------------------------------------------------------


def print_results(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a log file: do not squeeze the tables to 80 columns
        console = Console(width=140)
    m = results["machine"]
    console.print(
        f"[bold]machine[/]: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}"
    )
    for rows in row_counts(results):
        table = Table(title=f"{rows:,} rows", title_justify="left")
        for col in ("task", "status", "load s", "prep s", "compute s", "wall s", "peak MB"):
            table.add_column(
                col, justify="left" if col in ("task", "status") else "right", no_wrap=True
            )
        notes = []
        for task, e in by_task(results, rows).items():
            ph = e["phases"]
            table.add_row(
                task,
                e["status"],
                fmt(ph.get("load")),
                fmt(ph.get("prep")),
                fmt(ph.get("compute")),
                fmt(e["wall_s"]),
                fmt(e["peak_rss_mb"]),
            )
            if e["notes"]:
                notes.append(f"  {task}: {'; '.join(e['notes'])}")
        console.print(table)
        for line in notes:
            console.print(line, soft_wrap=True, highlight=False)
    rows = row_counts(results)
    table = Table(title="ratios", title_justify="left")
    table.add_column("comparison", overflow="fold")
    for r in rows:
        table.add_column(f"{r:,}", justify="right")
    for label, cells in ratio_rows(results):
        table.add_row(label, *cells)
    if table.row_count:
        console.print(table)
    for rows_, task, text in agreement(results):
        console.print(f"agreement {rows_:,} {task}: {text}", soft_wrap=True)
    if "help" in results:
        console.print(help_line(results["help"]))


def help_line(h: dict[str, Any]) -> str:
    if h.get("status") != "ok":
        return f"accord --help: {h.get('status')} {h.get('notes')}"
    verdict = "meets" if h["median_s"] < 0.5 else "misses"
    return (
        f"accord --help: median {h['median_s']:.3f} s over {h['runs']} runs "
        f"(min {h['min_s']:.3f}, max {h['max_s']:.3f}), peak {h['peak_rss_mb']:.0f} MB; "
        f"{verdict} the 0.5 s target"
    )


# -- README ---------------------------------------------------------------------------------


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    v = m["versions"]
    lines = [
        f"Measured {results['started']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']} (load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}); timeout "
        f"{results['options']['timeout_s']:g} s per task.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".",
        "",
    ]
    if m["load_average"][0] > 0.5:
        lines[-1:-1] = [
            "",
            f"**The machine was busy** (load average "
            f"{m['load_average'][0]:.2f} on {m['cores']} cores): these times are "
            "upper bounds.",
        ]
    for rows in row_counts(results):
        meta = results["data"].get(str(rows), {})
        lines += [
            f"#### {rows:,} rows ({meta.get('cells', '?')} cells, "
            f"{meta.get('bytes', 0) / 1e6:.1f} MB of Parquet)",
            "",
            "| task | what | load s | prep s | compute s | process wall s | peak RSS MB | notes |",
            "|---|---|--:|--:|--:|--:|--:|---|",
        ]
        for task, e in by_task(results, rows).items():
            ph = e["phases"]
            notes = "; ".join(e["notes"])
            if e["status"] != "ok" and not notes.startswith(e["status"]):
                notes = f"{e['status']}: {notes}"
            if e["status"] != "ok":
                notes = f"**{notes}**"
            lines.append(
                f"| {task} | {WHAT.get(task, '')} | {fmt(ph.get('load'))} | "
                f"{fmt(ph.get('prep'))} | {fmt(ph.get('compute'))} | {fmt(e['wall_s'])} | "
                f"{fmt(e['peak_rss_mb'])} | {notes.replace('|', '/')} |"
            )
        lines.append("")
    rows = row_counts(results)
    ratios = ratio_rows(results)
    if ratios:
        lines += [
            "#### Ratios",
            "",
            "| comparison | " + " | ".join(f"{r:,} rows" for r in rows) + " |",
            "|---|" + "--:|" * len(rows),
        ]
        lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in ratios]
        lines.append("")
    agree = agreement(results)
    if agree:
        lines += ["#### Agreement with the floor (per-cell selection rate and TPR)", ""]
        lines += [f"- {r:,} rows, {task}: {text}" for r, task, text in agree]
        lines.append("")
    if "help" in results:
        lines += [f"`accord --help`: {help_line(results['help']).split(': ', 1)[1]}.", ""]
    return "\n".join(lines)


def update_readme(results: dict[str, Any], path: Path) -> None:
    text = path.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{path} has no {START} ... {END} markers")
    block = f"{START}\n\n{markdown(results)}\n{END}"
    path.write_text(
        re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    )
