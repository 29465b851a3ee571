"""Worst-subgroup discovery: a planted subgroup is found first, the false-discovery rate
holds on null data, and the pruned search tests exactly the subgroups a brute-force
enumeration finds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import accord
from accord.core import ColumnNotFoundError, FindingStatus, UsageError
from accord.fairness import discover_subgroups

LEVELS = [3, 4, 3, 5, 2]
NAMES = [f"a{i}" for i in range(len(LEVELS))]
LABELS = [[f"v{j}" for j in range(k)] for k in LEVELS]


def _cells(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    keys = np.column_stack([x, y])
    uniq, counts = np.unique(keys, axis=0, return_counts=True)
    return uniq[:, :-1], counts, (uniq[:, -1] * counts).astype(float)


def _discover(x: np.ndarray, y: np.ndarray, **kw: object):  # type: ignore[no-untyped-def]
    codes, n, num = _cells(x, y)
    levels = kw.pop("labels", LABELS)
    names = kw.pop("names", NAMES)
    return discover_subgroups(
        codes,
        levels,
        names,
        n,
        num,
        n.astype(float),
        n.astype(float),
        metric="selection_rate",
        better="higher",
        **kw,
    )


def _attributes(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.stack([rng.integers(0, k, n) for k in LEVELS], axis=1)


@pytest.mark.parametrize("seed", range(20))
def test_a_planted_three_attribute_subgroup_is_found_at_the_top(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = _attributes(rng, 20_000)
    # One person in 18: a0=v1 & a2=v2 & a4=v0, selected 15 points less often.
    planted = (x[:, 0] == 1) & (x[:, 2] == 2) & (x[:, 4] == 0)
    y = rng.random(x.shape[0]) < np.where(planted, 0.35, 0.50)
    d = _discover(x, y)
    top = d.top[0]
    assert top.conditions == {"a0": "v1", "a2": "v2", "a4": "v0"}
    assert top.n == planted.sum() and top.direction == "worse"
    assert top.gap.ci_low < -0.15 < top.gap.ci_high  # the rest is at 0.50 throughout
    assert top.p_adjusted < 1e-6
    assert d.n_hypotheses > 400 and d.max_order == 3


@pytest.mark.slow
def test_on_null_data_discoveries_stay_within_the_false_discovery_rate() -> None:
    # With no gap anywhere, every discovery is false: the share of runs reporting any is
    # the family-wise error, which Benjamini-Hochberg keeps at the FDR level.
    runs, hits, tested = 1000, 0, []
    for seed in range(runs):
        rng = np.random.default_rng(10_000 + seed)
        x = _attributes(rng, 3000)
        d = _discover(x, rng.random(3000) < 0.4, fdr=0.05)
        hits += d.n_significant > 0
        tested.append(d.n_hypotheses)
    assert hits / runs <= 0.05
    assert min(tested) > 300  # a real multiple-testing problem, not a handful of tests


def _brute_force(
    df: pl.DataFrame, names: list[str], min_rows: int, max_order: int
) -> pl.DataFrame:
    """Every conjunction with enough rows, by group-bys over every attribute subset, with
    the set of rows it holds."""
    parts = []
    rows = df.with_row_index("row")
    for order in range(1, max_order + 1):
        for combo in itertools.combinations(names, order):
            g = rows.group_by(list(combo)).agg(
                n=pl.len(), x=pl.col("y").sum(), rows=pl.col("row").sort()
            )
            g = g.filter((pl.col("n") >= min_rows) & (pl.col("n") < df.height))
            parts.append(
                g.select(
                    key=pl.concat_str(
                        [pl.lit(f"{a}=") + pl.col(a).cast(pl.String) for a in combo],
                        separator=" & ",
                    ),
                    n="n",
                    x="x",
                    rows="rows",
                    order=pl.lit(order),
                )
            )
    return pl.concat(parts)


def _distinct_row_sets(brute: pl.DataFrame) -> pl.DataFrame:
    return brute.with_columns(
        rows=pl.col("rows").list.eval(pl.element().cast(pl.String)).list.join(",")
    ).unique("rows", keep="first", maintain_order=True)


def _p_values(family: pl.DataFrame, y: np.ndarray) -> np.ndarray:
    """Two-sided pooled z-tests of each subgroup against the rest of the rows."""
    total_x, total_n = int(y.sum()), y.size
    x1, n1 = family["x"].to_numpy(), family["n"].to_numpy()
    x2, n2 = total_x - x1, total_n - n1
    pooled = (x1 + x2) / total_n
    z = (x1 / n1 - x2 / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 2 * stats.norm.sf(np.abs(z))


def test_pruning_tests_every_frequent_subgroup_once_and_adjusts_like_scipy() -> None:
    rng = np.random.default_rng(3)
    x = _attributes(rng, 6000)
    # a5 repeats a0 under other names: a5=w1 and a0=v1 & a5=w1 hold the rows of a0=v1.
    x = np.column_stack([x, x[:, 0]])
    names, labels = [*NAMES, "a5"], [*LABELS, ["w0", "w1", "w2"]]
    y = rng.random(6000) < np.where((x[:, 1] == 0) & (x[:, 4] == 1), 0.3, 0.45)
    d = _discover(x, y, names=names, labels=labels, min_support=0.02)
    df = pl.DataFrame(
        {a: [labels[i][v] for v in x[:, i]] for i, a in enumerate(names)}
    ).with_columns(y=pl.Series(y.astype(int)))
    brute = _brute_force(df, names, d.min_rows, 3)
    family = _distinct_row_sets(brute)
    assert d.n_hypotheses == family.height
    assert d.n_redundant == brute.height - family.height > 0
    # The top subgroup's test and its BH-adjusted p-value, recomputed over the family.
    p = _p_values(family, y)
    adjusted = stats.false_discovery_control(p, method="bh")
    assert d.n_significant == int((adjusted <= 0.05).sum()) > 0
    top = d.top[0]
    same = family.filter(pl.col("n") == top.n, pl.col("x") == round(top.value.value * top.n))
    i = family["key"].to_list().index(same["key"][0])
    assert top.p_value == pytest.approx(p[i], rel=1e-9)
    assert top.p_adjusted == pytest.approx(adjusted[i], rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(200, 1500), st.floats(0.005, 0.1), st.integers(1, 4))
def test_apriori_pruning_never_loses_a_frequent_subgroup(
    seed: int, rows: int, support: float, order: int
) -> None:
    rng = np.random.default_rng(seed)
    x = _attributes(rng, rows)
    y = rng.random(rows) < 0.5
    d = _discover(x, y, min_support=support, min_rows=5, max_order=order)
    df = pl.DataFrame(
        {a: [LABELS[i][v] for v in x[:, i]] for i, a in enumerate(NAMES)}
    ).with_columns(y=pl.Series(y.astype(int)))
    need = max(math.ceil(support * rows), 5)
    brute = _brute_force(df, NAMES, need, order)
    assert d.n_hypotheses + d.n_redundant == brute.height
    assert d.n_hypotheses == _distinct_row_sets(brute).height


def test_benjamini_yekutieli_is_more_conservative() -> None:
    rng = np.random.default_rng(8)
    x = _attributes(rng, 8000)
    y = rng.random(8000) < np.where(x[:, 2] == 1, 0.40, 0.47)
    bh = _discover(x, y, method="bh")
    by = _discover(x, y, method="by")
    assert by.n_hypotheses == bh.n_hypotheses
    assert 0 < by.n_significant < bh.n_significant
    assert "Yekutieli" in by.correction
    df = pl.DataFrame(
        {a: [LABELS[i][v] for v in x[:, i]] for i, a in enumerate(NAMES)}
    ).with_columns(y=pl.Series(y.astype(int)))
    family = _distinct_row_sets(_brute_force(df, NAMES, bh.min_rows, 3))
    p = _p_values(family, y)
    for d, method in ((bh, "bh"), (by, "by")):
        adjusted = stats.false_discovery_control(p, method=method)
        assert d.n_significant == int((adjusted <= 0.05).sum())


def _planted_frame(n: int = 12_000, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], n)
    race = rng.choice(["Black", "White", "Asian"], n, p=[0.25, 0.55, 0.2])
    edu = rng.choice(["hs", "college", "grad"], n)
    age = rng.integers(18, 70, n)
    planted = (sex == "Female") & (race == "Black") & (edu == "hs")
    p = rng.random(n) < np.where(planted, 0.30, 0.45)
    return pl.DataFrame(
        {
            "sex": sex,
            "race": race,
            "edu": edu,
            "age": age,
            "y": rng.integers(0, 2, n),
            "p": p.astype(int),
        }
    )


def test_discovery_through_the_audit_with_explored_columns() -> None:
    df = _planted_frame()
    policy = {"version": 1, "discover": {"explore": ["edu", "age"], "max_gap": 0.1}}
    result = accord.audit(
        df, label="y", prediction="p", sensitive=["sex", "race"], bootstrap=0, policy=policy
    )
    assert result.policy is not None and result.policy.discovery is not None
    d = result.policy.discovery
    assert d.top[0].conditions == {"sex": "Female", "race": "Black", "edu": "hs"}
    assert d.explored == ["edu", "age"] and set(d.binned) == {"age"}  # age cut at quartiles
    assert d.attributes == ["sex", "race", "edu", "age"]
    [finding] = result.findings
    assert finding.check_id == "discovery" and finding.status == FindingStatus.FAIL
    assert finding.groups[0] == {"sex": "Female", "race": "Black", "edu": "hs"}
    # The keywords alone do the same, searching another rate.
    tpr = accord.audit(
        df,
        label="y",
        prediction="p",
        sensitive=["sex", "race"],
        bootstrap=0,
        discover="tpr",
        explore=["edu"],
    ).policy
    assert tpr is not None and tpr.discovery is not None and tpr.discovery.metric == "tpr"


def test_discovery_refuses_what_it_cannot_search() -> None:
    df = _planted_frame(2000).with_columns(id=pl.int_range(2000).cast(pl.String))
    args = {"label": "y", "prediction": "p", "sensitive": ["sex"], "bootstrap": 0}
    with pytest.raises(UsageError, match="already has a role"):
        accord.audit(df, explore=["sex"], **args)
    with pytest.raises(ColumnNotFoundError, match="did you mean 'edu'"):
        accord.audit(df, explore=["educ"], **args)
    with pytest.raises(UsageError, match="too many to search"):
        accord.audit(df, explore=["id"], **args)
    with pytest.raises(UsageError, match="discovery searches a rate"):
        accord.audit(df, discover="auc", **args)
