"""Shared value objects: a number with its uncertainty and its status."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ValueStatus(StrEnum):
    """Why a number is, or is not, reported.

    ``ok``: a value with its interval. ``undefined``: the quantity does not
    exist for this group (a rate whose denominator is 0). ``insufficient_data``:
    the group is smaller than the minimum group size, so no number is shown.
    """

    OK = "ok"
    UNDEFINED = "undefined"
    INSUFFICIENT_DATA = "insufficient_data"


class Estimate(BaseModel):
    """A statistic with its confidence interval and the method that produced it.

    ``value`` is None whenever ``status`` is not ``ok``: accord never shows a
    number that looks valid for a group too small or a rate that is undefined.

    Examples
    --------
    >>> Estimate(value=0.5, ci_low=0.4, ci_high=0.6, method="wilson").status
    <ValueStatus.OK: 'ok'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    method: str | None = None
    status: ValueStatus = ValueStatus.OK
    denominator: float | None = None

    @classmethod
    def missing(cls, status: ValueStatus, denominator: float | None = None) -> Estimate:
        """An estimate without a value, for an undefined rate or a too-small group."""
        return cls(value=None, status=status, denominator=denominator)
