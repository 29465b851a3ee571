from __future__ import annotations

import json
import math
from typing import Any

SIGNIFICANT_DIGITS = 12


def canonical(value: Any) -> Any:
    """Round floats to 12 significant digits and turn NaN and infinity into None.

    Sums taken by different engines (pandas, Polars, Spark) can differ in the
    last bits because they add in a different order; rounding makes the JSON
    of the same audit identical whatever engine ran it.

    Examples
    --------
    >>> canonical({"a": [0.1 + 0.2, float("nan")]})
    {'a': [0.3, None]}
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value == 0.0:
            return 0.0
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Serialise to canonical JSON (sorted keys are not used: field order is meaningful)."""
    return json.dumps(canonical(value), indent=indent, ensure_ascii=False, allow_nan=False)
