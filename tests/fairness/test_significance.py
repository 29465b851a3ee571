"""Tests of group differences and the correction for testing many of them.

- Holm and Benjamini-Hochberg match the textbook step-down / step-up procedures written out
  in tests/reference_stats.py.
- Fisher's exact test (written out in accord to keep scipy.stats off the start-up path)
  matches scipy.stats.fisher_exact; the pooled z-test matches its formula.
- In an audit, every group-vs-reference test of every grouping and tested metric is one
  family: the adjusted p-values are the correction of all of them together.
- Under a null with many groups, the family-wise false positive rate stays at or below
  alpha, while testing without a correction would flag a difference in most datasets.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.fairness import FairnessStats, Settings
from accord.fairness._significance import FISHER, Z_TEST, adjust, fisher_exact, two_proportion
from reference_stats import bh_reference, holm_reference

from .accord_groups import audit_adult, stats_from_cells

P_VALUES = st.lists(
    st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.01, 0.05, 1.0])),
    min_size=0,
    max_size=60,
)


@given(P_VALUES)
def test_holm_matches_the_textbook_procedure(p: list[float]) -> None:
    np.testing.assert_allclose(adjust(np.array(p), "holm"), holm_reference(p), rtol=1e-12, atol=0)


@given(P_VALUES)
def test_benjamini_hochberg_matches_the_textbook_procedure(p: list[float]) -> None:
    np.testing.assert_allclose(adjust(np.array(p), "bh"), bh_reference(p), rtol=1e-12, atol=0)


def test_known_adjustments() -> None:
    # Worked example: m = 4.
    p = [0.01, 0.04, 0.03, 0.005]
    assert np.allclose(adjust(np.array(p), "holm"), [0.03, 0.06, 0.06, 0.02])
    assert np.allclose(adjust(np.array(p), "bh"), [0.02, 0.04, 0.04, 0.02])


COUNT = st.integers(0, 40)


@settings(max_examples=300)
@given(a=COUNT, b=COUNT, c=COUNT, d=COUNT)
def test_fisher_exact_matches_scipy(a: int, b: int, c: int, d: int) -> None:
    expected = scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue
    assert math.isclose(fisher_exact(a, b, c, d), expected, rel_tol=1e-9, abs_tol=1e-15)


@pytest.mark.parametrize(
    "table",
    [
        (0, 0, 0, 0),
        (0, 5, 0, 7),
        (3, 0, 0, 3),
        (120, 3, 95, 14),
        (1000, 2, 980, 30),
        (7, 500, 1, 600),
    ],
)
def test_fisher_exact_matches_scipy_on_edge_and_large_tables(
    table: tuple[int, int, int, int],
) -> None:
    a, b, c, d = table
    expected = scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue
    assert math.isclose(fisher_exact(a, b, c, d), expected, rel_tol=1e-9, abs_tol=1e-15)


@given(
    x1=st.integers(0, 400),
    n1=st.integers(30, 400),
    x2=st.integers(0, 400),
    n2=st.integers(30, 400),
)
def test_two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> None:
    x1, x2 = min(x1, n1), min(x2, n2)
    p, test = two_proportion(x1, n1, x2, n2, exact_allowed=True)
    pooled = (x1 + x2) / (n1 + n2)
    if min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)) < 5:
        assert test == FISHER
        assert math.isclose(
            p,
            scipy.stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue,
            rel_tol=1e-9,
            abs_tol=1e-15,
        )
    else:
        assert test == Z_TEST
        z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        assert math.isclose(p, 2 * scipy.stats.norm.sf(abs(z)), rel_tol=1e-9, abs_tol=1e-300)
    # Weighted counts are not whole rows: never Fisher.
    assert two_proportion(x1, n1, x2, n2, exact_allowed=False)[1] == Z_TEST


def _all_tests(stats: FairnessStats) -> list[tuple[float, float, bool]]:
    assert stats.significance is not None
    out = []
    for grouping in stats.groupings:
        for metric in stats.significance.metrics:
            for d in grouping.disparities[metric]:
                if d.p_value is not None:
                    assert d.p_adjusted is not None and d.significant is not None
                    out.append((d.p_value, d.p_adjusted, d.significant))
    return out


@pytest.mark.parametrize("correction", ["holm", "bh"])
def test_an_audit_corrects_all_its_tests_as_one_family(
    adult: pl.DataFrame, correction: str
) -> None:
    result = audit_adult(adult, min_group_size=30, correction=correction)
    stats = result.fairness
    assert stats.significance is not None
    tests = _all_tests(stats)
    assert len(tests) == stats.significance.n_tests > 50
    assert stats.significance.correction.startswith(
        "Holm" if correction == "holm" else "Benjamini-Hochberg"
    )
    raw = [t[0] for t in tests]
    reference = holm_reference(raw) if correction == "holm" else bh_reference(raw)
    np.testing.assert_allclose([t[1] for t in tests], reference, rtol=1e-12)
    assert all(t[2] == (t[1] < stats.significance.alpha) for t in tests)
    assert any(t[2] for t in tests) and not all(t[2] for t in tests)


def test_small_expected_counts_use_fisher_and_weights_never_do() -> None:
    # Group b: 40 rows, one positive prediction; a: 400 rows, a tenth predicted positive.
    rows = {
        "g": ["a"] * 400 + ["b"] * 40,
        "y": ([1, 0] * 200) + ([1, 0] * 20),
        "p": ([1] + [0] * 9) * 40 + [1] + [0] * 39,
    }
    df = pl.DataFrame(rows).with_columns(w=pl.lit(2.0))
    plain = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0)
    sel = plain.fairness.groupings[0].disparities["selection_rate"][0]
    assert sel.test == FISHER
    assert sel.p_value is not None and math.isclose(
        sel.p_value, scipy.stats.fisher_exact([[1, 39], [40, 360]]).pvalue, rel_tol=1e-9
    )
    weighted = accord.audit(df, label="y", prediction="p", sensitive="g", weight="w", bootstrap=0)
    assert weighted.fairness.groupings[0].disparities["selection_rate"][0].test == Z_TEST


def _null_dataset(rng: np.random.Generator, groups: int, rows: int) -> FairnessStats:
    # Every group has the same base rate, TPR and FPR: every difference is noise.
    cell = np.array([0.7 * 0.8, 0.7 * 0.2, 0.3 * 0.4, 0.3 * 0.6])
    share = np.linspace(2.0, 1.0, groups)  # unequal sizes: one clear reference group
    probs = np.concatenate([s * cell for s in share / share.sum()])
    return stats_from_cells(rng.multinomial(rows, probs), groups, Settings(bootstrap=0))


@pytest.mark.slow
def test_family_wise_error_rate_stays_near_alpha_under_the_null() -> None:
    rng = np.random.default_rng(2024)
    datasets, alpha = 1000, 0.05
    any_corrected, any_raw, raw_rejections, n_tests = 0, 0, 0, 0
    for _ in range(datasets):
        tests = _all_tests(_null_dataset(rng, groups=12, rows=6000))
        n_tests += len(tests)
        raw_rejections += sum(t[0] < alpha for t in tests)
        any_raw += any(t[0] < alpha for t in tests)
        any_corrected += any(t[2] for t in tests)
    fwer = any_corrected / datasets
    se = math.sqrt(alpha * (1 - alpha) / datasets)
    # 11 groups x 4 metrics = 44 tests per dataset; each is a valid 5% test ...
    assert n_tests == datasets * 44
    assert abs(raw_rejections / n_tests - alpha) < 0.01
    # ... so without a correction most datasets show a "significant" difference ...
    assert any_raw / datasets > 0.6
    # ... and with Holm's, a false one is found in at most about alpha of them.
    assert fwer <= alpha + 2.5 * se
    assert fwer >= 0.01, "Holm's correction should not be far more conservative than alpha"
