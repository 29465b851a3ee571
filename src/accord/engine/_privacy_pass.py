"""The privacy pass: equivalence classes of the quasi-identifiers, with sensitive histograms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from accord.core import UsageError
from accord.engine._strata import Strata, aggregate


@dataclass(frozen=True)
class PrivacyPass:
    """The cells of a privacy assessment and what their keys are.

    ``strata`` is keyed by the quasi-identifiers and then the sensitive
    attributes: one stratum per distinct combination found in the data, with
    its row count. Equivalence classes are the strata summed over the
    sensitive keys; every generalisation is a further roll-up of the same
    counts.
    """

    strata: Strata
    quasi_identifiers: tuple[str, ...]
    sensitive: tuple[str, ...]
    numeric: frozenset[str]


def privacy_pass(
    frame: nw.LazyFrame[Any],
    quasi_identifiers: Sequence[str],
    sensitive: Sequence[str] = (),
) -> PrivacyPass:
    """Group the rows by quasi-identifiers and sensitive attributes, in one pass.

    Parameters
    ----------
    frame
        The data, lazy, on its own engine.
    quasi_identifiers
        Columns an attacker may know about a person.
    sensitive
        Columns whose value must not be learnt (for l-diversity, t-closeness).

    Returns
    -------
    PrivacyPass
        The strata; nulls are kept as their own value.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> lf = nw.from_native(pl.LazyFrame({"zip": ["1", "1", "2"], "dx": ["a", "b", "a"]}))
    >>> p = privacy_pass(lf, ["zip"], ["dx"])
    >>> p.strata.size, p.strata.n_rows
    (3, 3)
    """
    qis = tuple(quasi_identifiers)
    sens = tuple(sensitive)
    overlap = set(qis) & set(sens)
    if overlap:
        raise UsageError(
            "a column is both a quasi-identifier and a sensitive attribute",
            column=sorted(overlap)[0],
            fix="give each column one role",
        )
    schema = frame.collect_schema()
    numeric = frozenset(
        c for c in (*qis, *sens) if schema[c].is_numeric() and schema[c] != nw.Boolean
    )
    strata = aggregate(frame, keys={c: nw.col(c) for c in (*qis, *sens)})
    return PrivacyPass(strata=strata, quasi_identifiers=qis, sensitive=sens, numeric=numeric)


def distinct_counts(frame: nw.LazyFrame[Any], columns: Sequence[str]) -> dict[str, int]:
    """Distinct values of each column (nulls count as one value), in one small pass.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> distinct_counts(nw.from_native(pl.LazyFrame({"a": [1, 1, None]})), ["a"])
    {'a': 2}
    """
    if not columns:
        return {}
    row = (
        frame.select(*[nw.col(c).n_unique().alias(f"c{i}") for i, c in enumerate(columns)])
        .collect(backend="polars")
        .to_native()
        .row(0)
    )
    return {c: int(v) for c, v in zip(columns, row, strict=True)}
