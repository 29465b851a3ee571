from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MISSING_LABEL = "(missing)"


@dataclass(frozen=True)
class Settings:
    """How an audit computes its statistics (everything but the data and the roles).

    Examples
    --------
    >>> Settings(bootstrap=200, seed=7).min_group_size
    30
    """

    positive: str | None = None
    reference: Mapping[str, str] = field(default_factory=dict)
    max_order: int | None = None
    min_group_size: int = 30
    bootstrap: int = 1000
    seed: int = 0
    ci_level: float = 0.95
    alpha: float = 0.05
    correction: str = "holm"
    max_levels: int = 1000
    force: bool = False
    ece_bins: int = 10
