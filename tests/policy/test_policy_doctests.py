"""The Examples sections of the policy modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.policy._model",
    "accord.policy._yaml",
    "accord.policy._resolve",
    "accord.policy._evaluate",
    "accord.policy._gate",
    "accord.policy._text",
    "accord.policy._requirements",
    "accord.policy._schema",
    "accord.fairness._discovery",
    "accord.fairness._impact",
    "accord.engine._explore",
    "accord.pipeline._policy",
    "accord.report._junit",
    "accord.report._findings_md",
    "accord.report._policy_html",
    "accord.report._policy_layout",
    "accord.cli._check",
    "accord.core._finding",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
    assert tried > 0, f"{name} has no examples"
