"""Which quasi-identifiers make records unique: per-attribute and per-combination risk
(ARX's distinction and separation, and the share of records they make unique).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from accord.privacy._classes import ClassTable, projected_sizes


class CombinationRisk(BaseModel):
    """How well one combination of attributes singles out records."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attributes: list[str]
    classes: int = Field(description="Distinct value combinations.")
    unique_records: int = Field(description="Records alone in their combination.")
    unique_share: float = Field(description="unique_records / records.")
    distinction: float = Field(description="classes / records (ARX's distinction).")
    separation: float = Field(
        description="Share of record pairs the combination tells apart (ARX's separation)."
    )


def combination_risk(table: ClassTable, attributes: Sequence[str]) -> CombinationRisk:
    """Risk measures of one combination of the table's quasi-identifiers.

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"a": np.array([0, 1, 2])}, {"a": (1, 2, 3)}, np.array([1, 1, 2]))
    >>> r = combination_risk(t, ["a"])
    >>> r.unique_records, r.classes, round(r.separation, 4)
    (2, 3, 0.8333)
    """
    sizes = projected_sizes(table, attributes).astype(np.float64)
    n = float(sizes.sum())
    uniques = int((sizes == 1).sum())
    pairs = n * (n - 1.0)
    return CombinationRisk(
        attributes=list(attributes),
        classes=len(sizes),
        unique_records=uniques,
        unique_share=uniques / n,
        distinction=len(sizes) / n,
        separation=1.0 - float((sizes * (sizes - 1.0)).sum()) / pairs if pairs > 0 else 0.0,
    )


def rank_attributes(table: ClassTable, max_order: int = 2) -> list[CombinationRisk]:
    """Every single quasi-identifier and every combination up to ``max_order``, riskiest first
    (most unique records, then highest distinction).

    Examples
    --------
    >>> from accord.privacy._classes import build_classes
    >>> t = build_classes({"age": np.array([0, 0, 1]), "zip": np.array([0, 1, 1])},
    ...                   {"age": (30, 40), "zip": ("1", "2")}, np.array([1, 1, 2]))
    >>> [(r.attributes, r.unique_records) for r in rank_attributes(t)]
    [(['age', 'zip'], 2), (['zip'], 1), (['age'], 0)]
    """
    out = [
        combination_risk(table, list(combo))
        for order in range(1, max_order + 1)
        for combo in combinations(table.quasi_identifiers, order)
    ]
    return sorted(out, key=lambda r: (-r.unique_records, -r.distinction, r.attributes))
