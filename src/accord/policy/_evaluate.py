"""Judge an audit's statistics against a policy's checks: one Finding per check and grouping.

Everything here reads the statistics an audit already computed (and the analyses the
policy asked for, in ``PolicyOutcome``); nothing is recomputed from the data, so a saved
audit can be judged again against a changed policy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from accord.core import (
    AccordError,
    CheckError,
    Estimate,
    Finding,
    FindingStatus,
    GroupOutcome,
    ValueStatus,
    coarsen_count,
)
from accord.fairness import FairnessStats, GroupStats, ImpactTable
from accord.policy._model import Check, DiscoverSpec, Threshold
from accord.policy._outcome import PolicyOutcome
from accord.policy._requirements import linked_requirements
from accord.policy._resolve import ResolvedPolicy
from accord.policy._text import format_estimate, format_key

_ORDER = {
    FindingStatus.FAIL: 0,
    FindingStatus.ERROR: 1,
    FindingStatus.WARN: 2,
    FindingStatus.INSUFFICIENT_DATA: 3,
    FindingStatus.PASS: 4,
}


@dataclass(frozen=True)
class Unit:
    """One thing a check judges: a group's value, a disparity, or a summary."""

    key: dict[str, str]
    estimate: Estimate | None
    n: int | None = None
    reference: dict[str, str] | None = None
    p_adjusted: float | None = None
    unjudged: str = ""


def evaluate(
    policy: ResolvedPolicy, fairness: FairnessStats, outcome: PolicyOutcome | None = None
) -> list[Finding]:
    """Judge ``fairness`` against every enabled check of ``policy``.

    Parameters
    ----------
    policy
        The resolved policy.
    fairness
        The audit's statistics (``AuditResult.fairness``).
    outcome
        The analyses the policy asked for (``AuditResult.policy``): impact tables and
        worst-subgroup discovery.

    Returns
    -------
    list of Finding
        One per check and grouping, failures first; a check that cannot run on this
        audit gives a finding with status ``error`` and the reason.

    Examples
    --------
    >>> import polars as pl, accord
    >>> from accord.policy import load_policy
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 1] * 25, "g": ["a", "b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    >>> [f.status.value for f in evaluate(load_policy(presets=["four-fifths"]),
    ...                                   result.fairness, None)]
    ['error']
    """
    outcome = outcome or PolicyOutcome()
    findings: list[Finding] = []
    for check in policy.checks:
        findings += _findings_of(policy, check, fairness, outcome)
    spec = policy.policy.discover
    if spec is not None and spec.max_gap is not None:
        findings.append(_discovery_finding(spec, outcome))
    return sorted(findings, key=lambda f: _ORDER[f.status])


def _findings_of(
    policy: ResolvedPolicy, check: Check, fairness: FairnessStats, outcome: PolicyOutcome
) -> list[Finding]:
    preset = policy.presets.get(check.id)
    base = Finding(
        check_id=check.id,
        title=check.title,
        status=FindingStatus.ERROR,
        severity=check.severity,
        metric=check.metric,
        measure=check.measure,
        threshold=check.threshold.as_dict(),
        judge=check.judge,
        requirements=linked_requirements(check.check_type, preset, check.requirements),
        check_type=check.check_type,
        preset=preset,
        location=policy.locations.get(check.id),
    )
    try:
        groupings = resolve_groupings(check, fairness)
    except AccordError as exc:
        return [base.model_copy(update={"message": str(exc)})]
    out = []
    alpha = fairness.significance.alpha if fairness.significance is not None else 0.05
    for attrs in groupings:
        try:
            units, context = _units(check, attrs, fairness, outcome)
            out.append(_judge(check, units, alpha, base, list(attrs), context))
        except AccordError as exc:
            out.append(base.model_copy(update={"grouping": list(attrs), "message": str(exc)}))
    return out


def resolve_groupings(check: Check, fairness: FairnessStats) -> list[tuple[str, ...]]:
    """Return the groupings a check covers, as attribute tuples.

    Raises
    ------
    CheckError
        The grouping names a column that is not a sensitive attribute of the audit, or a
        grouping the audit did not compute.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [1, 1, 0, 1] * 30,
    ...                    "g": ["a"] * 70 + ["b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                       preset=["four-fifths"])
    >>> from accord.policy import load_policy
    >>> check = load_policy(None, presets=["four-fifths"]).checks[0]
    >>> resolve_groupings(check, result.fairness)
    [('g',)]
    """
    attrs = [a.name for a in fairness.attributes]
    if check.measure == "overall":
        return [()]
    if check.grouping == "each":
        return [(a,) for a in attrs]
    if check.grouping in ("intersections", "all"):
        low = 2 if check.grouping == "intersections" else 1
        found = [tuple(g.attributes) for g in fairness.groupings if len(g.attributes) >= low]
        if not found:
            raise CheckError(
                "the audit computed no intersection of sensitive attributes",
                fix="audit two or more sensitive attributes (and max_order >= 2)",
            )
        return found
    grouping = tuple(check.grouping)
    for a in grouping:
        if a not in attrs:
            raise CheckError(
                "the check's grouping names a column that is not a sensitive "
                f"attribute of the audit (sensitive: {', '.join(attrs)})",
                column=a,
                fix="add the column to the sensitive attributes, or set "
                "the policy parameter that names it (parameters: / --param)",
            )
    if check.measure != "impact_ratio" and fairness.grouping(grouping) is None:
        raise CheckError(
            "the audit did not compute this grouping",
            value=list(grouping),
            fix="raise max_order to include this intersection",
        )
    return [grouping]


def _units(
    check: Check, attrs: tuple[str, ...], fairness: FairnessStats, outcome: PolicyOutcome
) -> tuple[list[Unit], str]:
    metric = check.metric
    if check.measure == "impact_ratio":
        return _impact_units(check, attrs, outcome, fairness.min_group_size)
    if check.measure == "overall":
        _require_metric(metric, fairness.overall, fairness)
        return [Unit({}, fairness.overall.metrics[metric], fairness.overall.n)], ""
    grouping = fairness.grouping(attrs)
    assert grouping is not None
    if metric == "calibration_gap":
        return [
            Unit(g.key, calibration_gap(g, fairness.min_group_size), g.n) for g in grouping.groups
        ], ""
    _require_metric(metric, fairness.overall, fairness)
    if check.measure == "value":
        return [Unit(g.key, g.metrics.get(metric), g.n) for g in grouping.groups], ""
    if check.measure in ("difference", "ratio"):
        if grouping.reference is None:
            raise CheckError(
                "the grouping has no reference group to compare with",
                value=list(attrs),
                fix="name a reference group that occurs in the data (settings.reference)",
            )
        return [
            Unit(d.key, getattr(d, check.measure), None, grouping.reference, d.p_adjusted)
            for d in grouping.disparities.get(metric, [])
        ], f"against {format_key(grouping.reference)} ({grouping.reference_rule})"
    summary = grouping.summaries[metric]
    estimate = getattr(summary, check.measure)
    context = ""
    if summary.best is not None and summary.worst is not None:
        context = f"between {format_key(summary.best)} and {format_key(summary.worst)}"
    return [
        Unit(
            {},
            estimate,
            None,
            unjudged=""
            if summary.groups_compared >= 2
            else "fewer than two groups could be compared",
        )
    ], context


def _require_metric(metric: str, overall: GroupStats, fairness: FairnessStats) -> None:
    if metric not in overall.metrics:
        names = list(overall.metrics)
        if metric in ("auc", "brier", "ece"):
            fix = "pass the score column (--score) for score metrics"
        else:
            fix = f"metrics of this audit: {', '.join(names)}"
        raise CheckError(f"the audit ({fairness.task}) has no metric {metric!r}", fix=fix)


def calibration_gap(group: GroupStats, min_bin: int) -> Estimate:
    """Return the largest gap between a group's reliability curve and the diagonal.

    Only score bins with at least ``min_bin`` rows count; the interval is the Wilson
    interval of the observed rate in the worst bin, carried over to its gap (it does not
    account for choosing the worst bin).

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [0, 1] * 60, "s": [0.1, 0.9] * 60,
    ...                    "g": ["a", "b"] * 60})
    >>> result = accord.audit(df, label="y", prediction="p", score="s", sensitive="g",
    ...                       bootstrap=0)
    >>> gap = calibration_gap(result.fairness.overall, min_bin=10)
    >>> round(gap.value, 2)
    0.1
    """
    if group.status != ValueStatus.OK:
        return Estimate.missing(ValueStatus.INSUFFICIENT_DATA)
    if group.reliability is None:
        raise CheckError("calibration_gap needs a score", fix="pass the score column (--score)")
    best: tuple[float, float, float] | None = None
    for point in group.reliability:
        obs = point.observed
        if point.n is None or point.n < min_bin or obs.value is None or point.mean_score is None:
            continue
        gap = abs(obs.value - point.mean_score)
        if best is None or gap > best[0]:
            lo = obs.ci_low if obs.ci_low is not None else obs.value
            hi = obs.ci_high if obs.ci_high is not None else obs.value
            s = point.mean_score
            near = 0.0 if lo <= s <= hi else min(abs(lo - s), abs(hi - s))
            best = (gap, near, max(abs(lo - s), abs(hi - s)))
    if best is None:
        return Estimate.missing(ValueStatus.INSUFFICIENT_DATA)
    return Estimate(
        value=best[0],
        ci_low=best[1],
        ci_high=best[2],
        method="wilson interval of the worst score bin",
    )


def _impact_units(
    check: Check, attrs: tuple[str, ...], outcome: PolicyOutcome, min_group_size: int
) -> tuple[list[Unit], str]:
    if check.id in outcome.errors:
        raise CheckError(outcome.errors[check.id])
    table = find_table(outcome.impact_tables, check, attrs)
    if table is None:
        raise CheckError(
            "the audit has no impact-ratio table for this check",
            value=list(attrs),
            fix="run the audit with this policy (impact tables are computed from the data)",
        )
    units = []
    for row in table.rows:
        reason = row.note if row.status in ("excluded", "withheld") else ""
        if not reason and row.n is not None and row.n < min_group_size:
            reason = f"fewer than {min_group_size} rows"
        reference = table.highest if row.status != "highest" else None
        units.append(Unit(row.key, row.impact_ratio, row.n, reference, row.p_adjusted, reason))
    context = f"against the highest rate, {format_key(table.highest) if table.highest else 'none'}"
    if table.unknown != 0:
        unknown = coarsen_count(table.unknown, table.suppress_below)
        context += f"; {unknown} rows of unknown category not rated"
    return units, context


def find_table(
    tables: Sequence[ImpactTable], check: Check, attrs: Sequence[str]
) -> ImpactTable | None:
    """Return the impact table computed for ``check`` over ``attrs``, if any.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 60, "p": [1, 1, 0, 1] * 30,
    ...                    "g": ["a"] * 70 + ["b"] * 50})
    >>> result = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                       preset=["four-fifths"])
    >>> from accord.policy import load_policy
    >>> check = load_policy(None, presets=["four-fifths"]).checks[0]
    >>> table = find_table(result.policy.impact_tables, check, ("g",))
    >>> table.highest
    {'g': 'a'}
    """
    for t in tables:
        if (
            t.metric == check.metric
            and tuple(t.attributes) == tuple(attrs)
            and t.exclude_below == check.exclude_below
            and t.unknown_values == list(check.unknown)
            and (check.metric != "scoring_rate" or check.score_column in (None, t.score_column))
        ):
            return t
    return None


def _judge(
    check: Check, units: list[Unit], alpha: float, base: Finding, grouping: list[str], context: str
) -> Finding:
    outcomes = []
    judged_units: list[tuple[float, GroupOutcome]] = []
    missing_interval = 0
    for u in units:
        out, judged = _judge_unit(check, u, alpha)
        outcomes.append(out)
        if judged is not None:
            judged_units.append((check.threshold.margin(judged), out))
        elif u.estimate is not None and u.estimate.value is not None and not u.unjudged:
            missing_interval += 1
    if not judged_units and missing_interval:
        raise CheckError(
            f"judge: {check.judge} needs confidence intervals, and this audit "
            "has none for this measure",
            fix="run the audit with bootstrap > 0, or use judge: point",
        )
    statuses = {o.status for o in outcomes}
    if FindingStatus.FAIL in statuses:
        status = FindingStatus.FAIL
    elif FindingStatus.WARN in statuses:
        status = FindingStatus.WARN
    elif judged_units:
        status = FindingStatus.PASS
    else:
        status = FindingStatus.INSUFFICIENT_DATA
    worst = min(judged_units, key=lambda m: m[0])[1] if judged_units else None
    breaching = [o for o in outcomes if o.status in (FindingStatus.FAIL, FindingStatus.WARN)]
    return base.model_copy(
        update={
            "grouping": grouping,
            "status": status,
            "value": worst.value if worst else None,
            "groups": [o.key for o in breaching],
            "outcomes": outcomes,
            "message": _message(check, outcomes, breaching, worst, context),
        }
    )


def _judge_unit(check: Check, u: Unit, alpha: float) -> tuple[GroupOutcome, float | None]:
    common = GroupOutcome(
        key=u.key,
        value=u.estimate,
        n=u.n,
        reference=u.reference,
        p_adjusted=u.p_adjusted,
        status=FindingStatus.INSUFFICIENT_DATA,
    )
    est = u.estimate
    if u.unjudged or est is None or est.value is None:
        return common.model_copy(update={"note": u.unjudged or _missing_note(est)}), None
    judged = {"point": est.value, "ci_lower": est.ci_low, "ci_upper": est.ci_high}[check.judge]
    if judged is None:
        return common.model_copy(update={"note": "no confidence interval"}), None
    notes = []
    if (
        est.ci_low is not None
        and est.ci_high is not None
        and check.threshold.holds(est.ci_low) != check.threshold.holds(est.ci_high)
    ):
        notes.append("the interval straddles the threshold")
    if check.threshold.holds(judged):
        status = FindingStatus.PASS
    else:
        status = FindingStatus(check.severity)
        if check.significant_only and u.p_adjusted is not None and u.p_adjusted >= alpha:
            status = FindingStatus.WARN
            notes.append(f"not statistically significant (adjusted p = {u.p_adjusted:.3g})")
    return common.model_copy(
        update={"status": status, "judged": judged, "note": "; ".join(notes)}
    ), judged


def _missing_note(est: Estimate | None) -> str:
    if est is None:
        return "not computed for this group"
    if est.status == ValueStatus.UNDEFINED:
        return "undefined (a zero denominator)"
    return "insufficient data"


_SINGLE = {
    "max_min_difference": "the largest difference between groups",
    "min_max_ratio": "the smallest ratio between groups",
    "overall": "the overall value",
}


def _message(
    check: Check,
    outcomes: list[GroupOutcome],
    breaching: list[GroupOutcome],
    worst: GroupOutcome | None,
    context: str,
) -> str:
    thr = check.threshold.describe()
    judged = [o for o in outcomes if o.status != FindingStatus.INSUFFICIENT_DATA]
    unjudged = len(outcomes) - len(judged)
    what = {
        "point": "",
        "ci_lower": " (judged on the lower end of the interval)",
        "ci_upper": " (judged on the upper end of the interval)",
    }[check.judge]
    if check.measure in _SINGLE and len(outcomes) == 1:
        o = outcomes[0]
        if o.status == FindingStatus.INSUFFICIENT_DATA:
            text = f"{_SINGLE[check.measure]} could not be judged: {o.note}"
        else:
            verb = "breaches" if breaching else "meets"
            text = f"{_SINGLE[check.measure]}, {format_estimate(o.value)}, {verb} {thr}{what}"
        return text + (f" ({context})" if context else "")
    if breaching:
        shown = ", ".join(f"{format_key(o.key)} {format_estimate(o.value)}" for o in breaching[:3])
        more = f" and {len(breaching) - 3} more" if len(breaching) > 3 else ""
        verb = "breaches" if len(breaching) == 1 else "breach"
        text = (
            f"{len(breaching)} of {len(judged)} {_noun(len(judged))} {verb} "
            f"{thr}{what}: {shown}{more}"
        )
    elif worst is not None:
        text = (
            f"{_all(len(judged))} {_noun(len(judged))} "
            f"{'meets' if len(judged) == 1 else 'meet'} {thr}{what}; closest: "
            f"{format_key(worst.key)} {format_estimate(worst.value)}"
        )
    else:
        reasons = sorted({o.note for o in outcomes if o.note})
        text = "nothing could be judged" + (f": {'; '.join(reasons)}" if reasons else "")
    if context:
        text += f" ({context})"
    if unjudged and judged:
        kinds = Counter(
            o.note.split(":")[0] or "insufficient data"
            for o in outcomes
            if o.status == FindingStatus.INSUFFICIENT_DATA
        )
        text += (
            f"; {unjudged} not judged ("
            + ", ".join(
                f"{count} {reason}" if len(kinds) > 1 else reason
                for reason, count in kinds.items()
            )
            + ")"
        )
    return text


def _noun(count: int) -> str:
    return "group" if count == 1 else "groups"


def _all(count: int) -> str:
    return "the" if count == 1 else f"all {count}"


def _discovery_finding(spec: DiscoverSpec, outcome: PolicyOutcome) -> Finding:
    assert spec.max_gap is not None
    threshold = Threshold(lte=spec.max_gap)
    base = Finding(
        check_id="discovery",
        title=f"No significant subgroup is worse off by more than {spec.max_gap:g}",
        status=FindingStatus.ERROR,
        severity=spec.severity,
        metric=spec.metric,
        measure="subgroup_gap",
        threshold=threshold.as_dict(),
        requirements=linked_requirements("fairness.discovery", None, spec.requirements),
        check_type="fairness.discovery",
    )
    found = outcome.discovery
    if found is None:
        return base.model_copy(update={"message": "the audit ran no worst-subgroup discovery"})
    if found.n_hypotheses == 0:
        return base.model_copy(
            update={
                "status": FindingStatus.INSUFFICIENT_DATA,
                "message": "no subgroup reached the minimum support",
            }
        )
    outcomes = []
    for s in found.top:
        harmful = s.direction in ("worse", "different")
        size = abs(s.gap.value or 0.0)
        breach = harmful and not threshold.holds(size)
        outcomes.append(
            GroupOutcome(
                key=s.conditions,
                value=s.gap,
                judged=size,
                n=s.n,
                p_adjusted=s.p_adjusted,
                status=FindingStatus(spec.severity) if breach else FindingStatus.PASS,
                note=f"{s.direction} off than the rest",
            )
        )
    breaching = [o for o in outcomes if o.status != FindingStatus.PASS]
    status = FindingStatus(spec.severity) if breaching else FindingStatus.PASS
    message = (
        f"{len(breaching)} significant subgroups are worse off than the rest by more "
        f"than {spec.max_gap:g} (of {found.n_hypotheses} tested, FDR {found.fdr:g})"
        if breaching
        else f"no significant subgroup is worse off than the rest by more "
        f"than {spec.max_gap:g} ({found.n_hypotheses} tested, FDR {found.fdr:g})"
    )
    return base.model_copy(
        update={
            "status": status,
            "groups": [o.key for o in breaching],
            "outcomes": outcomes,
            "value": breaching[0].value if breaching else None,
            "message": message,
        }
    )
