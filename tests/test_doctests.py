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
