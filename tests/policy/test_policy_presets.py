"""Each preset on Adult and German Credit, against values recomputed here with plain Polars
(and scipy for the tests of significance)."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from scipy import stats

import accord
from accord.core import FindingStatus
from accord.governance import requirements_for_check
from accord.report import AuditResult, render_findings_markdown
from reference_stats import holm_reference

ROOT = Path(__file__).resolve().parents[2]
ADULT = ROOT / "src" / "accord" / "data" / "adult_demo.parquet"
GERMAN = ROOT / "tests" / "data" / "german_predictions.parquet"
ADULT_ROLES = {"label": "income", "prediction": "prediction", "score": "score", "positive": ">50K"}
GERMAN_ROLES = {"label": "good", "prediction": "prediction", "score": "score"}
MIN = 30
#: The pass sums scores as 24-bit fixed-point integers (identical on every engine): a mean
#: score, hence a calibration error, agrees with a float sum to within 2**-24.
SCORE_ULP = 2**-24
DATASETS = [
    (ADULT, ["sex", "race"], ADULT_ROLES, "income"),
    (GERMAN, ["sex", "foreign_worker", "age"], GERMAN_ROLES, "good"),
]


def _audit(
    path: Path | pl.DataFrame,
    sensitive: list[str],
    policy: dict[str, object],
    roles: dict[str, object],
) -> AuditResult:
    # German Credit's age is cut at 26, as its documentation suggests (<=25 / >25).
    bins = {"age": [26]} if "age" in sensitive else None
    return accord.audit(
        path,
        sensitive=sensitive,
        bootstrap=200,
        seed=1,
        min_group_size=MIN,
        policy=policy,
        bins=bins,
        **roles,
    )


def _load(path: Path) -> pl.DataFrame:
    """The rows as the tests recompute from them: outcomes as 0/1, German age in bands."""
    df = pl.read_parquet(path)
    if path == ADULT:
        return df.with_columns(
            (pl.col(c) == ">50K").cast(pl.Int8) for c in ("income", "prediction")
        )
    return _with_age_band(df)


def _with_age_band(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        age=pl.when(pl.col("age") < 26).then(pl.lit("<26")).otherwise(pl.lit(">=26"))
    )


def _key(row: dict[str, object], attrs: list[str]) -> tuple[str, ...]:
    return tuple(str(row[a]) for a in attrs)


def _outcomes(result: AuditResult, check: str, attrs: list[str]) -> dict[tuple[str, ...], object]:
    [finding] = [f for f in result.findings if f.check_id == check and f.grouping == attrs]
    return {tuple(o.key[a] for a in attrs): o for o in finding.outcomes}


def _two_proportion(x1: int, n1: int, x2: int, n2: int) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if expected < 5:
        return float(stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1])
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(2 * stats.norm.sf(abs(z)))


def _impact(
    df: pl.DataFrame, attrs: list[str], hit: pl.Expr, *, exclude_below: float = 0.0
) -> tuple[list[dict[str, object]], int]:
    """Rates and impact ratios as a bias audit computes them, from the rows."""
    total = df.height
    known = df.filter(pl.all_horizontal(pl.col(a).is_not_null() for a in attrs))
    rows = (
        known.group_by(attrs)
        .agg(n=pl.len(), x=hit.sum())
        .with_columns(
            rate=pl.col("x") / pl.col("n"),
            share=pl.col("n") / total,
            excluded=pl.col("n") / total < exclude_below,
        )
        .sort(attrs)
        .to_dicts()
    )
    included = [r for r in rows if not r["excluded"]]
    top = max(included, key=lambda r: r["rate"])
    others = [r for r in included if r is not top]
    p_adj = holm_reference([_two_proportion(r["x"], r["n"], top["x"], top["n"]) for r in others])
    for r, p in zip(others, p_adj, strict=True):
        r["p_adj"] = p
    for r in included:
        r["ratio"] = r["rate"] / top["rate"]
        r["top"] = r is top
    return rows, total - known.height


def _check_impact(
    result: AuditResult,
    check: str,
    expected: list[dict[str, object]],
    attrs: list[str],
    *,
    severity: FindingStatus,
    significant_only: bool,
) -> None:
    outcomes = _outcomes(result, check, attrs)
    assert set(outcomes) == {_key(r, attrs) for r in expected}
    for r in expected:
        o = outcomes[_key(r, attrs)]
        if r["excluded"] or r["n"] < MIN:
            assert o.status == FindingStatus.INSUFFICIENT_DATA
            continue
        assert o.value.value == pytest.approx(r["ratio"], rel=1e-12)
        if r["top"]:
            assert o.status == FindingStatus.PASS
            continue
        assert o.p_adjusted == pytest.approx(r["p_adj"], rel=1e-9)
        # Katz's log interval, recomputed from the counts.
        top = next(t for t in expected if t.get("top"))
        se = math.sqrt(1 / r["x"] - 1 / r["n"] + 1 / top["x"] - 1 / top["n"])
        z = stats.norm.ppf(0.975)
        assert o.value.ci_low == pytest.approx(math.exp(math.log(r["ratio"]) - z * se), rel=1e-6)
        assert o.value.ci_high == pytest.approx(math.exp(math.log(r["ratio"]) + z * se), rel=1e-6)
        if r["ratio"] >= 0.8:
            want = FindingStatus.PASS
        elif significant_only and r["p_adj"] >= 0.05:
            want = FindingStatus.WARN
        else:
            want = severity
        assert o.status == want, (check, r)


@pytest.mark.parametrize(
    ("path", "sensitive", "roles"),
    [
        (ADULT, ["sex", "race"], ADULT_ROLES),
        (GERMAN, ["sex", "foreign_worker", "age"], GERMAN_ROLES),
    ],
    ids=["adult", "german"],
)
def test_four_fifths(path: Path, sensitive: list[str], roles: dict[str, object]) -> None:
    result = _audit(path, sensitive, {"version": 1, "extends": "four-fifths"}, roles)
    df = _load(path)
    statuses = set()
    for attr in sensitive:
        expected, unknown = _impact(df, [attr], pl.col("prediction") == 1)
        assert unknown == 0
        _check_impact(
            result,
            "four-fifths",
            expected,
            [attr],
            severity=FindingStatus.FAIL,
            significant_only=True,
        )
        [finding] = [f for f in result.findings if f.grouping == [attr]]
        statuses.add(finding.status)
        assert finding.check_type == "fairness.selection_rate.ratio"
        # The preset's own id first, then the governance catalog's for the type and preset.
        catalog = requirements_for_check(finding.check_type) + requirements_for_check(
            "four-fifths"
        )
        assert finding.requirements == list(dict.fromkeys(["EEOC-UGESP:1607.4(D)", *catalog]))
        assert "NYC-LL144:5-301(b)" in finding.requirements
        assert finding.preset == "four-fifths"
    if path == ADULT:
        # Women's selection rate is a third of men's on Adult: the rule fails, significantly.
        assert statuses == {FindingStatus.FAIL}


def test_nyc_ll144_selection_rates_with_unknown_and_small_categories(
    adult: pl.DataFrame, tmp_path: Path
) -> None:
    # Every 40th applicant declined to state their race: an unknown category.
    df = (
        adult.with_row_index()
        .with_columns(race=pl.when(pl.col("index") % 40 == 0).then(None).otherwise(pl.col("race")))
        .drop("index")
    )
    path = tmp_path / "adult.parquet"
    df.write_parquet(path)
    result = _audit(path, ["sex", "race"], {"version": 1, "extends": "nyc-ll144"}, ADULT_ROLES)
    assert result.policy is not None
    tables = {tuple(t.attributes): t for t in result.policy.impact_tables}
    assert set(tables) == {("sex",), ("race",), ("sex", "race")}
    for check, attrs in (
        ("nyc-ll144-sex", ["sex"]),
        ("nyc-ll144-race-ethnicity", ["race"]),
        ("nyc-ll144-intersectional", ["sex", "race"]),
    ):
        selected = pl.col("prediction") == ">50K"
        expected, unknown = _impact(df, attrs, selected, exclude_below=0.02)
        table = tables[tuple(attrs)]
        assert table.unknown == unknown
        assert table.total == df.height
        rows = {_key(r.key, attrs): r for r in table.rows}
        for r in expected:
            row = rows[_key(r, attrs)]
            assert (row.n, row.selected) == (r["n"], r["x"])
            assert row.rate.value == pytest.approx(r["rate"], rel=1e-12)
            assert row.share == pytest.approx(r["share"], rel=1e-12)
            assert (row.status == "excluded") == r["excluded"]
            assert (row.impact_ratio is None) == r["excluded"]
        _check_impact(
            result, check, expected, attrs, severity=FindingStatus.WARN, significant_only=False
        )
    assert tables[("race",)].unknown == df["race"].null_count() > 0
    excluded = {r.key["race"] for r in tables[("race",)].rows if r.status == "excluded"}
    assert excluded == {"Amer-Indian-Eskimo", "Other"}  # each under 2% of Adult
    md = render_findings_markdown(result)
    assert f"assessed {tables[('race',)].unknown:,} individuals with an unknown category" in md
    assert "Amer-Indian-Eskimo (1.0% of the data" in md
    assert "| Black | 1,5" in md  # the published layout: category, number of applicants, ...


def test_nyc_ll144_scoring_rates(adult: pl.DataFrame) -> None:
    policy = {"version": 1, "extends": "nyc-ll144", "parameters": {"rate": "scoring_rate"}}
    result = _audit(ADULT, ["sex", "race"], policy, ADULT_ROLES)
    assert result.policy is not None
    median = adult["score"].median()
    for table in result.policy.impact_tables:
        assert table.metric == "scoring_rate"
        assert table.median == pytest.approx(median)
        attrs = list(table.attributes)
        expected, _ = _impact(adult, attrs, pl.col("score") > median, exclude_below=0.02)
        rows = {_key(r.key, attrs): r for r in table.rows}
        for r in expected:
            assert rows[_key(r, attrs)].selected == r["x"]
            if not r["excluded"]:
                assert rows[_key(r, attrs)].impact_ratio.value == pytest.approx(
                    r["ratio"], rel=1e-12
                )


def test_nyc_ll144_on_german_credit_with_parameters(german: pl.DataFrame) -> None:
    policy = {
        "version": 1,
        "extends": "nyc-ll144",
        "parameters": {"sex": "sex", "race_ethnicity": "foreign_worker"},
    }
    result = _audit(GERMAN, ["sex", "foreign_worker"], policy, GERMAN_ROLES)
    for check, attrs in (
        ("nyc-ll144-sex", ["sex"]),
        ("nyc-ll144-race-ethnicity", ["foreign_worker"]),
        ("nyc-ll144-intersectional", ["sex", "foreign_worker"]),
    ):
        expected, _ = _impact(german, attrs, pl.col("prediction") == 1, exclude_below=0.02)
        _check_impact(
            result, check, expected, attrs, severity=FindingStatus.WARN, significant_only=False
        )


def _rates_by_group(df: pl.DataFrame, attr: str, label: str) -> pl.DataFrame:
    y, p = pl.col(label) == 1, pl.col("prediction") == 1
    return df.group_by(attr).agg(
        n=pl.len(), tpr=(y & p).sum() / y.sum(), fpr=(~y & p).sum() / (~y).sum()
    )


@pytest.mark.parametrize(
    ("path", "sensitive", "roles", "label"), DATASETS, ids=["adult", "german"]
)
def test_equalized_odds(
    path: Path, sensitive: list[str], roles: dict[str, object], label: str
) -> None:
    result = _audit(path, sensitive, {"version": 1, "extends": "equalized-odds"}, roles)
    df = _load(path)
    seen = set()
    for attr in sensitive:
        groups = _rates_by_group(df, attr, label).filter(pl.col("n") >= MIN)
        for metric in ("tpr", "fpr"):
            [f] = [
                f
                for f in result.findings
                if f.check_id == f"equalized-odds-{metric}" and f.grouping == [attr]
            ]
            gap = groups[metric].max() - groups[metric].min()
            assert f.value is not None
            assert f.value.value == pytest.approx(gap, abs=1e-12)
            assert f.status == (FindingStatus.PASS if gap <= 0.1 else FindingStatus.FAIL)
            seen.add(f.status)
    if path == ADULT:
        assert seen == {FindingStatus.PASS, FindingStatus.FAIL}


def _calibration(df: pl.DataFrame, attr: str, label: str) -> pl.DataFrame:
    # 10 equal-width bins of the score; a score of 1 belongs to the top bin.
    binned = df.with_columns(bin=(pl.col("score") * 10).floor().clip(upper_bound=9))
    per_bin = binned.group_by(attr, "bin").agg(
        n=pl.len(), y=pl.col(label).sum(), s=pl.col("score").sum()
    )
    ece = per_bin.group_by(attr).agg(
        n=pl.col("n").sum(), ece=(pl.col("y") - pl.col("s")).abs().sum() / pl.col("n").sum()
    )
    gap = (
        per_bin.filter(pl.col("n") >= MIN)
        .group_by(attr)
        .agg(gap=((pl.col("y") - pl.col("s")).abs() / pl.col("n")).max())
    )
    return ece.join(gap, on=attr, how="left")


@pytest.mark.parametrize(
    ("path", "sensitive", "roles", "label"), DATASETS, ids=["adult", "german"]
)
def test_calibration_within_groups(
    path: Path, sensitive: list[str], roles: dict[str, object], label: str
) -> None:
    result = _audit(path, sensitive, {"version": 1, "extends": "calibration-within-groups"}, roles)
    df = _load(path)
    for attr in sensitive:
        expected = {r[attr]: r for r in _calibration(df, attr, label).to_dicts()}
        ece = _outcomes(result, "calibration-ece", [attr])
        gap = _outcomes(result, "calibration-gap", [attr])
        for value, r in expected.items():
            if r["n"] < MIN:
                assert ece[(value,)].status == FindingStatus.INSUFFICIENT_DATA
                continue
            assert ece[(value,)].value.value == pytest.approx(r["ece"], abs=SCORE_ULP)
            assert ece[(value,)].status == (
                FindingStatus.PASS if r["ece"] <= 0.05 else FindingStatus.FAIL
            )
            if r["gap"] is None:
                assert gap[(value,)].status == FindingStatus.INSUFFICIENT_DATA
            else:
                assert gap[(value,)].value.value == pytest.approx(r["gap"], abs=SCORE_ULP)
                assert gap[(value,)].status == (
                    FindingStatus.PASS if r["gap"] <= 0.1 else FindingStatus.FAIL
                )


def test_a_preset_without_the_columns_it_needs_is_an_error_finding() -> None:
    result = _audit(ADULT, ["sex"], {"version": 1, "extends": "nyc-ll144"}, ADULT_ROLES)
    statuses = {f.check_id: f.status for f in result.findings}
    assert statuses["nyc-ll144-race-ethnicity"] == FindingStatus.ERROR
    assert statuses["nyc-ll144-sex"] == FindingStatus.WARN
    no_score = {k: v for k, v in ADULT_ROLES.items() if k != "score"}
    result = _audit(
        ADULT, ["sex"], {"version": 1, "extends": "calibration-within-groups"}, no_score
    )
    assert {f.status for f in result.findings} == {FindingStatus.ERROR}
    assert "--score" in result.findings[0].message
