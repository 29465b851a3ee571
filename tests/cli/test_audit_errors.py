"""Bad input through the real command line: one line on stderr that names the column and
the fix, exit code 2, never a traceback; and the matching AccordError from the Python API."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.core import (
    AccordError,
    ColumnNotFoundError,
    ColumnTypeError,
    EmptyDataError,
    InvalidValueError,
    UsageError,
)

ACCORD = Path(sys.executable).with_name("accord")
BASE = ["--label", "y", "--prediction", "p", "--sensitive", "g"]


@dataclass(frozen=True)
class Case:
    """One kind of bad input: the file, the command's options, the API's keywords, and what
    the error must say."""

    csv: str
    args: list[str]
    error: type[AccordError]
    column: str | None
    says: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _ids(n: int) -> str:
    return "id,y,p\n" + "".join(f"u{i:05d},{i % 2},{(i // 2) % 2}\n" for i in range(n))


CASES = {
    "null label": Case(
        "y,p,g\n1,1,a\n,0,b\n0,0,a\n", BASE, InvalidValueError, "y", ("null", "drop or impute")
    ),
    "NaN label": Case(
        "y,p,g\n1.0,1,a\nNaN,0,b\n0.0,0,a\n",
        BASE,
        InvalidValueError,
        "y",
        ("NaN", "drop or impute"),
    ),
    "null prediction": Case(
        "y,p,g\n1,1,a\n0,,b\n0,0,a\n", BASE, InvalidValueError, "p", ("null", "drop or impute")
    ),
    "NaN prediction": Case(
        "y,p,g\n1,1.0,a\n0,NaN,b\n0,0.0,a\n",
        BASE,
        InvalidValueError,
        "p",
        ("NaN", "drop or impute"),
    ),
    "prediction outside the labels": Case(
        "y,p,g\n1,1,a\n0,2,b\n0,0,a\n", BASE, InvalidValueError, "p", ("'2'", "label's values")
    ),
    "unknown column": Case(
        "income,p,g\n1,1,a\n0,0,b\n",
        ["--label", "incme", "--prediction", "p", "--sensitive", "g"],
        ColumnNotFoundError,
        "incme",
        ("did you mean 'income'",),
        {"label": "incme"},
    ),
    "empty file": Case("", BASE, EmptyDataError, None, ("empty", "Fix:")),
    "header only": Case("y,p,g\n", BASE, EmptyDataError, None, ("no rows", "Fix:")),
    "score not numeric": Case(
        "y,p,g,s\n1,1,a,high\n0,0,b,low\n",
        [*BASE, "--score", "s"],
        ColumnTypeError,
        "s",
        ("numeric", "String"),
        {"score": "s"},
    ),
    "score above 1": Case(
        "y,p,g,s\n1,1,a,1.5\n0,0,b,0.2\n",
        [*BASE, "--score", "s"],
        InvalidValueError,
        "s",
        ("between 0 and 1",),
        {"score": "s"},
    ),
    "score below 0": Case(
        "y,p,g,s\n1,1,a,0.5\n0,0,b,-0.2\n",
        [*BASE, "--score", "s"],
        InvalidValueError,
        "s",
        ("between 0 and 1",),
        {"score": "s"},
    ),
    "identifier as sensitive": Case(
        _ids(1500),
        ["--label", "y", "--prediction", "p", "--sensitive", "id"],
        UsageError,
        "id",
        ("1500 distinct values", "--force"),
        {"sensitive": ["id"]},
    ),
    "two text classes": Case(
        "y,p,g\nyes,yes,a\nno,yes,b\nno,no,a\n", BASE, UsageError, "y", ("--positive 'yes'",)
    ),
    "unknown positive": Case(
        "y,p,g\nyes,yes,a\nno,yes,b\n",
        [*BASE, "--positive", "maybe"],
        UsageError,
        "y",
        ("'maybe'", "--positive"),
        {"positive": "maybe"},
    ),
    "bins edge not a number": Case(
        "y,p,g,age\n1,1,a,30\n0,0,b,50\n",
        [*BASE, "--bins", "age=25,abc"],
        UsageError,
        "age",
        ("not a number", "--bins age=25,45"),
    ),
    "bins not increasing": Case(
        "y,p,g,age\n1,1,a,30\n0,0,b,50\n",
        ["--label", "y", "--prediction", "p", "--sensitive", "g,age", "--bins", "age=45,25"],
        UsageError,
        "age",
        ("increasing",),
        {"sensitive": ["g", "age"], "bins": {"age": [45, 25]}},
    ),
    "bins on a text column": Case(
        "y,p,g\n1,1,a\n0,0,b\n",
        [*BASE, "--bins", "g=1,2"],
        UsageError,
        "g",
        ("numeric",),
        {"bins": {"g": [1, 2]}},
    ),
    "reference value absent": Case(
        "y,p,g\n1,1,a\n0,0,b\n",
        [*BASE, "--reference", "g=A"],
        UsageError,
        "g",
        ("does not occur", "did you mean 'a'"),
        {"reference": {"g": "A"}},
    ),
    "null weights": Case(
        "y,p,g,w\n1,1,a,1\n0,0,b,\n1,0,b,2\n",
        [*BASE, "--weight", "w"],
        InvalidValueError,
        "w",
        ("1 null or NaN",),
        {"weight": "w"},
    ),
    "NaN weights": Case(
        "y,p,g,w\n1,1,a,1.5\n0,0,b,NaN\n1,0,b,2\n",
        [*BASE, "--weight", "w"],
        InvalidValueError,
        "w",
        ("1 null or NaN",),
        {"weight": "w"},
    ),
    "negative weights": Case(
        "y,p,g,w\n1,1,a,1\n0,0,b,-1\n",
        [*BASE, "--weight", "w"],
        InvalidValueError,
        "w",
        (">= 0",),
        {"weight": "w"},
    ),
}


def run(
    args: list[str], tmp_path: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACCORD), "audit", *args, "--out", str(tmp_path / "out"), "--format", "json"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_line_and_exit_code_2(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    data = tmp_path / "data.csv"
    data.write_text(case.csv)
    proc = run([str(data), *case.args], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("error: ")
    if case.column is not None:
        assert f"column {case.column!r}" in line
    assert "Fix:" in line
    for text in case.says:
        assert text in line
    assert not (tmp_path / "out" / "audit.json").exists()


@pytest.mark.parametrize("name", [n for n in CASES if n != "bins edge not a number"])
def test_the_python_api_raises_the_matching_error(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    data = tmp_path / "data.csv"
    data.write_text(case.csv)
    kwargs: dict[str, Any] = {
        "label": "y",
        "prediction": "p",
        "sensitive": ["g"],
        "bootstrap": 0,
        **case.kwargs,
    }
    with pytest.raises(case.error) as info:
        accord.audit(str(data), **kwargs)
    assert type(info.value) is case.error
    assert info.value.column == case.column
    assert info.value.fix
    assert info.value.exit_code == 2


def test_force_audits_an_identifier_column(tmp_path: Path) -> None:
    data = tmp_path / "ids.csv"
    data.write_text(_ids(1500))
    proc = run(
        [
            str(data),
            "--label",
            "y",
            "--prediction",
            "p",
            "--sensitive",
            "id",
            "--force",
            "--bootstrap",
            "0",
            "--quiet",
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "out" / "audit.json").read_text())
    groups = result["fairness"]["groupings"][0]["groups"]
    assert len(groups) == 1500
    assert all(g["status"] == "insufficient_data" for g in groups)


def test_csv_on_standard_input(tmp_path: Path) -> None:
    rows = "".join(f"{i % 2},{(i // 3) % 2},{'ab'[i % 5 == 0]}\n" for i in range(200))
    proc = run(["-", *BASE, "--quiet"], tmp_path, stdin="y,p,g\n" + rows)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    result = accord.AuditResult.load(tmp_path / "out" / "audit.json")
    assert result.input.kind == "stdin" and result.input.rows == 200
    groups = {g.key["g"]: g.n for g in result.fairness.groupings[0].groups}
    assert groups == {"a": 160, "b": 40}


def test_empty_standard_input(tmp_path: Path) -> None:
    proc = run(["-", *BASE], tmp_path, stdin="")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "standard input is empty" in lines[0] and "Fix:" in lines[0]


def test_duckdb_engine_cuts_a_numeric_attribute_like_polars(tmp_path: Path) -> None:
    rows = "".join(f"{i % 2},{(i // 3) % 2},{18 + (i * 37) % 60}\n" for i in range(300))
    data = tmp_path / "ages.csv"
    data.write_text("y,p,age\n" + rows)
    reports = {}
    for engine in ("polars", "duckdb"):
        out = tmp_path / engine
        proc = subprocess.run(
            [str(ACCORD), "audit", str(data), "--label", "y", "--prediction", "p",
             "--sensitive", "age", "--engine", engine, "--bootstrap", "50", "--quiet",
             "--format", "json", "--out", str(out)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        reports[engine] = json.loads((out / "audit.json").read_text())
    for report in reports.values():
        del report["created_at"]
    attribute = reports["duckdb"]["fairness"]["attributes"][0]
    assert attribute["binning"] == "quantile" and len(attribute["levels"]) == 4
    assert reports["duckdb"]["fairness"] == reports["polars"]["fairness"]
