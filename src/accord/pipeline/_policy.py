"""A policy in an audit: roles and settings, the analyses its checks need, the findings.

The analyses are impact-ratio tables and worst-subgroup discovery; both need the data
(or the strata of the audit's pass), so they run here, after the statistics, and are
recorded in ``AuditResult.policy``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from accord.core import AccordError, CheckError, Progress, SilentProgress, UsageError
from accord.engine import ABOVE_KEY, FairnessPass, Strata, above_median_pass, explore_pass
from accord.fairness import (
    METRICS_BY_NAME,
    MISSING_LABEL,
    Discovery,
    ImpactTable,
    Settings,
    discover_subgroups,
    impact_table,
)
from accord.fairness._impact import RateMetric
from accord.fairness._outcomes import resolve_outcomes, value_label
from accord.fairness._table import describe_attributes
from accord.io import Roles
from accord.policy import (
    Check,
    DiscoverSpec,
    Policy,
    PolicyOutcome,
    ResolvedPolicy,
    as_policy,
    empty_policy,
    evaluate,
    resolve_groupings,
)
from accord.report import AuditResult

PolicyLike = ResolvedPolicy | Policy | Mapping[str, Any] | str | Path

_ROLES = ("label", "prediction", "score", "weight", "positive", "task")
_SETTINGS = (
    "bootstrap",
    "seed",
    "min_group_size",
    "reference",
    "max_order",
    "ci_level",
    "correction",
    "bins",
)


def policy_arguments(
    function: Callable[..., Any], arguments: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Fill an audit's keyword arguments from its policy.

    A role the caller left as None, and a setting the caller left at its default, take
    the policy's value; the ``policy`` keyword becomes the resolved policy.

    Parameters
    ----------
    function
        The audit function (its signature gives the defaults).
    arguments
        The keyword arguments as the caller gave them, ``policy`` included.

    Returns
    -------
    dict or None
        The keyword arguments to call ``function`` with (``data`` left out), or None when
        the arguments already hold everything the policy gives.
    """
    defaults = {k: p.default for k, p in inspect.signature(function).parameters.items()}
    resolved = as_policy(arguments["policy"])
    given = {k: v for k, v in arguments.items() if k != "data"}
    out = {**given, "policy": resolved}
    data, settings = resolved.policy.data, resolved.policy.settings
    for key in _ROLES:
        value = getattr(data, key)
        if value is not None and out.get(key) in (None, defaults.get(key)):
            out[key] = value
    if not out.get("sensitive") and data.sensitive:
        out["sensitive"] = list(data.sensitive)
    if out.get("null_values") is None and data.null_values:
        out["null_values"] = list(data.null_values)
    for key in _SETTINGS:
        if key in settings.model_fields_set and out.get(key) == defaults.get(key):
            out[key] = getattr(settings, key)
    changed = any(out[k] is not given.get(k) and out[k] != given.get(k) for k in out)
    return out if changed else None


def apply_policy(
    result: AuditResult,
    fpass: FairnessPass,
    source_frame: Any,
    roles: Roles,
    *,
    policy: ResolvedPolicy | None,
    discover: bool | str = False,
    explore: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """Add to an audit what its policy asks for: impact tables, discovery and findings.

    Parameters
    ----------
    result
        The audit's statistics.
    fpass
        The strata of the audit's one pass (impact tables of selection rates sum them).
    source_frame
        The data, lazy (narwhals), for the passes the policy adds (scoring rates,
        discovery).
    roles
        The audit's roles.
    policy
        The resolved policy, or None for discovery alone.
    discover
        True, or the name of the rate to search: run worst-subgroup discovery.
    explore
        Columns to search besides the sensitive attributes (implies ``discover``).
    """
    progress = progress or SilentProgress()
    resolved = _with_discovery(policy or empty_policy(), discover, explore)
    tables, errors = _impact_tables(resolved, result, fpass, source_frame, roles)
    spec = resolved.policy.discover
    found = None
    if spec is not None:
        progress.stage("Searching for the worst subgroups")
        found = run_discovery(spec, result, fpass, source_frame, roles)
        progress.advance()
    outcome = PolicyOutcome(
        system=resolved.policy.system,
        sources=list(resolved.sources),
        presets=[s.name for s in resolved.sources if s.kind == "preset"],
        checks=len(resolved.checks),
        impact_tables=tables,
        discovery=found,
        errors=errors,
    )
    findings = evaluate(resolved, result.fairness, outcome)
    return result.model_copy(update={"policy": outcome, "findings": findings})


def judge(result: AuditResult, policy: PolicyLike) -> AuditResult:
    """Judge a (saved) audit against a policy, without the data.

    Checks that need the data (impact tables, discovery) are judged from what the audit
    recorded; when it recorded nothing for them, their findings say so (status error).

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 0] * 25, "g": ["a", "b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    >>> policy = {"version": 1, "checks": [{"id": "dp", "metric": "selection_rate",
    ...           "measure": "min_max_ratio", "threshold": {"gte": 0.8}}]}
    >>> [f.status.value for f in judge(result, policy).findings]
    ['pass']
    """
    resolved = as_policy(policy)
    previous = result.policy or PolicyOutcome()
    outcome = previous.model_copy(
        update={
            "system": resolved.policy.system,
            "sources": list(resolved.sources),
            "presets": [s.name for s in resolved.sources if s.kind == "preset"],
            "checks": len(resolved.checks),
        }
    )
    findings = evaluate(resolved, result.fairness, outcome)
    return result.model_copy(update={"policy": outcome, "findings": findings})


def _with_discovery(
    resolved: ResolvedPolicy, discover: bool | str, explore: Sequence[str] | None
) -> ResolvedPolicy:
    if not discover and not explore:
        return resolved
    current = resolved.policy.discover
    values = current.model_dump(exclude_unset=True) if current is not None else {}
    if isinstance(discover, str):
        values["metric"] = discover
    if explore:
        values["explore"] = list(explore)
    try:
        spec = DiscoverSpec.model_validate(values)
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise UsageError(
            f"discovery: {problem['msg'].removeprefix('Value error, ')}",
            value=problem.get("input"),
        ) from None
    return resolved.with_discovery(spec)


# -- impact tables ------------------------------------------------------------------------


def _impact_tables(
    resolved: ResolvedPolicy, result: AuditResult, fpass: FairnessPass, frame: Any, roles: Roles
) -> tuple[list[ImpactTable], dict[str, str]]:
    tables: list[ImpactTable] = []
    errors: dict[str, str] = {}
    medians: dict[str, tuple[float, Strata]] = {}
    for check in resolved.checks:
        if check.measure != "impact_ratio":
            continue
        try:
            groupings = resolve_groupings(check, result.fairness)
        except AccordError:
            continue  # the check's finding reports it
        try:
            for attrs in groupings:
                if not _has_table(tables, check, attrs):
                    tables.append(
                        _impact_table(check, attrs, result, fpass, frame, roles, medians)
                    )
        except AccordError as exc:
            errors[check.id] = str(exc)
    return tables, errors


def _has_table(tables: list[ImpactTable], check: Check, attrs: tuple[str, ...]) -> bool:
    from accord.policy import find_table

    return find_table(tables, check, attrs) is not None


def _impact_table(
    check: Check,
    attrs: tuple[str, ...],
    result: AuditResult,
    fpass: FairnessPass,
    frame: Any,
    roles: Roles,
    medians: dict[str, tuple[float, Strata]],
) -> ImpactTable:
    stats = result.fairness
    labels_of = {a.name: a.levels for a in stats.attributes}
    metric: RateMetric = "scoring_rate" if check.metric == "scoring_rate" else "selection_rate"
    build = partial(
        impact_table,
        metric=metric,
        unknown_values=check.unknown,
        exclude_below=check.exclude_below,
        min_group_size=stats.min_group_size,
        ci_level=stats.ci_level,
        correction=result.settings.correction,
        weighted=roles.weight is not None,
        suppress_below=stats.suppress_below,
    )
    if metric == "selection_rate":
        if stats.task != "binary":
            raise CheckError(
                f"selection rates need a binary prediction; this audit is {stats.task}",
                fix="audit a binary decision (selected or not)",
            )
        s = fpass.strata
        assert roles.label is not None and roles.prediction is not None
        outcomes = resolve_outcomes(
            s, label=roles.label, prediction=roles.prediction, positive=result.settings.positive
        )
        selected = (outcomes.yhat == outcomes.positive).astype(float)
        codes = np.stack([s.codes[a] for a in attrs], axis=1)
        w, w2 = _weights(s)
        return build(codes, [labels_of[a] for a in attrs], attrs, s.count, w, w2, w * selected)
    column = check.score_column or roles.score
    if column is None:
        raise CheckError(
            "scoring_rate needs the tool's score",
            fix="pass the score column (--score), or set score_column on the check",
        )
    if column not in medians:
        bins = {a: list(b.edges) for a, b in fpass.binnings.items()}
        medians[column] = above_median_pass(frame, roles, column, bins=bins)
    median, strata = medians[column]
    codes = np.stack([strata.codes[a] for a in attrs], axis=1)
    labels = [_level_labels(strata, a, fpass) for a in attrs]
    above = np.array([bool(v) for v in strata.levels[ABOVE_KEY]])[strata.codes[ABOVE_KEY]]
    w, w2 = _weights(strata)
    return build(
        codes,
        labels,
        attrs,
        strata.count,
        w,
        w2,
        w * above,
        score_column=column,
        median=median,
    )


def _weights(strata: Strata) -> tuple[np.ndarray, np.ndarray]:
    # Without a weight column the pass sums no weights: each row weighs 1.
    count = strata.count.astype(np.float64)
    return strata.sums.get("w", count), strata.sums.get("w2", count)


def _level_labels(strata: Strata, attribute: str, fpass: FairnessPass) -> list[str]:
    binning = fpass.binnings.get(attribute)
    return [
        MISSING_LABEL if v is None else (binning.labels[int(v)] if binning else value_label(v))
        for v in strata.levels[attribute]
    ]


# -- discovery ----------------------------------------------------------------------------


def run_discovery(
    spec: DiscoverSpec, result: AuditResult, fpass: FairnessPass, frame: Any, roles: Roles
) -> Discovery:
    """Search the sensitive attributes and the explored columns for the worst subgroups.

    Raises
    ------
    UsageError
        The audit is not binary, or an explored column cannot be searched.
    """
    stats = result.fairness
    if stats.task != "binary":
        raise UsageError(
            f"worst-subgroup discovery needs a binary task; this audit is {stats.task}"
        )
    assert roles.label is not None and roles.prediction is not None
    bins = {a: list(b.edges) for a, b in fpass.binnings.items()}
    bins.update({k: list(v) for k, v in spec.bins.items()})
    xp = explore_pass(frame, roles, spec.explore, bins=bins)
    s = xp.strata
    outcomes = resolve_outcomes(
        s, label=roles.label, prediction=roles.prediction, positive=result.settings.positive
    )
    y = outcomes.y == outcomes.positive
    p = outcomes.yhat == outcomes.positive
    quadrants = {"tp": y & p, "fp": ~y & p, "fn": y & ~p, "tn": ~y & ~p}
    metric = METRICS_BY_NAME[spec.metric]
    in_num = np.logical_or.reduce([quadrants[q] for q in metric.numerator])
    in_den = np.logical_or.reduce([quadrants[q] for q in metric.denominator])
    attrs = [*roles.sensitive, *spec.explore]
    infos = describe_attributes(s, attrs, dict(xp.binnings), Settings(force=True))
    codes = np.stack([s.codes[a] for a in attrs], axis=1)
    w, w2 = _weights(s)
    return discover_subgroups(
        codes,
        [i.levels for i in infos],
        attrs,
        s.count,
        w * in_num,
        w * in_den,
        w2 * in_den,
        metric=spec.metric,
        better=metric.better,
        min_support=spec.min_support,
        min_rows=result.fairness.min_group_size,
        max_order=spec.max_order,
        fdr=spec.fdr,
        method=spec.method,
        top=spec.top,
        ci_level=stats.ci_level,
        weighted=roles.weight is not None,
        explored=spec.explore,
        binned={a: list(b.edges) for a, b in xp.binnings.items()},
    )
