from __future__ import annotations

from accord.core import UsageError


def parse_bins(values: list[str] | None) -> dict[str, list[float]] | None:
    """Parse ``--bins age=25,45`` (repeatable) into ``{"age": [25.0, 45.0]}``.

    Examples
    --------
    >>> parse_bins(["age=25,45", "income=1e4"])
    {'age': [25.0, 45.0], 'income': [10000.0]}
    """
    if not values:
        return None
    out: dict[str, list[float]] = {}
    current: str | None = None
    for text in values:
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            if "=" in part:
                current, part = (s.strip() for s in part.split("=", 1))
                out[current] = []
            if current is None:
                raise UsageError(
                    "bins are written COL=EDGE,EDGE", value=text, fix="e.g. --bins age=25,45"
                )
            try:
                out[current].append(float(part))
            except ValueError:
                raise UsageError(
                    "a bin edge is not a number",
                    column=current,
                    value=part,
                    fix="e.g. --bins age=25,45",
                ) from None
    return out
