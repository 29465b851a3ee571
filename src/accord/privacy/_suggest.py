"""Suggest quasi-identifiers when the user does not know them: columns and small
combinations of columns that make many records unique.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field

from accord.privacy._attributes import CombinationRisk, combination_risk
from accord.privacy._classes import ClassTable


class QuasiIdentifierSuggestion(BaseModel):
    """Columns that single people out, found by looking at all small combinations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    suggested: list[str] = Field(description="Columns to treat as quasi-identifiers.")
    identifiers: list[str] = Field(
        description="Columns that alone single out most records: "
        "direct identifiers (or near), to drop or mask."
    )
    combinations: list[CombinationRisk] = Field(
        description="The riskiest minimal combinations, riskiest first."
    )
    min_unique_share: float
    max_size: int


def suggest_quasi_identifiers(
    table: ClassTable,
    *,
    identifiers: Mapping[str, float] | None = None,
    max_size: int = 3,
    min_unique_share: float = 0.01,
    top: int = 15,
) -> QuasiIdentifierSuggestion:
    """Rank small combinations of candidate columns by the records they make unique.

    A combination is reported when it makes at least ``min_unique_share`` of the
    records unique and none of its subsets already does (it is minimal); the
    suggestion is every column of such a combination.

    Parameters
    ----------
    table
        The class table over all candidate columns.
    identifiers
        Columns left out of the candidates because they are near-unique on their
        own, with their share of distinct values.
    max_size
        Largest combination looked at.
    min_unique_share
        Smallest share of unique records that makes a combination risky.
    top
        Combinations reported.

    Examples
    --------
    >>> import numpy as np
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"zip": np.array([0, 1, 2]), "sex": np.array([0, 0, 1])},
    ...                   {"zip": ("1", "2", "3"), "sex": ("F", "M")}, np.array([1, 1, 8]))
    >>> suggest_quasi_identifiers(t).suggested
    ['zip']
    """
    found: list[CombinationRisk] = []
    risky: list[frozenset[str]] = []
    for size in range(1, max_size + 1):
        for combo in combinations(table.quasi_identifiers, size):
            if any(r <= frozenset(combo) for r in risky):
                continue
            risk = combination_risk(table, list(combo))
            if risk.unique_share >= min_unique_share:
                risky.append(frozenset(combo))
                found.append(risk)
    found.sort(key=lambda r: (-r.unique_share, len(r.attributes), r.attributes))
    suggested = sorted(
        {a for r in found for a in r.attributes}, key=list(table.quasi_identifiers).index
    )
    return QuasiIdentifierSuggestion(
        suggested=suggested,
        identifiers=sorted(identifiers or {}),
        combinations=found[:top],
        min_unique_share=min_unique_share,
        max_size=max_size,
    )
