"""The architecture as code: layers, the public surface, and docs that match the code."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import accord

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "accord"


def test_layers_hold() -> None:
    """import-linter checks the contracts in pyproject.toml (layers, no dataframe library
    above the engine)."""
    lint = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BROKEN" not in proc.stdout


def test_public_surface_is_explicit_and_sorted() -> None:
    assert accord.__all__ == sorted(accord.__all__)
    for name in accord.__all__:
        assert getattr(accord, name) is not None, name


@pytest.mark.parametrize("package", sorted(p.parent.name for p in SRC.glob("*/__init__.py")))
def test_every_package_declares_its_api(package: str) -> None:
    module = importlib.import_module(f"accord.{package}")
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"accord.{package} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"accord.{package}.__all__ names missing {name!r}"
        assert not name.startswith("_"), name


def test_architecture_doc_names_real_packages() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = text.split("```", 2)[1]
    named = set(re.findall(r"^\s{2}(\w+)/", block, flags=re.M))
    on_disk = {p.parent.name for p in SRC.glob("*/__init__.py")}
    assert named == on_disk, named ^ on_disk
    for module in re.findall(r"`([a-z_]+/_[a-z_]+\.py)`", text):
        assert (SRC / module).exists(), f"docs/architecture.md names {module}, which is gone"


def test_help_is_fast_because_heavy_imports_are_lazy() -> None:
    code = (
        "import sys, accord.cli; heavy = {'polars', 'numpy', 'narwhals', 'scipy', "
        "'altair', 'vl_convert', 'sqlalchemy'} & set(sys.modules); print(sorted(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]", proc.stdout
