"""The differentially private release of an audit: exact counts from the one pass's strata,
noise from accord.privacy (OpenDP), the result in ``AuditResult.dp_release``.
"""

from __future__ import annotations

import math

import numpy as np

from accord.engine import FairnessPass
from accord.fairness import FairnessStats
from accord.fairness._outcomes import resolve_outcomes
from accord.io import Roles
from accord.privacy import DpGroupRelease, GroupCounts, dp_group_release

#: A grouping with more groups than this (every combination of its attributes' values) is
#: left out of the release: its noisy counts would be mostly noise, and many.
MAX_GROUPS = 5000

RATES = {
    "selection_rate": "share of the group's rows predicted positive",
    "base_rate": "share of the group's rows whose label is positive",
}


def dp_release(
    fpass: FairnessPass,
    roles: Roles,
    stats: FairnessStats,
    epsilon: float,
    *,
    positive: str | None,
) -> DpGroupRelease:
    """Release every grouping's counts (and, for a binary task, selection and base rates)
    under ``epsilon``-differential privacy.

    Parameters
    ----------
    fpass
        The strata of the audit's one pass (the exact counts; they are not published).
    roles
        The audit's roles (label and prediction for the rates; a weight is ignored).
    stats
        The audit's statistics: its groupings and their attributes' values.
    epsilon
        The privacy budget of the whole release.
    positive
        The audit's positive class.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import fairness_pass
    >>> from accord.fairness import Settings, analyse_classification
    >>> df = pl.DataFrame({"y": [0, 1] * 200, "p": [1, 1, 0, 1] * 100, "g": ["a", "b"] * 200})
    >>> roles = Roles(label="y", prediction="p", sensitive=("g",))
    >>> fp = fairness_pass(nw.from_native(df.lazy()), roles)
    >>> stats = analyse_classification(fp, roles, Settings(bootstrap=0))
    >>> r = dp_release(fp, roles, stats, 1.0, positive=None)
    >>> [s.quantity for s in r.split], sum(s.epsilon for s in r.split)
    (['count', 'selection_rate', 'base_rate'], 1.0)
    """
    s = fpass.strata
    levels = {a.name: a.levels for a in stats.attributes}
    numerators: dict[str, np.ndarray] = {}
    if stats.task == "binary":
        assert roles.label is not None and roles.prediction is not None
        out = resolve_outcomes(
            s, label=roles.label, prediction=roles.prediction, positive=positive
        )
        numerators = {
            "selection_rate": (out.yhat == out.positive).astype(np.int64),
            "base_rate": (out.y == out.positive).astype(np.int64),
        }
    tables = []
    left_out = []
    for grouping in stats.groupings:
        attrs = tuple(grouping.attributes)
        dims = tuple(len(levels[a]) for a in attrs)
        if math.prod(dims) > MAX_GROUPS:
            left_out.append(" × ".join(attrs))
            continue
        cell = np.ravel_multi_index(tuple(s.codes[a] for a in attrs), dims)
        size = math.prod(dims)

        def total(weights: np.ndarray, cell: np.ndarray = cell, size: int = size) -> np.ndarray:
            return np.bincount(cell, weights=weights, minlength=size)

        # Every combination of values, empty or not: the release must not tell which occur.
        keys = [
            {a: levels[a][int(c)] for a, c in zip(attrs, combo, strict=True)}
            for combo in np.ndindex(*dims)
        ]
        tables.append(
            GroupCounts(
                attributes=attrs,
                keys=keys,
                totals=total(s.count.astype(np.float64)),
                numerators={k: total(s.count * v) for k, v in numerators.items()},
            )
        )
    return dp_group_release(
        tables,
        epsilon,
        confidence=stats.ci_level,
        unit="rows" + (" (unweighted)" if roles.weight is not None else ""),
        rates={k: v for k, v in RATES.items() if k in numerators},
        notes=_notes(
            roles, left_out, [a.name for a in stats.attributes if a.binning == "quantile"]
        ),
    )


def _notes(roles: Roles, left_out: list[str], quantile_binned: list[str]) -> list[str]:
    notes = [
        "The groups (each attribute's values) come from the data and are treated as public, "
        "as in every report; an intersection lists every combination of values, empty or "
        "not, so the release does not tell which combinations occur.",
        "OpenDP draws the noise from the operating system's randomness: it cannot be seeded, "
        "so every run releases different numbers (the audit's seed does not apply).",
        "The audit's other numbers are exact; only this release is differentially private.",
    ]
    if quantile_binned:
        notes.append(
            "Not covered by the guarantee: "
            + ", ".join(quantile_binned)
            + " was cut at its quartiles in the data, and those cut points name the groups; "
            "give the bins explicitly (--bins, bins=) for a release whose groups do not "
            "depend on the data."
        )
    if roles.weight is not None:
        notes.append(
            "Counts and rates count rows and ignore the weights: one row's weight could change "
            "a weighted count without bound."
        )
    if left_out:
        notes.append(
            f"Left out (more than {MAX_GROUPS:,} combinations of values): "
            + ", ".join(left_out)
            + "."
        )
    return notes
