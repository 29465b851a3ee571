"""The cell table of an inclusion audit, with countries rolled up to sub-regions and regions.

A roll-up adds a column to the cell table: each cell's country code is mapped
to its sub-region's code, then to its region's. Every grouping (a country, a
region, a region x language intersection) is then a ``bincount`` over the same
cells, never a new pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, product
from typing import Any

import numpy as np

from accord.core import UsageError, did_you_mean
from accord.engine import LABEL_KEY, NULL_PREFIX, PREDICTION_KEY, InclusionPass, Strata
from accord.fairness import (
    MISSING_LABEL,
    Grouping,
    make_grouping,
    resolve_outcomes,
    value_label,
)
from accord.inclusion._geo import GEO_LEVELS, CountryTable, country_table, looks_like_countries
from accord.inclusion._models import Dimension

UNRECOGNISED = "(unrecognised)"
VALUE = "value"


@dataclass(frozen=True)
class Column:
    """One grouping column of the cell table: a group attribute at one level."""

    name: str
    dimension: str
    level: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What performance needs per cell: whether it is labelled, and whether it is correct."""

    label: str
    prediction: str
    classes: tuple[str, ...]
    labelled: np.ndarray
    correct: np.ndarray


@dataclass(frozen=True)
class Cells:
    """The strata of the cells pass, keyed by group columns (roll-ups included)."""

    columns: tuple[Column, ...]
    codes: np.ndarray
    n: np.ndarray
    nulls: dict[str, np.ndarray]
    dimensions: tuple[Dimension, ...]
    outcome: Outcome | None

    @property
    def rows(self) -> int:
        """Count the rows in the data."""
        return int(self.n.sum())

    def index(self, name: str) -> int:
        """Return the position of a column."""
        for i, c in enumerate(self.columns):
            if c.name == name:
                return i
        raise KeyError(name)

    def grouping(self, names: Sequence[str]) -> Grouping:
        """Group the cells by the named columns."""
        sizes = [len(c.labels) for c in self.columns]
        return make_grouping(
            self.codes, sizes, [c.name for c in self.columns], [self.index(n) for n in names]
        )

    def keys(self, grouping: Grouping) -> list[dict[str, str]]:
        """Return each group's key: column name -> label."""
        cols = [self.columns[p] for p in grouping.positions]
        return [
            {c.name: c.labels[int(code)] for c, code in zip(cols, row, strict=True)}
            for row in grouping.keys
        ]

    def lattice(self, max_order: int | None) -> list[tuple[str, ...]]:
        """Every grouping of at most ``max_order`` dimensions, each at one of its levels.

        A country dimension contributes its value, sub-region or region (never two
        of them together): singles first, then pairs, and so on.
        """
        by_dim: dict[str, list[str]] = {}
        for c in self.columns:
            if c.level != "country":  # the canonical country is for references only
                by_dim.setdefault(c.dimension, []).append(c.name)
        dims = list(by_dim)
        top = len(dims) if max_order is None else min(max_order, len(dims))
        out: list[tuple[str, ...]] = []
        for order in range(1, top + 1):
            for combo in combinations(dims, order):
                out += list(product(*[by_dim[d] for d in combo]))
        return out


def column_name(dimension: str, level: str) -> str:
    """Name a roll-up level as it is reported: ``native_country:region``.

    Examples
    --------
    >>> column_name("country", "value"), column_name("country", "region")
    ('country', 'country:region')
    """
    return dimension if level == VALUE else f"{dimension}:{level}"


def build_cells(
    ipass: InclusionPass,
    *,
    geography: Sequence[str] | None,
    label: str | None,
    prediction: str | None,
    positive: str | None = None,
) -> tuple[Cells, list[str]]:
    """Build the cell table of an inclusion audit; also return warnings.

    Parameters
    ----------
    ipass
        The strata of the passes.
    geography
        The group attributes holding countries; None detects them from their values.
    label, prediction
        Their columns, when performance is measured.
    positive
        The positive class, when the label is binary and not 0/1.
    """
    s = canonical(ipass.cells)
    warnings: list[str] = []
    table = country_table()
    labels = {g: _labels(s, g, ipass) for g in ipass.groups}
    if geography is None:
        geo = [
            g
            for g in ipass.groups
            if g not in ipass.group_binnings
            and looks_like_countries([v for v in labels[g] if v != MISSING_LABEL], table)
        ]
    else:
        geo = list(geography)
        for g in geo:
            if g not in ipass.groups:
                raise UsageError(
                    "a country column must also be a group attribute",
                    column=g,
                    fix=did_you_mean(g, ipass.groups, "add it to --groups"),
                )
    columns: list[Column] = []
    codes: list[np.ndarray] = []
    dims: list[Dimension] = []
    for g in ipass.groups:
        columns.append(Column(g, g, VALUE, tuple(labels[g])))
        codes.append(s.codes[g])
        b = ipass.group_binnings.get(g)
        if g not in geo:
            dims.append(
                Dimension(
                    name=g,
                    kind="binned" if b else "category",
                    values=labels[g],
                    levels=[VALUE],
                    edges=list(b.edges) if b else None,
                )
            )
            continue
        rolled, unknown = _roll_up(labels[g], table, codes=geography is not None)
        for level in GEO_LEVELS:
            names, mapping = rolled[level]
            columns.append(Column(column_name(g, level), g, level, tuple(names)))
            codes.append(mapping[s.codes[g]])
        dims.append(
            Dimension(
                name=g,
                kind="country",
                values=labels[g],
                levels=[VALUE, *GEO_LEVELS],
                unrecognised=unknown,
            )
        )
        if unknown:
            warnings.append(
                f"{len(unknown)} value(s) of the country column {g!r} match no UN M49 country "
                f"and are rolled up as {UNRECOGNISED!r}: {', '.join(unknown[:10])}"
            )
    code_matrix = (
        np.stack(codes, axis=1) if codes else np.zeros((s.size, 0), dtype=np.int64)
    ).astype(np.int64)
    nulls = {k[len(NULL_PREFIX) :]: v for k, v in s.sums.items() if k.startswith(NULL_PREFIX)}
    outcome = None
    if label is not None and prediction is not None:
        outcome = _outcome(s, label, prediction, positive)
    return Cells(
        tuple(columns), code_matrix, s.count.astype(np.int64), nulls, tuple(dims), outcome
    ), warnings


def canonical(s: Strata) -> Strata:
    """Sort strata by their keys.

    Nothing, the bootstrap included, may depend on the order in which an engine
    returned its groups.
    """
    if not s.keys:
        return s
    order = np.lexsort([s.codes[k] for k in reversed(s.keys)])
    return Strata(
        keys=s.keys,
        levels=s.levels,
        codes={k: v[order] for k, v in s.codes.items()},
        sums={k: v[order] for k, v in s.sums.items()},
        count=s.count[order],
    )


def _labels(s: Strata, g: str, ipass: InclusionPass) -> list[str]:
    b = ipass.group_binnings.get(g)
    out = [
        MISSING_LABEL if v is None else (b.labels[int(v)] if b else value_label(v))
        for v in s.levels[g]
    ]
    if len(set(out)) != len(out):
        raise UsageError(
            "two values of the group attribute print the same",
            column=g,
            value=out,
            fix="clean the column's values",
        )
    return out


def _roll_up(
    values: list[str], table: CountryTable, *, codes: bool
) -> tuple[dict[str, tuple[list[str], np.ndarray]], list[str]]:
    """Map value codes to each level's codes; also return the level's labels."""
    found = [None if v == MISSING_LABEL else table.resolve(v, codes=codes) for v in values]
    unknown = [v for v, c in zip(values, found, strict=True) if c is None and v != MISSING_LABEL]
    out = {}
    for level in GEO_LEVELS:
        per_value = []
        for v, c in zip(values, found, strict=True):
            if v == MISSING_LABEL:
                per_value.append(MISSING_LABEL)
            elif c is None:
                per_value.append(v if level == "country" else UNRECOGNISED)
            else:
                per_value.append(c.at(level) or UNRECOGNISED)
        names = sorted(set(per_value) - {MISSING_LABEL, UNRECOGNISED})
        names += [x for x in (UNRECOGNISED, MISSING_LABEL) if x in per_value]
        index = {name: i for i, name in enumerate(names)}
        out[level] = (names, np.array([index[x] for x in per_value], dtype=np.int64))
    return out, unknown


def _outcome(s: Strata, label: str, prediction: str, positive: str | None) -> Outcome:
    y_levels, p_levels = s.levels[LABEL_KEY], s.levels[PREDICTION_KEY]
    y_null = _null_code(y_levels)
    p_null = _null_code(p_levels)
    labelled = np.ones(s.size, dtype=bool)
    if y_null is not None:
        labelled &= s.codes[LABEL_KEY] != y_null
    if p_null is not None:
        labelled &= s.codes[PREDICTION_KEY] != p_null
    if not labelled.any():
        raise UsageError(
            "no row has both a label and a prediction",
            column=label,
            fix="pass columns with values, or drop --label and --prediction",
        )
    sub = _subset(s, labelled, [LABEL_KEY, PREDICTION_KEY])
    if positive is None:
        positive = _any_positive(sub.levels[LABEL_KEY])
    outcomes = resolve_outcomes(sub, label=label, prediction=prediction, positive=positive)
    correct = np.zeros(s.size, dtype=bool)
    correct[labelled] = outcomes.y == outcomes.yhat
    return Outcome(label, prediction, outcomes.classes, labelled, correct)


def _null_code(levels: tuple[Any, ...]) -> int | None:
    return len(levels) - 1 if levels and levels[-1] is None else None


def _subset(s: Strata, keep: np.ndarray, keys: list[str]) -> Strata:
    """Keep the strata in ``keep``, keyed by ``keys``, dropping null levels (none is used)."""
    levels = {k: tuple(v for v in s.levels[k] if v is not None) for k in keys}
    return Strata(
        keys=tuple(keys),
        levels=levels,
        codes={k: s.codes[k][keep] for k in keys},
        sums={},
        count=s.count[keep],
    )


def _any_positive(levels: tuple[Any, ...]) -> str | None:
    # Accuracy does not depend on which class is positive; a two-class label that is
    # not 0/1 only needs one named so that the outcomes can be read.
    names = sorted({value_label(v) for v in levels})
    if len(names) == 2 and not set(names) <= {"0", "1", "true", "false"}:
        return names[-1]
    return None
