"""Which framework requirements a check is evidence for.

A check names requirement ids itself (free text is allowed); the governance catalog,
when it is installed, adds the ids it maps the check's type and preset to. The catalog
is looked up at run time, so that policies work before and after it exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import cache

Lookup = Callable[[str], Sequence[str]]


def linked_requirements(check_type: str, preset: str | None, declared: Sequence[str]) -> list[str]:
    """Return the requirement ids of a check: those it declares, then the catalog's.

    Parameters
    ----------
    check_type
        The check's type, e.g. ``fairness.selection_rate.impact_ratio``.
    preset
        The preset the check comes from, e.g. ``nyc-ll144``.
    declared
        The ids the policy writes on the check.

    Examples
    --------
    >>> linked_requirements("fairness.tpr.difference", None, ["NIST-RMF:MEASURE-2.11"])[0]
    'NIST-RMF:MEASURE-2.11'
    """
    ids = list(declared)
    lookup = governance_lookup()
    if lookup is not None:
        ids += lookup(check_type)
        if preset is not None:
            ids += lookup(preset)
    return list(dict.fromkeys(ids))


@cache
def governance_lookup() -> Lookup | None:
    """Return ``accord.governance.requirements_for`` when the catalog provides it, else None.

    The function takes a check type or a preset name and returns requirement ids.
    """
    try:
        module = importlib.import_module("accord.governance")
    except ModuleNotFoundError as exc:
        if exc.name in ("accord.governance", "accord"):
            return None
        raise
    found = getattr(module, "requirements_for", None)
    return found if callable(found) else None
