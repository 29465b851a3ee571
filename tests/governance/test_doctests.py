"""The Examples sections of the governance modules and their renderers run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.governance._catalog",
    "accord.governance._classify",
    "accord.governance._coverage",
    "accord.governance._consensus",
    "accord.report._coverage",
    "accord.report._frameworks",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
