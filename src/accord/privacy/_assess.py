"""accord.privacy.assess: open the data, one pass, and the risk assessment from its counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from accord import __version__
from accord.core import SUPPRESS_BELOW, DataError, Progress, SilentProgress, UsageError, preload
from accord.engine import PrivacyPass, distinct_counts, privacy_pass
from accord.io import Roles, check_roles, column_names, open_source
from accord.privacy._attributes import rank_attributes
from accord.privacy._classes import ClassTable, build_classes
from accord.privacy._dp import dp_counts
from accord.privacy._groups import group_codes
from accord.privacy._report import (
    ClassSummary,
    DeltaPresence,
    PrivacyInput,
    PrivacyResult,
    PrivacySettings,
)
from accord.privacy._risk import risk_summary
from accord.privacy._stats import class_summary, closeness, diversity
from accord.privacy._suggest import QuasiIdentifierSuggestion, suggest_quasi_identifiers
from accord.privacy._uniqueness import REGIONS, population_uniqueness

#: A column with more distinct values than this share of the rows is an identifier, not a QI.
IDENTIFIER_SHARE = 0.5
#: Candidate columns looked at when suggesting quasi-identifiers.
MAX_CANDIDATES = 12


def classes_from_pass(ppass: PrivacyPass) -> ClassTable:
    """The class table of a privacy pass (QI strata summed over the sensitive values).

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import privacy_pass
    >>> lf = nw.from_native(pl.LazyFrame({"zip": ["1", "1", "2"], "dx": ["a", "b", "a"]}))
    >>> t = classes_from_pass(privacy_pass(lf, ["zip"], ["dx"]))
    >>> t.sizes.tolist(), t.key(1), t.sensitive["dx"].count.tolist()
    ([2, 1], {'zip': '2'}, [1, 1, 1])
    """
    s = ppass.strata
    return build_classes(
        {q: s.codes[q] for q in ppass.quasi_identifiers},
        {q: s.levels[q] for q in ppass.quasi_identifiers},
        s.count,
        {a: s.codes[a] for a in ppass.sensitive},
        {a: s.levels[a] for a in ppass.sensitive},
        numeric=[a for a in ppass.sensitive if a in ppass.numeric],
    )


def assess(
    data: Any,
    *,
    quasi_identifiers: Sequence[str] | str | None = None,
    sensitive: Sequence[str] | str = (),
    population_size: float | None = None,
    population: str | None = None,
    population_table: Any = None,
    risk_threshold: float = 0.2,
    recursive_l: int = 2,
    max_order: int = 2,
    suppress_below: int = SUPPRESS_BELOW,
    dp_epsilon: float | None = None,
    null_values: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> PrivacyResult:
    """Assess the re-identification risk of a dataset.

    One pass groups the rows by the quasi-identifiers (and sensitive values);
    everything else is computed from those counts.

    Parameters
    ----------
    data
        A CSV, Parquet or Arrow IPC path, or any dataframe narwhals accepts.
    quasi_identifiers
        Columns an attacker may know. None: accord suggests them (columns and
        small combinations that make many records unique) and assesses those.
    sensitive
        Attributes for l-diversity and t-closeness.
    population_size
        Size of the population the data is a sample of (population uniqueness).
    population
        A region instead of a size (``usa``, ``uk``, ``china``, ... as in ARX).
    population_table
        A population table (path or frame) with the same quasi-identifiers, of which
        the data is a subset: journalist and marketer risk use its classes, and
        delta-presence is measured against it.
    risk_threshold
        A record is at risk when its re-identification probability exceeds this.
    recursive_l
        The ``l`` of recursive (c, l)-diversity.
    max_order
        Largest combination of quasi-identifiers in the risk ranking.
    suppress_below
        Counts of records below this are suppressed in the report (0 or 1 turns it off).
    dp_epsilon
        Also release the number of classes per size bin with epsilon-differential privacy
        (OpenDP); one person moves one class between two bins, so the sensitivity is 2.
    null_values
        Extra strings that mean "missing" in a CSV file.
    progress
        Where to report progress.

    Returns
    -------
    PrivacyResult

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"age": [30, 30, 41], "zip": ["1", "1", "2"]})
    >>> assess(df, quasi_identifiers=["age", "zip"]).k_anonymity
    1
    """
    progress = progress or SilentProgress()
    if not 0.0 < risk_threshold <= 1.0:
        raise UsageError("the risk threshold must be in (0, 1]", value=risk_threshold)
    if recursive_l < 2:
        raise UsageError("recursive (c, l)-diversity needs l >= 2", value=recursive_l)
    if suppress_below < 0:
        raise UsageError(
            "suppress_below must be 0 or more (0 or 1 turns suppression off)",
            column="suppress_below",
            value=suppress_below,
            fix="give a count such as 10, or 0 to show every count",
        )
    qis = column_names(quasi_identifiers) if quasi_identifiers is not None else []
    sens = column_names(sensitive)
    progress.stage("Reading the data")
    source = open_source(data, null_values=null_values)
    schema = source.frame.collect_schema()
    warnings: list[str] = []
    suggestion: QuasiIdentifierSuggestion | None = None
    if not qis:
        progress.stage("Looking for quasi-identifiers")
        suggestion = _suggest(source.frame, [c for c in schema if c not in sens])
        qis = suggestion.suggested
        if not qis:
            raise UsageError(
                "no column or small combination of columns makes records unique",
                fix="name the quasi-identifiers with --quasi-identifiers",
            )
        warnings.append(
            f"quasi-identifiers were not given: the suggested set {', '.join(qis)} was assessed"
        )
    check_roles(Roles(sensitive=tuple(sens), quasi_identifiers=tuple(qis)), schema)
    if len(set(qis)) != len(qis):
        raise UsageError("a quasi-identifier is named twice", value=qis)
    progress.stage("Computing the equivalence classes")
    # The uniqueness models need scipy (a third of a second to import): import it while
    # the engine's threads run the pass.
    preload(["scipy.special", "scipy.optimize"])
    ppass = privacy_pass(source.frame, qis, sens)
    table = classes_from_pass(ppass)
    n = table.n_rows
    pop_size, pop_source = _population_size(population_size, population, n)
    delta: DeltaPresence | None = None
    pop_class_sizes: np.ndarray | None = None
    if population_table is not None:
        progress.stage("Computing the population's classes")
        pop_source_obj = open_source(population_table, null_values=null_values)
        pop = classes_from_pass(privacy_pass(pop_source_obj.frame, qis))
        pop_class_sizes, delta = _match_population(table, pop)
        if pop_size is None:
            pop_size, pop_source = float(pop.n_rows), "population table"
    progress.stage("Computing the risk measures")
    uniq = population_uniqueness(table.sizes, pop_size) if pop_size is not None else None
    if uniq is not None:
        warnings += [
            f"population uniqueness: the {e.model} estimate failed ({e.reason})"
            for e in uniq.estimates
            if e.status == "failed"
        ]
    ranking = rank_attributes(table, max_order=min(max_order, len(qis)))
    return PrivacyResult(
        accord_version=__version__,
        created_at=datetime.now(UTC),
        input=PrivacyInput(
            **source.describe(),
            rows=n,
            columns={c: str(schema[c]) for c in (*qis, *sens)},
            content_sha256=ppass.strata.fingerprint(),
        ),
        quasi_identifiers=list(qis),
        sensitive=list(sens),
        settings=PrivacySettings(
            risk_threshold=risk_threshold,
            population_size=pop_size,
            population_source=pop_source,
            recursive_l=recursive_l,
            suppress_below=suppress_below,
            max_order=max_order,
            dp_epsilon=dp_epsilon,
        ),
        k_anonymity=int(table.sizes.min()),
        classes=_with_dp(class_summary(table.sizes, suppress_below), table.sizes, dp_epsilon),
        l_diversity=[diversity(table, a, recursive_l) for a in sens],
        t_closeness=[closeness(table, a) for a in sens],
        delta_presence=delta,
        risk=risk_summary(table.sizes, risk_threshold, pop_class_sizes),
        population_uniqueness=uniq,
        attribute_risk=ranking,
        suggestion=suggestion,
        warnings=warnings,
    )


def _with_dp(summary: ClassSummary, sizes: np.ndarray, epsilon: float | None) -> ClassSummary:
    if epsilon is None:
        return summary
    from accord.privacy._stats import SIZE_BINS

    counts = [
        int(((sizes >= lo) & (sizes <= (hi if hi is not None else np.inf))).sum())
        for lo, hi in SIZE_BINS
    ]
    release = dp_counts([b.label for b in summary.histogram], counts, epsilon, sensitivity=2)
    return summary.model_copy(update={"dp_histogram": release})


def _population_size(
    size: float | None, region: str | None, n: int
) -> tuple[float | None, str | None]:
    if size is not None and region is not None:
        raise UsageError("give a population size or a region, not both")
    if region is not None:
        key = region.strip().lower().replace("_", "-").replace(" ", "-")
        if key not in REGIONS:
            raise UsageError(
                "unknown population region",
                value=region,
                fix=f"use one of {', '.join(sorted(REGIONS))}, or a size",
            )
        size, source = float(REGIONS[key]), f"region {key}"
    elif size is not None:
        source = "given size"
    else:
        return None, None
    if size < n:
        raise UsageError(
            "the population is smaller than the data",
            value=size,
            fix=f"give a population of at least {n} people",
        )
    return float(size), source


def _match_population(table: ClassTable, pop: ClassTable) -> tuple[np.ndarray, DeltaPresence]:
    """Size of every sample class in the population, and delta-presence."""
    qis = table.quasi_identifiers
    mapped = []
    for q in qis:
        index = {v: i for i, v in enumerate(pop.levels[q])}
        missing = [v for v in table.levels[q] if v not in index]
        if missing:
            raise DataError(
                "the population table lacks a value the data has",
                column=q,
                value=missing[0],
                fix="pass a population that contains the data",
            )
        lookup = np.array([index[v] for v in table.levels[q]], dtype=np.int64)
        mapped.append(lookup[table.codes[q]])
    radices = [len(pop.levels[q]) for q in qis]
    both = [np.concatenate([pop.codes[q], m]) for q, m in zip(qis, mapped, strict=True)]
    inverse, _ = group_codes(both, radices)
    pop_ids, sample_ids = inverse[: pop.n_classes], inverse[pop.n_classes :]
    position = {int(g): i for i, g in enumerate(pop_ids)}
    idx = np.array([position.get(int(g), -1) for g in sample_ids], dtype=np.int64)
    if (idx < 0).any():
        raise DataError(
            "a combination of quasi-identifiers in the data is not in the population table",
            fix="pass a population that contains the data",
        )
    pop_sizes = pop.sizes[idx]
    if (pop_sizes < table.sizes).any():
        raise DataError(
            "a class of the data is larger than in the population table",
            fix="pass a population that contains the data",
        )
    sample_in_pop = np.zeros(pop.n_classes)
    sample_in_pop[idx] = table.sizes
    share = sample_in_pop / pop.sizes
    return pop_sizes, DeltaPresence(
        delta_min=float(share.min()),
        delta_max=float(share.max()),
        population_rows=pop.n_rows,
        population_classes=pop.n_classes,
    )


def _suggest(frame: Any, columns: list[str]) -> QuasiIdentifierSuggestion:
    counts = distinct_counts(frame, columns)
    n = int(frame.select(_len()).collect(backend="polars").to_native().item())
    identifiers = {c: v / n for c, v in counts.items() if v > IDENTIFIER_SHARE * n}
    candidates = sorted(
        (c for c in columns if c not in identifiers and counts[c] > 1), key=lambda c: -counts[c]
    )[:MAX_CANDIDATES]
    if not candidates:
        return QuasiIdentifierSuggestion(
            suggested=[],
            identifiers=sorted(identifiers),
            combinations=[],
            min_unique_share=0.01,
            max_size=3,
        )
    table = classes_from_pass(privacy_pass(frame, candidates))
    return suggest_quasi_identifiers(table, identifiers=identifiers)


def _len() -> Any:
    import narwhals as nw

    return nw.len()
