"""accord.privacy.anonymize: one pass, a search on the counts, then the rows recoded lazily."""

from __future__ import annotations

import csv
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from accord import __version__
from accord.core import DataError, JsonRecord, Progress, SilentProgress, UsageError
from accord.engine import RecodePlan, privacy_pass, recode
from accord.io import Roles, check_roles, open_source, write_frame
from accord.privacy._assess import classes_from_pass
from accord.privacy._classes import ClassTable, _histogram
from accord.privacy._config import AnonymizeConfig, HierarchySpec, parse_config
from accord.privacy._criteria import distinct_l, t_equal, t_ordered
from accord.privacy._hierarchy import (
    Hierarchy,
    date_hierarchy,
    flat_hierarchy,
    interval_hierarchy,
    mask_hierarchy,
    tree_hierarchy,
)
from accord.privacy._mondrian import mondrian
from accord.privacy._search import Closeness, Criteria, Diversity, Lattice, optimal_search


class Utility(BaseModel):
    """Information loss of a table (0: the original data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    loss: float = Field(description="Iyengar's loss metric (ARX's Loss), in [0, 1].")
    discernibility: float = Field(
        description="Sum of squared class sizes, plus n for every suppressed record."
    )
    entropy: float | None = Field(
        default=None,
        description="Non-uniform entropy, normalised "
        "by that of suppressing every record (full-domain only).",
    )


class ReleasedPrivacy(BaseModel):
    """The privacy models measured on the released (not suppressed) records."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    k_anonymity: int
    l_diversity: dict[str, int] = Field(default_factory=dict)
    t_closeness: dict[str, float] = Field(
        default_factory=dict,
        description="Against the input's distribution (suppressed records included).",
    )


class AnonymizationResult(JsonRecord):
    """What an anonymisation did: the transformation, the suppression, the utility."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["anonymization"] = "anonymization"
    accord_version: str
    created_at: datetime
    input_rows: int
    output_rows: int | None = None
    output: str | None = None
    config: AnonymizeConfig
    method: Literal["optimal", "mondrian"]
    levels: dict[str, int] = Field(
        default_factory=dict,
        description="Chosen generalisation level of every quasi-identifier (full-domain only).",
    )
    heights: dict[str, int] = Field(default_factory=dict)
    classes: int
    suppressed_records: int
    suppressed_share: float
    utility_before: Utility
    utility_after: Utility
    privacy_after: ReleasedPrivacy
    lattice_size: int | None = None
    nodes_evaluated: int | None = None
    search_seconds: float


def load_config(path: str | Path) -> tuple[AnonymizeConfig, Path]:
    r"""Read ``anonymize.yaml``; relative hierarchy files are found next to it.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "anonymize.yaml"
    >>> _ = path.write_text("quasi_identifiers: [age, zip]\nprivacy: {k: 5}\n")
    >>> config, base = load_config(path)
    >>> list(config.quasi_identifiers), config.privacy.k, base == path.parent
    (['age', 'zip'], 5, True)
    """
    import yaml

    from accord.core import PolicyError

    path = Path(path)
    if not path.exists():
        raise UsageError("configuration file not found", value=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"the configuration is not valid YAML: {exc}", value=str(path)) from None
    return parse_config(data), path.parent


def anonymize(
    data: Any,
    config: AnonymizeConfig | Mapping[str, Any] | str | Path,
    *,
    output: str | Path | None = None,
    null_values: list[str] | None = None,
    progress: Progress | None = None,
) -> AnonymizationResult:
    """Anonymise a dataset: find the transformation on the counts, then recode the rows.

    Parameters
    ----------
    data
        A file path or any dataframe narwhals accepts.
    config
        An :class:`AnonymizeConfig`, the same as plain data, or a YAML file's path.
    output
        Where to write the anonymised data (Parquet, CSV or Arrow by suffix); None
        computes the transformation and its report only.
    null_values
        Extra strings that mean "missing" in a CSV file.
    progress
        Where to report progress.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"age": [21, 22, 23, 24, 35, 36, 37, 38], "sex": ["F"] * 8})
    >>> r = anonymize(df, {"quasi_identifiers": {"age": {"type": "intervals",
    ...                    "widths": [5, 10]}, "sex": "auto"}, "privacy": {"k": 4}})
    >>> r.levels, r.classes
    ({'age': 1, 'sex': 0}, 2)
    """
    progress = progress or SilentProgress()
    base = Path(".")
    if isinstance(config, str | Path):
        config, base = load_config(config)
    elif not isinstance(config, AnonymizeConfig):
        config = parse_config(dict(config))
    qis = list(config.quasi_identifiers)
    progress.stage("Reading the data")
    source = open_source(data, null_values=null_values)
    schema = source.frame.collect_schema()
    check_roles(Roles(quasi_identifiers=tuple(qis), sensitive=tuple(config.sensitive)), schema)
    named = {d.attribute for d in config.privacy.l} | {t.attribute for t in config.privacy.t}
    for attr in sorted(named - set(config.sensitive)):
        raise UsageError(
            "a privacy model names an attribute not listed as sensitive",
            column=attr,
            fix="add it under sensitive",
        )
    progress.stage("Computing the equivalence classes")
    ppass = privacy_pass(source.frame, qis, config.sensitive)
    table = classes_from_pass(ppass)
    numeric = frozenset(q for q in qis if q in ppass.numeric)
    hierarchies = {
        q: build_hierarchy(q, config.quasi_identifiers[q], table.levels[q], q in numeric, base)
        for q in qis
    }
    criteria = Criteria(
        k=config.privacy.k,
        diversity=tuple(Diversity(d.attribute, d.l, d.variant, d.c) for d in config.privacy.l),
        closeness=tuple(Closeness(t.attribute, t.t) for t in config.privacy.t),
        average_risk=config.privacy.average_risk,
        sample_uniqueness=config.privacy.sample_uniqueness,
    )
    before = Utility(
        loss=0.0, discernibility=float((table.sizes.astype(float) ** 2).sum()), entropy=0.0
    )
    start = time.perf_counter()
    if config.method == "optimal":
        lattice = Lattice(table, hierarchies, criteria, config.suppression_limit)
        found = optimal_search(lattice, config.utility, progress=progress)
        if found.best is None:
            raise DataError(
                "no generalisation satisfies the privacy models within the suppression limit",
                fix="raise suppression_limit, relax the models, or add hierarchy levels",
            )
        node = found.best
        inverse, uniq, sizes = lattice.classes(node.levels)
        suppressed = lattice.failing(inverse, sizes)
        labels = {
            q: [hierarchies[q].labels(lv)[int(c)] for c in u]
            for q, lv, u in zip(qis, node.levels, uniq, strict=True)
        }
        group = inverse
        after = Utility(loss=node.loss, discernibility=node.discernibility, entropy=node.entropy)
        levels = dict(zip(qis, node.levels, strict=True))
        lattice_size: int | None = found.lattice_size
        evaluated: int | None = found.evaluated
    else:
        progress.stage("Partitioning (Mondrian)")
        parts = mondrian(table, hierarchies, criteria, numeric)
        group, labels, sizes = parts.part, parts.labels, parts.sizes
        suppressed = sizes < criteria.k
        after = Utility(
            loss=parts.loss if not suppressed.any() else 1.0, discernibility=parts.discernibility
        )
        levels, lattice_size, evaluated = {}, None, None
    seconds = time.perf_counter() - start
    released = _released(table, group, len(sizes), suppressed, criteria)
    n_supp = int(sizes[suppressed].sum())
    output_rows = None
    if output is not None:
        progress.stage("Writing the anonymised data")
        plan = RecodePlan(
            columns=tuple(qis),
            levels=table.levels,
            keys=_packed(table),
            group=group,
            labels=labels,
            suppressed=np.asarray(suppressed, dtype=bool),
            drop_suppressed=config.suppressed == "drop",
        )
        output_rows = write_frame(recode(source.frame, plan), output)
    return AnonymizationResult(
        accord_version=__version__,
        created_at=datetime.now(UTC),
        input_rows=table.n_rows,
        output_rows=output_rows,
        output=str(output) if output is not None else None,
        config=config,
        method=config.method,
        levels=levels,
        heights={q: hierarchies[q].height for q in qis},
        classes=int((~suppressed).sum()),
        suppressed_records=n_supp,
        suppressed_share=n_supp / table.n_rows,
        utility_before=before,
        utility_after=after,
        privacy_after=released,
        search_seconds=seconds,
        lattice_size=lattice_size,
        nodes_evaluated=evaluated,
    )


def _packed(table: ClassTable) -> np.ndarray:
    key = np.zeros(table.n_classes, dtype=np.int64)
    for q in table.quasi_identifiers:
        key = key * max(len(table.levels[q]), 1) + table.codes[q]
    return key


def _released(
    table: ClassTable, group: np.ndarray, n_groups: int, suppressed: np.ndarray, criteria: Criteria
) -> ReleasedPrivacy:
    """k, l and t of the released classes, measured again from the counts."""
    keep = ~np.asarray(suppressed, dtype=bool)[group]
    if not keep.any():
        return ReleasedPrivacy(k_anonymity=0)
    kept = np.flatnonzero(~np.asarray(suppressed, dtype=bool))
    remap = np.full(n_groups, -1, dtype=np.int64)
    remap[kept] = np.arange(len(kept))
    g = remap[group]
    sizes = np.bincount(g[keep], weights=table.sizes[keep], minlength=len(kept)).astype(np.int64)
    ls: dict[str, int] = {}
    ts: dict[str, float] = {}
    for a, h in table.sensitive.items():
        sel = keep[h.cls]
        merged = _histogram(a, h.levels, h.numeric, g[h.cls[sel]], h.value[sel], h.count[sel])
        ls[a] = int(distinct_l(merged, len(kept)).min())
        ref = h.overall() / table.n_rows
        ordered = h.numeric and None not in h.levels
        dist = t_ordered(merged, sizes, ref) if ordered else t_equal(merged, sizes, ref)
        ts[a] = float(dist.max())
    return ReleasedPrivacy(k_anonymity=int(sizes.min()), l_diversity=ls, t_closeness=ts)


def build_hierarchy(
    q: str, spec: HierarchySpec, values: tuple[Any, ...], numeric: bool, base: Path
) -> Hierarchy:
    """The hierarchy of one quasi-identifier, from its spec and the values in the data."""
    kind = spec.type
    if kind == "auto":
        kind = "intervals" if numeric else "flat"
    if kind == "file":
        if spec.file is None:
            raise UsageError("a hierarchy of type file needs a file", column=q)
        path = Path(spec.file) if Path(spec.file).is_absolute() else base / spec.file
        if not path.exists():
            raise UsageError("hierarchy file not found", column=q, value=str(path))
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=spec.separator))
        h = Hierarchy.from_rows(q, rows)
    elif kind == "intervals":
        if not numeric:
            raise UsageError(
                "interval hierarchies need a numeric column",
                column=q,
                fix="use type: flat, tree, mask or file",
            )
        h = interval_hierarchy(q, [v for v in values if v is not None], spec.widths)
        if None in values:
            h = Hierarchy.from_rows(
                q, [list(c) for c in zip(*h.table, strict=True)] + [[""] + ["*"] * (h.height - 1)]
            )
    elif kind == "mask":
        h = mask_hierarchy(q, values, spec.step)
    elif kind == "date":
        h = date_hierarchy(q, values)
    elif kind == "tree":
        h = tree_hierarchy(q, values, spec.levels or [])
    else:
        h = flat_hierarchy(q, values)
    h.map_levels(values)  # fails early, naming the values the hierarchy misses
    return h
