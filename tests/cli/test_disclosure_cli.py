"""--suppress-below and --dp-epsilon, run as a user runs them (a separate process)."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import pytest

from disclosure_data import SMALL, numbers_under, small_groups_frame

from .support import accord

COUNT_KEYS = {"n", "weight", "denominator", "additional", "selected", "unknown"}
ROLES = ["--label", "y", "--prediction", "p", "--sensitive", "sex,race,region"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cwd = tmp_path_factory.mktemp("disclosure")
    small_groups_frame().write_csv(cwd / "data.csv")
    return cwd


def _audit(cwd: Path, out: str, *extra: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    proc = accord(
        "audit", "data.csv", *ROLES, "--bootstrap", "0", "--format", "json,md", "--out", out,
        *extra, cwd=cwd,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc, json.loads((cwd / out / "audit.json").read_text())


def test_audit_withholds_small_counts_by_default(workdir: Path) -> None:
    proc, report = _audit(workdir, "default")
    assert report["settings"]["suppress_below"] == 10
    assert not [c for c in numbers_under(report, COUNT_KEYS) if 0 < c < 10]
    assert "(n<10)" in proc.stdout and "(n=3)" not in proc.stdout
    assert "Counts below 10 are shown as <10" in proc.stdout
    md = (workdir / "default" / "audit.md").read_text()
    assert "n\\<10" in md and "Counts below 10 are shown as \\<10" in md


def test_suppress_below_0_and_dp_epsilon_go_through(workdir: Path) -> None:
    proc, report = _audit(workdir, "open", "--suppress-below", "0", "--dp-epsilon", "2")
    assert report["settings"]["suppress_below"] == 0
    assert report["settings"]["dp_epsilon"] == 2.0
    assert set(SMALL) <= set(numbers_under(report, {"n"}))
    dp = report["dp_release"]
    assert dp["epsilon"] == 2.0
    assert math.fsum(s["epsilon"] for s in dp["split"]) == pytest.approx(2.0, abs=1e-12)
    assert "Differentially private release (ε = 2" in proc.stdout
    assert "Small counts are shown exactly (--suppress-below 0)" in " ".join(proc.stdout.split())


def test_check_prints_impact_tables_by_the_same_rule(workdir: Path) -> None:
    common = ["check", "data.csv", "--preset", "nyc-ll144", "--label", "y", "--prediction", "p"]
    common += ["--sensitive", "sex,race", "--bootstrap", "0", "--format", "md", "--exit-zero"]
    default = accord(*common, cwd=workdir)
    assert default.returncode == 0, default.stderr
    assert "| Other | <10 | <10 | withheld | not rated |" in default.stdout
    shown = accord(*common, "--suppress-below", "0", cwd=workdir)
    assert shown.returncode == 0, shown.stderr
    assert "| Other | 7 |" in shown.stdout


def test_a_saved_audit_cannot_be_resuppressed(workdir: Path) -> None:
    _audit(workdir, "saved")
    proc = accord(
        "check", "saved/audit.json", "--preset", "four-fifths", "--suppress-below", "5",
        cwd=workdir,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "a saved audit keeps the counts" in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [("--dp-epsilon", "0", "dp_epsilon"), ("--suppress-below", "-1", "suppress_below")],
)
def test_bad_values_exit_2_without_a_traceback(
    workdir: Path, flag: str, value: str, words: str
) -> None:
    proc = accord("audit", "data.csv", *ROLES, "--bootstrap", "0", flag, value, cwd=workdir)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr


def test_demo_and_inclusion_take_the_options(workdir: Path) -> None:
    demo = accord(
        "demo", "--bootstrap", "0", "--format", "json", "--out", "demo", "--dp-epsilon", "1",
        cwd=workdir,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    report = json.loads((workdir / "demo" / "audit.json").read_text())
    assert report["dp_release"]["epsilon"] == 1.0
    assert report["settings"]["suppress_below"] == 10
    inclusion = accord(
        "inclusion", "data.csv", "--groups", "race,region", "--no-proxies", "--bootstrap", "0",
        "--format", "json", "--out", "incl", cwd=workdir,
    )  # fmt: skip
    assert inclusion.returncode == 0, inclusion.stderr
    stats = json.loads((workdir / "incl" / "inclusion.json").read_text())["stats"]
    assert stats["settings"]["suppress_below"] == 10
    assert {b["n"] for b in stats["coverage"]["blind_spots"]} <= {None, 0} | set(range(10, 30))
    assert "Counts below 10 are shown as <10" in inclusion.stdout
