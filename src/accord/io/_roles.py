"""Bind columns to the roles an audit gives them, and check them before any pass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from accord.core import ColumnNotFoundError, ColumnTypeError, UsageError, did_you_mean


def column_names(value: Sequence[str] | str) -> list[str]:
    """Columns given as a list, or as one ``"a, b"`` string the way the command line takes them.

    Examples
    --------
    >>> column_names("sex, race"), column_names(["sex"])
    (['sex', 'race'], ['sex'])
    """
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


@dataclass(frozen=True)
class Roles:
    """Which column plays which part in an audit.

    Examples
    --------
    >>> Roles(label="y", prediction="y_hat", sensitive=("sex",)).columns()
    ['y', 'y_hat', 'sex']
    """

    label: str | None = None
    prediction: str | None = None
    score: str | None = None
    weight: str | None = None
    sensitive: tuple[str, ...] = ()
    quasi_identifiers: tuple[str, ...] = ()
    time: str | None = None

    def columns(self) -> list[str]:
        """Every column named by a role, once, in role order."""
        named = [
            self.label,
            self.prediction,
            self.score,
            self.weight,
            self.time,
            *self.sensitive,
            *self.quasi_identifiers,
        ]
        seen: dict[str, None] = {}
        for c in named:
            if c is not None:
                seen.setdefault(c, None)
        return list(seen)

    def as_dict(self) -> dict[str, Any]:
        """The roles as plain JSON-ready data."""
        return {
            "label": self.label,
            "prediction": self.prediction,
            "score": self.score,
            "weight": self.weight,
            "sensitive": list(self.sensitive),
            "quasi_identifiers": list(self.quasi_identifiers),
            "time": self.time,
        }


def check_roles(roles: Roles, schema: Mapping[str, Any], *, numeric: Sequence[str] = ()) -> None:
    """Raise a clear error when a role names a missing column or a column of the wrong type.

    Parameters
    ----------
    roles
        The roles to check.
    schema
        Column name -> narwhals dtype, from ``LazyFrame.collect_schema()``.
    numeric
        Role names whose column must be numeric (``score``, ``weight``, ...).

    Examples
    --------
    >>> import narwhals as nw
    >>> check_roles(Roles(label="incme"), {"income": nw.Int64()})
    Traceback (most recent call last):
    ...
    accord.core._errors.ColumnNotFoundError: column 'incme': the label column does not exist. Fix: did you mean 'income'?
    """
    names = list(schema)
    for role, column in _named(roles):
        if column not in schema:
            fix = did_you_mean(column, names, f"columns are: {', '.join(names[:20])}")
            raise ColumnNotFoundError(f"the {role} column does not exist", column=column, fix=fix)
    for role, column in _named(roles):
        if role in numeric and not _is_numeric(schema[column]):
            raise ColumnTypeError(
                f"the {role} column must be numeric, but its type is {schema[column]}",
                column=column,
                fix=f"pass a numeric column as {role}, or convert this one",
            )
    sens = set(roles.sensitive)
    for role_name, named in (("label", roles.label), ("prediction", roles.prediction)):
        if named is not None and named in sens:
            raise UsageError(
                f"the {role_name} column is also a sensitive attribute",
                column=named,
                fix="give each column one role",
            )
    if len(set(roles.sensitive)) != len(roles.sensitive):
        raise UsageError("a sensitive attribute is named twice", value=list(roles.sensitive))


def _named(roles: Roles) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str | None]] = [
        ("label", roles.label),
        ("prediction", roles.prediction),
        ("score", roles.score),
        ("weight", roles.weight),
        ("time", roles.time),
    ]
    pairs += [("sensitive", c) for c in roles.sensitive]
    pairs += [("quasi-identifier", c) for c in roles.quasi_identifiers]
    return [(r, c) for r, c in pairs if c is not None]


def _is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric()) and dtype != nw.Boolean
