"""The JSON Schemas in schemas/ are generated from the code: they must not drift."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import polars as pl

import accord
from accord.report import json_schema

ROOT = Path(__file__).resolve().parent.parent


def test_audit_result_schema_file_matches_the_model() -> None:
    on_disk = json.loads((ROOT / "schemas" / "audit-result.schema.json").read_text())
    assert on_disk == json.loads(accord.core.dumps(json_schema())), (
        "schemas/audit-result.schema.json is stale: run python scripts/generate_schemas.py"
    )


def test_an_audit_validates_against_the_published_schema() -> None:
    df = pl.DataFrame({"y": [0, 1] * 40, "p": [1, 1, 0, 1] * 20, "g": ["a", "b"] * 40})
    result = accord.audit(df, label="y", prediction="p", sensitive=["g"], bootstrap=50)
    schema = json.loads((ROOT / "schemas" / "audit-result.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(result.to_json()))


def test_generator_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_schemas.py")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "audit-result.schema.json" in proc.stdout
