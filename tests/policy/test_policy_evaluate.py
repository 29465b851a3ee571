"""How checks judge the statistics: judge, severity, significance, small groups, errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import polars as pl
import pytest

import accord
from accord.core import FindingStatus, UsageError
from accord.pipeline import judge
from accord.policy import load_policy, verdict
from accord.report import AuditResult

ROOT = Path(__file__).resolve().parents[2]


def _frame(groups: dict[str, tuple[int, int]]) -> pl.DataFrame:
    """Rows per group: (n, selected); the label is independent of the selection."""
    g, y, p = [], [], []
    for name, (n, selected) in groups.items():
        g += [name] * n
        p += [1] * selected + [0] * (n - selected)
        y += [i % 2 for i in range(n)]
    return pl.DataFrame({"g": g, "y": y, "p": p})


def _check(**fields: object) -> dict[str, object]:
    return {"version": 1, "checks": [{"id": "c", "grouping": ["g"], **fields}]}


def _run(df: pl.DataFrame, policy: dict[str, object], **kw: object) -> AuditResult:
    return accord.audit(
        df,
        label="y",
        prediction="p",
        sensitive="g",
        policy=policy,
        bootstrap=kw.pop("bootstrap", 200),
        **kw,
    )


def test_significant_only_turns_a_breach_on_small_numbers_into_a_warning() -> None:
    # 40 of 100 against 60 of 100 (ratio 0.67, p ~ 0.005); 12 of 40 against 60 of 100 is
    # a ratio of 0.5 but on few rows; 30 of 60 (ratio 0.83) passes.
    df = _frame({"big": (100, 40), "top": (100, 60), "pass": (60, 30)})
    policy = _check(
        metric="selection_rate",
        measure="impact_ratio",
        threshold={"gte": 0.8},
        significant_only=True,
    )
    f = _run(df, policy, min_group_size=10).findings[0]
    by = {o.key["g"]: o for o in f.outcomes}
    assert by["big"].status == FindingStatus.FAIL and by["big"].p_adjusted < 0.05
    assert by["pass"].status == FindingStatus.PASS
    assert f.status == FindingStatus.FAIL and f.groups == [{"g": "big"}]
    small = _frame({"small": (20, 6), "top": (25, 12)})
    f = _run(small, policy, min_group_size=10).findings[0]
    o = {o.key["g"]: o for o in f.outcomes}["small"]
    assert o.value.value == pytest.approx(0.3 / 0.48)
    assert o.p_adjusted >= 0.05
    assert o.status == FindingStatus.WARN and "not statistically significant" in o.note
    assert f.status == FindingStatus.WARN


@pytest.mark.parametrize(
    ("judge_on", "status"),
    [
        ("point", FindingStatus.FAIL),
        ("ci_upper", FindingStatus.PASS),
        ("ci_lower", FindingStatus.FAIL),
    ],
)
def test_judge_picks_the_number_compared_with_the_threshold(
    judge_on: str, status: FindingStatus
) -> None:
    # A ratio of 0.75 whose interval straddles 0.8.
    df = _frame({"a": (80, 30), "b": (80, 40)})
    policy = _check(
        metric="selection_rate", measure="impact_ratio", threshold={"gte": 0.8}, judge=judge_on
    )
    f = _run(df, policy).findings[0]
    o = {o.key["g"]: o for o in f.outcomes}["a"]
    assert o.value.ci_low < 0.8 < o.value.ci_high
    assert (
        o.judged
        == {"point": o.value.value, "ci_lower": o.value.ci_low, "ci_upper": o.value.ci_high}[
            judge_on
        ]
    )
    assert "straddles the threshold" in o.note
    assert f.status == status


def test_a_bound_of_an_interval_that_does_not_exist_is_an_error_not_a_pass() -> None:
    df = _frame({"a": (80, 30), "b": (90, 45)})  # b, the larger, is the reference
    policy = _check(
        metric="selection_rate", measure="difference", threshold={"gte": -0.1}, judge="ci_upper"
    )
    [f] = _run(df, policy, bootstrap=0).findings
    assert f.status == FindingStatus.ERROR
    assert "bootstrap" in f.message
    policy["checks"][0]["judge"] = "point"
    assert _run(df, policy, bootstrap=0).findings[0].status == FindingStatus.FAIL


def test_severity_warn_and_small_groups() -> None:
    df = _frame({"a": (100, 20), "b": (100, 50), "tiny": (8, 0)})
    policy = _check(
        metric="selection_rate", measure="value", threshold={"gte": 0.3}, severity="warn"
    )
    f = _run(df, policy).findings[0]
    by = {o.key["g"]: o for o in f.outcomes}
    assert by["tiny"].status == FindingStatus.INSUFFICIENT_DATA and by["tiny"].value.value is None
    assert (by["a"].status, by["b"].status) == (FindingStatus.WARN, FindingStatus.PASS)
    assert f.status == FindingStatus.WARN
    assert "1 not judged" in f.message
    only_small = _run(_frame({"x": (10, 3), "y": (12, 4)}), policy).findings[0]
    assert only_small.status == FindingStatus.INSUFFICIENT_DATA


def test_differences_name_the_reference_and_summaries_the_extremes() -> None:
    df = _frame({"a": (100, 20), "b": (300, 150), "c": (100, 45)})
    policy = {
        "version": 1,
        "checks": [
            {
                "id": "d",
                "metric": "selection_rate difference",
                "grouping": ["g"],
                "threshold": {"gte": -0.2},
            },
            {
                "id": "s",
                "metric": "selection_rate max_min_difference",
                "grouping": "each",
                "threshold": {"lte": 0.2},
            },
            {"id": "o", "metric": "accuracy", "measure": "overall", "threshold": {"gte": 0.4}},
        ],
    }
    found = {f.check_id: f for f in _run(df, policy).findings}
    d = found["d"]
    assert d.status == FindingStatus.FAIL and d.groups == [{"g": "a"}]
    assert all(o.reference == {"g": "b"} for o in d.outcomes)  # the largest group
    assert {o.key["g"] for o in d.outcomes} == {"a", "c"}
    s = found["s"]
    assert s.value.value == pytest.approx(0.5 - 0.2)
    assert s.status == FindingStatus.FAIL and "between g=b and g=a" in s.message
    assert found["o"].grouping == [] and found["o"].status == FindingStatus.PASS


def test_groupings_each_intersections_and_all() -> None:
    df = _frame({"a": (200, 80), "b": (200, 100)}).with_columns(h=pl.Series(["x", "y"] * 200))
    policy = {
        "version": 1,
        "checks": [
            {"id": g, "metric": "selection_rate", "grouping": g, "threshold": {"gte": 0}}
            for g in ("each", "intersections", "all")
        ],
    }
    result = accord.audit(
        df, label="y", prediction="p", sensitive=["g", "h"], bootstrap=0, policy=policy
    )
    groupings = {}
    for f in result.findings:
        groupings.setdefault(f.check_id, []).append(f.grouping)
    assert groupings["each"] == [["g"], ["h"]]
    assert groupings["intersections"] == [["g", "h"]]
    assert groupings["all"] == [["g"], ["h"], ["g", "h"]]


def test_checks_that_cannot_run_are_errors_and_the_verdict_says_so() -> None:
    df = _frame({"a": (100, 20), "b": (100, 50)})
    policy = {
        "version": 1,
        "checks": [
            {"id": "auc", "metric": "auc", "grouping": "each", "threshold": {"gte": 0.7}},
            {"id": "missing", "metric": "tpr", "grouping": ["nope"], "threshold": {"gte": 0}},
            {"id": "ok", "metric": "tpr", "grouping": "each", "threshold": {"gte": 0}},
        ],
    }
    result = _run(df, policy)
    status = {f.check_id: f.status for f in result.findings}
    assert status == {
        "auc": FindingStatus.ERROR,
        "missing": FindingStatus.ERROR,
        "ok": FindingStatus.PASS,
    }
    assert [f.check_id for f in result.findings][-1] == "ok"  # failures and errors first
    assert verdict(result.findings).outcome == "error"
    assert "column 'nope'" in next(f for f in result.findings if f.check_id == "missing").message


def test_verdict_levels() -> None:
    df = _frame({"a": (100, 20), "b": (100, 50), "tiny": (5, 1)})
    warn = _check(metric="selection_rate", threshold={"gte": 0.3}, severity="warn")
    findings = _run(df, warn).findings
    assert [verdict(findings, level).outcome for level in ("fail", "warn", "insufficient")] == [
        "passed",
        "failed",
        "failed",
    ]
    tiny_only = _run(_frame({"x": (10, 3), "y": (12, 4)}), warn).findings
    assert [verdict(tiny_only, level).outcome for level in ("fail", "warn", "insufficient")] == [
        "passed",
        "passed",
        "failed",
    ]
    with pytest.raises(UsageError, match="fail-on"):
        verdict(findings, "sometimes")


def test_policy_roles_and_settings_fill_what_the_caller_left_unset(tmp_path: Path) -> None:
    df = _frame({"a": (100, 20), "b": (100, 50)})
    path = tmp_path / "accord.yaml"
    path.write_text(
        "version: 1\ndata:\n  label: y\n  prediction: p\n  sensitive: [g]\n"
        "settings:\n  bootstrap: 50\n  seed: 3\n  min_group_size: 7\n"
        "checks:\n  - {id: c, metric: tpr, threshold: {gte: 0}}\n"
    )
    result = accord.audit(df, policy=path)
    assert result.settings.bootstrap == 50 and result.settings.seed == 3
    assert result.settings.min_group_size == 7 and result.roles.sensitive == ["g"]
    assert result.policy is not None and result.policy.sources[0].name == str(path)
    # A keyword the caller sets wins over the policy.
    assert accord.audit(df, policy=path, seed=11).settings.seed == 11
    with pytest.raises(UsageError, match="name the label"):
        accord.audit(df, prediction="p", sensitive="g")


def test_a_saved_audit_is_judged_again_without_the_data(tmp_path: Path) -> None:
    df = _frame({"a": (100, 20), "b": (100, 50)})
    result = _run(df, {"version": 1, "extends": "four-fifths"})
    saved = tmp_path / "audit.json"
    result.to_json(saved)
    again = judge(AuditResult.load(saved), load_policy(presets=["four-fifths"]))
    assert [f.model_dump() for f in again.findings] == [
        f.model_dump() for f in AuditResult.load(saved).findings
    ]
    schema = json.loads((ROOT / "schemas" / "audit-result.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(result.to_json()))
    # A check whose table the saved audit lacks cannot be judged from it.
    nyc = judge(
        AuditResult.load(saved), load_policy(presets=["nyc-ll144"], parameters={"sex": "g"})
    )
    assert nyc.findings[0].status == FindingStatus.ERROR
