"""The privacy commands end to end, and their HTML reports in a real Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from accord.cli import app

REPO = Path(__file__).resolve().parents[2]
ADULT = REPO / "datasets" / "adult"
QIS = "age,sex,race,marital_status,native_country,education,workclass"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("privacy")
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "privacy",
            str(ADULT / "adult.parquet"),
            "--quasi-identifiers",
            QIS,
            "--sensitive",
            "occupation",
            "--population",
            "usa",
            "--out",
            str(out / "risk"),
        ],
    )
    assert r.exit_code == 0, r.output
    config = out / "anonymize.yaml"
    config.write_text(
        "quasi_identifiers:\n"
        + "".join(
            f"  {q}: {{file: {ADULT / 'hierarchies' / (q + '.csv')}}}\n" for q in QIS.split(",")
        )
        + "sensitive: [occupation]\nprivacy:\n  k: 10\nsuppression_limit: 0.05\n"
    )
    r = runner.invoke(
        app,
        [
            "anonymize",
            str(ADULT / "adult.parquet"),
            "--config",
            str(config),
            "--out",
            str(out / "anon" / "adult.parquet"),
        ],
    )
    assert r.exit_code == 0, r.output
    people = out / "people.csv"
    pl.DataFrame(
        {
            "email": ["ann@example.org", "bo@example.com"],
            "phone": ["+44 20 7946 0958", "+1 212 555 0199"],
            "note": ["card 4111 1111 1111 1111", "nothing"],
        }
    ).write_csv(people)
    r = runner.invoke(app, ["pii", str(people), "--out", str(out / "pii")])
    assert r.exit_code == 0, r.output
    return out


def test_privacy_json_has_k_anonymity_at_the_top(reports: Path) -> None:
    data = json.loads((reports / "risk" / "privacy.json").read_text())
    assert data["k_anonymity"] == 1
    assert data["kind"] == "privacy"
    assert data["classes"]["count"] == 16960
    assert data["population_uniqueness"]["estimates"][0]["model"] == "pitman"


def test_anonymize_writes_data_and_reports(reports: Path) -> None:
    out = pl.read_parquet(reports / "anon" / "adult.parquet")
    report = json.loads((reports / "anon" / "adult.report.json").read_text())
    assert report["levels"] == {
        "age": 3,
        "sex": 0,
        "race": 0,
        "marital_status": 0,
        "native_country": 1,
        "education": 3,
        "workclass": 1,
    }
    assert out.height == report["output_rows"] == 48842
    kept = out.filter(pl.col("age") != "*")
    assert kept.group_by(QIS.split(",")).len()["len"].min() >= 10


def test_pii_json(reports: Path) -> None:
    data = json.loads((reports / "pii" / "pii.json").read_text())
    assert {(f["column"], f["entity"]) for f in data["findings"]} == {
        ("email", "EMAIL_ADDRESS"),
        ("phone", "PHONE_NUMBER"),
        ("note", "CREDIT_CARD"),
    }


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        app,
        [
            "privacy",
            str(ADULT / "adult.parquet"),
            "--quasi-identifiers",
            "agee",
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 2
    assert "did you mean 'age'" in r.output
    r = CliRunner().invoke(
        app,
        [
            "anonymize",
            str(ADULT / "adult.parquet"),
            "--config",
            str(tmp_path / "missing.yaml"),
            "--out",
            str(tmp_path / "x.csv"),
        ],
    )
    assert r.exit_code == 2 and "not found" in r.output


@pytest.mark.browser
@pytest.mark.parametrize("page", ["risk/privacy.html", "anon/adult.report.html", "pii/pii.html"])
def test_reports_render_offline_in_chromium(reports: Path, page: str, browser: Any) -> None:
    ctx = browser.new_context(offline=True)
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("requestfailed", lambda r: errors.append(r.url))
    tab.goto((reports / page).as_uri())
    assert tab.locator("h1").count() == 1
    if page.startswith("risk"):
        charts = tab.locator("svg[role=img]")
        assert charts.count() == 2
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        assert "k-anonymity" in tab.inner_text("body")
    tab.screenshot(path=str(reports / (page.replace("/", "_") + ".png")), full_page=True)
    ctx.close()
    assert errors == []
