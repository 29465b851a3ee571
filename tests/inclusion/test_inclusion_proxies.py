"""Proxies: Cramér's V and mutual information against SciPy and scikit-learn, and a planted
proxy that must rank first."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats.contingency import association as scipy_association
from scipy.stats.contingency import crosstab
from sklearn.metrics import mutual_info_score

from accord.inclusion import assess, association


def _synthetic(n: int = 4000, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ethnicity = rng.choice(["a", "b", "c"], size=n, p=[0.6, 0.3, 0.1])
    # A postcode built from the group, with 25% of rows given a random postcode instead.
    home = {"a": np.array(["N1", "N2", "N3"]), "b": np.array(["S1", "S2"]), "c": np.array(["E1"])}
    postcode = np.empty(n, dtype=object)
    for group, codes in home.items():
        rows = ethnicity == group
        postcode[rows] = codes[rng.integers(0, len(codes), size=int(rows.sum()))]
    noise = rng.random(n) < 0.25
    postcode[noise] = rng.choice(["N1", "N2", "N3", "S1", "S2", "E1"], size=int(noise.sum()))
    # A numeric proxy: income shifted by group, plus noise (binned into deciles by accord).
    shift = {"a": 0.0, "b": 1.5, "c": 3.0}
    income = np.vectorize(shift.get)(ethnicity) + rng.normal(0, 1.0, size=n)
    return pl.DataFrame(
        {
            "ethnicity": ethnicity,
            "postcode": postcode.astype(str),
            "income": income,
            "shoe_size": rng.integers(35, 47, size=n),  # independent, 12 levels
            "colour": rng.choice(["red", "green", "blue"], size=n),  # independent
            "ticket": rng.integers(0, 900, size=n).astype(str),  # independent, many levels
        }
    )


def test_planted_proxies_rank_first_and_noise_is_not_flagged() -> None:
    df = _synthetic()
    result = assess(df, groups="ethnicity", bootstrap=0)
    ranking = result.stats.proxies[0].ranking
    names = [r.feature for r in ranking]
    assert names[0] == "postcode"
    assert names[1] == "income"
    by = {r.feature: r for r in ranking}
    assert by["postcode"].flagged and by["income"].flagged
    assert by["income"].binned and by["income"].levels == 10
    for feature in ("shoe_size", "colour", "ticket"):
        assert not by[feature].flagged
        assert by[feature].cramers_v_corrected < 0.1
    # Many levels inflate the plain V of an independent column; the correction removes it.
    assert by["ticket"].cramers_v > 0.3 > by["ticket"].cramers_v_corrected
    finding = next(f for f in result.stats.findings if f.check_id == "inclusion.proxies")
    assert finding.status.value == "warn"
    assert {"feature": "postcode"} in finding.groups


def test_cramers_v_and_mutual_information_match_scipy_and_sklearn() -> None:
    df = _synthetic(n=3000, seed=5)
    result = assess(df, groups="ethnicity", bootstrap=0)
    by = {r.feature: r for r in result.stats.proxies[0].ranking}
    eth = df["ethnicity"].to_numpy()
    for feature in ("postcode", "colour", "ticket"):
        values = df[feature].cast(pl.String).to_numpy()
        table = crosstab(values, eth).count
        assert by[feature].cramers_v == pytest.approx(
            scipy_association(table, method="cramer", correction=False)
        )
        assert by[feature].mutual_information == pytest.approx(mutual_info_score(values, eth))
        assert by[feature].n == len(df)
    # Numeric features are cut into deciles; cut again here at the edges accord reports.
    for feature in ("income", "shoe_size"):
        x = df[feature].to_numpy()
        edges = by[feature].edges
        assert by[feature].binned and edges is not None
        binned = np.digitize(x, edges)
        assert by[feature].levels == len(np.unique(binned)) <= 10
        assert by[feature].mutual_information == pytest.approx(mutual_info_score(binned, eth))
        assert by[feature].cramers_v == pytest.approx(
            scipy_association(crosstab(binned, eth).count, method="cramer", correction=False)
        )
    # Deciles: no bin holds much more than a tenth of the rows.
    counts = np.bincount(np.digitize(df["income"].to_numpy(), by["income"].edges))
    assert counts.max() < 0.13 * len(df)


def test_bias_corrected_v_matches_bergsma_formula() -> None:
    table = np.array([[30, 10, 5], [10, 25, 5], [5, 5, 40], [2, 3, 1]])
    a = association(table)
    n = table.sum()
    r, k = table.shape
    chi2 = scipy_association(table, method="cramer", correction=False) ** 2 * n * (min(r, k) - 1)
    phi2 = chi2 / n
    phi2c = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    assert a.cramers_v_corrected == pytest.approx(np.sqrt(phi2c / min(rc - 1, kc - 1)))
    entropy = -(table.sum(0) / n * np.log(table.sum(0) / n)).sum()
    assert a.normalized_mi == pytest.approx(a.mutual_information / entropy)


def test_missing_feature_values_are_a_level_and_missing_groups_are_left_out() -> None:
    df = pl.DataFrame(
        {"g": ["a", "a", "b", "b", None] * 40, "f": ["x", "x", None, None, "y"] * 40}
    )
    result = assess(df, groups="g", bootstrap=0)
    score = result.stats.proxies[0].ranking[0]
    assert score.n == 160  # rows with a missing group are left out
    assert score.cramers_v == pytest.approx(1.0)  # f is missing exactly for group b


def test_identifier_like_text_columns_are_skipped() -> None:
    df = pl.DataFrame({"g": ["a", "b"] * 50, "id": [f"row{i}" for i in range(100)]})
    result = assess(df, groups="g", bootstrap=0, settings=None)
    assert result.stats.proxies[0].ranking[0].feature == "id"  # 100 values: under the limit
    from accord.inclusion import make_settings

    result = assess(df, groups="g", bootstrap=0, settings=make_settings(max_levels=50))
    assert "id" in result.stats.proxy_skipped
    assert result.stats.proxies == []
