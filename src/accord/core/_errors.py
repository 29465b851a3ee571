"""The one exception tree of accord.

Every error accord raises on purpose derives from :class:`AccordError`. The
command line maps each branch to an exit code, so a user's script can tell bad
input from a failed check::

    AccordError                    exit 2 unless stated
    +-- UsageError                 options that do not fit together
    +-- DataError                  the data cannot be audited as given
    |   +-- ColumnNotFoundError    a named column does not exist
    |   +-- ColumnTypeError        a column has the wrong type for its role
    |   +-- InvalidValueError      a value a role does not allow (null label, ...)
    |   +-- EmptyDataError         no rows
    +-- PolicyError                a policy file is invalid
    +-- CheckError                 a check could not run            exit 3
    +-- DependencyError            an optional extra is not installed
    +-- RegistryError              the registry refused an operation

Every message follows one template: what is wrong, with the column and the
value when there is one, then what to do about it.
"""

from __future__ import annotations

from typing import Any


class AccordError(Exception):
    """Base class of every error accord raises on purpose.

    Parameters
    ----------
    message
        What is wrong, in one sentence, without a trailing full stop.
    column
        The column the problem is in, if any.
    value
        The offending value, if any.
    fix
        What the user can do about it.

    Examples
    --------
    >>> str(AccordError("label has null values", column="income", fix="drop or impute them"))
    "column 'income': label has null values. Fix: drop or impute them."
    """

    exit_code: int = 2

    def __init__(
        self,
        message: str,
        *,
        column: str | None = None,
        value: Any = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.column = column
        self.value = value
        self.fix = fix
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.column is not None:
            parts.append(f"column {self.column!r}: ")
        parts.append(self.message)
        if self.value is not None:
            parts.append(f" (got {_short(self.value)})")
        text = "".join(parts) + "."
        if self.fix:
            fix = self.fix.rstrip(".")
            text += f" Fix: {fix}" + ("" if fix.endswith(("?", "!")) else ".")
        return text


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class UsageError(AccordError):
    """Options or keywords that do not fit together."""


class DataError(AccordError):
    """The data cannot be audited as given."""


class ColumnNotFoundError(DataError):
    """A column named in a role does not exist in the data."""


class ColumnTypeError(DataError):
    """A column has a type its role does not allow."""


class InvalidValueError(DataError):
    """A column holds a value its role does not allow."""


class EmptyDataError(DataError):
    """The data has no rows."""


class PolicyError(AccordError):
    """A policy file is invalid."""


class CheckError(AccordError):
    """A check could not run."""

    exit_code = 3


class DependencyError(AccordError):
    """An optional dependency is not installed."""


class RegistryError(AccordError):
    """The registry refused an operation."""


def missing_extra(package: str, extra: str) -> DependencyError:
    """Build the error for an optional dependency that is not installed.

    Examples
    --------
    >>> str(missing_extra("fastapi", "server"))
    "this feature needs the optional package 'fastapi'. Fix: pip install 'accord[server]'."
    """
    return DependencyError(
        f"this feature needs the optional package {package!r}",
        fix=f"pip install 'accord[{extra}]'",
    )
