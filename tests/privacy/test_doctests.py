"""The examples in the privacy modules' docstrings run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.privacy._anonymize",
    "accord.privacy._assess",
    "accord.privacy._attributes",
    "accord.privacy._classes",
    "accord.privacy._config",
    "accord.privacy._criteria",
    "accord.privacy._disclosure",
    "accord.privacy._dp",
    "accord.privacy._groups",
    "accord.privacy._hierarchy",
    "accord.privacy._mondrian",
    "accord.privacy._search",
    "accord.privacy._suggest",
    "accord.privacy._pii",
    "accord.privacy._pii_scan",
    "accord.privacy._recognizers",
    "accord.privacy._report",
    "accord.privacy._risk",
    "accord.privacy._stats",
    "accord.privacy._uniqueness",
    "accord.engine._privacy_pass",
    "accord.engine._recode",
    "accord.engine._sample",
    "accord.io._write",
    "accord.report._privacy",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0
    assert attempted > 0
