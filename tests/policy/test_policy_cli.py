"""Exit codes and outputs of `accord check` and `accord audit --policy`, through the real
command line (a subprocess, as CI runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "adult_demo.parquet"
ROLES = [
    "--label",
    "income",
    "--prediction",
    "prediction",
    "--positive",
    ">50K",
    "--sensitive",
    "sex,race",
    "--bootstrap",
    "50",
    "--quiet",
]

WARN_ONLY = """version: 1
checks:
  - id: precision
    metric: ppv
    grouping: [sex]
    threshold: {gte: 0.9}
    severity: warn
"""
ERROR_AND_FAIL = """version: 1
extends: four-fifths
checks:
  - id: needs-a-score
    metric: auc
    threshold: {gte: 0.7}
"""
SMALL = """version: 1
settings: {min_group_size: 100000}
checks:
  - {id: tiny, metric: tpr, grouping: [sex], threshold: {gte: 0}}
"""


def accord(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "accord", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("policies")
    out = {}
    for name, text in (("warn", WARN_ONLY), ("error", ERROR_AND_FAIL), ("small", SMALL)):
        out[name] = root / f"{name}.yaml"
        out[name].write_text(text)
    return out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--preset", "equalized-odds"], 0),  # by sex: both gaps under 0.1 on Adult
        (["--preset", "four-fifths"], 1),
        (["--preset", "four-fifths", "--exit-zero"], 0),
    ],
)
def test_passing_and_failing_presets(args: list[str], code: int) -> None:
    roles = [a if a != "sex,race" else "sex" for a in ROLES]
    proc = accord("check", DATA, *roles, *args)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("extra", "code"),
    [([], 0), (["--fail-on", "warn"], 1), (["--fail-on", "warn", "--exit-zero"], 0)],
)
def test_warnings_fail_only_when_asked(
    policies: dict[str, Path], extra: list[str], code: int
) -> None:
    proc = accord("check", DATA, *ROLES, "--policy", policies["warn"], *extra)
    assert proc.returncode == code, proc.stderr
    assert "precision" in proc.stdout


def test_a_check_that_cannot_run_exits_3_even_beside_a_failure(policies: dict[str, Path]) -> None:
    proc = accord("check", DATA, *ROLES, "--policy", policies["error"])
    assert proc.returncode == 3, proc.stderr
    assert "ERROR" in proc.stdout and "FAIL" in proc.stdout
    assert (
        accord("check", DATA, *ROLES, "--policy", policies["error"], "--exit-zero").returncode == 0
    )


@pytest.mark.parametrize(("extra", "code"), [([], 0), (["--fail-on", "insufficient"], 1)])
def test_insufficient_data_fails_only_when_asked(
    policies: dict[str, Path], extra: list[str], code: int
) -> None:
    proc = accord("check", DATA, *ROLES, "--policy", policies["small"], *extra)
    assert proc.returncode == code, proc.stderr


@pytest.mark.parametrize("scenario", ["fail", "warn-gate", "error"])
def test_exit_codes_do_not_depend_on_the_output_format(
    policies: dict[str, Path], scenario: str, tmp_path: Path
) -> None:
    args = {
        "fail": ["--preset", "four-fifths"],
        "warn-gate": ["--policy", policies["warn"], "--fail-on", "warn"],
        "error": ["--policy", policies["error"]],
    }[scenario]
    codes = {}
    for fmt in ("text", "json", "junit", "md"):
        out = tmp_path / f"out.{fmt}"
        proc = accord("check", DATA, *ROLES, *args, "--format", fmt, "--output", out)
        codes[fmt] = proc.returncode
        assert out.stat().st_size > 0
    assert len(set(codes.values())) == 1, codes
    assert codes["json"] == {"fail": 1, "warn-gate": 1, "error": 3}[scenario]
    # One JUnit testcase per check and group, and failures where the JSON says so.
    result = json.loads((tmp_path / "out.json").read_text())
    suite = ET.parse(tmp_path / "out.junit").getroot()
    cases = suite.findall(".//testcase")
    assert len(cases) == sum(max(1, len(f["outcomes"])) for f in result["findings"])
    failing = {"fail": {"fail"}, "warn-gate": {"fail", "warn"}, "error": {"fail"}}[scenario]
    expected_failures = sum(
        o["status"] in failing
        for f in result["findings"]
        if f["status"] != "error"
        for o in f["outcomes"]
    )
    assert int(suite.get("failures")) == len(suite.findall(".//failure")) == expected_failures
    assert int(suite.get("errors")) == sum(f["status"] == "error" for f in result["findings"])
    md = (tmp_path / "out.md").read_text()
    assert md.startswith("## accord policy check: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "four-fiths"], "did you mean 'four-fifths'"),
        (["--preset", "four-fifths", "--fail-on", "sometimes"], "--fail-on"),
        (["--preset", "four-fifths", "--format", "xml"], "unknown output format"),
        (["--param", "sex=gender"], "--param needs a policy"),
        ([], "nothing to check"),
    ],
)
def test_bad_usage_exits_2(args: list[str], message: str) -> None:
    proc = accord("check", DATA, *ROLES, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_input_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "accord.yaml"
    broken.write_text("version: 1\nchecks:\n  - id: a\n    metric: tpr\n    treshold: {gte: 0}\n")
    proc = accord("check", DATA, *ROLES, "--policy", broken)
    assert proc.returncode == 2
    assert "line 5, key checks[0].treshold: unknown key" in proc.stderr
    roles = [a if a != "sex,race" else "gender" for a in ROLES]
    proc = accord("check", DATA, *roles, "--preset", "four-fifths")
    assert proc.returncode == 2 and "column 'gender'" in proc.stderr
    proc = accord("check", tmp_path / "missing.parquet", *ROLES, "--preset", "four-fifths")
    assert proc.returncode == 2 and "file not found" in proc.stderr


def test_validate_for_a_pre_commit_hook(tmp_path: Path, policies: dict[str, Path]) -> None:
    ok = accord("check", "--validate", policies["warn"], policies["error"])
    assert ok.returncode == 0 and "valid (2 checks, extends four-fifths)" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nchecks: [{id: a, metric: tpr}]\n")
    proc = accord("check", "--validate", policies["warn"], bad)
    assert proc.returncode == 2
    assert "key checks[0]: the key 'threshold' is required" in proc.stderr


def test_audit_with_a_policy_writes_the_findings_and_gates(tmp_path: Path) -> None:
    out = tmp_path / "report"
    proc = accord(
        "audit",
        DATA,
        *ROLES,
        "--preset",
        "nyc-ll144",
        "--preset",
        "four-fifths",
        "--format",
        "json,junit",
        "--out",
        out,
        "--discover",
        "--explore",
        "age",
    )
    assert proc.returncode == 1, proc.stderr  # four-fifths fails on Adult
    audit = json.loads((out / "audit.json").read_text())
    assert {t["attributes"][0] for t in audit["policy"]["impact_tables"]} == {"sex", "race"}
    assert audit["policy"]["discovery"]["n_hypotheses"] > 0
    cases = ET.parse(out / "findings.xml").getroot().findall(".//testcase")
    assert any(c.get("classname") == "accord.nyc-ll144-intersectional[sex,race]" for c in cases)
    # The saved audit, judged again without the data, gives the same verdict.
    again = accord(
        "check",
        out / "audit.json",
        "--preset",
        "nyc-ll144",
        "--preset",
        "four-fifths",
        "--format",
        "json",
    )
    assert again.returncode == 1
    assert [f["status"] for f in json.loads(again.stdout)["findings"]] == [
        f["status"] for f in audit["findings"]
    ]
    plain = accord("audit", DATA, *ROLES, "--format", "json", "--out", tmp_path / "plain")
    assert plain.returncode == 0  # no policy: an audit, not a gate


def test_the_policy_can_name_its_data(tmp_path: Path) -> None:
    (tmp_path / "accord.yaml").write_text(
        f"version: 1\nextends: equalized-odds\ndata:\n  path: {DATA}\n  label: income\n"
        "  prediction: prediction\n  positive: '>50K'\n  sensitive: [sex]\n"
        "settings: {bootstrap: 50}\n"
    )
    proc = accord("check", "--policy", "accord.yaml", "--format", "md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "equalized-odds-tpr" in proc.stdout
