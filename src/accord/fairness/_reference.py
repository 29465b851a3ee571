"""Which group each grouping is compared against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

from accord.fairness._disparity import GroupValues
from accord.fairness._lattice import Grouping
from accord.fairness._settings import Settings


@overload
def choose_reference(
    grouping: Grouping,
    labels: Sequence[dict[str, str]],
    gv: GroupValues,
    settings: Settings,
    with_rule: Literal[False] = ...,
) -> int | None: ...


@overload
def choose_reference(
    grouping: Grouping,
    labels: Sequence[dict[str, str]],
    gv: GroupValues,
    settings: Settings,
    with_rule: Literal[True],
) -> tuple[int | None, str]: ...


def choose_reference(
    grouping: Grouping,
    labels: Sequence[dict[str, str]],
    gv: GroupValues,
    settings: Settings,
    with_rule: bool = False,
) -> int | None | tuple[int | None, str]:
    """The reference group of a grouping.

    The group named by ``settings.reference`` when it names every attribute of
    the grouping; the largest group among those matching the attributes it does
    name; otherwise the largest group (by weight).
    """
    weight = gv.weight
    given = {a: v for a, v in settings.reference.items() if a in grouping.attributes}
    candidates = [g for g, lab in enumerate(labels) if all(lab[a] == v for a, v in given.items())]
    if given:
        rule = "given: " + ", ".join(f"{a}={v}" for a, v in given.items())
        if len(given) < len(grouping.attributes):
            rule += "; largest such group"
    else:
        rule = "largest group"
    ref = max(candidates, key=lambda g: (weight[g], -g)) if candidates else None
    return (ref, rule) if with_rule else ref
