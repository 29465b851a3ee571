"""A dataset with a few very small groups, and how to find their counts in rendered text.

The small groups have 3, 4, 5 and 7 rows: race 'Other' (7 rows: 3 women, 4 men) and region
'isle' (5 rows, all men, all White). Everything else is large. The tests render every
report with the default suppression and with --suppress-below 0, and look for the small
counts where a report writes counts; with 0 they must be found (so the search works), by
default never.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import polars as pl

import accord
from accord.report import AuditResult

#: Rows of the small groups (and intersections) of :func:`small_groups_frame`.
SMALL = (3, 4, 5, 7)
#: A reference population for the inclusion section (race 'Other' is under-represented).
REFERENCE = {"race": {"White": 0.6, "Black": 0.35, "Other": 0.05}}


def small_groups_frame(seed: int = 4) -> pl.DataFrame:
    """1,200 large-group rows, then 7 rows of race 'Other' and 5 rows of region 'isle'."""
    rng = np.random.default_rng(seed)
    n = 1200
    big = {
        "sex": rng.choice(["F", "M"], n).tolist(),
        "race": rng.choice(["White", "Black"], n, p=[0.62, 0.38]).tolist(),
        "region": rng.choice(["north", "south"], n).tolist(),
    }
    small = {
        "sex": ["F"] * 3 + ["M"] * 4 + ["M"] * 5,
        "race": ["Other"] * 7 + ["White"] * 5,
        "region": ["north"] * 7 + ["isle"] * 5,
    }
    rows = {k: big[k] + small[k] for k in big}
    total = n + 12
    y = rng.random(total) < 0.4
    score = np.clip(0.4 + 0.3 * (y - 0.5) + rng.normal(0, 0.2, total), 0, 1)
    return pl.DataFrame({**rows, "y": y.astype(int), "p": (score > 0.45).astype(int), "s": score})


def audit_small_groups(df: pl.DataFrame, **options: Any) -> AuditResult:
    """The audit every disclosure test renders: three attributes and their intersections, a
    score (calibration curves), an NYC LL144 policy (impact tables) and a reference population
    (the inclusion section).
    """
    settings: dict[str, Any] = {
        "label": "y",
        "prediction": "p",
        "score": "s",
        "sensitive": ["sex", "race", "region"],
        "bootstrap": 0,
        "preset": ["nyc-ll144"],
        "reference": REFERENCE,
    }
    return accord.audit(df, **(settings | options))


#: The values that name the small groups (every group under 10 rows has one of them).
SMALL_NAMES = ("Other", "isle")


def _prose(count: int) -> list[re.Pattern[str]]:
    c = str(count)
    return [
        re.compile(rf"\bn\s*=\s*{c}\b"),  # (n=7) in prose, notes and chart labels
        re.compile(rf"(?<![\d.,]){c} (rows|applicants|individuals|labelled rows)\b"),
    ]


def _rows(text: str) -> list[list[str]]:
    """Table rows as cells, the row's name first: HTML rows (their header cells joined),
    Markdown rows, and rich's terminal rows (columns two or more spaces apart).
    """
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, flags=re.DOTALL):
        heads = re.findall(r"<th[^>]*>(.*?)</th>", row, flags=re.DOTALL)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
        rows.append([" ".join(heads), *cells])
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append(line.strip("|").split("|"))
        elif not line.lstrip().startswith("<"):
            rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def counts_written(text: str, counts: tuple[int, ...] = SMALL) -> set[int]:
    """The counts of ``counts`` that ``text`` writes where reports write counts: ``n=7`` or
    ``7 rows`` in prose, or a cell holding just the count in a table row of a small group.
    """
    found = {c for c in counts if any(p.search(text) for p in _prose(c))}
    for cells in _rows(text):
        if cells and any(name in cells[0] for name in SMALL_NAMES):
            found |= {c for c in counts if any(x.strip() == str(c) for x in cells[1:])}
    return found


def numbers_under(data: Any, keys: set[str]) -> list[float]:
    """Every number stored under one of ``keys``, anywhere in a JSON document."""
    out: list[float] = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k in keys and isinstance(v, int | float) and not isinstance(v, bool):
                out.append(v)
            elif k in keys and isinstance(v, dict):
                out += [x for x in v.values() if isinstance(x, int | float)]
            out += numbers_under(v, keys)
    elif isinstance(data, list):
        for v in data:
            out += numbers_under(v, keys)
    return out
