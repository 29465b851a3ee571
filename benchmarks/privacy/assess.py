"""One cell of the assessment benchmark: one tool, one data size, one process.

python benchmarks/privacy/assess.py --tool accord --size 48k
tools: accord (k, l, t, risk, uniqueness: the full report), floor (a packed-key Polars
group-by computing k, l, t, classes and prosecutor risk: the one-pass floor),
pycanon-k, pycanon-l, pycanon-t
"""

from __future__ import annotations

import argparse

import numpy as np
import polars as pl
from common import QIS, SENSITIVE, Timer, dataset, report


def floor(path: str) -> dict[str, float]:
    lf = pl.scan_parquet(path)
    codes = [
        pl.col(q).cast(pl.String).cast(pl.Categorical).to_physical().cast(pl.UInt64) for q in QIS
    ]
    key = codes[0]
    for c in codes[1:]:
        key = key * 256 + c  # every Adult QI has fewer than 256 values
    cells = (
        lf.select(key.alias("key"), pl.col(SENSITIVE).alias("s"))
        .group_by("key", "s")
        .len()
        .collect(engine="streaming")
    )
    classes = cells.group_by("key").agg(
        pl.col("len").sum().alias("n"), pl.col("s").n_unique().alias("l")
    )
    n = classes["n"].sum()
    overall = cells.group_by("s").agg(pl.col("len").sum().alias("q")).with_columns(pl.col("q") / n)
    t = (
        cells.join(classes.select("key", "n"), on="key")
        .join(overall, on="s")
        .with_columns(
            (pl.col("len") / pl.col("n") - pl.col("q")).abs().alias("d"), pl.col("q").alias("qq")
        )
        .group_by("key")
        .agg((pl.col("d") - pl.col("qq")).sum().alias("x"))
        .select((0.5 * (1 + pl.col("x"))).max())
        .item()
    )
    sizes = classes["n"].to_numpy()
    return {
        "k": int(sizes.min()),
        "l": int(classes["l"].min()),
        "t": float(t),
        "classes": len(sizes),
        "avg_risk": len(sizes) / n,
        "at_risk": float(sizes[sizes < 5].sum() / n),
    }


def main() -> None:
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("--tool", required=True)
    ap_.add_argument("--size", default="48k")
    args = ap_.parse_args()
    path = str(dataset(args.size))
    if args.tool == "accord":
        import accord.privacy as ap

        with Timer() as t:
            r = ap.assess(
                path, quasi_identifiers=QIS, sensitive=[SENSITIVE], population="usa", max_order=2
            )
        result = {
            "k": r.k_anonymity,
            "l": r.l_diversity[0].distinct,
            "t": r.t_closeness[0].t,
            "classes": r.classes.count,
            "avg_risk": r.risk.prosecutor.success_rate,
            "pitman": r.population_uniqueness.estimate("pitman").fraction
            if r.population_uniqueness
            else None,
        }
    elif args.tool == "floor":
        with Timer() as t:
            result = floor(path)
    elif args.tool.startswith("pycanon-"):
        from pycanon import anonymity as pc

        df = pl.read_parquet(path, columns=[*QIS, SENSITIVE]).to_pandas().reset_index(drop=True)
        metric = args.tool.split("-", 1)[1]
        with Timer() as t:
            value = {
                "k": lambda: pc.k_anonymity(df, QIS),
                "l": lambda: pc.l_diversity(df, QIS, [SENSITIVE]),
                "t": lambda: pc.t_closeness(df, QIS, [SENSITIVE]),
            }[metric]()
        result = {metric: float(np.asarray(value))}
    else:
        raise SystemExit(f"unknown tool {args.tool}")
    report(bench="assess", tool=args.tool, size=args.size, seconds=round(t.seconds, 3), **result)


if __name__ == "__main__":
    main()
