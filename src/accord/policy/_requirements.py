"""Which framework requirements a check is evidence for.

A check names requirement ids itself (free text is allowed); the governance catalog adds
the ids it maps the check's type (``fairness.selection_rate.ratio``) and its preset
(``four-fifths``) to.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.governance import requirements_for_check


def linked_requirements(check_type: str, preset: str | None, declared: Sequence[str]) -> list[str]:
    """Return the requirement ids of a check: those it declares, then the catalog's.

    Parameters
    ----------
    check_type
        The check's type, e.g. ``fairness.selection_rate.ratio``.
    preset
        The preset the check comes from, e.g. ``nyc-ll144``.
    declared
        The ids the policy writes on the check.

    Examples
    --------
    >>> ids = linked_requirements("fairness.tpr.difference", None, ["my-team:fairness-1"])
    >>> ids[0], "NIST-RMF:MEASURE-2.11" in ids
    ('my-team:fairness-1', True)
    """
    ids = list(declared)
    ids += requirements_for_check(check_type)
    if preset is not None:
        ids += requirements_for_check(preset)
    return list(dict.fromkeys(ids))
