from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``name``, or None when nothing is close.

    Case differences count as close: ``Income`` suggests ``income``.

    Examples
    --------
    >>> closest("incme", ["income", "age"])
    'income'
    """
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if name.lower() in lowered:
        return lowered[name.lower()]
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(name: str, candidates: Iterable[str], otherwise: str) -> str:
    """The fix for an unknown name: the closest candidate, or ``otherwise`` when none is close.

    Examples
    --------
    >>> did_you_mean("incme", ["income", "age"], "columns are: income, age")
    "did you mean 'income'?"
    >>> did_you_mean("zzz", ["income", "age"], "columns are: income, age")
    'columns are: income, age'
    """
    hint = closest(name, candidates)
    return f"did you mean {hint!r}?" if hint else otherwise


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number, with thousands separators.

    Examples
    --------
    >>> count_of(1, "null value"), count_of(1204, "null value")
    ('1 null value', '1,204 null values')
    """
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
