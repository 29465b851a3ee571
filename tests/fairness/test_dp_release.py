"""The differentially private release of an audit: budget accounting, bounds, structure.

OpenDP's noise cannot be seeded, so these tests assert what holds for any draw (the
structure, the budget) or over many draws (how often the bounds hold), never exact values.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest

import accord
from accord.core import UsageError
from accord.privacy import GroupCounts, dp_group_release
from disclosure_data import small_groups_frame

DRAWS = 300


def _tables() -> list[GroupCounts]:
    return [
        GroupCounts(
            ("g",),
            [{"g": "a"}, {"g": "b"}, {"g": "c"}],
            np.array([800, 150, 6]),
            {"selection_rate": np.array([400, 30, 3]), "base_rate": np.array([200, 90, 0])},
        ),
        GroupCounts(("h",), [{"h": "x"}, {"h": "y"}], np.array([500, 456]), {}),
    ]


def test_the_split_adds_up_to_epsilon_and_each_query_meets_its_share() -> None:
    import opendp.prelude as dp

    release = dp_group_release(_tables(), epsilon=0.7, confidence=0.9)
    # Four queries: counts and two numerators of g, counts of h.
    assert [(s.attributes, s.quantity) for s in release.split] == [
        (["g"], "count"),
        (["g"], "selection_rate"),
        (["g"], "base_rate"),
        (["h"], "count"),
    ]
    assert math.fsum(s.epsilon for s in release.split) == pytest.approx(0.7, abs=1e-12)
    assert all(s.epsilon == pytest.approx(0.7 / 4) for s in release.split)
    for g in release.groupings:
        mine = [s.epsilon for s in release.split if s.attributes == g.attributes]
        assert g.epsilon == pytest.approx(math.fsum(mine))
    # The noise scale spends no more than each share: OpenDP's own privacy map says so.
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    meas = dp.m.make_laplace(*space, scale=release.scale)
    assert meas.map(1) <= 0.7 / 4 + 1e-12
    # and not far less: the scale is the smallest that meets it (within the search's step).
    assert dp.m.make_laplace(*space, scale=release.scale * 0.99).map(1) > 0.7 / 4


def test_counts_and_rates_lie_within_their_bounds_as_often_as_stated() -> None:
    tables = _tables()
    confidence = 0.9
    count_miss = np.zeros(5)
    rate_miss = np.zeros(6)
    published = np.full(6, DRAWS)
    for _ in range(DRAWS):
        r = dp_group_release(tables, epsilon=1.0, confidence=confidence)
        noisy = [grp.count for g in r.groupings for grp in g.groups]
        truth = [800, 150, 6, 500, 456]
        count_miss += np.abs(np.array(noisy) - truth) > r.count_bound
        i = 0
        for name, num in tables[0].numerators.items():
            for grp, k, n in zip(r.groupings[0].groups, num, tables[0].totals, strict=True):
                e = grp.rates[name]
                true = k / n
                if e.value is None:
                    # No rate of a group whose noisy count is 0 (undefined, never 0): no
                    # interval is stated, so none can miss; it must be that case alone.
                    assert grp.count == 0 and e.low is None and e.high is None
                    published[i] -= 1
                else:
                    assert e.low is not None and e.high is not None
                    rate_miss[i] += not e.low <= true <= e.high
                i += 1
    # Each bound holds with 90% confidence (clipping at 0 only moves a count closer to the
    # truth). Pooled over every draw and group, a miss rate above 12% would be more than
    # four standard errors above 10%; one group alone above 17%, more than four too.
    assert count_miss.sum() / count_miss.size / DRAWS <= 0.12, count_miss / DRAWS
    assert rate_miss.sum() / published.sum() <= 0.12, rate_miss / published
    assert (count_miss / DRAWS <= 0.17).all() and (rate_miss / published <= 0.17).all()
    assert (published >= DRAWS // 2).all()  # the tiny group (6 rows) still gets most rates
    # The bounds are not vacuous: a rate of a large group is narrow.
    r = dp_group_release(tables, epsilon=1.0, confidence=confidence)
    big = r.groupings[0].groups[0].rates["selection_rate"]
    assert big.high is not None and big.low is not None and big.high - big.low < 0.1


def test_the_noise_is_centred_and_as_wide_as_its_scale() -> None:
    errors = []
    for _ in range(DRAWS):
        r = dp_group_release(_tables()[1:], epsilon=0.5)
        errors.append(r.groupings[0].groups[0].count - 500)
    scale = 2.0  # one query at epsilon 0.5
    q = math.exp(-1 / scale)
    sd = math.sqrt(2 * q) / (1 - q)  # the discrete Laplace distribution's
    assert abs(np.mean(errors)) < 4 * sd / math.sqrt(DRAWS)
    assert np.std(errors) == pytest.approx(sd, rel=0.2)


def test_bad_budgets_are_usage_errors() -> None:
    for eps in (0.0, -1.0, float("inf")):
        with pytest.raises(UsageError, match="epsilon"):
            dp_group_release(_tables(), epsilon=eps)
    with pytest.raises(UsageError, match="confidence"):
        dp_group_release(_tables(), epsilon=1.0, confidence=1.0)


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return small_groups_frame()


def _audit(df: pl.DataFrame, **options: object) -> accord.AuditResult:
    settings = {"label": "y", "prediction": "p", "sensitive": ["sex", "race", "region"]}
    return accord.audit(df, bootstrap=0, **(settings | options))  # type: ignore[arg-type]


def test_the_audit_releases_every_grouping_over_every_combination(frame: pl.DataFrame) -> None:
    result = _audit(frame, dp_epsilon=2.0)
    dp = result.dp_release
    assert dp is not None and result.settings.dp_epsilon == 2.0
    assert dp.epsilon == 2.0 and dp.confidence == result.fairness.ci_level
    assert [g.attributes for g in dp.groupings] == [
        g.attributes for g in result.fairness.groupings
    ]
    # 7 groupings x (count, selection rate, base rate)
    assert len(dp.split) == 21 and set(dp.rates) == {"selection_rate", "base_rate"}
    assert math.fsum(s.epsilon for s in dp.split) == pytest.approx(2.0, abs=1e-12)
    levels = {a.name: a.levels for a in result.fairness.attributes}
    for g in dp.groupings:
        combos = [
            dict(zip(g.attributes, c, strict=True))
            for c in itertools.product(*(levels[a] for a in g.attributes))
        ]
        # Empty intersections too (F and isle has no row): the release hides which occur.
        assert [x.key for x in g.groups] == combos
        for x in g.groups:
            assert x.count >= 0
            for e in x.rates.values():
                assert (e.value is None) == (x.count == 0)
                if e.value is not None:
                    assert e.low is not None and e.high is not None
                    assert 0 <= e.low <= e.value <= e.high <= 1
    assert any("cannot be seeded" in n for n in dp.notes)
    # The audit's own numbers stay exact and withheld as before.
    plain = _audit(frame)
    assert plain.dp_release is None
    assert plain.fairness.model_dump() == result.fairness.model_dump()


def test_the_audits_release_covers_the_true_counts(frame: pl.DataFrame) -> None:
    exact = _audit(frame, suppress_below=0)
    truth = {
        (tuple(g.attributes), tuple(x.key.values())): x.n
        for g in exact.fairness.groupings
        for x in g.groups
    }
    misses = total = 0
    for _ in range(20):
        dp = _audit(frame, dp_epsilon=3.0, max_order=1).dp_release
        assert dp is not None
        for g in dp.groupings:
            for x in g.groups:
                n = truth.get((tuple(g.attributes), tuple(x.key.values())), 0)
                misses += abs(x.count - n) > dp.count_bound
                total += 1
    assert total == 20 * 8 and misses / total <= 0.125  # 2 + 3 + 3 groups; 95% bounds


def test_weighted_regression_and_multiclass_audits_release_counts(frame: pl.DataFrame) -> None:
    weighted = _audit(frame.with_columns(w=pl.lit(2.0)), weight="w", dp_epsilon=1.0)
    assert weighted.dp_release is not None and weighted.dp_release.unit == "rows (unweighted)"
    assert any("ignore the weights" in n for n in weighted.dp_release.notes)
    reg = _audit(frame, task="regression", label="s", prediction="y", dp_epsilon=1.0)
    assert reg.dp_release is not None and reg.dp_release.rates == {}
    assert len(reg.dp_release.split) == len(reg.dp_release.groupings)
    three = frame.with_columns(y=pl.col("y") + (pl.col("s") > 0.7), p=pl.col("p") * 2)
    multi = _audit(three, dp_epsilon=1.0)
    assert multi.fairness.task == "multiclass"
    assert multi.dp_release is not None and multi.dp_release.rates == {}


@pytest.mark.parametrize("bad", [0, -2.0, float("nan"), "1"])
def test_a_bad_epsilon_is_a_usage_error(frame: pl.DataFrame, bad: object) -> None:
    with pytest.raises(UsageError, match="dp_epsilon"):
        _audit(frame, dp_epsilon=bad)


def test_the_html_report_shows_the_release_with_its_bounds(frame: pl.DataFrame) -> None:
    result = _audit(frame, dp_epsilon=1.0, max_order=1)
    html = result.to_html()
    section = html[html.index('<section id="dp-release"') :]
    section = section[: section.index("</section>")]
    dp = result.dp_release
    assert dp is not None
    assert "ε = 1" in section and "sequential composition" in section
    assert f"±{dp.count_bound:.1f}" in section
    # Every released count is printed, with every rate and its interval.
    for g in dp.groupings:
        for x in g.groups:
            e = x.rates["selection_rate"]
            cell = "undefined" if e.value is None else f"{e.value:.3f} [{e.low:.3f}, {e.high:.3f}]"
            assert cell in section
    assert 'id="chart-dp"' in section
    assert "Differentially private release (ε = 1" in result.to_markdown()


def test_groups_cut_at_data_quartiles_are_named_as_outside_the_guarantee() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    frame = pl.DataFrame(
        {
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
            "age": rng.integers(18, 90, n),
            "sex": rng.choice(["f", "m"], n),
        }
    )
    roles = {"label": "y", "prediction": "p", "sensitive": ["age", "sex"], "bootstrap": 0}
    quartiles = accord.audit(frame, dp_epsilon=1.0, **roles).dp_release
    assert quartiles is not None
    flagged = [n for n in quartiles.notes if "Not covered by the guarantee" in n]
    assert len(flagged) == 1 and "age" in flagged[0] and "sex" not in flagged[0]
    explicit = accord.audit(frame, dp_epsilon=1.0, bins={"age": [30, 50]}, **roles).dp_release
    assert explicit is not None
    assert not [n for n in explicit.notes if "Not covered by the guarantee" in n]
