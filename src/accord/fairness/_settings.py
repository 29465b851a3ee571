from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

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
    #: Groups with 1 to suppress_below - 1 rows have their count withheld (0 or 1: off).
    suppress_below: int = 0

    def floored(self) -> Settings:
        """These settings with the minimum group size raised to ``suppress_below``.

        A group whose count is withheld must not show metrics either: a rate and its
        interval would give the count away.

        Examples
        --------
        >>> Settings(min_group_size=5, suppress_below=10).floored().min_group_size
        10
        """
        if self.suppress_below > self.min_group_size:
            return replace(self, min_group_size=self.suppress_below)
        return self
