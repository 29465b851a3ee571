"""Every example in accord's docstrings runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import accord

SKIP = {"accord.__main__"}  # importing it runs the command line


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(accord.__path__, prefix="accord."):
        if info.name in SKIP or ".migrations" in info.name:
            continue  # Alembic revision scripts are run by Alembic, not imported
        names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_the_walk_finds_the_packages() -> None:
    for package in ("accord.fairness", "accord.privacy", "accord.governance", "accord.report"):
        assert any(m.startswith(package + ".") for m in MODULES), package


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert failed == 0, f"{failed} docstring example(s) failed in {name}"


def test_public_functions_show_an_example() -> None:
    # The style guide: numpy-style docstrings with a short example on public functions.
    missing = []
    for name in (
        "accord.pipeline",
        "accord.fairness",
        "accord.privacy",
        "accord.inclusion",
        "accord.governance",
        "accord.report",
        "accord.io",
        "accord.engine",
        "accord.policy",
        "accord.registry",
        "accord.server",
    ):
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        for attr in getattr(package, "__all__", []):
            obj = getattr(package, attr)
            doc = getattr(obj, "__doc__", None)
            if callable(obj) and not isinstance(obj, type) and doc and ">>>" not in doc:
                missing.append(f"{name}.{attr}")
    assert not missing, missing
