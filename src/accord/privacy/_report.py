"""The privacy assessment as data: pydantic models, JSON-ready (``k_anonymity`` at the top)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core import JsonRecord
from accord.privacy._attributes import CombinationRisk
from accord.privacy._dp import DpRelease
from accord.privacy._risk import RiskSummary
from accord.privacy._suggest import QuasiIdentifierSuggestion
from accord.privacy._uniqueness import PopulationUniqueness


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SizeBin(_Frozen):
    """Equivalence classes whose size falls in ``[low, high]``."""

    label: str
    low: int
    high: int | None
    classes: int | None = Field(description="Classes in the bin; None when suppressed.")
    records: int | None = Field(description="Records in the bin; None when suppressed.")


class ClassSummary(_Frozen):
    """Equivalence classes of the quasi-identifiers."""

    count: int
    smallest: int
    median: float
    largest: int
    sample_uniques: int = Field(description="Classes (= records) of size 1.")
    histogram: list[SizeBin]
    dp_histogram: DpRelease | None = Field(
        default=None,
        description="Classes per size bin, released with differential privacy (opt-in).",
    )


class RecursiveDiversity(_Frozen):
    """Recursive (c, l)-diversity for one ``l``."""

    l: int  # noqa: E741  (the l of l-diversity)
    c: float | None = Field(
        description="The smallest c the table satisfies it for is any "
        "c above this; None when some class has fewer than l values."
    )
    c_integer: int | None = Field(description="The smallest integer c that satisfies it.")


class DiversityResult(_Frozen):
    """l-diversity of one sensitive attribute: the worst class for every form."""

    attribute: str
    distinct: int
    entropy: float = Field(
        description="exp(smallest class entropy): entropy l-diversity "
        "holds for every l up to this."
    )
    recursive: RecursiveDiversity
    classes_below: dict[str, int] = Field(
        default_factory=dict, description="Classes with distinct l below 2, 3, 5."
    )


class ClosenessResult(_Frozen):
    """t-closeness of one sensitive attribute: the largest distance of any class."""

    attribute: str
    t: float
    distance: Literal["equal", "ordered"]
    reference: str = Field(description="The distribution classes are compared with.")
    values: int = Field(description="Distinct values of the attribute.")


class DeltaPresence(_Frozen):
    """delta-presence against a population table: the share of each population class that
    is in the data, at its smallest and largest.
    """

    delta_min: float
    delta_max: float
    population_rows: int
    population_classes: int


class PrivacyInput(_Frozen):
    """Where the assessed data came from."""

    kind: Literal["file", "stdin", "frame"]
    library: str
    path: str | None = None
    format: str | None = None
    rows: int
    columns: dict[str, str]
    file_sha256: str | None = None
    content_sha256: str


class PrivacySettings(_Frozen):
    """The settings the assessment ran with."""

    risk_threshold: float
    population_size: float | None
    population_source: str | None
    recursive_l: int
    suppress_below: int
    max_order: int
    dp_epsilon: float | None = None


class PrivacyResult(_Frozen, JsonRecord):
    """A re-identification risk assessment. ``k_anonymity`` is the smallest class size.

    Examples
    --------
    >>> import polars as pl, accord.privacy as ap
    >>> df = pl.DataFrame({"zip": ["1", "1", "2", "2"], "dx": ["a", "b", "a", "a"]})
    >>> r = ap.assess(df, quasi_identifiers=["zip"], sensitive=["dx"])
    >>> r.k_anonymity, r.l_diversity[0].distinct
    (2, 1)
    """

    schema_version: Literal["1"] = "1"
    kind: Literal["privacy"] = "privacy"
    accord_version: str
    created_at: datetime
    input: PrivacyInput
    quasi_identifiers: list[str]
    sensitive: list[str]
    settings: PrivacySettings
    k_anonymity: int
    classes: ClassSummary
    l_diversity: list[DiversityResult]
    t_closeness: list[ClosenessResult]
    delta_presence: DeltaPresence | None = None
    risk: RiskSummary
    population_uniqueness: PopulationUniqueness | None = None
    attribute_risk: list[CombinationRisk]
    suggestion: QuasiIdentifierSuggestion | None = None
    warnings: list[str] = Field(default_factory=list)
