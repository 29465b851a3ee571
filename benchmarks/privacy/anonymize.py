"""One cell of the anonymisation benchmark: one tool, one model, one data size, one process.

python benchmarks/privacy/anonymize.py --tool accord --size 48k --model k5
tools: accord (optimal search + rows written to Parquet), accord-search (the search
only), anjana; models: k5, k10, k5_l3, k5_t0.3 (5% suppression limit, the hierarchies
in datasets/adult/hierarchies)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import polars as pl
from common import ADULT, QIS, SENSITIVE, Timer, dataset, hierarchies_rows, report

MODELS = {
    "k5": {"k": 5},
    "k10": {"k": 10},
    "k5_l3": {"k": 5, "l": {"attribute": SENSITIVE, "l": 3}},
    "k5_t0.3": {"k": 5, "t": {"attribute": SENSITIVE, "t": 0.3}},
}
#: ARX 3.9.2, Flash, loss-optimal, same hierarchies, 48,842 rows (privacy-anchors Table B4).
ARX = {
    "k5": (0.1547, 1.02),
    "k10": (0.2332, 0.98),
    "k5_l3": (0.2311, 1.40),
    "k5_t0.3": (0.5848, 2.70),
}


def loss_of(df: pl.DataFrame, n: int) -> float:
    """Iyengar's loss of an output table, suppressed records (all '*') counting as 1."""
    rows = hierarchies_rows()
    total = 0.0
    for q in QIS:
        leaves: dict[str, set[str]] = {"*": {r[0] for r in rows[q]}}
        for r in rows[q]:
            for label in r:
                leaves.setdefault(label, set()).add(r[0])
        dom = len(rows[q])
        values = df[q].cast(pl.String).to_list()
        total += sum((len(leaves[v]) - 1) / (dom - 1) if v in leaves else 0.0 for v in values)
        total += n - len(values)  # records an output dropped count as fully suppressed
    return total / (n * len(QIS))


def main() -> None:
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("--tool", required=True)
    ap_.add_argument("--size", default="48k")
    ap_.add_argument("--model", default="k5")
    args = ap_.parse_args()
    path = dataset(args.size)
    model = MODELS[args.model]
    extra: dict[str, object] = {}
    if args.tool in ("accord", "accord-search"):
        import accord.privacy as ap

        config = {
            "quasi_identifiers": {
                q: {"file": str(ADULT / "hierarchies" / f"{q}.csv")} for q in QIS
            },
            "sensitive": [SENSITIVE],
            "privacy": model,
            "suppression_limit": 0.05,
        }
        out = Path(tempfile.mkdtemp()) / "anon.parquet" if args.tool == "accord" else None
        with Timer() as t:
            r = ap.anonymize(str(path), config, output=out)
        extra = {
            "levels": list(r.levels.values()),
            "loss": round(r.utility_after.loss, 4),
            "suppressed_pct": round(100 * r.suppressed_share, 2),
            "classes": r.classes,
            "search_seconds": round(r.search_seconds, 3),
            "nodes_evaluated": r.nodes_evaluated,
        }
    elif args.tool == "anjana":
        import anjana.anonymity as an

        df = pl.read_parquet(path).with_columns(pl.col(QIS).cast(pl.String)).to_pandas()
        hier = {
            q: {
                i: [r[i] if i < len(r) else "*" for r in rows]
                for i in range(max(len(r) for r in rows) + 1)
            }
            for q, rows in hierarchies_rows().items()
        }
        for q in QIS:  # the top level, '*' for every value
            top = max(hier[q])
            if set(hier[q][top - 1]) == {"*"}:
                del hier[q][top]
        with Timer() as t:
            if "t" in model:
                out_df = an.t_closeness(
                    df, [], QIS, SENSITIVE, model["k"], model["t"]["t"], 5, hier
                )
            elif "l" in model:
                out_df = an.l_diversity(
                    df, [], QIS, SENSITIVE, model["k"], model["l"]["l"], 5, hier
                )
            else:
                out_df = an.k_anonymity(df, [], QIS, model["k"], 5, hier)
        out = pl.from_pandas(out_df[QIS].astype(str))
        extra = {
            "loss": round(loss_of(out, len(df)), 4),
            "suppressed_pct": round(100 * (1 - len(out_df) / len(df)), 2),
            "classes": out.group_by(QIS).len().height,
        }
    else:
        raise SystemExit(f"unknown tool {args.tool}")
    arx_loss, arx_search = ARX.get(args.model, (None, None))
    report(
        bench="anonymize",
        tool=args.tool,
        size=args.size,
        model=args.model,
        seconds=round(t.seconds, 3),
        arx_loss_48k=arx_loss,
        arx_search_48k=arx_search,
        **extra,
    )


if __name__ == "__main__":
    main()
