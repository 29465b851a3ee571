"""One benchmark task, run in its own process by benchmarks/harness.py.

    python benchmarks/tasks.py TASK DATA.parquet RESULT.json [--progress FILE] [--profile FILE]

Each task times its phases with ``time.perf_counter``: ``import`` (the tool's own
imports), ``load`` (reading the Parquet file into the tool's natural container),
``session`` (Spark only: starting the JVM and the local-mode session), ``prep`` (what the
tool needs before its audit call, e.g. AIF360's numeric dataset) and ``compute`` (the
audit call itself). Tasks that read the file themselves (the floors and accord given a
path) have no separate load: their compute includes the read. The parent measures the
process's wall time and peak RSS. Besides timings, a task returns per-cell selection rates
and TPRs (``check``) that the parent compares across tools.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import descendants_hwm_mb, java_home, vm_hwm_mb

SENSITIVE = ["sex", "race", "age_band"]
KEYS = [*SENSITIVE, "label", "prediction"]
FAIRLEARN_BOOT = 100
ACCORD_BOOT = 1000
# The reference groups of the per-attribute anchors (the largest group of each attribute).
REFERENCE = {"sex": "Male", "race": "White", "age_band": "25-44"}


@dataclass
class Run:
    """What one task measured."""

    data: Path
    progress: Path | None = None
    profile: Path | None = None
    phases: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    check: dict[str, dict[str, float | str | None]] = field(default_factory=dict)
    #: Peak memory outside the task's own process (Spark's JVM), in MiB.
    other_peaks: dict[str, float] = field(default_factory=dict)
    _start: float = field(default_factory=time.perf_counter)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self.say(f"start {name}")
        start = time.perf_counter()
        if name == "compute" and self.profile is not None:
            import cProfile

            with cProfile.Profile() as prof:
                yield
            prof.dump_stats(self.profile)
        else:
            yield
        self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - start
        self.say(f"done {name}")

    def say(self, text: str) -> None:
        """Append a progress line: what the parent reports if the task runs out of time."""
        if self.progress is not None:
            with self.progress.open("a") as handle:
                handle.write(f"{time.perf_counter() - self._start:9.2f}s {text}\n")

    def set_check(self, key: str, values: dict[str, Any]) -> None:
        self.check[key] = {k: _float(v) for k, v in values.items()}


def _float(value: Any) -> float | str | None:
    if value is None or isinstance(value, str):
        return value
    out = float(value)
    return None if out != out else out  # NaN: undefined


def _cell(*parts: Any) -> str:
    return "|".join(str(p) for p in parts)


# -- floors ---------------------------------------------------------------------------------


def polars_floor(run: Run) -> None:
    """A bare Polars lazy scan -> group_by(...).len() on the streaming engine (accord's)."""
    with run.phase("import"):
        import polars as pl
    with run.phase("compute"):
        counts = pl.scan_parquet(run.data).group_by(KEYS).len().collect(engine="streaming")
    _check_from_counts(run, counts.rows())


def duckdb_floor(run: Run) -> None:
    """A bare DuckDB GROUP BY straight from the Parquet file."""
    with run.phase("import"):
        import duckdb
    with run.phase("compute"):
        rows = duckdb.execute(
            f"SELECT {', '.join(KEYS)}, count(*) FROM read_parquet('{run.data}') GROUP BY ALL"
        ).fetchall()
    _check_from_counts(run, rows)


def _check_from_counts(run: Run, rows: list[tuple[Any, ...]]) -> None:
    cells: dict[str, list[int]] = {}
    for sex, race, age, y, p, n in rows:
        c = cells.setdefault(_cell(sex, race, age), [0, 0, 0, 0])  # n, predicted +, P, TP
        c[0] += n
        c[1] += n * p
        c[2] += n * y
        c[3] += n * y * p
    run.set_check("selection_rate", {k: c[1] / c[0] for k, c in cells.items()})
    run.set_check("tpr", {k: c[3] / c[2] if c[2] else None for k, c in cells.items()})


# -- accord ---------------------------------------------------------------------------------


def _accord(
    run: Run, *, bootstrap: int, score: bool = False, loaded: bool = False, engine: str = "polars"
) -> None:
    with run.phase("import"):
        # accord imports lazily: load what an audit uses so that compute times the audit only.
        import polars as pl

        import accord
        import accord.pipeline  # noqa: F401

        if engine == "duckdb":
            import duckdb  # noqa: F401
    spark = _spark_session(run) if engine == "spark" else None
    data: Any = run.data
    if loaded:
        with run.phase("load"):
            data = pl.read_parquet(run.data, columns=[*KEYS, *(["score"] if score else [])])
    with run.phase("compute"):
        result = accord.audit(
            data,
            label="label",
            prediction="prediction",
            score="score" if score else None,
            sensitive=SENSITIVE,
            bootstrap=bootstrap,
            seed=0,
            engine=engine,  # type: ignore[arg-type]
        )
    if spark is not None:
        # The JVM's peak, read while it still runs (it is a child of this process).
        run.other_peaks["jvm_peak_rss_mb"] = descendants_hwm_mb()
        run.notes.append(f"Spark {spark.version}, master {spark.sparkContext.master}")
        spark.stop()
    run.notes.append(
        f"{len(result.fairness.groupings)} groupings, {len(result.fairness.metrics)} metrics"
    )
    for metric in ("selection_rate", "tpr"):
        table = result.by_group(metric, attributes=SENSITIVE)
        # A cell below min_group_size has no value by design: say so rather than "undefined".
        run.set_check(
            metric,
            {
                _cell(*r[:3]): r[4] if r[7] != "insufficient_data" else "insufficient data"
                for r in table.iter_rows()
            },
        )


def _spark_session(run: Run) -> Any:
    """Start the local-mode session accord's Spark engine uses (the JVM start-up, timed
    apart: the audit then runs on the session that exists)."""
    with run.phase("import"):
        import pyspark  # noqa: F401

        from accord.io import spark_session
    home = java_home()
    if home is None:
        raise SystemExit("no java on the PATH: install Java 17 or set JAVA_HOME")
    os.environ["JAVA_HOME"] = home
    with run.phase("session"):
        return spark_session()


def accord_plain(run: Run) -> None:
    """accord.audit on the Parquet path, no bootstrap (Wilson intervals only)."""
    _accord(run, bootstrap=0)


def accord_boot(run: Run) -> None:
    """accord.audit on the Parquet path with 1000 bootstrap replicates."""
    _accord(run, bootstrap=ACCORD_BOOT)


def accord_score_boot(run: Run) -> None:
    """accord.audit with the score too (AUC, Brier, ECE), 1000 bootstrap replicates."""
    _accord(run, bootstrap=ACCORD_BOOT, score=True)


def accord_loaded_boot(run: Run) -> None:
    """accord.audit on a Polars DataFrame already in memory, 1000 replicates."""
    _accord(run, bootstrap=ACCORD_BOOT, loaded=True)


def accord_duckdb_boot(run: Run) -> None:
    """accord.audit on the Parquet path with engine="duckdb", 1000 replicates."""
    _accord(run, bootstrap=ACCORD_BOOT, engine="duckdb")


def accord_spark_boot(run: Run) -> None:
    """accord.audit on the Parquet path with engine="spark" (local mode), 1000 replicates."""
    _accord(run, bootstrap=ACCORD_BOOT, engine="spark")


# -- Fairlearn ------------------------------------------------------------------------------


def _fairlearn(run: Run, *, n_boot: int | None) -> None:
    with run.phase("import"):
        from functools import partial

        import numpy as np
        import pandas as pd
        from fairlearn.metrics import (
            MetricFrame,
            false_positive_rate,
            selection_rate,
            true_positive_rate,
        )
        from sklearn.metrics import accuracy_score, precision_score
    with run.phase("load"):
        df = pd.read_parquet(run.data, columns=KEYS)
    metrics = {
        "accuracy": accuracy_score,
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "precision": partial(precision_score, zero_division=np.nan),
    }
    boot: dict[str, Any] = {}
    if n_boot:
        boot = {"n_boot": n_boot, "ci_quantiles": [0.025, 0.975], "random_state": 0}
        _count_fairlearn_replicates(run, n_boot)
    with run.phase("compute"):
        frame = MetricFrame(
            metrics=metrics,
            y_true=df["label"],
            y_pred=df["prediction"],
            sensitive_features=df[SENSITIVE],
            **boot,
        )
    by_group = frame.by_group
    for metric in ("selection_rate", "tpr"):
        run.set_check(metric, {_cell(*k): v for k, v in by_group[metric].items()})


def _count_fairlearn_replicates(run: Run, n_boot: int) -> None:
    """Log each finished bootstrap replicate (Fairlearn computes them one after another), so
    that a run stopped by the timeout still says how far it got."""
    from fairlearn.metrics import _bootstrap

    original = _bootstrap.generate_single_bootstrap_sample
    done = 0

    def counted(**kwargs: Any) -> Any:
        nonlocal done
        if done == 0:
            run.say(f"base MetricFrame done; bootstrap of {n_boot} replicates started")
        out = original(**kwargs)
        done += 1
        run.say(f"bootstrap replicate {done}/{n_boot} done")
        return out

    _bootstrap.generate_single_bootstrap_sample = counted


def fairlearn_plain(run: Run) -> None:
    """Fairlearn MetricFrame: accuracy, selection rate, TPR, FPR, precision by sex x race x age."""
    _fairlearn(run, n_boot=None)


def fairlearn_boot(run: Run) -> None:
    """The same MetricFrame with bootstrap intervals, n_boot=100."""
    _fairlearn(run, n_boot=FAIRLEARN_BOOT)


# -- AIF360 ---------------------------------------------------------------------------------


def _aif360_datasets(run: Run) -> tuple[Any, Any, dict[str, list[str]]]:
    with run.phase("import"):
        import logging
        import warnings

        import pandas as pd

        logging.disable(logging.WARNING)  # AIF360 warns about optional extras on import
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from aif360.datasets import BinaryLabelDataset
    with run.phase("load"):
        df = pd.read_parquet(run.data, columns=KEYS)
    with run.phase("prep"):
        # AIF360 takes numbers only: code each attribute by its sorted levels.
        levels = {a: sorted(df[a].unique()) for a in SENSITIVE}
        numeric = pd.DataFrame(
            {a: df[a].map({v: i for i, v in enumerate(levels[a])}) for a in SENSITIVE}
        )
        numeric["label"] = df["label"].astype("float64")
        truth = BinaryLabelDataset(
            df=numeric,
            label_names=["label"],
            protected_attribute_names=SENSITIVE,
            favorable_label=1,
            unfavorable_label=0,
        )
        predicted = truth.copy(deepcopy=True)
        predicted.labels = df["prediction"].to_numpy(dtype="float64").reshape(-1, 1)
    return truth, predicted, levels


def aif360_sex(run: Run) -> None:
    """AIF360 ClassificationMetric, privileged sex=Male: SPD, DI, EOD, AOD."""
    truth, predicted, levels = _aif360_datasets(run)
    from aif360.metrics import ClassificationMetric

    male = levels["sex"].index(REFERENCE["sex"])
    with run.phase("compute"):
        metric = ClassificationMetric(
            truth,
            predicted,
            unprivileged_groups=[{"sex": 1 - male}],
            privileged_groups=[{"sex": male}],
        )
        values = {
            "spd": metric.statistical_parity_difference(),
            "di": metric.disparate_impact(),
            "eod": metric.equal_opportunity_difference(),
            "aod": metric.average_odds_difference(),
        }
    run.notes.append(", ".join(f"{k} {v:.4f}" for k, v in values.items()))


def aif360_subgroups(run: Run) -> None:
    """AIF360 per intersectional subgroup: one ClassificationMetric per sex x race x age cell
    against all other cells (AIF360 needs disjoint groups), SPD, DI, EOD, AOD for each."""
    import itertools

    truth, predicted, levels = _aif360_datasets(run)
    from aif360.metrics import ClassificationMetric

    cells = [
        dict(zip(SENSITIVE, codes, strict=True))
        for codes in itertools.product(*(range(len(levels[a])) for a in SENSITIVE))
    ]
    rates: dict[str, float | None] = {}
    tprs: dict[str, float | None] = {}
    with run.phase("compute"):
        for cell in cells:
            others = [c for c in cells if c != cell]
            metric = ClassificationMetric(
                truth, predicted, unprivileged_groups=[cell], privileged_groups=others
            )
            metric.statistical_parity_difference()
            metric.disparate_impact()
            metric.equal_opportunity_difference()
            metric.average_odds_difference()
            key = _cell(*(levels[a][cell[a]] for a in SENSITIVE))
            rates[key] = metric.selection_rate(privileged=False)
            tprs[key] = metric.true_positive_rate(privileged=False)
    run.set_check("selection_rate", rates)
    run.set_check("tpr", tprs)


# -- Aequitas -------------------------------------------------------------------------------


def _aequitas(run: Run, *, intersectional: bool) -> None:
    with run.phase("import"):
        import logging
        import warnings

        import pandas as pd

        logging.disable(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from aequitas.bias import Bias
            from aequitas.fairness import Fairness
            from aequitas.group import Group
    with run.phase("load"):
        df = pd.read_parquet(run.data, columns=KEYS)
    with run.phase("prep"):
        # Aequitas wants `score` and `label_value` and string (object) attribute columns.
        frame = pd.DataFrame({"score": df["prediction"], "label_value": df["label"]})
        if intersectional:  # Aequitas has no intersections: one concatenated column
            frame["cell"] = df["sex"].str.cat([df["race"], df["age_band"]], sep="|")
            attrs = ["cell"]
            refs = {"cell": "|".join(REFERENCE[a] for a in SENSITIVE)}
        else:
            for a in SENSITIVE:
                frame[a] = df[a].astype(object)
            attrs = list(SENSITIVE)
            refs = dict(REFERENCE)
    with run.phase("compute"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        crosstab, _ = Group().get_crosstabs(frame, attr_cols=attrs)
        crosstabs_s = time.perf_counter() - start
        bias = Bias().get_disparity_predefined_groups(
            crosstab, original_df=frame, ref_groups_dict=refs
        )
        Fairness().get_group_value_fairness(bias)
    run.notes.append(f"crosstabs {crosstabs_s:.3f} s of compute")
    if intersectional:
        rows = crosstab.set_index("attribute_value")
        run.set_check("selection_rate", rows["pprev"].to_dict())
        run.set_check("tpr", rows["tpr"].to_dict())


def aequitas_plain(run: Run) -> None:
    """Aequitas crosstabs + Bias + Fairness on sex, race and age band, one at a time."""
    _aequitas(run, intersectional=False)


def aequitas_inter(run: Run) -> None:
    """The same on a concatenated sex|race|age column (the 30 cells)."""
    _aequitas(run, intersectional=True)


#: Every task, in the order the harness runs them (cheap first).
TASKS: dict[str, Callable[[Run], None]] = {
    "polars-floor": polars_floor,
    "duckdb-floor": duckdb_floor,
    "accord": accord_plain,
    "accord-boot": accord_boot,
    "accord-score-boot": accord_score_boot,
    "accord-loaded-boot": accord_loaded_boot,
    "accord-duckdb-boot": accord_duckdb_boot,
    "accord-spark-boot": accord_spark_boot,
    "aequitas": aequitas_plain,
    "aequitas-inter": aequitas_inter,
    "aif360-sex": aif360_sex,
    "aif360-subgroups": aif360_subgroups,
    "fairlearn": fairlearn_plain,
    "fairlearn-boot": fairlearn_boot,
}
#: The tasks also measured at the out-of-core size (100M rows): accord reading the file, and
#: the floors. The others stop at the sizes below it, each for the reason given.
OUT_OF_CORE = (
    "polars-floor",
    "duckdb-floor",
    "accord",
    "accord-boot",
    "accord-score-boot",
    "accord-duckdb-boot",
)
NOT_OUT_OF_CORE = {
    "accord-loaded-boot": "it reads every row into memory first; accord on the file streams",
    "accord-spark-boot": "Spark is measured at {sizes}",
}
ANCHOR_REASON = "anchors are measured at {sizes}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one benchmark task.")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("data", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--progress", type=Path)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the compute phase")
    args = parser.parse_args(argv)
    run = Run(data=args.data, progress=args.progress, profile=args.profile)
    TASKS[args.task](run)
    result = {
        "phases": run.phases,
        "notes": run.notes,
        "check": run.check,
        "peak_rss_mb": vm_hwm_mb(),
        **run.other_peaks,
    }
    args.result.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
