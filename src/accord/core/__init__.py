"""Objects every layer shares: the exception tree and value objects."""

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
from accord.core._progress import Progress, SilentProgress
from accord.core._record import JsonRecord, published_schema
from accord.core._suggest import closest, count_of, did_you_mean

__all__ = [
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
    "count_of",
    "did_you_mean",
    "dumps",
    "missing_extra",
    "published_schema",
]
