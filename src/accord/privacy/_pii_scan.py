"""accord.privacy.scan_pii: sample the rows (engine), then look for identifiers (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from accord import __version__
from accord.core import Progress, SilentProgress, UsageError
from accord.engine import sample_rows
from accord.io import Roles, check_roles, open_source
from accord.privacy._pii import PiiResult, scan_values
from accord.privacy._recognizers import RECOGNIZERS


def scan_pii(
    data: Any,
    *,
    columns: Sequence[str] | None = None,
    sample: int = 10_000,
    null_values: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> PiiResult:
    """Scan a table's columns (names and values, structured or free text) for direct
    identifiers: e-mail, phone, payment card, IBAN, IP address, date of birth, national ids
    (US SSN, China resident id, UK NINO, India Aadhaar, and any registered), person names.

    Parameters
    ----------
    data
        A file path or any dataframe narwhals accepts.
    columns
        Columns to scan (default: all).
    sample
        At most this many rows are looked at, spread evenly over the data.
    null_values
        Extra strings that mean "missing" in a CSV file.
    progress
        Where to report progress.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"email": ["a@example.org", "b@example.net"], "x": [1, 2]})
    >>> [f.entity for f in scan_pii(df).findings]
    ['EMAIL_ADDRESS']
    """
    progress = progress or SilentProgress()
    if sample < 1:
        raise UsageError("the sample must hold at least one row", value=sample)
    source = open_source(data, null_values=null_values)
    schema = source.frame.collect_schema()
    cols = list(columns) if columns else list(schema)
    check_roles(Roles(quasi_identifiers=tuple(cols)), schema)
    progress.stage("Sampling the rows")
    picked = sample_rows(source.frame, cols, sample)
    progress.stage("Looking for identifiers", total=len(cols))
    findings = []
    for c in cols:
        findings += scan_values({c: picked.values[c]})
        progress.advance()
    return PiiResult(
        accord_version=__version__,
        created_at=datetime.now(UTC),
        path=source.path,
        rows=picked.rows,
        sampled_rows=picked.sampled,
        columns=cols,
        findings=findings,
        entities=sorted({r.entity for r in RECOGNIZERS} | {"PERSON"}),
    )
