"""The registry's commands, through the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from accord.governance import load_catalog
from accord.registry import Registry
from registry_support import ROOT, running_server


def accord(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        timeout=300,
        input=stdin,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
    )


def _csv(path: Path) -> Path:
    rng = np.random.default_rng(0)
    rows = ["y,p,g"] + [
        f"{rng.integers(0, 2)},{rng.integers(0, 2)},{'ab'[i % 2]}" for i in range(400)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def _push_args(data: Path, out: Path, version: str, *, bootstrap: int) -> list[str]:
    """``accord audit`` of the test data, pushed as version ``version`` of system credit."""
    return [
        "audit",
        str(data),
        *("--label", "y", "--prediction", "p", "--sensitive", "g"),
        *("--bootstrap", str(bootstrap), "--out", str(out), "--quiet", "--format", "json"),
        *("--system", "credit", "--version", version, "--push"),
    ]


def test_push_locally_then_list_show_history_export_verify(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    data = _csv(tmp_path / "d.csv")
    env = {"ACCORD_DB": db}
    for version in ("1.0", "1.1"):
        r = accord(*_push_args(data, tmp_path / version, version, bootstrap=20), env=env)
        assert r.returncode == 0, r.stderr
        assert f"of credit {version}" in r.stderr
    listed = accord("registry", "list", "--json", "--db", db)
    systems = json.loads(listed.stdout)["items"]
    assert [(s["name"], s["latest_audit"]["version"]) for s in systems] == [("credit", "1.1")]
    shown = accord("registry", "show", "credit", "--db", db)
    assert shown.returncode == 0 and "1.0" in shown.stdout and "1.1" in shown.stdout
    hist = accord("registry", "history", "credit", "--db", db)
    assert hist.returncode == 0 and "selection_rate by g" in hist.stdout
    out = tmp_path / "export.json"
    assert accord("registry", "export", "--out", str(out), "--db", db).returncode == 0
    exported = json.loads(out.read_text())
    assert len(exported["systems"][0]["audits"]) == 2 and exported["chain"]["ok"] is True
    assert exported["systems"][0]["audits"][0]["result"]["schema_version"] == "1"
    verified = accord("registry", "verify", "--db", db)
    assert verified.returncode == 0 and "chain ok" in verified.stdout
    missing = accord("registry", "show", "nope", "--db", db)
    assert missing.returncode == 2 and "no system of this name" in missing.stderr


def test_push_through_the_server_with_a_token(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    assert accord("db", "upgrade", "--db", db).returncode == 0
    Registry(db).create_system("admin", "credit")
    viewer = accord("token", "create", "--role", "viewer", "--db", db).stdout.strip()
    auditor = accord("token", "create", "--role", "auditor", "--db", db).stdout.strip()
    assert auditor.startswith("acc_") and auditor != viewer
    data = _csv(tmp_path / "d.csv")
    args = _push_args(data, tmp_path / "o", "2.0", bootstrap=10)
    with running_server(db) as (base, _):
        refused = accord(*args, "--server", base, env={"ACCORD_TOKEN": viewer})
        assert refused.returncode == 2 and "403" in refused.stderr
        ok = accord(*args, "--server", base, env={"ACCORD_TOKEN": auditor})
        assert ok.returncode == 0, ok.stderr
        no_token = accord(*args, "--server", base, env={"ACCORD_TOKEN": ""})
        assert no_token.returncode == 2 and "ACCORD_TOKEN" in no_token.stderr
    reg = Registry(db)
    audits = reg.list_audits(system="credit").items
    assert [a.version for a in audits] == ["2.0"]
    assert audits[0].recorded_by == "token:auditor-token"


def test_commands_need_an_upgraded_database(tmp_path: Path) -> None:
    r = accord("token", "create", "--role", "admin", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert r.returncode == 2 and "accord db upgrade" in r.stderr
    assert (ROOT / "src" / "accord" / "registry" / "migrations" / "env.py").exists()


def test_classify_and_answer_the_checklist_from_the_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    reg = Registry(db)
    reg.upgrade()
    reg.create_system("t", "hiring")
    reg.dispose()
    answers = tmp_path / "answers.yaml"
    answers.write_text("annex3.uses: ['4(a)']\nus.aedt: true\nus.nyc: true\n")
    r = accord("registry", "classify", "hiring", "--answers", str(answers), "--db", db)
    assert r.returncode == 0, r.stderr
    assert "High-risk AI system" in r.stdout and "NYC" in r.stdout
    r = accord(
        "registry", "answer", "hiring", "PC-FAIR-03", "no", "--comment", "vendor", "--db", db
    )
    assert r.returncode == 0, r.stderr
    bad = accord("registry", "answer", "hiring", "PC-FAIR-3", "no", "--db", db)
    assert bad.returncode == 2 and "did you mean 'PC-FAIR-03'" in bad.stderr
    shown = accord("registry", "show", "hiring", "--db", db)
    assert "risk tier: high_risk" in shown.stdout
    questions = len(load_catalog().checklist)
    assert (
        f"1 of {questions} questions answered" in shown.stdout and "PC-FAIR-03: no" in shown.stdout
    )
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("annex3.use: ['4(a)']\n")
    r = accord("registry", "classify", "hiring", "--answers", str(wrong), "--db", db)
    assert r.returncode == 2 and "annex3.uses" in r.stderr
    reg = Registry(db)
    assert reg.get_system("hiring").classification["nyc_ll144"] is True
    reg.dispose()
