"""Small counts in the audit's record: withheld below suppress_below, exact otherwise."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.core import SUPPRESS_BELOW, UsageError, ValueStatus
from accord.fairness import GroupStats
from accord.report import AuditResult
from disclosure_data import SMALL, audit_small_groups, numbers_under, small_groups_frame

#: JSON keys whose numbers are counts of people (or weights, which sum over them).
COUNT_KEYS = {
    "n",
    "weight",
    "denominator",
    "additional",
    "selected",
    "unknown",
    "not_in_reference",
}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return small_groups_frame()


@pytest.fixture(scope="module")
def withheld(frame: pl.DataFrame) -> AuditResult:
    return audit_small_groups(frame)


@pytest.fixture(scope="module")
def shown(frame: pl.DataFrame) -> AuditResult:
    return audit_small_groups(frame, suppress_below=0)


def _groups(result: AuditResult) -> dict[tuple[str, ...], dict[tuple[str, ...], GroupStats]]:
    return {
        tuple(g.attributes): {tuple(x.key.values()): x for x in g.groups}
        for g in result.fairness.groupings
    }


def test_the_default_withholds_every_small_count_in_the_json(
    withheld: AuditResult, shown: AuditResult
) -> None:
    assert withheld.settings.suppress_below == SUPPRESS_BELOW == 10
    counts = numbers_under(json.loads(withheld.to_json()), COUNT_KEYS)
    assert not [c for c in counts if 0 < c < 10]
    # The same search finds every small count when suppression is off: it would catch them.
    exact = numbers_under(json.loads(shown.to_json()), COUNT_KEYS)
    assert set(SMALL) <= {int(c) for c in exact if float(c).is_integer()}
    assert shown.settings.suppress_below == 0


def test_a_withheld_group_publishes_no_count_weight_share_or_metric(
    withheld: AuditResult, shown: AuditResult
) -> None:
    hidden = 0
    for attrs, groups in _groups(shown).items():
        for key, exact in groups.items():
            g = _groups(withheld)[attrs][key]
            assert exact.n is not None
            if exact.n < 10:
                hidden += 1
                assert g.n is None and g.weight is None and g.reliability is None
                assert g.status == ValueStatus.INSUFFICIENT_DATA
                for est in g.metrics.values():
                    assert est.value is None and est.ci_low is None and est.denominator is None
            else:
                # Larger groups keep their exact statistics.
                assert g.n == exact.n and g.weight == exact.weight
                assert g.metrics["share"] == exact.metrics["share"]
    # race Other (7), region isle (5), F·Other (3), M·Other (4), and their intersections.
    assert hidden >= 6
    # Totals are published.
    assert withheld.fairness.overall.n == shown.fairness.overall.n == 1212


def test_by_group_gives_null_for_a_withheld_count(withheld: AuditResult) -> None:
    table = withheld.by_group("selection_rate", attributes=["race"])
    rows = {r["race"]: r for r in table.iter_rows(named=True)}
    assert rows["Other"]["n"] is None and rows["Other"]["value"] is None
    assert rows["Other"]["status"] == "insufficient_data"
    assert rows["White"]["n"] > 10 and rows["White"]["value"] is not None


def test_impact_tables_withhold_small_categories(
    withheld: AuditResult, shown: AuditResult
) -> None:
    assert withheld.policy is not None and shown.policy is not None
    table = next(t for t in withheld.policy.impact_tables if t.attributes == ["race"])
    rows = {r.key["race"]: r for r in table.rows}
    other = rows["Other"]
    assert other.status == "withheld" and table.suppress_below == 10
    assert (other.n, other.share, other.selected) == (None, None, None)
    assert other.rate.value is None and other.rate.denominator is None
    assert other.impact_ratio is not None and other.impact_ratio.value is None
    assert table.highest is not None and table.highest["race"] != "Other"
    exact = next(t for t in shown.policy.impact_tables if t.attributes == ["race"])
    assert {r.key["race"]: r.n for r in exact.rows}["Other"] == 7
    assert rows["White"].n == {r.key["race"]: r.n for r in exact.rows}["White"]
    # The finding does not judge the withheld category and says why.
    finding = next(f for f in withheld.findings if f.grouping == ["race"])
    outcome = next(o for o in finding.outcomes if o.key == {"race": "Other"})
    assert outcome.n is None and outcome.status.value == "insufficient_data"
    assert "fewer than 10 rows" in outcome.note


def test_inclusion_withholds_small_counts(withheld: AuditResult, shown: AuditResult) -> None:
    assert withheld.inclusion is not None and shown.inclusion is not None
    rep = {g.group: g for g in withheld.inclusion.representation[0].groups}
    assert rep["Other"].n is None and rep["Other"].ratio.value is None
    assert rep["Other"].status == "under"  # the verdict, from the exact counts, stands
    exact = {g.group: g for g in shown.inclusion.representation[0].groups}
    assert exact["Other"].n == 7 and exact["Other"].ratio.value is not None
    spots = withheld.inclusion.coverage.blind_spots
    assert spots and all(b.n is None or b.n >= 10 or b.n == 0 for b in spots)
    assert all(b.additional is None for b in spots if b.n is None)
    assert "Other fewer than 10 rows" in next(
        f.message for f in withheld.inclusion.findings if f.check_id.endswith("representation")
    )


def test_a_minimum_group_size_below_the_threshold_is_raised_with_a_warning(
    frame: pl.DataFrame,
) -> None:
    result = audit_small_groups(frame, min_group_size=5, preset=None, reference=None)
    assert result.settings.min_group_size == 5  # as asked, so the audit can be re-run
    assert result.fairness.min_group_size == 10  # as applied
    assert any("below suppress_below 10" in w for w in result.warnings)
    race = _groups(result)[("race",)]
    assert race[("Other",)].metrics["selection_rate"].value is None
    # Without suppression, the asked minimum applies: the 7 rows of Other have metrics.
    open_ = audit_small_groups(frame, min_group_size=5, suppress_below=0, preset=None)
    assert _groups(open_)[("race",)][("Other",)].metrics["selection_rate"].value is not None
    assert not any("suppress_below" in w for w in open_.warnings)


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_a_bad_threshold_is_a_usage_error(frame: pl.DataFrame, bad: Any) -> None:
    with pytest.raises(UsageError, match="suppress_below"):
        audit_small_groups(frame, suppress_below=bad)


def test_an_old_result_without_the_new_fields_still_loads(shown: AuditResult) -> None:
    data = json.loads(shown.to_json())
    del data["settings"]["suppress_below"], data["settings"]["dp_epsilon"]
    del data["fairness"]["suppress_below"], data["dp_release"]
    for table in data["policy"]["impact_tables"]:
        del table["suppress_below"]
    old = AuditResult.model_validate(data)
    assert old.settings.suppress_below == 0 and old.dp_release is None
    # Rendered as recorded: the counts it holds are shown (it was not made with suppression).
    assert "(n=3)" in old.to_markdown() or "(n=4)" in old.to_markdown()


def _frame(sizes: list[int], seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    groups = [f"g{i}" for i, s in enumerate(sizes) for _ in range(s)]
    n = len(groups)
    return pl.DataFrame({"g": groups, "y": rng.integers(0, 2, n), "p": rng.integers(0, 2, n)})


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 60), min_size=2, max_size=5),
    threshold=st.integers(0, 45),
    seed=st.integers(0, 1000),
)
def test_withholding_changes_nothing_but_the_counts_below_the_threshold(
    sizes: list[int], threshold: int, seed: int
) -> None:
    df = _frame(sizes, seed)
    common = {"label": "y", "prediction": "p", "sensitive": "g", "bootstrap": 0}
    floor = max(30, threshold)
    safe = accord.audit(df, suppress_below=threshold, **common)
    exact = accord.audit(df, suppress_below=0, min_group_size=floor, **common)
    assert safe.fairness.min_group_size == floor
    pairs = zip(safe.fairness.groupings[0].groups, exact.fairness.groupings[0].groups, strict=True)
    for a, b in pairs:
        assert a.key == b.key and a.status == b.status
        assert b.n is not None
        if 0 < b.n < threshold:
            assert a.n is None and a.weight is None
            assert all(e.value is None and e.denominator is None for e in a.metrics.values())
        else:
            # A denominator below the threshold is a small count too: withheld, nothing else.
            expected = b.model_dump()
            for est in expected["metrics"].values():
                if est["denominator"] is not None and 0 < est["denominator"] < threshold:
                    est["denominator"] = None
            assert a.model_dump() == expected
    # Every comparison between groups is the same: withheld groups were too small anyway.
    assert safe.fairness.groupings[0].summaries == exact.fairness.groupings[0].summaries
    assert safe.fairness.groupings[0].disparities == exact.fairness.groupings[0].disparities
