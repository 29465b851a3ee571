"""The layout of impact-ratio tables and discovery results, shared by every renderer.

Impact tables follow the summary of results of a NYC Local Law 144 bias audit
(6 RCNY 5-301): category, number of applicants, selection (or scoring) rate, impact
ratio, then the number of individuals in an unknown category. accord adds the ratio's
confidence interval and a note column; excluded categories keep their count and rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.core import coarsen_count
from accord.fairness import Discovery, ImpactRow, ImpactTable
from accord.policy import format_estimate, format_key


@dataclass(frozen=True)
class Layout:
    """A table ready to print: a title, column names, rows of text, and notes under it."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    numeric: tuple[int, ...] = ()


def impact_layout(table: ImpactTable) -> Layout:
    """Lay out an impact table as a bias-audit summary table.

    Examples
    --------
    >>> import numpy as np
    >>> from accord.fairness import impact_table
    >>> t = impact_table(np.array([[0], [1]]), [["F", "M"]], ["sex"], np.array([100, 100]),
    ...                  np.array([100.0, 100.0]), np.array([100.0, 100.0]),
    ...                  np.array([30.0, 50.0]), metric="selection_rate")
    >>> impact_layout(t).rows[0][:5]
    ['F', '100', '30', '30.0%', '0.60']
    """
    scoring = table.metric == "scoring_rate"
    rate = "Scoring rate" if scoring else "Selection rate"
    columns = [
        "Category",
        "# of applicants",
        "# scoring above median" if scoring else "# selected",
        rate,
        "Impact ratio",
        f"{table.ci_level:.0%} CI of the ratio",
        "Note",
    ]
    rows = []
    t = table.suppress_below
    for r in table.rows:
        ratio = r.impact_ratio
        rows.append(
            [
                category(r.key),
                coarsen_count(r.n, t),
                # A published category's selected count stays exact: its size and rate
                # give it anyway, and a low count is the disparity the table is for.
                f"<{t}" if r.selected is None else f"{r.selected:,.0f}",
                _rate_text(r),
                "excluded"
                if ratio is None
                else (
                    f"{ratio.value:.2f}"
                    if ratio.value is not None
                    else ("not rated" if r.status == "withheld" else "undefined")
                ),
                f"{ratio.ci_low:.2f} to {ratio.ci_high:.2f}"
                if ratio is not None
                and ratio.ci_low is not None
                and ratio.ci_high is not None
                and r.status != "highest"
                else "",
                "highest rate" if r.status == "highest" else r.note,
            ]
        )
    notes = []
    if scoring and table.median is not None:
        notes.append(
            f"Scoring rate: the share of the category scoring above the median score "
            f"of the whole sample ({table.median:.4g}"
            + (f", column {table.score_column}" if table.score_column else "")
            + ")."
        )
    extra = (
        f" (missing, or {', '.join(repr(v) for v in table.unknown_values)})"
        if table.unknown_values
        else " (missing values)"
    )
    notes.append(
        f"The tool also assessed {coarsen_count(table.unknown, t)} individuals with an "
        f"unknown category{extra}; they are not included in the calculations above."
    )
    excluded = [r for r in table.rows if r.status == "excluded"]
    if excluded:
        notes.append(
            f"Excluded from the impact ratios, as 6 RCNY 5-301(d) allows for a category under "
            f"{table.exclude_below:.0%} of the data: "
            + "; ".join(
                f"{format_key(r.key)} ({r.share or 0:.1%} of the data, "
                f"{coarsen_count(r.n, t)} applicants)"
                for r in excluded
            )
            + ". Their counts and rates are reported above."
        )
    notes.append(
        f"Impact ratio: the category's rate over the highest rate among the categories "
        f"included ({format_key(table.highest, empty='none')}); intervals: Wilson for "
        f"rates, Katz's log method for ratios."
    )
    title = f"{' × '.join(table.attributes)} categories"
    if table.exclude_below:
        title += f" (categories under {table.exclude_below:.0%} excluded from the ratios)"
    return Layout(title, columns, rows, notes, numeric=(1, 2, 3, 4, 5))


def _rate_text(row: ImpactRow) -> str:
    if row.rate.value is not None:
        return f"{row.rate.value:.1%}"
    return "withheld" if row.status == "withheld" else "undefined"


def category(key: dict[str, str]) -> str:
    """Return a category as the summary tables name it: its values, ``Female, Asian``."""
    return ", ".join(key.values()) or "all"


def distinct_tables(tables: Sequence[ImpactTable]) -> list[ImpactTable]:
    """Return the tables that differ in content (two checks may compute the same one)."""
    seen: list[tuple[object, ...]] = []
    out = []
    for t in tables:
        content = (
            tuple(t.attributes),
            t.metric,
            t.median,
            t.unknown,
            tuple(r.model_dump_json() for r in t.rows),
        )
        if content not in seen:
            seen.append(content)
            out.append(t)
    return out


def _p_value(p: float) -> str:
    # Below the smallest double a p-value prints as 0, which reads as certainty.
    return f"{p:.2g}" if p > 0 else "< 1e-300"


def discovery_layout(d: Discovery) -> Layout:
    """Lay out the top subgroups of a discovery, with what was searched and tested."""
    columns = [
        "#",
        "Subgroup",
        "Rows (share)",
        f"{d.metric} in subgroup",
        "in the rest",
        "Gap [CI]",
        "Adjusted p",
        "Direction",
    ]
    rows = [
        [
            str(i),
            format_key(s.conditions),
            f"{s.n:,} ({s.share:.1%})",
            f"{s.value.value:.3f}",
            f"{s.rest.value:.3f}",
            format_estimate(s.gap),
            _p_value(s.p_adjusted),
            s.direction,
        ]
        for i, s in enumerate(d.top, start=1)
    ]
    searched = ", ".join(d.attributes)
    notes = [
        f"Searched conjunctions of up to {d.max_order} conditions over {searched}"
        + (f" (explored: {', '.join(d.explored)})" if d.explored else "")
        + f"; subgroups need at least {d.min_rows:,} rows ({d.min_support:.1%} of the data).",
        f"{d.n_hypotheses:,} subgroups tested against the rest of the data ({d.test}); "
        f"false-discovery rate controlled at {d.fdr:g} over all of them ({d.correction}); "
        f"{d.n_significant:,} significant. {d.n_redundant:,} conjunctions with the same rows "
        f"as one already tested were not tested twice; {d.n_pruned:,} attribute combinations "
        f"were pruned (a generalisation never reached the minimum support).",
    ]
    if d.binned:
        notes.append(
            "Numeric columns were binned: "
            + "; ".join(f"{k} at {', '.join(f'{e:g}' for e in v)}" for k, v in d.binned.items())
            + "."
        )
    ranking = (
        "Ranked worst-off first, by the end of the gap's interval nearest zero (the largest "
        "gap the data support)"
    )
    if len(d.top) < d.n_significant:
        ranking += "; a subgroup that generalises or specialises one listed above is not listed"
    notes.append(ranking + ".")
    return Layout(
        f"Worst subgroups by {d.metric}", columns, rows, notes, numeric=(0, 2, 3, 4, 5, 6)
    )
