"""accord.inclusion.assess: open the data, run the inclusion passes, compute the statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field

from accord import __version__
from accord.core import JsonRecord, Progress, SilentProgress, UsageError, published_schema
from accord.engine import inclusion_pass
from accord.inclusion._analyse import analyse
from accord.inclusion._models import InclusionSettings, InclusionStats, make_settings
from accord.inclusion._reference import ReferencePopulation, ReferenceSpec, load_reference
from accord.io import Roles, check_roles, column_names, open_source

SCHEMA_VERSION = "1"


class SourceInfo(BaseModel):
    """Where the data came from, and its fingerprints."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["file", "stdin", "frame"]
    library: str
    path: str | None = None
    format: str | None = None
    rows: int
    file_sha256: str | None = None
    content_sha256: str = Field(description="SHA-256 of the cell table of the cells pass.")


class InclusionResult(JsonRecord):
    """The record of one inclusion audit (``accord inclusion``): inputs, roles and statistics.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"lang": ["en"] * 60 + ["sw"] * 40})
    >>> r = assess(df, groups=["lang"], reference={"lang": {"en": 0.5, "sw": 0.5}},
    ...            bootstrap=0)
    >>> [(g.group, g.ratio.value) for g in r.stats.representation[0].groups]
    [('sw', 0.8), ('en', 1.2)]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal["1"] = "1"
    accord_version: str
    created_at: datetime
    input: SourceInfo
    groups: list[str]
    label: str | None = None
    prediction: str | None = None
    references: list[ReferencePopulation] = Field(default_factory=list)
    stats: InclusionStats


def json_schema() -> dict[str, Any]:
    """Build the JSON Schema of InclusionResult, as published in ``schemas/``.

    Examples
    --------
    >>> json_schema()["$id"]
    'urn:accord:schema:inclusion-result:1'
    """
    return published_schema(InclusionResult, "urn:accord:schema:inclusion-result:1")


def assess(
    data: Any,
    groups: Sequence[str] | str,
    reference: ReferenceSpec | None = None,
    label: str | None = None,
    prediction: str | None = None,
    *,
    country: Sequence[str] | str | None = None,
    features: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    positive: str | None = None,
    bins: Mapping[str, Sequence[float]] | None = None,
    proxies: bool = True,
    min_group_size: int | None = None,
    ci_width: float | None = None,
    planning_rate: float | None = None,
    max_order: int | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    suppress_below: int | None = None,
    settings: InclusionSettings | None = None,
    null_values: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> InclusionResult:
    """Audit who the data and the model leave out.

    Representation against a reference population, coverage gaps (blind spots)
    with the labelled examples each needs, accuracy across countries, UN M49
    sub-regions and regions (with labels and predictions), missingness by
    group, and proxies of the group attributes.

    Parameters
    ----------
    data
        A CSV, Parquet or Arrow IPC path, or a dataframe (pandas, Polars,
        PyArrow, DuckDB, PySpark, ...).
    groups
        Group attributes (country, language, ...), as a list or ``"a,b"``.
    reference
        A reference population: a ``.csv`` / ``.yaml`` file, the name of a
        bundled one (``us-census-1990``), or ``{attribute: {group: share}}``.
    label, prediction
        The true outcome and the model's prediction (both or neither).
    country
        Group attributes that hold countries; default: detected from the values.
    features
        Columns examined as proxies; default: every column without a role.
    exclude
        Columns never examined as proxies (a score, an id, ...).
    positive
        The positive class of a binary label that is not 0/1.
    bins
        Bin edges of numeric group attributes, e.g. ``{"age": [25, 45]}``.
    proxies
        Whether to measure proxies (one more pass).
    min_group_size, ci_width, planning_rate, max_order, bootstrap, seed, suppress_below
        Shortcuts for the same fields of ``settings`` (``suppress_below``: a group of
        fewer rows has its count withheld, default 10; 0 or 1: counts shown).
    settings
        Every threshold and option (see :class:`InclusionSettings`).
    null_values
        Extra strings that mean "missing" in a CSV file.
    progress
        Where to report progress.

    Returns
    -------
    InclusionResult

    Examples
    --------
    >>> import os, accord
    >>> path = os.path.join(accord.__path__[0], "data", "adult_demo.parquet")
    >>> r = assess(path, groups="sex", reference="us-census-1990", proxies=False, bootstrap=0)
    >>> [(g.group, round(g.share.value, 3), round(g.reference_share, 3), g.status)
    ...  for g in r.stats.representation[0].groups]
    [('Female', 0.333, 0.513, 'under'), ('Male', 0.667, 0.487, 'over')]
    """
    progress = progress or SilentProgress()
    group_list = column_names(groups)
    refs = load_reference(reference, groups=group_list) if reference is not None else []
    progress.stage("Reading the data and running the inclusion passes")
    source = open_source(data, null_values=null_values)
    stats = measure(
        source.frame,
        group_list,
        references=refs,
        label=label,
        prediction=prediction,
        country=country,
        features=features,
        exclude=exclude,
        positive=positive,
        bins=bins,
        proxies=proxies,
        settings=_settings(
            settings,
            min_group_size=min_group_size,
            ci_width=ci_width,
            planning_rate=planning_rate,
            max_order=max_order,
            bootstrap=bootstrap,
            seed=seed,
            suppress_below=suppress_below,
        ),
        progress=progress,
    )
    return InclusionResult(
        accord_version=__version__,
        created_at=datetime.now(UTC),
        input=SourceInfo(
            **source.describe(),
            rows=stats.rows,
            content_sha256=stats.content_sha256,
        ),
        groups=group_list,
        label=label,
        prediction=prediction,
        references=refs,
        stats=stats,
    )


def measure(
    frame: nw.LazyFrame[Any],
    groups: Sequence[str],
    *,
    references: Sequence[ReferencePopulation] = (),
    label: str | None = None,
    prediction: str | None = None,
    country: Sequence[str] | str | None = None,
    features: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    positive: str | None = None,
    bins: Mapping[str, Sequence[float]] | None = None,
    proxies: bool = True,
    settings: InclusionSettings | None = None,
    progress: Progress | None = None,
) -> InclusionStats:
    """Run the inclusion passes on an opened frame and compute the statistics.

    This is what :func:`assess` and ``accord audit`` (with a reference
    population) call once the data is open; the arguments are those of
    :func:`assess`.

    Examples
    --------
    >>> import polars as pl
    >>> lf = nw.from_native(pl.LazyFrame({"g": ["a"] * 12 + ["b"] * 12, "y": [1] * 24,
    ...                                   "p": [1] * 12 + [1, 0] * 6}))
    >>> s = measure(lf, ["g"], label="y", prediction="p",
    ...             settings=make_settings(min_group_size=10, bootstrap=0))
    >>> [(x.key["g"], x.accuracy.value) for x in s.performance.groupings[0].groups]
    [('a', 1.0), ('b', 0.5)]
    """
    settings = settings or InclusionSettings()
    group_list = list(groups)
    if not group_list:
        raise UsageError("name at least one group attribute", fix="pass --groups COL")
    if (label is None) != (prediction is None):
        raise UsageError(
            "give both a label and a prediction, or neither",
            column=label or prediction,
            fix="pass --label COL --prediction COL for performance by group",
        )
    schema = frame.collect_schema()
    check_roles(Roles(label=label, prediction=prediction, sensitive=tuple(group_list)), schema)
    for c in [*(features or []), *exclude]:
        check_roles(Roles(sensitive=(c,)), schema)
    ipass = inclusion_pass(
        frame,
        group_list,
        label=label,
        prediction=prediction,
        features=features,
        exclude=exclude,
        bins=bins,
        proxies=proxies,
        max_levels=settings.max_levels,
    )
    progress = progress or SilentProgress()
    progress.advance()
    geography = column_names(country) if country is not None else None
    return analyse(
        ipass,
        references=references,
        geography=geography,
        label=label,
        prediction=prediction,
        positive=positive,
        settings=settings,
        progress=progress,
    )


def _settings(base: InclusionSettings | None, **overrides: Any) -> InclusionSettings:
    data = (base or InclusionSettings()).model_dump()
    data.update({k: v for k, v in overrides.items() if v is not None})
    return make_settings(**data)
