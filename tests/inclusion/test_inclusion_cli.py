"""accord inclusion, and the inclusion section of accord audit, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import polars as pl
from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.inclusion import InclusionResult
from accord.report import AuditResult

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_inclusion_command_on_the_adult_demo(adult_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    res = runner.invoke(
        app,
        [
            "inclusion",
            str(adult_path),
            "--groups",
            "native_country,sex,race",
            "--reference",
            "us-census-1990",
            "--label",
            "income",
            "--prediction",
            "prediction",
            "--exclude",
            "score",
            "--bootstrap",
            "200",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Africa" in res.output
    result = InclusionResult.from_json((out / "inclusion.json").read_text())
    assert result.stats.passes == 3
    assert result.input.rows == 16_281
    assert [r.grouping for r in result.stats.representation] == [
        "native_country:region",
        "sex",
        "race",
    ]
    html = (out / "inclusion.html").read_text()
    assert html.count("<svg") >= 9  # representation x3, accuracy x5, proxies x3
    assert "Africa" in html and "Blind spots" in html and "<script" not in html


def test_inclusion_command_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    pl.DataFrame({"lang": ["en", "sw"] * 20}).write_csv(path)
    res = runner.invoke(
        app, ["inclusion", str(path), "--groups", "langauge", "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    assert "did you mean 'lang'" in res.output and "Traceback" not in res.output
    res = runner.invoke(
        app,
        [
            "inclusion",
            str(path),
            "--groups",
            "lang",
            "--ci-width",
            "2",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code == 2 and "ci_width" in res.output


def test_audit_with_a_reference_population_has_an_inclusion_section(
    adult_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audit"
    res = runner.invoke(
        app,
        [
            "audit",
            str(adult_path),
            "--sensitive",
            "sex,race",
            "--label",
            "income",
            "--prediction",
            "prediction",
            "--positive",
            ">50K",
            "--reference",
            "sex=Female",
            "--reference",
            "us-census-1990",
            "--bootstrap",
            "100",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    result = AuditResult.load(out / "audit.json")
    assert result.settings.reference == {"sex": "Female"}
    assert result.inclusion is not None
    assert [r.attribute for r in result.inclusion.representation] == ["sex", "race"]
    assert any("native_country" in w for w in result.inclusion.warnings)
    schema = json.loads((ROOT / "schemas" / "audit-result.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(result.to_json()))


def test_audit_api_accepts_a_reference_population_mapping() -> None:
    df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 1] * 25, "g": ["a"] * 70 + ["b"] * 30})
    result = accord.audit(
        df,
        label="y",
        prediction="p",
        sensitive="g",
        bootstrap=0,
        reference={"g": {"a": 0.5, "b": 0.5}},
    )
    assert result.inclusion is not None
    groups = {s.group: s for s in result.inclusion.representation[0].groups}
    assert groups["b"].ratio.value == 0.6
    plain = accord.audit(
        df, label="y", prediction="p", sensitive="g", bootstrap=0, reference={"g": "a"}
    )
    assert plain.inclusion is None
