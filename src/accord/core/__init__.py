"""Objects every layer shares: the exception tree and value objects."""

from accord.core._disclosure import (
    SUPPRESS_BELOW,
    coarsen_count,
    disclosure_note,
    is_small,
    suppress_small_counts,
)
from accord.core._errors import (
    AccordError,
    CheckError,
    ColumnNotFoundError,
    ColumnTypeError,
    DataError,
    DependencyError,
    EmptyDataError,
    InvalidValueError,
    PolicyError,
    RegistryError,
    UsageError,
    missing_extra,
)
from accord.core._estimate import Estimate, ValueStatus
from accord.core._finding import Finding, FindingStatus, GroupOutcome
from accord.core._jsonio import canonical, dumps
from accord.core._preload import preload
from accord.core._progress import Progress, SilentProgress
from accord.core._record import JsonRecord, published_schema
from accord.core._suggest import closest, count_of, did_you_mean

__all__ = [
    "SUPPRESS_BELOW",
    "AccordError",
    "CheckError",
    "ColumnNotFoundError",
    "ColumnTypeError",
    "DataError",
    "DependencyError",
    "EmptyDataError",
    "Estimate",
    "Finding",
    "FindingStatus",
    "GroupOutcome",
    "InvalidValueError",
    "JsonRecord",
    "PolicyError",
    "Progress",
    "RegistryError",
    "SilentProgress",
    "UsageError",
    "ValueStatus",
    "canonical",
    "closest",
    "coarsen_count",
    "count_of",
    "did_you_mean",
    "disclosure_note",
    "dumps",
    "is_small",
    "missing_extra",
    "preload",
    "published_schema",
    "suppress_small_counts",
]
