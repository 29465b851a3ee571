"""Small groups and zero denominators never produce a number that looks valid.

A group below the minimum group size is ``insufficient_data``: its row count is reported,
its metrics are not (value null, in the JSON and in ``by_group``), and it takes part in no
disparity, summary or test. A rate whose denominator is 0 is ``undefined`` (null), never 0.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

import accord
from accord.core import ValueStatus


def _rows(group: str, n: int, y: list[int], p: list[int]) -> dict[str, list[Any]]:
    return {"g": [group] * n, "y": (y * n)[:n], "p": (p * n)[:n]}


@pytest.fixture(scope="module")
def data() -> pl.DataFrame:
    parts = [
        _rows("big", 200, [1, 0, 0, 1, 0], [1, 0, 1, 0, 0]),
        _rows("small", 12, [1, 0, 1], [1, 1, 0]),  # below 30 rows
        _rows("no-positives", 50, [0], [1, 0]),  # TPR, FNR undefined
        _rows("none-predicted", 60, [1, 0], [0]),  # PPV, FDR undefined; selection rate 0
    ]
    return pl.concat([pl.DataFrame(p) for p in parts])


@pytest.fixture(scope="module")
def result(data: pl.DataFrame) -> accord.AuditResult:
    return accord.audit(data, label="y", prediction="p", sensitive="g", bootstrap=200)


def _json_group(result: accord.AuditResult, name: str) -> dict[str, Any]:
    data = json.loads(result.to_json())
    groups = data["fairness"]["groupings"][0]["groups"]
    return next(g for g in groups if g["key"] == {"g": name})


def test_a_small_group_reports_its_count_and_no_metric(result: accord.AuditResult) -> None:
    group = _json_group(result, "small")
    assert group["n"] == 12
    assert group["status"] == "insufficient_data"
    for name, metric in group["metrics"].items():
        if name == "share":  # the group's size is a fact, not an estimate
            assert metric["value"] == pytest.approx(12 / 322)
            continue
        assert metric["status"] == "insufficient_data", name
        assert metric["value"] is None and metric["ci_low"] is None, name
        assert metric["ci_high"] is None, name


def test_by_group_shows_null_for_small_and_undefined(result: accord.AuditResult) -> None:
    table = result.by_group("tpr", attributes=["g"])
    rows = {r["g"]: r for r in table.iter_rows(named=True)}
    assert rows["small"]["n"] == 12
    assert rows["small"]["value"] is None and rows["small"]["status"] == "insufficient_data"
    assert rows["no-positives"]["value"] is None
    assert rows["no-positives"]["status"] == "undefined"
    assert rows["no-positives"]["ci_low"] is None and rows["no-positives"]["ci_high"] is None
    assert rows["big"]["value"] == pytest.approx(40 / 80)
    assert rows["big"]["status"] == "ok"


@pytest.mark.parametrize(
    ("group", "undefined", "zero"),
    [
        ("no-positives", {"tpr", "fnr", "balanced_accuracy"}, {"base_rate"}),
        ("none-predicted", {"ppv", "fdr"}, {"selection_rate", "tpr", "fpr"}),
    ],
)
def test_a_zero_denominator_is_undefined_never_zero(
    result: accord.AuditResult, group: str, undefined: set[str], zero: set[str]
) -> None:
    metrics = _json_group(result, group)["metrics"]
    for name in undefined:
        assert metrics[name]["status"] == "undefined", name
        assert metrics[name]["value"] is None, name
    for name in zero:  # a real 0 (a numerator of 0 over a positive denominator) stays 0
        assert metrics[name]["status"] == "ok" and metrics[name]["value"] == 0.0, name
    ok = {n for n, m in metrics.items() if m["status"] == "ok"}
    assert ok.isdisjoint(undefined)


def test_disparities_summaries_and_tests_leave_out_small_and_undefined(
    result: accord.AuditResult,
) -> None:
    grouping = result.fairness.groupings[0]
    assert grouping.reference == {"g": "big"}
    tpr = {d.key["g"]: d for d in grouping.disparities["tpr"]}
    assert tpr["small"].difference.status == ValueStatus.INSUFFICIENT_DATA
    assert tpr["small"].difference.value is None and tpr["small"].ratio.value is None
    assert tpr["small"].p_value is None
    assert tpr["no-positives"].difference.status == ValueStatus.UNDEFINED
    assert tpr["no-positives"].difference.value is None and tpr["no-positives"].p_value is None
    assert tpr["none-predicted"].difference.value == pytest.approx(0 - 0.5)
    assert tpr["none-predicted"].p_value is not None
    summary = grouping.summaries["tpr"]
    assert summary.groups_compared == 2  # big and none-predicted
    assert summary.max_min_difference.value == pytest.approx(0.5)


def test_a_ratio_to_a_zero_reference_is_undefined(data: pl.DataFrame) -> None:
    result = accord.audit(
        data,
        label="y",
        prediction="p",
        sensitive="g",
        bootstrap=0,
        reference={"g": "none-predicted"},
    )
    grouping = result.fairness.groupings[0]
    assert grouping.reference == {"g": "none-predicted"}
    sel = {d.key["g"]: d for d in grouping.disparities["selection_rate"]}
    assert sel["big"].difference.value == pytest.approx(0.4)
    assert sel["big"].ratio.status == ValueStatus.UNDEFINED and sel["big"].ratio.value is None
    summary = grouping.summaries["selection_rate"]
    assert summary.min_max_ratio.value == 0.0  # min / max is defined: the max is not 0


def test_a_small_reference_group_leaves_every_disparity_insufficient(data: pl.DataFrame) -> None:
    result = accord.audit(
        data, label="y", prediction="p", sensitive="g", bootstrap=0, reference=["g=small"]
    )
    grouping = result.fairness.groupings[0]
    for disparities in grouping.disparities.values():
        for d in disparities:
            assert d.difference.value is None and d.ratio.value is None
            assert d.difference.status == ValueStatus.INSUFFICIENT_DATA
            assert d.p_value is None


def test_min_group_size_counts_rows(data: pl.DataFrame) -> None:
    lowered = accord.audit(
        data, label="y", prediction="p", sensitive="g", bootstrap=0, min_group_size=12
    )
    table = lowered.by_group("selection_rate", attributes=["g"])
    small = table.filter(pl.col("g") == "small").row(0, named=True)
    assert small["status"] == "ok" and small["value"] == pytest.approx(8 / 12)
    raised = accord.audit(
        data, label="y", prediction="p", sensitive="g", bootstrap=0, min_group_size=1000
    )
    assert all(
        g.status == ValueStatus.INSUFFICIENT_DATA for g in raised.fairness.groupings[0].groups
    )
    summary = raised.fairness.groupings[0].summaries["selection_rate"]
    assert summary.max_min_difference.status == ValueStatus.INSUFFICIENT_DATA
    assert summary.max_min_difference.value is None
