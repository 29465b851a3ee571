"""Precision and recall of accord's PII recognisers on the Faker corpus (tests/privacy),
printed as the Markdown table in docs/privacy.md.

    python benchmarks/privacy/pii_precision.py [--per-locale 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "privacy"))

from pii_corpus import evaluate, near_misses, positives  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--per-locale", type=int, default=60)
    args = p.parse_args()
    samples = positives(args.per_locale) + near_misses(args.per_locale)
    start = time.perf_counter()
    scores = evaluate(samples)
    seconds = time.perf_counter() - start
    print(
        f"{len(samples)} texts ({sum(s.entity is None for s in samples)} near-misses), "
        f"{len(samples) / seconds:,.0f} texts/s\n"
    )
    print("| identifier | precision | recall | TP | FP | FN |")
    print("|---|---:|---:|---:|---:|---:|")
    for entity, s in scores.items():
        print(
            f"| {entity} | {s['precision']:.3f} | {s['recall']:.3f} | {s['tp']} | {s['fp']} "
            f"| {s['fn']} |"
        )


if __name__ == "__main__":
    main()
