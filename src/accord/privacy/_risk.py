"""Re-identification risk as ARX defines it (El Emam's prosecutor, journalist and marketer
models), computed from class sizes (pure numpy).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class AttackerRisk(BaseModel):
    """One attacker model's risk summary."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    records_at_risk: float | None = Field(
        description="Share of records whose re-identification probability exceeds the threshold."
    )
    highest_risk: float | None = Field(
        description="The largest re-identification probability of any record."
    )
    success_rate: float = Field(
        description="Share of records an attacker re-identifies on average (average risk)."
    )


class RiskSummary(BaseModel):
    """Prosecutor, journalist and marketer risk at one threshold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float
    prosecutor: AttackerRisk
    journalist: AttackerRisk
    marketer: AttackerRisk
    population_table: bool = Field(
        description="Whether the journalist and marketer models "
        "used a population table (else the sample stands for it)."
    )


def risk_summary(
    sizes: np.ndarray, threshold: float = 0.2, population_sizes: np.ndarray | None = None
) -> RiskSummary:
    """Prosecutor, journalist and marketer risk from the class sizes.

    Parameters
    ----------
    sizes
        Records in every equivalence class of the sample.
    threshold
        A record is at risk when its re-identification probability is above this.
    population_sizes
        Size of the matching class in a population table (same order as ``sizes``);
        without it the sample stands for the population, as in ARX.

    Examples
    --------
    >>> r = risk_summary(np.array([1, 4, 5]))
    >>> r.prosecutor.records_at_risk, r.prosecutor.highest_risk, r.prosecutor.success_rate
    (0.5, 1.0, 0.3)
    """
    sizes = np.asarray(sizes, dtype=np.float64)
    n = sizes.sum()
    classes = float(len(sizes))
    prosecutor = AttackerRisk(
        records_at_risk=float(sizes[1.0 / sizes > threshold].sum() / n),
        highest_risk=float(1.0 / sizes.min()),
        success_rate=classes / n,
    )
    if population_sizes is None:
        return RiskSummary(
            threshold=threshold,
            prosecutor=prosecutor,
            journalist=prosecutor,
            marketer=AttackerRisk(
                records_at_risk=None, highest_risk=None, success_rate=classes / n
            ),
            population_table=False,
        )
    pop = np.asarray(population_sizes, dtype=np.float64)
    matched = float((sizes / pop).sum())
    journalist = AttackerRisk(
        records_at_risk=float(sizes[1.0 / pop > threshold].sum() / n),
        highest_risk=float(1.0 / pop.min()),
        success_rate=max(classes / pop.sum(), matched / n),
    )
    marketer = AttackerRisk(records_at_risk=None, highest_risk=None, success_rate=matched / n)
    return RiskSummary(
        threshold=threshold,
        prosecutor=prosecutor,
        journalist=journalist,
        marketer=marketer,
        population_table=True,
    )
