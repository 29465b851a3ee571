"""Run the privacy benchmarks alone: ``benchmarks/run --suite privacy`` under its older name.

    python benchmarks/privacy/run.py --sizes 48k            # validation (minutes)
    python benchmarks/privacy/run.py --sizes 48k,1m,10m     # the full run (long)

Each cell runs in its own process (see benchmarks/privacy_suite.py and benchmarks/README.md):
accord's full assessment against pycanon's k, l and t and a packed-key Polars floor, and
accord's anonymisation against anjana and ARX's published figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common import rows_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import harness  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="48k")
    p.add_argument("--timeout", default="600")
    args = p.parse_args()
    rows = ",".join(str(rows_of(s)) for s in args.sizes.split(",") if s.strip())
    return harness.main(["--suite", "privacy", "--rows", rows, "--timeout", args.timeout])


if __name__ == "__main__":
    sys.exit(main())
