"""A classification audit: from the cell table to every metric, interval and disparity."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from accord.core import Progress, SilentProgress, ValueStatus
from accord.engine import FairnessPass
from accord.fairness._assemble import (
    all_grouping_stats,
    estimate_of,
    group_stats,
    labels_of,
    run_tests,
)
from accord.fairness._bootstrap import METHOD as BOOT
from accord.fairness._bootstrap import percentile_interval, replicate_counts, scale
from accord.fairness._calibration import AUC_METHOD, auc_from_histograms, brier, ece
from accord.fairness._disparity import GroupValues, status_of
from accord.fairness._intervals import normal, wilson
from accord.fairness._lattice import Grouping, Stack, lattice, make_grouping, stack, sum_by
from accord.fairness._metrics import ALL, METRICS, TESTED, Confusion, MetricDef
from accord.fairness._models import (
    FairnessStats,
    MetricInfo,
    ReliabilityPoint,
    SignificanceInfo,
)
from accord.fairness._outcomes import Outcomes, resolve_outcomes
from accord.fairness._settings import Settings
from accord.fairness._significance import CORRECTIONS, FISHER, Z_TEST, two_proportion
from accord.fairness._table import CellTable, build_table, describe_attributes
from accord.io import Roles

WILSON = "wilson"
SHARE = MetricDef("share", "Share of data", "the group's share of all rows (weighted)", None)
SCORE_METRICS = (
    MetricDef(
        "auc", "AUC", "probability that a positive is scored above a negative (ROC AUC)", "higher"
    ),
    MetricDef("brier", "Brier score", "mean squared error of the score as a probability", "lower"),
    MetricDef(
        "ece",
        "ECE",
        "expected calibration error: mean gap between score and observed rate, over score bins",
        "lower",
    ),
)


@dataclass(frozen=True)
class View:
    """One binary reading of the outcomes: the positive class, or one class against the rest."""

    suffix: str
    class_label: str | None
    positive_index: int | None
    y01: np.ndarray
    p01: np.ndarray
    metrics: tuple[MetricDef, ...]

    def name(self, metric: MetricDef) -> str:
        """The reported name of ``metric`` under this view."""
        return metric.name + self.suffix

    def masks(self) -> dict[str, np.ndarray]:
        """Per-stratum quadrant indicators."""
        y, p = self.y01, self.p01
        return {"tp": y & p, "fp": ~y & p, "fn": y & ~p, "tn": ~y & ~p}


@dataclass
class _Computed:
    """Per-grouping arrays, before they become models."""

    values: dict[str, GroupValues] = field(default_factory=dict)
    reliability: list[list[ReliabilityPoint]] | None = None


def bootstrap_interval(reps: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile intervals per group, none for a group whose replicates never move.

    A group with no event in any replicate (no true positive, say) shows no spread in the
    bootstrap, which would print as a zero-width interval: its uncertainty is not
    measured, so it gets no interval at all.
    """
    lo, hi = percentile_interval(reps, level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        still = np.nanmax(reps, axis=0) == np.nanmin(reps, axis=0)
    return np.where(still, np.nan, lo), np.where(still, np.nan, hi)


def views_for(outcomes: Outcomes, table: CellTable) -> list[View]:
    """The binary views an audit reports: one for a binary task, one per class for multiclass."""
    if outcomes.kind == "binary":
        pos = outcomes.positive
        return [View("", None, pos, table.y == pos, table.yhat == pos, METRICS)]
    correct = table.y == table.yhat
    views = [
        View(
            "",
            None,
            None,
            correct,
            np.ones_like(correct),
            tuple(m for m in METRICS if m.name == "accuracy"),
        )
    ]
    ovr = tuple(m for m in METRICS if m.name not in ("accuracy", "balanced_accuracy"))
    for i, c in enumerate(outcomes.classes):
        views.append(View(f"[{c}]", c, i, table.y == i, table.yhat == i, ovr))
    return views


def analyse_classification(
    fpass: FairnessPass, roles: Roles, settings: Settings, progress: Progress | None = None
) -> FairnessStats:
    """Compute a classification audit from the strata of the one pass.

    Parameters
    ----------
    fpass
        The strata and how their keys were made.
    roles
        The columns' roles (label, prediction, score, weight, sensitive).
    settings
        Minimum group size, bootstrap replicates, seed, references, ...
    progress
        Where to report progress of the bootstrap.

    Examples
    --------
    >>> import polars as pl, narwhals as nw
    >>> from accord.engine import fairness_pass
    >>> from accord.io import Roles
    >>> df = pl.DataFrame({"y": [0, 1] * 40, "p": [1, 1, 0, 1] * 20, "g": ["a", "b"] * 40})
    >>> roles = Roles(label="y", prediction="p", sensitive=("g",))
    >>> stats = analyse_classification(fairness_pass(nw.from_native(df.lazy()), roles), roles,
    ...                                Settings(bootstrap=0))
    >>> stats.task, [g.attributes for g in stats.groupings]
    ('binary', [['g']])
    """
    progress = progress or SilentProgress()
    assert roles.label is not None and roles.prediction is not None
    # The pass decided the calibration bins; the statistics must use the same ones.
    settings = replace(settings.floored(), ece_bins=fpass.calibration_bins)
    outcomes = resolve_outcomes(
        fpass.strata, label=roles.label, prediction=roles.prediction, positive=settings.positive
    )
    attrs = list(roles.sensitive)
    infos = describe_attributes(fpass.strata, attrs, dict(fpass.binnings), settings)
    table, fine = build_table(
        fpass,
        attrs,
        outcomes,
        score_column=roles.score,
        weight_column=roles.weight,
    )
    # The cell table is re-keyed by build_table; outcome codes follow it.
    views = views_for(outcomes, table)
    max_order = len(attrs) if settings.max_order is None else min(settings.max_order, len(attrs))
    groupings = lattice(table.codes, table.sizes, attrs, max_order)
    overall = make_grouping(table.codes, table.sizes, attrs, ())
    counts = (
        replicate_counts(table.n, settings.bootstrap, settings.seed)
        if settings.bootstrap > 0
        else None
    )
    weighted = roles.weight is not None
    progress.stage("Computing metrics and bootstrap intervals", total=len(groupings) + 1)
    computed_overall, *computed = _compute_all(
        table, fine, [overall, *groupings], views, counts, settings, progress
    )
    computed_all = list(zip(groupings, computed, strict=True))
    labelled = [(g, labels_of(g, infos), c.values) for g, c in computed_all]
    tested = [v.name(m) for v in views for m in v.metrics if m.name in TESTED]
    ref_metric = _first_metric(views)
    pvals, test_kinds = run_tests(
        labelled, tested, lambda gv, ref: _tests(gv, ref, weighted), ref_metric, settings
    )
    directions = _directions(views, fine is not None)
    out_groupings = all_grouping_stats(
        labelled,
        ref_metric,
        directions,
        settings,
        pvals,
        [c.reliability for _, c in computed_all],
    )
    metric_infos = _metric_infos(views, fine is not None, settings)
    overall_stats = group_stats(0, {}, computed_overall.values, computed_overall.reliability)
    warnings = list(fpass.warnings)
    if fine is not None:
        warnings += _auc_warning(computed_overall, computed_all)
    test_kinds = test_kinds or [Z_TEST]
    return FairnessStats(
        task="binary" if outcomes.kind == "binary" else "multiclass",
        positive=outcomes.classes[outcomes.positive] if outcomes.positive is not None else None,
        classes=list(outcomes.classes),
        attributes=infos,
        metrics=metric_infos,
        overall=overall_stats,
        groupings=out_groupings,
        significance=SignificanceInfo(
            tests=" / ".join(test_kinds)
            + (
                f" ({FISHER} when an expected count is below 5)"
                if not weighted and FISHER not in test_kinds
                else ""
            ),
            correction=CORRECTIONS[settings.correction],
            alpha=settings.alpha,
            n_tests=len(pvals),
            metrics=[v.name(m) for v in views for m in v.metrics if m.name in TESTED],
        ),
        bootstrap=settings.bootstrap,
        seed=settings.seed,
        ci_level=settings.ci_level,
        min_group_size=settings.min_group_size,
        suppress_below=settings.suppress_below,
        max_order=max_order,
        score_bins=fpass.score_bins if fine is not None else None,
        warnings=warnings,
    )


def _first_metric(views: Sequence[View]) -> str:
    return views[0].name(views[0].metrics[0])


def _confusion(
    grouping: Stack, masks: dict[str, np.ndarray], w: np.ndarray, w2: np.ndarray
) -> Confusion:
    sums = {q: grouping.sum(w * masks[q]) for q in ALL}
    sq = {q + "2": grouping.sum(w2 * masks[q]) for q in ALL}
    return Confusion(**sums, **sq)


def _replicate_confusion(
    grouping: Stack, masks: dict[str, np.ndarray], wrep: np.ndarray
) -> Confusion:
    # Every stratum lies in exactly one quadrant: one pass sums all four.
    quadrant = np.select([masks[q] for q in ALL], list(range(len(ALL))))
    sums = grouping.sum_rows_split(wrep, quadrant, len(ALL))
    zero = np.zeros_like(sums[:, 0])
    split = {q: sums[:, i] for i, q in enumerate(ALL)}
    return Confusion(**split, tp2=zero, fp2=zero, fn2=zero, tn2=zero)


def _compute_all(
    table: CellTable,
    fine: CellTable | None,
    groupings: Sequence[Grouping],
    views: Sequence[View],
    counts: np.ndarray | None,
    settings: Settings,
    progress: Progress,
) -> list[_Computed]:
    """Every metric of every group of every grouping: the confusion metrics over the stack
    of all groupings at once, the score metrics grouping by grouping.
    """
    st = stack(groupings)
    wrep = scale(counts, table.n, table.w) if counts is not None else None
    whole = _compute(table, st, views, wrep, settings)
    out = []
    for k, grouping in enumerate(groupings):
        part = _Computed({name: gv.take(st.part(k)) for name, gv in whole.values.items()})
        if fine is not None:
            share = part.values["share"]
            _score_metrics(
                part,
                table,
                fine,
                grouping,
                views,
                counts,
                wrep,
                settings,
                share.n,
                share.weight,
                share.small,
            )
        # Every classification metric is a proportion or lies between 0 and 1 (AUC, Brier,
        # ECE).
        part.values = {k: replace(v, limits=(0.0, 1.0)) for k, v in part.values.items()}
        out.append(part)
        progress.advance()
    return out


def _compute(
    table: CellTable,
    grouping: Stack,
    views: Sequence[View],
    wrep: np.ndarray | None,
    settings: Settings,
) -> _Computed:
    n = grouping.sum(table.n.astype(float)).astype(np.int64)
    w = grouping.sum(table.w)
    small = n < settings.min_group_size
    level = settings.ci_level
    out = _Computed()
    total_w = table.w.sum()
    total_eff = total_w**2 / table.w2.sum() if table.w2.sum() > 0 else np.nan
    share = w / total_w if total_w > 0 else np.full_like(w, np.nan)
    lo, hi = wilson(share, np.full_like(share, total_eff), level)
    share_rep = None
    if wrep is not None:
        # Each replicate's total: every grouping's groups add up to it.
        share_rep = grouping.sum_rows(wrep) / wrep.sum(axis=1, keepdims=True)
    out.values["share"] = GroupValues(
        share, lo, hi, WILSON, n, w, small, np.zeros_like(share, dtype=bool), share_rep, w
    )
    for v in views:
        masks = v.masks()
        conf = _confusion(grouping, masks, table.w, table.w2)
        rep_conf = _replicate_confusion(grouping, masks, wrep) if wrep is not None else None
        for m in v.metrics:
            value = m.value(conf)
            den = m.denominator_weight(conf)
            reps = m.value(rep_conf) if rep_conf is not None else None
            n_eff = None
            if m.is_rate:
                den_sq = conf.total_sq(m.denominator)
                with np.errstate(divide="ignore", invalid="ignore"):
                    n_eff = den * den / den_sq
                lo, hi = wilson(value, n_eff, level)
                method = WILSON
            elif reps is not None:
                lo, hi = bootstrap_interval(reps, level)
                method = BOOT
            else:
                lo = hi = np.full_like(value, np.nan)
                method = "none (bootstrap=0)"
            undefined = ~np.isfinite(value) | (den <= 0)
            out.values[v.name(m)] = GroupValues(
                value, lo, hi, method, n, w, small, undefined, reps, den, n_eff=n_eff
            )
    return out


def _score_metrics(
    out: _Computed,
    table: CellTable,
    fine: CellTable,
    grouping: Grouping,
    views: Sequence[View],
    counts: np.ndarray | None,
    wrep: np.ndarray | None,
    settings: Settings,
    n: np.ndarray,
    w: np.ndarray,
    small: np.ndarray,
) -> None:
    assert fine.score_bin is not None and table.score_bin is not None
    assert table.ws is not None and table.wss is not None
    level = settings.ci_level
    # Same keys as the coarse grouping (the same cells are present), so group ids align.
    fine_group = make_grouping(
        fine.codes, fine.sizes, _attribute_names(grouping, fine), grouping.positions
    )
    G = grouping.size
    bins = int(fine.score_bin.max()) + 1 if fine.size else 1
    view = views[0] if views[0].class_label is None and len(views) == 1 else None
    # Score metrics are defined for a binary task (the score is P(positive)).
    if view is None:
        return
    y_f = fine.y == view.positive_index
    key = fine_group.index * bins + fine.score_bin
    pos = np.bincount(key, weights=fine.w * y_f, minlength=G * bins).reshape(G, bins)
    neg = np.bincount(key, weights=fine.w * ~y_f, minlength=G * bins).reshape(G, bins)
    pos2 = fine_group.sum(fine.w2 * y_f)
    neg2 = fine_group.sum(fine.w2 * ~y_f)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos_eff = pos.sum(axis=1) ** 2 / pos2
        neg_eff = neg.sum(axis=1) ** 2 / neg2
    auc, se, bound = auc_from_histograms(pos, neg, pos_eff, neg_eff)
    lo, hi = normal(auc, se, level)
    undefined = ~np.isfinite(auc)
    out.values["auc"] = GroupValues(
        auc,
        np.clip(lo, 0, 1),
        np.clip(hi, 0, 1),
        AUC_METHOD,
        n,
        w,
        small,
        undefined,
        None,
        w,
        se=se,
        extra=bound,
    )
    # Brier and ECE from the coarse table (exact: coarse bins are unions of fine bins).
    y_c = view.y01
    E = settings.ece_bins
    ws = grouping.sum(table.ws)
    wss = grouping.sum(table.wss)
    wpos = grouping.sum(table.w * y_c)
    wspos = grouping.sum(table.ws * y_c)
    b = brier(w, ws, wss, wpos, wspos)
    gb = grouping.index * E + table.score_bin
    wb = np.bincount(gb, weights=table.w, minlength=G * E).reshape(G, E)
    w2b = np.bincount(gb, weights=table.w2, minlength=G * E).reshape(G, E)
    nb = np.bincount(gb, weights=table.n, minlength=G * E).reshape(G, E)
    sb = np.bincount(gb, weights=table.ws, minlength=G * E).reshape(G, E)
    yb = np.bincount(gb, weights=table.w * y_c, minlength=G * E).reshape(G, E)
    e = ece(wb, sb, yb)
    b_rep = e_rep = None
    if counts is not None and wrep is not None:
        ws_rep = scale(counts, table.n, table.ws)
        wss_rep = scale(counts, table.n, table.wss)
        gsum = grouping.sum_rows
        b_rep = brier(
            gsum(wrep), gsum(ws_rep), gsum(wss_rep), gsum(wrep * y_c), gsum(ws_rep * y_c)
        )
        B = counts.shape[0]
        wb_rep = sum_by(wrep, gb, G * E).reshape(B, G, E)
        sb_rep = sum_by(ws_rep, gb, G * E).reshape(B, G, E)
        yb_rep = sum_by(wrep * y_c, gb, G * E).reshape(B, G, E)
        e_rep = ece(wb_rep, sb_rep, yb_rep)
    for name, value, reps in (("brier", b, b_rep), ("ece", e, e_rep)):
        if reps is not None:
            lo, hi = bootstrap_interval(reps, level)
            method = BOOT
        else:
            lo = hi = np.full_like(value, np.nan)
            method = "none (bootstrap=0)"
        out.values[name] = GroupValues(
            value, lo, hi, method, n, w, small, ~np.isfinite(value), reps, w
        )
    edges = np.linspace(0, 1, E + 1)
    curves = []
    with np.errstate(divide="ignore", invalid="ignore"):
        obs = yb / wb
        n_eff = wb * wb / w2b
        olo, ohi = wilson(obs, n_eff, level)
        mean_score = sb / wb
    for g in range(G):
        points = []
        for k in range(E):
            if nb[g, k] == 0:
                continue
            status = status_of(bool(small[g]), not np.isfinite(obs[g, k]))
            est = estimate_of(obs[g, k], olo[g, k], ohi[g, k], WILSON, status, wb[g, k])
            points.append(
                ReliabilityPoint(
                    bin_low=float(edges[k]),
                    bin_high=float(edges[k + 1]),
                    weight=float(wb[g, k]),
                    n=int(nb[g, k]),
                    mean_score=float(mean_score[g, k]) if status == ValueStatus.OK else None,
                    observed=est,
                )
            )
        curves.append(points)
    out.reliability = curves


def _attribute_names(grouping: Grouping, fine: CellTable) -> list[str]:
    # make_grouping indexes names by position; pad the names list to the table width.
    names = [""] * fine.codes.shape[1]
    for a, p in zip(grouping.attributes, grouping.positions, strict=True):
        names[p] = a
    return names


def _tests(gv: GroupValues, ref: int | None, weighted: bool) -> list[tuple[int, float, str]]:
    """(group, p-value, test) for every group comparable with the reference."""
    if ref is None or gv.small[ref] or gv.undefined[ref]:
        return []
    out = []
    for g in range(gv.value.shape[0]):
        if g == ref or gv.small[g] or gv.undefined[g]:
            continue
        n1, n2 = gv.effective_n(g), gv.effective_n(ref)
        if not (np.isfinite(n1) and np.isfinite(n2)) or n1 <= 0 or n2 <= 0:
            continue
        p, test = two_proportion(
            gv.value[g] * n1, n1, gv.value[ref] * n2, n2, exact_allowed=not weighted
        )
        out.append((g, p, test))
    return out


def _directions(views: Sequence[View], with_score: bool) -> dict[str, str | None]:
    out: dict[str, str | None] = {v.name(m): m.better for v in views for m in v.metrics}
    if with_score:
        out.update({m.name: m.better for m in SCORE_METRICS})
    return out


def _metric_infos(views: Sequence[View], with_score: bool, settings: Settings) -> list[MetricInfo]:
    infos = [
        MetricInfo(
            name="share",
            title=SHARE.title,
            description=SHARE.description,
            better=None,
            ci_method=WILSON,
        )
    ]
    for v in views:
        for m in v.metrics:
            method = WILSON if m.is_rate else (BOOT if settings.bootstrap else "none")
            desc = m.description
            title = m.title
            if v.class_label is not None:
                title = f"{m.title} for class {v.class_label!r} (one-vs-rest)"
                desc = f"{m.description}, taking class {v.class_label!r} as positive"
            infos.append(
                MetricInfo(
                    name=v.name(m),
                    title=title,
                    description=desc,
                    better=m.better,
                    ci_method=method,
                    class_label=v.class_label,
                )
            )
    if with_score and len(views) == 1:
        for m in SCORE_METRICS:
            method = AUC_METHOD if m.name == "auc" else (BOOT if settings.bootstrap else "none")
            infos.append(
                MetricInfo(
                    name=m.name,
                    title=m.title,
                    description=m.description,
                    better=m.better,
                    ci_method=method,
                )
            )
    return infos


def _auc_warning(overall: _Computed, groupings: list[tuple[Grouping, _Computed]]) -> list[str]:
    # Warn when the binning error could matter next to the sampling error: its bound above a
    # quarter of the interval's half-width, for a group whose AUC is reported.
    worst = 0.0
    for _, comp in [(None, overall), *groupings]:
        gv = comp.values.get("auc")
        if gv is None or gv.extra is None or gv.se is None:
            continue
        shown = ~gv.small & ~gv.undefined & np.isfinite(gv.extra) & np.isfinite(gv.se)
        over = shown & (gv.extra > 0.25 * 1.96 * gv.se)
        if over.any():
            worst = max(worst, float(gv.extra[over].max()))
    if worst > 0:
        return [
            "AUC is computed from a fine score histogram; pairs tied within a bin bound its "
            f"error by {worst:.4f} at most, more than a quarter of a reported interval's "
            "half-width (pass a larger --score-bins to shrink it)"
        ]
    return []
