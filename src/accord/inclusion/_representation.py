"""Representation: each group's share of the data against its share of a reference population.

The representation ratio of a group is (its share of the data) / (its share of
the reference). Its interval is the Wilson interval of the data share divided
by the reference share: the reference (a census, say) is taken as known
exactly. Groups of the data that the reference does not list are left out of
the comparison and reported; rows with a missing value are left out and
counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from accord.core import Estimate, UsageError, ValueStatus, closest, did_you_mean
from accord.fairness import MISSING_LABEL, percentile_interval, wilson
from accord.inclusion._cells import UNRECOGNISED, VALUE, Cells, column_name
from accord.inclusion._geo import country_table
from accord.inclusion._gof import goodness_of_fit, kl_divergence, total_variation
from accord.inclusion._models import GroupShare, InclusionSettings, Representation
from accord.inclusion._reference import ReferencePopulation

WILSON_RATIO = "wilson (data share) / reference share"
DISTANCE_CI = "bootstrap-percentile (multinomial on group counts)"


def representation(
    cells: Cells, references: Sequence[ReferencePopulation], settings: InclusionSettings
) -> tuple[list[Representation], list[str]]:
    """Compare the data with every reference population; also return warnings."""
    out: list[Representation] = []
    warnings: list[str] = []
    dims = {d.name: d for d in cells.dimensions}
    unused = [r for r in references if r.attribute not in dims]
    if unused and len(unused) == len(references):
        raise UsageError(
            "the reference population is about a column that is not a group attribute",
            column=unused[0].attribute,
            fix=did_you_mean(
                unused[0].attribute, list(dims), f"group attributes are: {', '.join(dims)}"
            ),
        )
    for r in unused:
        warnings.append(
            f"the reference population for {r.attribute!r} was not used: it is "
            "not a group attribute of this audit"
        )
    for i, ref in enumerate(r for r in references if r.attribute in dims):
        dim = dims[ref.attribute]
        if ref.level not in dim.levels:
            raise UsageError(
                f"the reference is at the {ref.level} level, but the column is not "
                "a country column",
                column=ref.attribute,
                fix="name it with --country, or drop the reference's level",
            )
        groups = _reference_groups(ref)
        column = column_name(ref.attribute, ref.level)
        grouping = cells.grouping([column])
        counts = grouping.sum(cells.n.astype(float)).astype(np.int64)
        labels = [k[column] for k in cells.keys(grouping)]
        data = dict(zip(labels, counts.tolist(), strict=True))
        result = compare(data, groups, settings, seed=settings.seed + i)
        rep = Representation(
            attribute=ref.attribute,
            level=ref.level,
            grouping=column,
            reference_name=ref.name,
            reference_source=ref.source,
            **result,
        )
        out.append(rep)
        warnings += _spelling_warnings(rep, ref.attribute)
    return out, warnings


def compare(
    data: dict[str, int],
    reference: dict[str, float],
    settings: InclusionSettings,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """Compute the fields of a Representation from group counts and reference shares.

    Examples
    --------
    >>> r = compare({"a": 60, "b": 40}, {"a": 0.5, "b": 0.5}, InclusionSettings(bootstrap=0))
    >>> [(g.group, g.ratio.value) for g in r["groups"]]
    [('b', 0.8), ('a', 1.2)]
    """
    missing = data.get(MISSING_LABEL, 0)
    outside = {
        g: n for g, n in data.items() if g not in reference and g != MISSING_LABEL and n > 0
    }
    names = list(reference)
    n = np.array([data.get(g, 0) for g in names], dtype=np.int64)
    total_ref = sum(reference.values())
    pi = np.array([reference[g] / total_ref for g in names])
    N = int(n.sum())
    level = settings.ci_level
    shares: list[GroupShare] = []
    if N > 0:
        p = n / N
        lo, hi = wilson(p, np.full(p.shape, float(N)), level)
    for j, g in enumerate(names):
        expected = float(N * pi[j])
        if N == 0:
            undefined = Estimate.missing(ValueStatus.UNDEFINED, 0.0)
            shares.append(
                GroupShare(
                    group=g,
                    n=0,
                    share=undefined,
                    reference_share=float(pi[j]),
                    expected=0.0,
                    ratio=undefined,
                    status="absent",
                )
            )
            continue
        ratio = Estimate(
            value=float(p[j] / pi[j]),
            ci_low=float(lo[j] / pi[j]),
            ci_high=float(hi[j] / pi[j]),
            method=WILSON_RATIO,
            denominator=N,
        )
        assert ratio.ci_low is not None and ratio.ci_high is not None
        status: Literal["absent", "under", "over", "ok"]
        if n[j] == 0:
            status = "absent"
        elif ratio.ci_high < settings.min_ratio:
            status = "under"
        elif ratio.ci_low > 1 / settings.min_ratio:
            status = "over"
        else:
            status = "ok"
        shares.append(
            GroupShare(
                group=g,
                n=int(n[j]),
                share=Estimate(
                    value=float(p[j]),
                    ci_low=float(lo[j]),
                    ci_high=float(hi[j]),
                    method="wilson",
                    denominator=N,
                ),
                reference_share=float(pi[j]),
                expected=expected,
                ratio=ratio,
                status=status,
            )
        )
    order = sorted(
        range(len(shares)),
        key=lambda j: (
            shares[j].status != "absent",
            shares[j].ratio.value if shares[j].ratio.value is not None else -1.0,
            j,
        ),
    )
    return {
        "rows_compared": N,
        "rows_missing": int(missing),
        "not_in_reference": outside,
        "groups": [shares[j] for j in order],
        "goodness_of_fit": goodness_of_fit(n, pi, seed=seed, mc_draws=settings.mc_draws),
        "total_variation": _distance(total_variation, n, pi, settings, seed),
        "kl_divergence": _distance(kl_divergence, n, pi, settings, seed),
    }


def _distance(
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n: np.ndarray,
    pi: np.ndarray,
    settings: InclusionSettings,
    seed: int,
) -> Estimate:
    N = int(n.sum())
    if N == 0 or n.size < 2:
        return Estimate.missing(ValueStatus.UNDEFINED, float(N))
    p = n / N
    value = float(fn(p, pi))
    if settings.bootstrap <= 0:
        return Estimate(value=value, denominator=N)
    rng = np.random.default_rng([seed, 7])
    reps = fn(rng.multinomial(N, p, size=settings.bootstrap) / N, pi)
    lo, hi = percentile_interval(np.asarray(reps)[:, None], settings.ci_level)
    return Estimate(
        value=value, ci_low=float(lo[0]), ci_high=float(hi[0]), method=DISTANCE_CI, denominator=N
    )


def _reference_groups(ref: ReferencePopulation) -> dict[str, float]:
    """Name the reference's groups as the cell table does at the reference's level."""
    if ref.level == VALUE:
        return ref.shares()
    table = country_table()
    known = table.names_at(ref.level)
    out: dict[str, float] = {}
    for g, share in ref.shares().items():
        name = g
        if ref.level == "country":
            found = table.resolve(g, codes=True)
            name = found.name if found is not None else g
        elif g not in known:
            raise UsageError(
                f"the reference names a {ref.level} that UN M49 does not have",
                column=ref.attribute,
                value=g,
                fix=did_you_mean(
                    g, sorted(known), f"{ref.level}s are: {', '.join(sorted(known))}"
                ),
            )
        out[name] = out.get(name, 0.0) + share
    return out


def _spelling_warnings(rep: Representation, attribute: str) -> list[str]:
    absent = [g.group for g in rep.groups if g.status == "absent"]
    extra = [g for g in rep.not_in_reference if g != UNRECOGNISED]
    out = []
    for g in absent:
        hint = closest(g, extra)
        if hint is not None:
            out.append(
                f"reference group {g!r} of {attribute!r} is absent from the data, which "
                f"has {hint!r}: if they are the same, spell them alike"
            )
    return out
