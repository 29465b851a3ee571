"""Performance by group, missingness by group, and the findings' requirement ids."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import scipy.stats as st

from accord.core import FindingStatus, ValueStatus
from accord.inclusion import REQUIREMENTS, InclusionResult, assess


def _predictions(seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = {"Mexico": 900, "India": 600, "Kenya": 120, "Peru": 20}
    accuracy = {"Mexico": 0.9, "India": 0.85, "Kenya": 0.6, "Peru": 0.7}
    rows = []
    for country, n in sizes.items():
        y = rng.integers(0, 2, size=n)
        correct = rng.random(n) < accuracy[country]
        p = np.where(correct, y, 1 - y)
        rows.append(pl.DataFrame({"country": [country] * n, "y": y, "p": p}))
    df = pl.concat(rows)
    # Some rows have no label: they are left out of accuracy, and counted.
    return df.with_columns(
        pl.when(pl.int_range(pl.len()) % 50 == 0).then(None).otherwise(pl.col("y")).alias("y")
    )


def test_accuracy_by_group_matches_polars_and_scipy() -> None:
    df = _predictions()
    result = assess(df, groups="country", label="y", prediction="p", bootstrap=300)
    perf = result.stats.performance
    assert perf is not None
    labelled = df.drop_nulls("y")
    assert perf.labelled_rows == labelled.height
    assert perf.unlabelled_rows == df.height - labelled.height
    direct = labelled.group_by("country").agg(n=pl.len(), ok=(pl.col("y") == pl.col("p")).sum())
    expected = {r["country"]: (r["n"], r["ok"]) for r in direct.iter_rows(named=True)}
    grouping = next(g for g in perf.groupings if g.attributes == ["country"])
    for g in grouping.groups:
        n, ok = expected[g.key["country"]]
        assert g.n == n
        if n < 30:
            assert g.status == ValueStatus.INSUFFICIENT_DATA and g.accuracy.value is None
            continue
        ci = st.binomtest(ok, n).proportion_ci(0.95, method="wilson")
        assert g.accuracy.value == pytest.approx(ok / n)
        assert (g.accuracy.ci_low, g.accuracy.ci_high) == pytest.approx((ci.low, ci.high))
        assert g.error_rate.value == pytest.approx(1 - ok / n)
        assert g.error_rate.ci_low == pytest.approx(1 - ci.high)
    accs = {c: ok / n for c, (n, ok) in expected.items() if n >= 30}
    worst, best = min(accs, key=accs.__getitem__), max(accs, key=accs.__getitem__)
    assert grouping.worst == {"country": worst} == {"country": "Kenya"}
    assert grouping.best == {"country": best}
    assert grouping.groups_compared == 3  # Peru is too small to compare
    assert grouping.gap.value == pytest.approx(accs[best] - accs[worst])
    assert grouping.gap.ci_low < grouping.gap.value < grouping.gap.ci_high
    finding = next(
        f
        for f in result.stats.findings
        if f.check_id == "inclusion.performance_by_region" and f.grouping == ["country"]
    )
    assert finding.status == FindingStatus.FAIL  # a 25-point gap, far above 5
    assert finding.groups == [{"country": "Kenya"}]
    # Regions roll up the same cells.
    region = next(g for g in perf.groupings if g.attributes == ["country:region"])
    americas = next(g for g in region.groups if g.key["country:region"] == "Americas")
    assert americas.n == expected["Mexico"][0] + expected["Peru"][0]


def test_a_two_class_label_that_is_not_0_1_needs_no_positive_class() -> None:
    df = pl.DataFrame(
        {"g": ["a", "b"] * 50, "y": ["<=50K", ">50K", ">50K", "<=50K"] * 25, "p": [">50K"] * 100}
    )
    perf = assess(df, groups="g", label="y", prediction="p", bootstrap=0).stats.performance
    assert perf is not None and perf.overall.accuracy.value == pytest.approx(0.5)


def test_features_missing_far_more_often_for_a_group_are_flagged() -> None:
    rng = np.random.default_rng(11)
    n = 2000
    lang = rng.choice(["en", "sw", "hi"], size=n, p=[0.6, 0.2, 0.2])
    missing_rate = np.where(lang == "sw", 0.4, 0.02)
    phone = np.where(rng.random(n) < missing_rate, None, "yes")
    age = np.where(rng.random(n) < 0.05, None, rng.integers(18, 90, size=n))
    df = pl.DataFrame({"lang": lang, "phone": phone, "age": age.tolist()})
    result = assess(df, groups="lang", bootstrap=0, proxies=False)
    miss = result.stats.missingness[0]
    flags = [(f.feature, f.key["lang"]) for f in miss.flags]
    assert flags == [("phone", "sw")]  # age is missing at random: not flagged
    direct = df.group_by("lang").agg(rate=pl.col("phone").is_null().mean())
    rates = {g.key["lang"]: g.rates["phone"] for g in miss.groups}
    for r in direct.iter_rows(named=True):
        assert rates[r["lang"]] == pytest.approx(r["rate"])
    flag = miss.flags[0]
    rest = df.filter(pl.col("lang") != "sw")["phone"].is_null().mean()
    assert flag.rest_rate == pytest.approx(rest)
    assert flag.p_adjusted < 0.05
    finding = next(
        f for f in result.stats.findings if f.check_id == "inclusion.coverage_gaps.missingness"
    )
    assert finding.status == FindingStatus.WARN


def test_every_finding_declares_the_requirements_it_evidences(
    adult_result: InclusionResult,
) -> None:
    from accord.governance import requirements_for_check

    findings = adult_result.stats.findings
    kinds = {f.check_id for f in findings}
    assert kinds == set(REQUIREMENTS)
    for f in findings:
        # The ids inclusion declares are the governance catalog's for the same check.
        assert f.requirements, f.check_id
        assert f.requirements == requirements_for_check(f.check_id), f.check_id
    eu = {"EUAIA:Art10(3)", "EUAIA:Art10(4)"}
    rep = [f for f in findings if f.check_id == "inclusion.representation"]
    assert all(eu <= set(f.requirements) for f in rep)
    # Adult has no one born in Africa or Oceania, and few women: both are failures.
    by = {tuple(f.grouping): f for f in rep}
    assert by[("native_country:region",)].status == FindingStatus.FAIL
    assert {"native_country:region": "Africa"} in by[("native_country:region",)].groups
    assert by[("sex",)].status == FindingStatus.FAIL


def test_declared_requirements_exist_in_the_catalog() -> None:
    from accord.governance import load_catalog

    catalog = load_catalog()
    known = {i.id for i in catalog.items()}
    for check, ids in REQUIREMENTS.items():
        assert set(ids) <= known, (check, set(ids) - known)


def test_intersections_are_examined_up_to_max_order() -> None:
    df = pl.DataFrame({"a": ["x", "y"] * 60, "b": ["u", "u", "v", "v"] * 30, "c": ["k"] * 120})
    stats = assess(df, groups=["a", "b", "c"], bootstrap=0, proxies=False).stats
    assert stats.coverage.groups_checked == 2 + 2 + 1 + 4 + 2 + 2  # singles, then pairs
    stats3 = assess(
        df, groups=["a", "b", "c"], bootstrap=0, proxies=False, min_group_size=50
    ).stats
    # a x b cells hold 30 rows; a x c and b x c hold 60; the triple is not examined.
    assert {tuple(b.key) for b in stats3.coverage.blind_spots} == {("a", "b")}
    from accord.inclusion import make_settings

    stats4 = assess(
        df,
        groups=["a", "b", "c"],
        bootstrap=0,
        proxies=False,
        settings=make_settings(max_order=3, min_group_size=50),
    ).stats
    assert {tuple(b.key) for b in stats4.coverage.blind_spots} == {("a", "b"), ("a", "b", "c")}
