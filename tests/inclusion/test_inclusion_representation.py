"""Representation, the goodness-of-fit test and the distances, against independent computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from accord.inclusion import (
    InclusionSettings,
    assess,
    exact_multinomial,
    goodness_of_fit,
    kl_divergence,
    load_reference,
    total_variation,
)


def _frame(counts: dict[str, int], missing: int = 0) -> pl.DataFrame:
    values: list[str | None] = [g for g, n in counts.items() for _ in range(n)]
    values += [None] * missing
    return pl.DataFrame({"lang": values}, schema={"lang": pl.String})


def test_ratios_and_intervals_match_polars_and_scipy() -> None:
    counts = {"en": 700, "fr": 180, "sw": 90, "yo": 30}
    reference = {"en": 0.5, "fr": 0.2, "sw": 0.2, "yo": 0.1}
    df = _frame(counts, missing=25)
    result = assess(df, groups="lang", reference={"lang": reference}, bootstrap=0)
    rep = result.stats.representation[0]
    # Independent: shares straight from a Polars group-by, intervals from SciPy.
    observed = (
        df.drop_nulls()
        .group_by("lang")
        .len()
        .with_columns(share=pl.col("len") / pl.col("len").sum())
    )
    shares = dict(zip(observed["lang"].to_list(), observed["share"].to_list(), strict=True))
    total = int(observed["len"].sum())
    assert rep.rows_compared == total == 1000
    assert rep.rows_missing == 25
    for g in rep.groups:
        assert g.share.value == pytest.approx(shares[g.group])
        assert g.ratio.value == pytest.approx(shares[g.group] / reference[g.group])
        ci = st.binomtest(counts[g.group], total).proportion_ci(0.95, method="wilson")
        assert g.share.ci_low == pytest.approx(ci.low)
        assert g.share.ci_high == pytest.approx(ci.high)
        assert g.ratio.ci_low == pytest.approx(ci.low / reference[g.group])
        assert g.ratio.ci_high == pytest.approx(ci.high / reference[g.group])
        assert g.expected == pytest.approx(total * reference[g.group])
    by = {g.group: g for g in rep.groups}
    assert by["en"].status == "over" and by["sw"].status == "under" and by["yo"].status == "under"
    assert [g.group for g in rep.groups] == ["yo", "sw", "fr", "en"]  # by ratio, lowest first


def test_goodness_of_fit_and_distances_match_scipy() -> None:
    counts = {"en": 700, "fr": 180, "sw": 90, "yo": 30}
    reference = {"en": 5, "fr": 2, "sw": 2, "yo": 1}  # counts: shares 0.5, 0.2, 0.2, 0.1
    result = assess(_frame(counts), groups="lang", reference={"lang": reference}, bootstrap=200)
    rep = result.stats.representation[0]
    obs = np.array([counts[g] for g in reference])
    q = np.array(list(reference.values()), dtype=float) / 10
    expected = st.chisquare(obs, q * obs.sum())
    assert rep.goodness_of_fit.method == "Pearson chi-square test"
    assert rep.goodness_of_fit.statistic == pytest.approx(expected.statistic)
    assert rep.goodness_of_fit.p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
    assert rep.goodness_of_fit.df == 3
    p = obs / obs.sum()
    assert rep.total_variation.value == pytest.approx(0.5 * np.abs(p - q).sum())
    assert rep.kl_divergence.value == pytest.approx(st.entropy(p, q))
    for est in (rep.total_variation, rep.kl_divergence):
        assert est.ci_low is not None and est.ci_high is not None
        assert est.ci_low <= est.value <= est.ci_high


def _brute_force_exact(observed: list[int], shares: list[float]) -> float:
    n, k = sum(observed), len(observed)
    p_obs = st.multinomial.pmf(observed, n, shares)
    total = 0.0
    for sample in itertools.product(range(n + 1), repeat=k):
        if sum(sample) == n:
            p = st.multinomial.pmf(sample, n, shares)
            if p <= p_obs * (1 + 1e-7):
                total += p
    return float(total)


@pytest.mark.parametrize(
    ("observed", "shares"),
    [
        ([3, 0, 1], [0.5, 0.3, 0.2]),
        ([0, 0, 6, 1], [0.4, 0.3, 0.2, 0.1]),
        ([5, 1], [0.3, 0.7]),
    ],
)
def test_exact_multinomial_test_matches_brute_force(
    observed: list[int], shares: list[float]
) -> None:
    result = goodness_of_fit(np.array(observed), np.array(shares))
    assert result.method == "exact multinomial test"
    assert result.p_value == pytest.approx(_brute_force_exact(observed, shares), rel=1e-9)


def test_monte_carlo_test_estimates_the_exact_test() -> None:
    # 40 rows over 5 groups: 135,751 possible samples, more than the exact test enumerates.
    observed = np.array([20, 12, 5, 3, 0])
    shares = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    assert math.comb(44, 4) > 100_000
    mc = goodness_of_fit(observed, shares, seed=3, mc_draws=20_000)
    assert mc.method.startswith("Monte Carlo")
    exact = exact_multinomial(observed, shares)
    se = math.sqrt(exact * (1 - exact) / 20_000)
    assert mc.p_value == pytest.approx(exact, abs=4 * se)
    # A sample far from the shares is rejected by both.
    far = np.array([0, 0, 5, 15, 20])
    assert goodness_of_fit(far, shares, seed=3).p_value < 0.001


def test_absent_groups_come_first_and_unknown_groups_are_left_out() -> None:
    df = _frame({"en": 500, "fr": 100, "xx": 40})
    reference = {"en": 0.6, "fr": 0.2, "sw": 0.15, "qu": 0.05}
    rep = assess(
        df, groups="lang", reference={"lang": reference}, bootstrap=0
    ).stats.representation[0]
    assert [g.group for g in rep.groups[:2]] == ["sw", "qu"]
    assert all(g.status == "absent" and g.n == 0 for g in rep.groups[:2])
    assert rep.not_in_reference == {"xx": 40}
    assert rep.rows_compared == 600
    # Absent with 90 rows expected: the interval's upper bound is far below 0.8.
    sw = rep.groups[0]
    assert sw.ratio.value == 0.0 and sw.ratio.ci_high is not None and sw.ratio.ci_high < 0.8


def test_withheld_groups_and_missing_rows_give_no_count_away() -> None:
    # "de" (3 rows) and "it" (5 rows) are withheld; sorted by ratio they would sit among the
    # shown groups and bracket their counts, so they come last, by name; the 4 rows with the
    # attribute missing are a count of people too.
    df = _frame({"en": 500, "fr": 100, "es": 20, "it": 5, "de": 3}, missing=4)
    reference = {"en": 0.5, "fr": 0.2, "es": 0.1, "it": 0.1, "de": 0.1}
    rep = assess(df, groups="lang", reference={"lang": reference}, bootstrap=0)
    shown = rep.stats.representation[0]
    assert [g.group for g in shown.groups[-2:]] == ["de", "it"]
    assert all(g.n is None and g.ratio.value is None for g in shown.groups[-2:])
    assert all(g.n is not None for g in shown.groups[:-2])
    assert shown.rows_missing is None
    from accord.report import render_inclusion_page

    assert "4 with the value missing" not in render_inclusion_page(rep)
    exact = assess(
        df, groups="lang", reference={"lang": reference}, bootstrap=0, suppress_below=0
    ).stats.representation[0]
    assert exact.rows_missing == 4
    assert {g.group: g.n for g in exact.groups}["de"] == 3


@settings(max_examples=40, deadline=None)
@given(
    hs.lists(hs.integers(min_value=0, max_value=400), min_size=2, max_size=6),
    hs.lists(hs.floats(min_value=0.01, max_value=1.0), min_size=6, max_size=6),
)
def test_ratio_times_reference_share_is_the_data_share(
    counts: list[int], weights: list[float]
) -> None:
    names = [f"g{i}" for i in range(len(counts))]
    if sum(counts) == 0:
        return
    total_w = sum(weights[: len(counts)])
    reference = {g: w / total_w for g, w in zip(names, weights, strict=False)}
    df = _frame(dict(zip(names, counts, strict=True)))
    rep = assess(
        df,
        groups="lang",
        reference={"lang": reference},
        bootstrap=0,
        proxies=False,
        suppress_below=0,
    ).stats.representation[0]
    n = sum(counts)
    for g in rep.groups:
        data_share = counts[names.index(g.group)] / n
        assert g.ratio.value == pytest.approx(data_share / reference[g.group])
        assert g.ratio.ci_low <= g.ratio.value + 1e-12 <= g.ratio.ci_high + 2e-12
    assert rep.total_variation.value == pytest.approx(
        float(total_variation(np.array(counts) / n, np.array([reference[g] for g in names])))
    )


def test_kl_divergence_is_zero_only_for_identical_distributions() -> None:
    p = np.array([0.2, 0.3, 0.5])
    assert float(kl_divergence(p, p)) == 0.0
    assert float(kl_divergence(np.array([0.5, 0.5, 0.0]), p)) == pytest.approx(
        st.entropy([0.5, 0.5, 0.0], p)
    )


def test_adult_region_representation_matches_an_independent_count(adult_path: object) -> None:
    from accord.inclusion import country_table

    result = assess(
        adult_path,
        groups=["native_country"],
        reference="us-census-1990",
        bootstrap=0,
        proxies=False,
    )
    rep = result.stats.representation[0]
    assert rep.grouping == "native_country:region"
    df = pl.read_parquet(str(adult_path))
    table = country_table()
    mapping = {
        v: (c.region if (c := table.resolve(v)) else None)
        for v in df["native_country"].drop_nulls().unique().to_list()
    }
    regions = df.select(
        pl.col("native_country").replace_strict(mapping, default=None).alias("region")
    ).drop_nulls()
    counts = dict(regions.group_by("region").len().iter_rows())
    ref = load_reference("us-census-1990")[0].shares()
    total = sum(counts.values())
    assert rep.rows_compared == total
    for g in rep.groups:
        assert g.n == counts.get(g.group, 0)
        assert g.ratio.value == pytest.approx(counts.get(g.group, 0) / total / ref[g.group])
    # Adult has no one born in Africa or Oceania: both are absent and listed first.
    assert {g.group for g in rep.groups[:2]} == {"Africa", "Oceania"}


def test_settings_are_validated() -> None:
    from accord.core import UsageError
    from accord.inclusion import make_settings

    with pytest.raises(UsageError, match="min_group_size"):
        make_settings(min_group_size=0)
    assert InclusionSettings().ci_width == 0.1
