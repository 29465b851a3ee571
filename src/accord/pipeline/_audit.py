"""accord.audit: read, one pass, statistics, findings -> AuditResult."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from accord import __version__
from accord.core import SUPPRESS_BELOW, Progress, SilentProgress, UsageError
from accord.engine import fairness_pass
from accord.fairness import Settings, analyse_classification, value_label
from accord.io import Roles, check_roles, column_names, open_source
from accord.pipeline._dp import dp_release
from accord.pipeline._policy import apply_policy, policy_arguments
from accord.report import AuditResult, AuditSettings, InputInfo, RolesInfo

TASKS = ("classification", "binary", "multiclass", "regression")


def audit(
    data: Any,
    *,
    label: str | None = None,
    prediction: str | None = None,
    sensitive: Sequence[str] | str | None = None,
    score: str | None = None,
    positive: str | int | bool | None = None,
    weight: str | None = None,
    task: Literal["classification", "binary", "multiclass", "regression"] = "classification",
    reference: Mapping[str, Any] | Sequence[str] | str | None = None,
    max_order: int | None = None,
    min_group_size: int = 30,
    bootstrap: int = 1000,
    seed: int = 0,
    bins: Mapping[str, Sequence[float]] | None = None,
    ci_level: float = 0.95,
    correction: Literal["holm", "bh"] = "holm",
    score_bins: int = 1000,
    force: bool = False,
    null_values: Sequence[str] | None = None,
    engine: Literal["polars", "duckdb", "spark"] = "polars",
    spark_master: str | None = None,
    policy: Any = None,
    preset: Sequence[str] | str | None = None,
    param: Mapping[str, str] | None = None,
    discover: bool | str = False,
    explore: Sequence[str] | None = None,
    suppress_below: int = SUPPRESS_BELOW,
    dp_epsilon: float | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """Audit predictions for group disparities.

    One pass over the data (on its own engine) reduces it to a cell table;
    every metric, interval, disparity and test is computed from that table.

    Parameters
    ----------
    data
        A CSV, Parquet or Arrow IPC path, or a pandas, Polars (eager or lazy),
        PyArrow, DuckDB or PySpark object.
    label, prediction
        The true outcome and the model's prediction.
    sensitive
        Sensitive attributes: every one alone and every intersection up to
        ``max_order`` is audited.
    score
        The predicted probability of the positive class (adds AUC, Brier score,
        ECE and reliability curves).
    positive
        The positive label value, when the label is not 0/1 or boolean.
    weight
        A column of non-negative row weights.
    task
        ``classification`` (binary or multiclass, decided from the values) or
        ``regression``.
    reference
        The reference group per attribute, as ``{"sex": "Male"}`` or
        ``["sex=Male"]``; default: the largest group. A reference population
        instead (a ``.csv`` / ``.yaml`` path, a bundled name such as
        ``us-census-1990``, or ``{attribute: {group: share}}``) adds the
        ``inclusion`` section: see accord.inclusion.assess.
    max_order
        The largest intersection audited (default: all attributes together).
    min_group_size
        Groups with fewer rows are reported as insufficient data.
    bootstrap
        Replicates of the cell-count bootstrap (0 turns bootstrap intervals off).
    seed
        Seed of the bootstrap: the same seed gives the same numbers.
    bins
        Bin edges for numeric sensitive attributes, e.g. ``{"age": [25, 45]}``.
    ci_level
        Confidence level of every interval.
    correction
        Multiple-comparison correction of the group tests: ``holm`` or ``bh``.
    score_bins
        Resolution of the score histogram (AUC).
    force
        Audit a sensitive attribute even when it has more than 1000 values.
    null_values
        Extra strings that mean "missing" in a CSV file.
    engine
        The engine that reads a file: ``polars`` (streaming, the default),
        ``duckdb`` or ``spark``. A dataframe is always read by its own library.
    spark_master
        The Spark master URL with ``engine="spark"`` (default: local mode).
    policy
        A policy (``accord.yaml`` path, mapping, or ``accord.policy`` object) to judge the
        audit against: its roles fill the keywords left as None, its settings those left
        at their default, and its checks become ``result.findings``.
    preset
        Built-in policies to judge the audit against (``four-fifths``, ``nyc-ll144``,
        ``equalized-odds``, ``calibration-within-groups``), alone or extending ``policy``.
    param
        Values for the parameters of the policy or presets (``{"sex": "gender"}``).
    discover
        Search for the worst subgroups (True, or the rate to search, e.g. ``"tpr"``).
    explore
        Columns searched besides the sensitive attributes (implies ``discover``).
    suppress_below
        Groups with 1 to ``suppress_below - 1`` rows have their count, weight and share
        withheld in the result and read ``<suppress_below`` in every report (0 or 1:
        counts shown);
        ``min_group_size`` is raised to it, so their metrics are not shown either.
    dp_epsilon
        Add a differentially private release of every grouping's counts and rates, with
        this privacy budget split across them (``result.dp_release``); None: no release.
    progress
        Where to report progress (the command line passes a rich bar).

    Returns
    -------
    AuditResult

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1] * 50, "g": ["a", "b"] * 50})
    >>> accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0).fairness.task
    'binary'
    """
    if preset or param:
        policy, preset, param = _with_presets(policy, preset, param), None, None
    if policy is not None and (merged := policy_arguments(audit, locals())) is not None:
        # The policy's roles and settings fill in what the caller left unset.
        return audit(data, **merged)
    progress = progress or SilentProgress()
    sens = column_names(sensitive or [])
    if not sens:
        raise UsageError("name at least one sensitive attribute", fix="pass --sensitive COL")
    if label is None or prediction is None:
        raise UsageError(
            f"name the {'label' if label is None else 'prediction'} column",
            fix="pass --label and --prediction (or set them under data: in the policy)",
        )
    if task not in TASKS:
        raise UsageError("unknown task", value=task, fix=f"use one of {', '.join(TASKS)}")
    _check_settings(
        min_group_size=min_group_size,
        bootstrap=bootstrap,
        ci_level=ci_level,
        max_order=max_order,
        score_bins=score_bins,
        suppress_below=suppress_below,
        dp_epsilon=dp_epsilon,
    )
    reference, population = split_reference(reference)
    refs = parse_reference(reference, sens)
    progress.stage("Reading the data and computing the cell table")
    source = open_source(
        data,
        null_values=null_values,
        engine=engine,
        spark_master=spark_master,
    )
    roles = Roles(
        label=label, prediction=prediction, score=score, weight=weight, sensitive=tuple(sens)
    )
    schema = source.frame.collect_schema()
    numeric = ["score", "weight"] + (["label", "prediction"] if task == "regression" else [])
    check_roles(roles, schema, numeric=numeric)
    base_task: Literal["classification", "regression"] = (
        "regression" if task == "regression" else "classification"
    )
    if base_task == "regression" and score is not None:
        raise UsageError(
            "a score applies to classification only",
            column=score,
            fix="drop --score for a regression audit",
        )
    fpass = fairness_pass(source.frame, roles, task=base_task, bins=bins, score_bins=score_bins)
    progress.advance()
    settings = Settings(
        positive=None if positive is None else str(positive),
        reference=refs,
        max_order=max_order,
        min_group_size=min_group_size,
        bootstrap=bootstrap,
        seed=seed,
        ci_level=ci_level,
        correction=correction,
        force=force,
        suppress_below=suppress_below,
    )
    floor_warning = _floor_warning(settings)
    settings = settings.floored()
    if base_task == "regression":
        from accord.fairness import analyse_regression

        stats = analyse_regression(fpass, roles, settings, progress)
    else:
        stats = analyse_classification(fpass, roles, settings, progress)
        if task == "binary" and stats.task != "binary":
            raise UsageError(
                f"task is binary but the label has {len(stats.classes)} classes",
                column=label,
                fix="use --task multiclass",
            )
    inclusion = None
    if population is not None:
        from accord.inclusion import load_reference, make_settings, measure

        classify = base_task == "classification"
        inclusion = measure(
            source.frame,
            sens,
            references=load_reference(population, groups=sens),
            label=label if classify else None,
            prediction=prediction if classify else None,
            exclude=[c for c in (score, weight) if c],
            positive=stats.positive,
            bins=bins,
            settings=make_settings(
                min_group_size=settings.min_group_size,
                suppress_below=suppress_below,
                bootstrap=bootstrap,
                seed=seed,
                ci_level=ci_level,
                correction=correction,
            ),
            progress=progress,
        )
    result = AuditResult(
        accord_version=__version__,
        created_at=datetime.now(UTC),
        input=InputInfo(
            **source.describe(),
            rows=fpass.strata.n_rows,
            columns={c: str(schema[c]) for c in roles.columns()},
            content_sha256=fpass.strata.fingerprint(),
        ),
        roles=RolesInfo(
            label=label, prediction=prediction, score=score, weight=weight, sensitive=sens
        ),
        settings=AuditSettings(
            task=base_task,
            positive=stats.positive,
            reference=refs,
            max_order=max_order,
            min_group_size=min_group_size,
            bootstrap=bootstrap,
            seed=seed,
            ci_level=ci_level,
            bins={k: [float(e) for e in v] for k, v in (bins or {}).items()},
            score_bins=score_bins,
            correction=correction,
            suppress_below=suppress_below,
            dp_epsilon=dp_epsilon,
        ),
        fairness=stats,
        inclusion=inclusion,
        dp_release=None
        if dp_epsilon is None
        else dp_release(fpass, roles, stats, float(dp_epsilon), positive=stats.positive),
        warnings=[*floor_warning, *stats.warnings],
    )
    if policy is not None or discover or explore:
        result = apply_policy(
            result,
            fpass,
            source.frame,
            roles,
            policy=policy,
            discover=discover,
            explore=explore,
            progress=progress,
        )
    return result


def _with_presets(
    policy: Any, preset: Sequence[str] | str | None, param: Mapping[str, str] | None
) -> Any:
    """The policy, extended by the named presets and given its parameters."""
    from accord.policy import load_policy

    presets = [preset] if isinstance(preset, str) else list(preset or [])
    if policy is None and not presets:
        raise UsageError("param needs a policy or a preset", fix="pass policy= or preset=")
    return load_policy(policy, presets=presets, parameters=dict(param or {}))


def split_reference(reference: Any) -> tuple[Any, Any]:
    """Separate reference groups (``COL=VALUE``) from a reference population.

    A reference population is a ``.csv`` / ``.yaml`` path, a bundled name, a
    mapping ``{attribute: {group: share}}`` or ReferencePopulation objects.

    Examples
    --------
    >>> split_reference(["sex=Male", "population.yaml"])
    (['sex=Male'], 'population.yaml')
    """
    from accord.inclusion import BUNDLED, ReferencePopulation

    if reference is None:
        return None, None
    if isinstance(reference, Mapping):
        nested = bool(reference) and all(isinstance(v, Mapping) for v in reference.values())
        return (None, reference) if nested else (reference, None)
    items = (
        [reference] if isinstance(reference, str | Path | ReferencePopulation) else list(reference)
    )
    objects = [i for i in items if isinstance(i, ReferencePopulation)]
    files = [
        i
        for i in items
        if isinstance(i, str | Path)
        and "=" not in str(i)
        and (str(i) in BUNDLED or str(i).lower().endswith((".csv", ".yaml", ".yml")))
    ]
    groups = [i for i in items if not any(i is x for x in (*objects, *files))]
    if len(files) + bool(objects) > 1:
        raise UsageError(
            "more than one reference population",
            value=[str(f) for f in files],
            fix="put every population in one file",
        )
    return groups or None, objects or (files[0] if files else None)


def parse_reference(
    reference: Mapping[str, Any] | Sequence[str] | str | None, sensitive: Sequence[str]
) -> dict[str, str]:
    """Normalise reference groups to ``{attribute: value label}``.

    Examples
    --------
    >>> parse_reference(["sex=Male", "race=White"], ["sex", "race"])
    {'sex': 'Male', 'race': 'White'}
    """
    if reference is None:
        return {}
    items: list[tuple[str, Any]]
    if isinstance(reference, Mapping):
        items = list(reference.items())
    else:
        texts = [reference] if isinstance(reference, str) else list(reference)
        items = []
        for text in texts:
            for part in str(text).split(","):
                if "=" not in part:
                    raise UsageError(
                        "a reference group is written COLUMN=VALUE",
                        value=part,
                        fix="e.g. --reference sex=Male",
                    )
                col, val = part.split("=", 1)
                items.append((col.strip(), val.strip()))
    out = {}
    for col, val in items:
        if col not in sensitive:
            raise UsageError(
                "the reference names a column that is not a sensitive attribute",
                column=col,
                fix=f"sensitive attributes are: {', '.join(sensitive)}",
            )
        out[col] = _label(val)
    return out


def _label(value: Any) -> str:
    return value_label(value)


def _floor_warning(settings: Settings) -> list[str]:
    """What the audit says when the minimum group size is raised to the suppression
    threshold (a group whose count is withheld must not show its metrics either).
    """
    if settings.floored() is settings:
        return []
    return [
        f"min_group_size {settings.min_group_size} is below suppress_below "
        f"{settings.suppress_below}: groups of fewer than {settings.suppress_below} rows read "
        "insufficient data, since their metrics would give away the counts the report "
        "withholds (lower --suppress-below to see them)"
    ]


def _check_settings(**values: Any) -> None:
    rules: dict[str, tuple[Callable[[Any], bool], str]] = {
        "min_group_size": (lambda v: isinstance(v, int) and v >= 1, "an integer >= 1"),
        "bootstrap": (lambda v: isinstance(v, int) and v >= 0, "an integer >= 0"),
        "ci_level": (lambda v: 0 < v < 1, "a number between 0 and 1"),
        "max_order": (lambda v: v is None or (isinstance(v, int) and v >= 1), "an integer >= 1"),
        "score_bins": (
            lambda v: isinstance(v, int) and 10 <= v <= 100_000,
            "an integer between 10 and 100000",
        ),
        "suppress_below": (
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
            "an integer >= 0 (0 or 1: counts shown)",
        ),
        "dp_epsilon": (
            lambda v: v is None or (isinstance(v, int | float) and 0 < v < float("inf")),
            "a positive number (the privacy budget)",
        ),
    }
    for name, value in values.items():
        ok, wanted = rules[name]
        if not ok(value):
            raise UsageError(f"{name} must be {wanted}", value=value)
