"""How findings name groups and print numbers: shared by messages and every renderer."""

from __future__ import annotations

from accord.core import Estimate


def format_key(key: dict[str, str] | None, *, empty: str = "overall") -> str:
    """Return a group as ``sex=Female, race=Black`` (``empty`` for no key).

    Examples
    --------
    >>> format_key({"sex": "Female", "race": "Black"})
    'sex=Female, race=Black'
    """
    if not key:
        return empty
    return ", ".join(f"{k}={v}" for k, v in key.items())


def format_estimate(est: Estimate | None, digits: int = 3) -> str:
    """Return a value with its interval, ``0.62 [0.55, 0.7]``; ``n/a`` when there is none.

    Examples
    --------
    >>> format_estimate(Estimate(value=0.62, ci_low=0.551, ci_high=0.7))
    '0.62 [0.551, 0.7]'
    """
    if est is None or est.value is None:
        return "n/a" if est is None else est.status.value.replace("_", " ")
    if est.ci_low is not None and est.ci_high is not None:
        return f"{est.value:.{digits}g} [{est.ci_low:.{digits}g}, {est.ci_high:.{digits}g}]"
    return f"{est.value:.{digits}g}"


_SYMBOLS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}


def format_threshold(threshold: dict[str, float], judge: str = "point") -> str:
    """Return a finding's threshold as text, naming the judged number when it is a bound.

    Examples
    --------
    >>> format_threshold({"gte": 0.8}, "ci_upper")
    '>= 0.8 (ci upper)'
    """
    text = " and ".join(f"{_SYMBOLS.get(k, k)} {v:g}" for k, v in threshold.items())
    return text + ("" if judge == "point" else f" ({judge.replace('_', ' ')})")
