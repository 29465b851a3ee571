"""From the strata of the inclusion passes to every statistic and finding (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from accord.core import Progress, SilentProgress
from accord.engine import InclusionPass
from accord.inclusion._cells import build_cells
from accord.inclusion._coverage import coverage
from accord.inclusion._disclosure import withhold_small_counts
from accord.inclusion._findings import findings
from accord.inclusion._geo import SOURCE
from accord.inclusion._missingness import missingness
from accord.inclusion._models import InclusionSettings, InclusionStats
from accord.inclusion._performance import performance
from accord.inclusion._proxies import proxies
from accord.inclusion._reference import ReferencePopulation
from accord.inclusion._representation import representation


def analyse(
    ipass: InclusionPass,
    *,
    references: Sequence[ReferencePopulation] = (),
    geography: Sequence[str] | None = None,
    label: str | None = None,
    prediction: str | None = None,
    positive: str | None = None,
    settings: InclusionSettings | None = None,
    progress: Progress | None = None,
) -> InclusionStats:
    """Compute an inclusion audit from the strata of its passes.

    Parameters
    ----------
    ipass
        The strata of :func:`accord.engine.inclusion_pass`.
    references
        Reference populations to compare the groups with.
    geography
        Group attributes that hold countries (None: detected from their values).
    label, prediction
        Their columns, for performance by group.
    positive
        The positive class of a binary label that is not 0/1 (accuracy does not
        depend on it).
    settings
        Thresholds, interval level, bootstrap, ...
    progress
        Where to report progress.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import inclusion_pass
    >>> lf = nw.from_native(pl.LazyFrame({"lang": ["en"] * 50 + ["sw"] * 10}))
    >>> stats = analyse(inclusion_pass(lf, ["lang"], proxies=False))
    >>> [(b.key, b.n, b.needed) for b in stats.coverage.blind_spots]
    [({'lang': 'sw'}, 10, 381)]
    """
    settings = settings or InclusionSettings()
    floor: list[str] = []
    if settings.suppress_below > settings.min_group_size:
        # A group whose count is withheld must not show statistics that give it away.
        floor = [
            f"min_group_size {settings.min_group_size} is below suppress_below "
            f"{settings.suppress_below}: groups of fewer than {settings.suppress_below} rows "
            "are not evaluated (lower --suppress-below to evaluate them)"
        ]
        settings = settings.model_copy(update={"min_group_size": settings.suppress_below})
    progress = progress or SilentProgress()
    progress.stage("Computing inclusion statistics", total=5)
    cells, warnings = build_cells(
        ipass, geography=geography, label=label, prediction=prediction, positive=positive
    )
    rep, rep_warnings = representation(cells, references, settings)
    progress.advance()
    cov = coverage(cells, rep, settings)
    progress.advance()
    perf = performance(cells, settings)
    progress.advance()
    miss = missingness(cells, settings)
    progress.advance()
    prox = proxies(ipass, settings)
    progress.advance()
    geo = any(d.kind == "country" for d in cells.dimensions)
    stats = InclusionStats(
        rows=cells.rows,
        dimensions=list(cells.dimensions),
        representation=rep,
        coverage=cov,
        performance=perf,
        missingness=miss,
        proxies=prox,
        proxy_skipped=dict(ipass.skipped),
        findings=findings(rep, cov, perf, miss, prox, settings),
        settings=settings,
        passes=ipass.passes,
        content_sha256=ipass.cells.fingerprint(),
        geography=SOURCE if geo else None,
        warnings=[*floor, *ipass.warnings, *warnings, *rep_warnings],
    )
    return withhold_small_counts(stats)
