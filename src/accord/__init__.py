"""accord: audit AI systems for algorithmic bias, privacy risk and exclusion.

The public API::

    import accord
    result = accord.audit(df, label="y", prediction="y_hat", sensitive=["sex", "race"])
    result.by_group("selection_rate", attributes=["sex"])
    result.to_html("audit.html")

Heavy modules are imported on first use, so that ``import accord`` and the
command line start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from accord.core import (
        AccordError,
        CheckError,
        ColumnNotFoundError,
        ColumnTypeError,
        DataError,
        DependencyError,
        EmptyDataError,
        Estimate,
        Finding,
        FindingStatus,
        InvalidValueError,
        PolicyError,
        RegistryError,
        UsageError,
        ValueStatus,
    )
    from accord.pipeline import audit
    from accord.report import AuditResult

_LAZY = {
    "audit": "accord.pipeline",
    "AuditResult": "accord.report",
    "AccordError": "accord.core",
    "CheckError": "accord.core",
    "ColumnNotFoundError": "accord.core",
    "ColumnTypeError": "accord.core",
    "DataError": "accord.core",
    "DependencyError": "accord.core",
    "EmptyDataError": "accord.core",
    "Estimate": "accord.core",
    "Finding": "accord.core",
    "FindingStatus": "accord.core",
    "InvalidValueError": "accord.core",
    "PolicyError": "accord.core",
    "RegistryError": "accord.core",
    "UsageError": "accord.core",
    "ValueStatus": "accord.core",
}

__all__ = [
    "AccordError",
    "AuditResult",
    "CheckError",
    "ColumnNotFoundError",
    "ColumnTypeError",
    "DataError",
    "DependencyError",
    "EmptyDataError",
    "Estimate",
    "Finding",
    "FindingStatus",
    "InvalidValueError",
    "PolicyError",
    "RegistryError",
    "UsageError",
    "ValueStatus",
    "__version__",
    "audit",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
