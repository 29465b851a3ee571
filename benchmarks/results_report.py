"""Tables, ratios and cross-tool checks from a benchmark run, for the terminal and the README."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import privacy_suite

START = "<!-- benchmark-results:start -->"
END = "<!-- benchmark-results:end -->"
#: The cost-curve plot --readme writes next to the README (committed with it).
PLOT = "cost-curve.svg"

#: What each task is, in a few words (the tables' second column).
WHAT = {
    "polars-floor": "Polars scan_parquet -> group_by(cell, label, prediction).len(), streaming",
    "duckdb-floor": "DuckDB GROUP BY straight from the Parquet file",
    "accord": "accord.audit(path), no bootstrap",
    "accord-boot": "accord.audit(path), bootstrap=1000",
    "accord-score-boot": "accord.audit(path) with score (AUC, Brier, ECE), bootstrap=1000",
    "accord-loaded-boot": "accord.audit(Polars DataFrame), bootstrap=1000",
    "accord-duckdb-boot": 'accord.audit(path, engine="duckdb"), bootstrap=1000',
    "accord-spark-boot": 'accord.audit(path, engine="spark"), local mode, bootstrap=1000',
    "aequitas": "Aequitas crosstabs + Bias + Fairness, sex, race, age band one at a time",
    "aequitas-inter": "Aequitas crosstabs + Bias + Fairness on one sex-race-age column",
    "aif360-sex": "AIF360 ClassificationMetric, Male vs Female: SPD, DI, EOD, AOD",
    "aif360-subgroups": "AIF360 ClassificationMetric per cell vs the rest (30x): SPD, DI, EOD, AOD",
    "fairlearn": "Fairlearn MetricFrame, 5 metrics by sex x race x age band",
    "fairlearn-boot": "the same MetricFrame with n_boot=100",
}
ACCORD_REF = "accord-boot"
FLOOR = "polars-floor"
DUCKDB_FLOOR = "duckdb-floor"
SPARK = "accord-spark-boot"
#: Issue #8's out-of-core targets: peak memory and time against the DuckDB GROUP BY.
MEMORY_BUDGET_MB = 4096
DUCKDB_FACTOR = 2.0
OUT_OF_CORE_ACCORD = {
    "accord-boot": "accord (Polars streaming, bootstrap 1000)",
    "accord-duckdb-boot": "accord (DuckDB engine, bootstrap 1000)",
}
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
    ("accord (bootstrap 1000) / DuckDB floor, compute", "accord-boot", DUCKDB_FLOOR, "compute"),
    (
        "accord on DuckDB (bootstrap 1000) / DuckDB floor, compute",
        "accord-duckdb-boot",
        DUCKDB_FLOOR,
        "compute",
    ),
    (
        "accord on Spark / accord on Polars (bootstrap 1000), compute",
        SPARK,
        ACCORD_REF,
        "compute",
    ),
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


def size_label(rows: int) -> str:
    """1000000 -> ``1M``, 100000 -> ``100k``: row counts as the tables name them."""
    for suffix, mult in (("M", 1_000_000), ("k", 1_000)):
        if rows >= mult and rows % mult == 0:
            return f"{rows // mult}{suffix}"
    return f"{rows:,}"


def spoken_list(items: list[str]) -> str:
    """``["1M", "10M", "20M"]`` -> ``1M, 10M and 20M``."""
    return (
        items[0]
        if len(items) == 1
        else ", ".join(items[:-1]) + " and " + items[-1]
        if items
        else ""
    )


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
    return float(sum(phases.get(p, 0.0) for p in parts))


def by_task(results: dict[str, Any], rows: int) -> dict[str, dict[str, Any]]:
    return {e["task"]: e for e in results["runs"] if e["rows"] == rows}


def row_counts(results: dict[str, Any]) -> list[int]:
    return sorted({e["rows"] for e in results["runs"]})


def ratio_text(results: dict[str, Any], rows: int, num: str, den: str, how: str) -> str:
    tasks = by_task(results, rows)
    a, b = tasks.get(num), tasks.get(den)
    if a is None or b is None:
        return "-"
    bottom = seconds(b, "compute" if den in (FLOOR, DUCKDB_FLOOR, ACCORD_REF) else how)
    if not bottom:
        return "-"
    top = seconds(a, how)
    if top is not None:
        return f"{top / bottom:,.1f}x" if top / bottom >= 10 else f"{top / bottom:.2f}x"
    if a.get("status") == "timeout":
        return f"> {results['options']['timeout_s'] / bottom:,.0f}x (timeout)"
    return "-" if a.get("status") == "not run" else str(a.get("status", "-"))


def memory_lines(results: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Peak RSS of accord against the loaded columns and against the floor."""
    out: list[tuple[str, list[str]]] = []
    rows = row_counts(results)
    loaded = [results["data"].get(str(r), {}).get("loaded_mb") for r in rows]
    out.append(("the six columns once loaded (Arrow), MB", [fmt(v) for v in loaded]))
    for task in (ACCORD_REF, "accord-duckdb-boot", "accord-loaded-boot"):
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


def big_rows(results: dict[str, Any]) -> int | None:
    """The out-of-core row count of a run, if it ran one."""
    big = results["options"].get("big_rows")
    rows = [r for r in row_counts(results) if big and r >= big]
    return max(rows) if rows else None


def target_lines(results: dict[str, Any]) -> list[str]:
    """Issue #8's two out-of-core targets, said for accord on each engine: peak memory under
    4 GB, and time within 2x of the bare DuckDB GROUP BY on the same file."""
    rows = big_rows(results)
    if rows is None:
        return []
    label = size_label(rows)
    tasks = by_task(results, rows)
    duck = seconds(tasks.get(DUCKDB_FLOOR, {}), "compute")
    out = []
    for task, name in OUT_OF_CORE_ACCORD.items():
        e = tasks.get(task)
        if e is None:
            continue
        if e["status"] != "ok":
            out.append(f"{name} at {label} rows: {e['status']} ({'; '.join(e['notes'])})")
            continue
        peak = e["peak_rss_mb"]
        verdict = "meets" if peak < MEMORY_BUDGET_MB else "misses"
        curve = ", ".join(
            f"{size_label(r)} {fmt(by_task(results, r)[task]['peak_rss_mb'])} MB"
            for r in row_counts(results)
            if by_task(results, r).get(task, {}).get("status") == "ok"
        )
        out.append(
            f"{name}: peak memory at {label} rows {peak / 1024:.2f} GB, "
            f"{peak / MEMORY_BUDGET_MB:.2f}x the 4 GB budget: {verdict} the target "
            f"(under 4 GB; by row count: {curve})"
        )
        mine = seconds(e, "compute")
        if duck and mine is not None:
            ratio = mine / duck
            verdict = "meets" if ratio <= DUCKDB_FACTOR else "misses"
            out.append(
                f"{name}: {fmt(mine)} s for {label} rows against {fmt(duck)} s for the bare "
                f"DuckDB GROUP BY on the same file, {ratio:.2f}x: {verdict} the target "
                f"(within {DUCKDB_FACTOR:g}x)"
            )
    return out


def spark_table(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """accord on Spark in local mode, apart: JVM start-up, compute, and the JVM's memory."""
    header = [
        "rows",
        "status",
        "import s",
        "session start s",
        "compute s",
        "process wall s",
        "peak RSS MB (Python)",
        "peak RSS MB (JVM)",
        "compute vs accord on Polars",
        "notes",
    ]
    out = []
    for rows in row_counts(results):
        e = by_task(results, rows).get(SPARK)
        if e is None or e["status"] == "not run":
            continue
        ph = e["phases"]
        out.append(
            [
                f"{rows:,}",
                e["status"],
                fmt(ph.get("import")),
                fmt(ph.get("session")),
                fmt(ph.get("compute")),
                fmt(e["wall_s"]),
                fmt(e["peak_rss_mb"]),
                fmt(e.get("jvm_peak_rss_mb")),
                ratio_text(results, rows, SPARK, ACCORD_REF, "compute"),
                notes_text(e),
            ]
        )
    return header, out


def notes_text(e: dict[str, Any]) -> str:
    """A task's notes, led by its status unless it finished (or the notes already say it)."""
    notes = "; ".join(e.get("notes", []))
    status = str(e.get("status"))
    return notes if status == "ok" or notes.startswith(status) else f"{status}: {notes}"


TASK_HEADER = ["task", "status", "load s", "prep s", "compute s", "wall s", "peak MB"]


def task_rows(results: dict[str, Any], rows: int) -> list[list[str]]:
    """The main table of one row count (Spark has its own)."""
    out = []
    for task, e in by_task(results, rows).items():
        if task == SPARK:
            continue
        out.append([task, e["status"], *measures(e)])
    return out


def measures(e: dict[str, Any]) -> list[str]:
    """Load, prep and compute seconds, process wall seconds and peak MB, as table text."""
    ph = e["phases"]
    times = [fmt(ph.get(p)) for p in ("load", "prep", "compute")]
    return [*times, fmt(e["wall_s"]), fmt(e["peak_rss_mb"])]


# -- terminal -------------------------------------------------------------------------------


def print_results(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a log file: do not squeeze the tables to 80 columns
        console = Console(width=160)

    def show(title: str, header: list[str], rows: list[list[str]], left: int = 2) -> None:
        table = Table(title=title, title_justify="left")
        for i, col in enumerate(header):
            table.add_column(col, justify="left" if i < left else "right", overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)

    m = results["machine"]
    console.print(
        f"[bold]machine[/]: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}"
    )
    for rows in row_counts(results):
        show(f"{rows:,} rows", TASK_HEADER, task_rows(results, rows))
        for task, e in by_task(results, rows).items():
            if e["notes"] and task != SPARK:
                console.print(f"  {task}: {notes_text(e)}", soft_wrap=True, highlight=False)
    header, spark = spark_table(results)
    if spark:
        show("accord on Spark, local mode (JVM start-up counted in the wall time)", header, spark)
    counts = row_counts(results)
    ratios = ratio_rows(results)
    if ratios:
        head = ["comparison", *(f"{r:,}" for r in counts)]
        show("ratios", head, [[k, *v] for k, v in ratios], 1)
    for line in target_lines(results):
        console.print(f"[bold]target[/] {line}", soft_wrap=True, highlight=False)
    for rows_, task, text in agreement(results):
        console.print(f"agreement {rows_:,} {task}: {text}", soft_wrap=True)
    for table in privacy_suite.tables(results.get("privacy", []), results.get("privacy_data", {})):
        # The "what" column is for the README: the terminal has the tool's name.
        what = table["header"].index("what")
        drop = [[c for i, c in enumerate(row) if i != what] for row in table["rows"]]
        show(table["title"], table["header"][:what] + table["header"][what + 1 :], drop, what)
    for line in privacy_suite.agreement(
        results.get("privacy", []), results.get("privacy_data", {})
    ):
        console.print(f"agreement {line}", soft_wrap=True, highlight=False)
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


#: Columns of words (left-aligned); the others hold numbers.
TEXT_COLUMNS = {"task", "what", "status", "notes", "tool", "model", "comparison", "levels"}


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "".join("---|" if h in TEXT_COLUMNS else "--:|" for h in header),
    ]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
    return [*lines, ""]


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
    lines += [
        f"![Time against rows, log-log: accord, the floors and the anchors]({PLOT})",
        "",
        "Time after the imports (load + prep + compute; Spark's session start-up left out), "
        "log-log. A hollow triangle marks a task stopped at the timeout (drawn at the "
        "timeout: its real time is longer).",
        "",
    ]
    if results["runs"]:
        lines += ["### Fairness audit", ""]
    for rows in row_counts(results):
        meta = results["data"].get(str(rows), {})
        lines += [
            f"#### {rows:,} rows ({meta.get('cells', '?')} cells, "
            f"{meta.get('bytes', 0) / 1e6:.1f} MB of Parquet)",
            "",
        ]
        table = []
        for task, e in by_task(results, rows).items():
            if task == SPARK:
                continue
            notes = notes_text(e)
            if e["status"] not in ("ok", "not run"):
                notes = f"**{notes}**"
            table.append([task, WHAT.get(task, ""), *measures(e), notes])
        header = ["task", "what", "load s", "prep s", "compute s", "process wall s"]
        lines += _md_table([*header, "peak RSS MB", "notes"], table)
    header, spark = spark_table(results)
    if spark:
        lines += ["#### accord on Spark (local mode)", ""]
        lines += _md_table(header, spark)
    targets = target_lines(results)
    if targets:
        lines += [f"#### Out of core: issue #8's targets at {size_label(big_rows(results) or 0)}"]
        lines += ["", *(f"- {t}" for t in targets), ""]
    counts = row_counts(results)
    ratios = ratio_rows(results)
    if ratios:
        lines += ["#### Ratios", ""]
        lines += _md_table(
            ["comparison", *(f"{r:,} rows" for r in counts)], [[k, *c] for k, c in ratios]
        )
    agree = agreement(results)
    if agree:
        lines += ["#### Agreement with the floor (per-cell selection rate and TPR)", ""]
        lines += [f"- {r:,} rows, {task}: {text}" for r, task, text in agree]
        lines.append("")
    privacy, pdata = results.get("privacy", []), results.get("privacy_data", {})
    if privacy:
        lines += ["### Privacy", ""]
    for ptable in privacy_suite.tables(privacy, pdata):
        lines += [f"#### {ptable['title'][0].upper()}{ptable['title'][1:]}", ""]
        lines += _md_table(ptable["header"], ptable["rows"])
    pagree = privacy_suite.agreement(privacy, pdata)
    if pagree:
        lines += ["#### Privacy: agreement of accord with the floor and pycanon", ""]
        lines += [f"- {line}" for line in pagree]
        lines.append("")
    if "help" in results:
        lines += ["### `accord --help`", ""]
        lines += [f"`accord --help`: {help_line(results['help']).split(': ', 1)[1]}.", ""]
    return "\n".join(lines)


def update_readme(results: dict[str, Any], path: Path) -> None:
    """Rewrite the results between the README's markers, and the plot next to it."""
    import plot

    text = path.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{path} has no {START} ... {END} markers")
    (path.parent / PLOT).write_text(plot.svg(results))
    block = f"{START}\n\n{markdown(results)}\n{END}"
    path.write_text(
        re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    )
