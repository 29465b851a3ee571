"""The governance commands, run as a user runs them: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

SCENARIOS = Path(__file__).parent / "scenarios"


def accord(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1"}
    env.pop("ACCORD_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        env=env,
        cwd=cwd,
        timeout=120,
    )


def ok(*args: str, cwd: Path | None = None) -> str:
    run = accord(*args, cwd=cwd)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout


def test_frameworks_list_and_show() -> None:
    rows = json.loads(ok("frameworks", "list", "--json"))
    assert {r["id"] for r in rows} >= {"EUAIA", "NIST-RMF", "ISO42001", "UNESCO", "AU-CAIS"}
    nist = next(r for r in rows if r["id"] == "NIST-RMF")
    assert nist["items"] == 102
    text = ok("frameworks", "list")
    assert "EU AI Act" in text and "crosswalk links" in text
    shown = ok("frameworks", "show", "ISO42001")
    assert "A.7.4" in shown and "Quality of data for AI systems" in shown
    item = json.loads(ok("frameworks", "show", "EUAIA:Art10(2)(f)", "--json"))
    assert item["verification"] == "primary"
    assert "fairness.selection_rate.ratio" in item["checks"]
    assert any(ln["target"] == "NIST-RMF:MEASURE-2.11" for ln in item["links"])
    assert "Crosswalk" in ok("frameworks", "show", "NIST-RMF:MEASURE-2.11")


def test_frameworks_search_crosswalk_theme_consensus() -> None:
    hits = json.loads(ok("frameworks", "search", "four-fifths", "--json"))
    assert [h["id"] for h in hits] == ["EEOC-UGESP:1607.4(D)"]
    links = json.loads(
        ok("frameworks", "crosswalk", "--from", "ISO42001", "--to", "NIST-RMF", "--json")
    )
    assert links and all(ln["source"].startswith("ISO42001:") for ln in links)
    assert any(ln["match"] == "exact" for ln in links)
    theme = json.loads(ok("frameworks", "theme", "SUST", "--json"))
    assert "NIST-RMF:MEASURE-2.12" in {i["id"] for i in theme["items"]}
    cons = json.loads(ok("frameworks", "consensus", "INCL", "--json"))
    assert cons["theme"] == "INCL" and cons["common_ground"]
    text = ok("frameworks", "consensus", "FAIR")
    assert "Common ground" in text and "Differences" in text


def test_frameworks_matrix_page(tmp_path: Path) -> None:
    out = tmp_path / "matrix.html"
    ok("frameworks", "matrix", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<script" not in page
    counts = json.loads(ok("frameworks", "matrix", "--json"))
    assert counts["EUAIA"]["FAIR"] > counts["OECD"]["FAIR"] > 0


def test_classify_from_an_answer_file(tmp_path: Path) -> None:
    out = tmp_path / "classification.json"
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"annex3.uses": ["4(a)"], "us.aedt": True, "us.nyc": True}))
    data = json.loads(ok("classify", "--answers", str(answers), "--json", "--out", str(out)))
    assert data["tier"] == "high_risk" and data["nyc_ll144"] is True
    assert json.loads(out.read_text()) == data
    text = ok("classify", "--answers", str(answers))
    assert "High-risk AI system" in text and "2027-12-02" in text
    assert "NYC Local Law 144 applies" in text and "legal advice" in " ".join(text.split())


def test_classify_lists_its_question_ids() -> None:
    questions = json.loads(ok("classify", "--list-questions", "--json"))
    ids = [q["id"] for q in questions]
    assert "art6_3.profiling" in ids and len(ids) == len(set(ids))
    doc = (Path(__file__).parents[2] / "docs" / "governance.md").read_text(encoding="utf-8")
    assert all(f"`{i}`" in doc for i in ids), "docs/governance.md must document every id"


@pytest.mark.parametrize(
    "args, stdin, fragment",
    [
        (["classify"], "", "no answers given"),
        (["frameworks", "show", "EUAIA:Art999"], None, "unknown requirement id"),
        (["frameworks", "theme", "weather"], None, "unknown theme"),
        (["coverage"], None, "give the evidence to weigh"),
    ],
)
def test_errors_are_one_line_with_exit_code_two(
    args: list[str], stdin: str | None, fragment: str
) -> None:
    run = accord(*args, stdin=stdin)
    assert run.returncode == 2
    assert fragment in run.stderr and "Traceback" not in run.stderr


def test_bad_answer_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("art5.social_scorring: true\n")
    run = accord("classify", "--answers", str(bad))
    assert run.returncode == 2 and "did you mean 'art5.social_scoring'" in run.stderr


@pytest.fixture(scope="module")
def audit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(3)
    n = 2000
    frame = pl.DataFrame(
        {
            "y": rng.binomial(1, 0.4, n),
            "p": rng.binomial(1, 0.4, n),
            "sex": rng.choice(["F", "M"], n),
        }
    )
    path = tmp_path_factory.mktemp("audit") / "data.csv"
    frame.write_csv(path)
    out = path.parent / "report"
    run = accord(
        "audit",
        str(path),
        "--label",
        "y",
        "--prediction",
        "p",
        "--sensitive",
        "sex",
        "--bootstrap",
        "0",
        "--format",
        "json",
        "--out",
        str(out),
        "-q",
    )
    assert run.returncode == 0, run.stderr
    return out / "audit.json"


def test_coverage_end_to_end(tmp_path: Path, audit_file: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"annex3.uses": ["4(a)"], "us.aedt": True, "us.nyc": True}))
    cls = tmp_path / "classification.json"
    ok("classify", "--answers", str(answers), "--out", str(cls), "--json")
    checklist = tmp_path / "checklist.yaml"
    ok("coverage", "--checklist-template", str(checklist))
    template = yaml.safe_load(checklist.read_text())
    assert set(template) >= {"PC-GOV-01", "PC-FAIR-03"}
    checklist.write_text("Accountability:\n  PC-GOV-02: yes\nPC-RISK-01: {answer: no}\n")
    html = tmp_path / "coverage.html"
    data: dict[str, Any] = json.loads(
        ok(
            "coverage",
            "--audit",
            str(audit_file),
            "--classification",
            str(cls),
            "--checklist",
            str(checklist),
            "--html",
            str(html),
            "--json",
        )
    )
    status = {r["requirement"]: r["status"] for r in data["requirements"]}
    assert status["NYC-LL144:5-301(b)"] == "measured"
    assert status["EUAIA:Art17"] == "attested"
    assert status["EUAIA:Art9"] == "process_gap"
    assert status["NIST-RMF:GOVERN-1.3"] == "uncovered"
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "Evidence coverage" in page
    text = ok(
        "coverage",
        "--audit",
        str(audit_file),
        "--classification",
        str(cls),
        "--frameworks",
        "EUAIA,NIST-RMF",
    )
    assert "EU AI Act" in text and "NIST AI RMF" in text and "ISO/IEC 42001" not in text


def test_coverage_on_the_demo_audit(tmp_path: Path) -> None:
    ok("demo", "--out", str(tmp_path / "demo"), "--format", "json", "--bootstrap", "0")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"annex3.uses": ["5(b)"], "role": "deployer"}))
    cls = tmp_path / "classification.json"
    ok("classify", "--answers", str(answers), "--out", str(cls), "--json")
    data = json.loads(
        ok(
            "coverage",
            "--audit",
            str(tmp_path / "demo" / "audit.json"),
            "--classification",
            str(cls),
            "--json",
        )
    )
    status = {r["requirement"]: r for r in data["requirements"]}
    # The demo has a score: calibration by group is measured as well as selection rates.
    checks = {c["check_type"] for c in status["NIST-RMF:MEASURE-2.11"]["checks"]}
    assert {"fairness.selection_rate.ratio", "fairness.calibration", "fairness.audit"} <= checks
    assert status["EUAIA:Art26(4)"]["status"] == "needs_answer"  # deployer: input data
    assert status["EUAIA:Art27"]["status"] == "needs_answer"  # credit scoring: FRIA
    assert status["NIST-RMF:MEASURE-2.10"]["status"] == "needs_answer"  # privacy: not audited
    assert "EUAIA:Art9" not in status  # a deployer has no provider duties
