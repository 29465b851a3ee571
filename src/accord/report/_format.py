"""How numbers, intervals, groups and statuses are written in every report.

One place for the wording, so the HTML, Markdown and terminal reports say the
same thing the same way: a group too small reads ``insufficient data``, an
undefined rate reads ``undefined``, never a bare number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from accord.core import Estimate, FindingStatus, ValueStatus, coarsen_count

INSUFFICIENT = "insufficient data"
UNDEFINED = "undefined"
GROUP_SEP = " · "
GROUPING_SEP = " × "

STATUS_TEXT = {
    ValueStatus.OK: "",
    ValueStatus.INSUFFICIENT_DATA: INSUFFICIENT,
    ValueStatus.UNDEFINED: UNDEFINED,
}


def _spec(magnitude: float) -> str:
    if magnitude >= 1000:
        return ",.0f"
    if magnitude >= 100:
        return ",.1f"
    if magnitude >= 10:
        return ",.2f"
    if magnitude >= 0.001 or magnitude == 0:
        return ".3f"
    return ".3g"


def number(value: float | None, like: float | None = None) -> str:
    """A metric value, short but exact enough to compare groups.

    ``like``: write the value with the precision chosen for that other value (the
    bounds of an interval follow its estimate).

    Examples
    --------
    >>> number(0.15281), number(-0.0004213), number(1234.5), number(None)
    ('0.153', '-0.000421', '1,234', '—')
    >>> number(0.000293, like=0.0012)
    '0.000'
    """
    if value is None or not math.isfinite(value):
        return "—"
    reference = abs(like) if like is not None and math.isfinite(like) else abs(value)
    text = format(value, _spec(reference))
    # -0.000 reads as a sign that is not there.
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def signed(value: float, digits: int = 2) -> str:
    """A difference with its sign, never ``-0.00``.

    Examples
    --------
    >>> signed(0.123), signed(-0.0004), signed(-0.2)
    ('+0.12', '0.00', '-0.20')
    """
    rounded = round(value, digits)
    if rounded == 0:
        return f"{0:.{digits}f}"
    return f"{rounded:+.{digits}f}"


def interval(est: Estimate, sep: str = ", ") -> str:
    """The confidence interval of ``est`` as ``low, high`` (empty when it has none)."""
    if est.ci_low is None or est.ci_high is None:
        return ""
    like = est.value if est.value is not None else est.ci_high
    return f"{number(est.ci_low, like)}{sep}{number(est.ci_high, like)}"


def missing_text(est: Estimate | None) -> str | None:
    """The words for an estimate without a value, or None when it has one."""
    if est is None:
        return UNDEFINED
    if est.status != ValueStatus.OK or est.value is None:
        return STATUS_TEXT.get(est.status) or UNDEFINED
    return None


def estimate(est: Estimate | None) -> str:
    """An estimate with its interval in brackets: ``0.153 [0.138, 0.169]``.

    Examples
    --------
    >>> estimate(Estimate(value=0.5, ci_low=0.4, ci_high=0.6))
    '0.500 [0.400, 0.600]'
    >>> estimate(Estimate.missing(ValueStatus.INSUFFICIENT_DATA))
    'insufficient data'
    """
    words = missing_text(est)
    if words is not None:
        return words
    assert est is not None
    ci = interval(est)
    return f"{number(est.value)} [{ci}]" if ci else number(est.value)


def estimate_prose(est: Estimate | None, level: float) -> str:
    """An estimate for a sentence: ``0.153 (95% CI 0.138 to 0.169)``."""
    words = missing_text(est)
    if words is not None:
        return words
    assert est is not None
    ci = interval(est, " to ")
    return f"{number(est.value)} ({percent(level)} CI {ci})" if ci else number(est.value)


#: Readable names of the interval methods' short codes.
METHOD_NAMES = {
    "wilson": "Wilson score interval (Kish's effective sample size when weighted)",
}


def method(code: str | None) -> str:
    """An interval method's readable name.

    Examples
    --------
    >>> method("wilson")
    "Wilson score interval (Kish's effective sample size when weighted)"
    """
    if not code:
        return "none"
    return METHOD_NAMES.get(code, code)


def edge(value: float) -> str:
    """A bin edge as written on the command line: ``30``, ``2.5``."""
    return f"{value:g}"


def percent(level: float) -> str:
    """A confidence level as a percentage.

    Examples
    --------
    >>> percent(0.95), percent(0.995)
    ('95%', '99.5%')
    """
    return f"{level * 100:g}%"


def p_value(p: float | None) -> str:
    """A p-value: two significant digits, or ``<0.001``-style bounds for tiny ones.

    Examples
    --------
    >>> p_value(0.04567), p_value(2.7e-54), p_value(None)
    ('0.046', '<0.001', '—')
    """
    if p is None or not math.isfinite(p):
        return "—"
    if p < 0.001:
        return "<0.001"
    return f"{p:.2g}"


def group(key: Mapping[str, str], attributes: Sequence[str] | None = None) -> str:
    """A group's name: its values in the grouping's attribute order, ``female · black``."""
    names = list(attributes) if attributes is not None else list(key)
    return GROUP_SEP.join(str(key[a]) for a in names if a in key) or "everyone"


def grouping(attributes: Sequence[str]) -> str:
    """A grouping's name: ``sex × race``."""
    return GROUPING_SEP.join(attributes) or "everyone"


def count(n: int | float | None, threshold: int) -> str:
    """A count of rows as every report prints it: ``<10`` when it is below the audit's
    ``suppress_below`` (or withheld in the record), ``1,234`` otherwise.

    Examples
    --------
    >>> count(5, 10), count(None, 10), count(5, 0), count(12345, 10)
    ('<10', '<10', '5', '12,345')
    """
    if n is None and threshold <= 1:
        return "withheld"
    return coarsen_count(n, threshold)


def n_of(n: int | float | None, threshold: int) -> str:
    """A group's size as a parenthesis prints it: ``n=1,234``, or ``n<10`` when withheld.

    Examples
    --------
    >>> n_of(1234, 10), n_of(5, 10), n_of(None, 10)
    ('n=1,234', 'n<10', 'n<10')
    """
    text = count(n, threshold)
    return f"n{text}" if text.startswith("<") else f"n={text}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 group``, ``3 groups``.

    Examples
    --------
    >>> plural(1, "group"), plural(3, "group"), plural(2, "query", "queries")
    ('1 group', '3 groups', '2 queries')
    """
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def lower_first(text: str) -> str:
    """A title in running text: ``Selection rate`` -> ``selection rate``; ``AUC`` stays.

    Examples
    --------
    >>> lower_first("True positive rate"), lower_first("AUC"), lower_first("F1 score")
    ('true positive rate', 'AUC', 'F1 score')
    """
    if len(text) > 1 and (text[1].isupper() or text[1].isdigit()):
        return text
    return text[:1].lower() + text[1:]


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> join_words(["sex", "race", "age"])
    'sex, race and age'
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


#: Findings are listed worst first.
STATUS_ORDER = [
    FindingStatus.FAIL,
    FindingStatus.ERROR,
    FindingStatus.WARN,
    FindingStatus.INSUFFICIENT_DATA,
    FindingStatus.PASS,
]
STATUS_MARK = {
    FindingStatus.FAIL: "✗",
    FindingStatus.ERROR: "!",
    FindingStatus.WARN: "!",
    FindingStatus.INSUFFICIENT_DATA: "?",
    FindingStatus.PASS: "✓",
}
THRESHOLD_OPS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "=", "min": "≥", "max": "≤"}


def threshold_text(threshold: dict[str, float]) -> str:
    """A policy threshold in symbols: ``≥ 0.8``."""
    return (
        ", ".join(f"{THRESHOLD_OPS.get(op, op)} {number(v)}" for op, v in threshold.items()) or "—"
    )
