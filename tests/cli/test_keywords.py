"""Every option of a command that runs an analysis is a keyword of the same name of its
Python function (``--min-group-size`` is ``min_group_size=``), so that what works in a
terminal works in a notebook."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
import typer.main

import accord
import accord.inclusion
import accord.privacy
from accord.cli import app

#: Options about the terminal and the files written, which have no meaning in Python.
OUTPUT = {"out", "format", "quiet"}

#: Options that exist only on the command line, and why.
CLI_ONLY = {
    "audit": OUTPUT
    | {
        "fail_on",  # exit codes of the CI gate
        "exit_zero",
        "push",  # the registry: accord.registry.Registry.record_audit in Python
        "server",
        "system",
        "version",
        "sql",  # a database URL and table: pass an Ibis table in Python
        "table",
        "discover_metric",  # a spelling of discover="metric"
    },
    "privacy": OUTPUT,
    "inclusion": OUTPUT,
    "pii": OUTPUT,
    "anonymize": {"out", "quiet", "report"},  # output= in Python; the report is a file
}

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "audit": accord.audit,
    "privacy": accord.privacy.assess,
    "inclusion": accord.inclusion.assess,
    "pii": accord.privacy.scan_pii,
    "anonymize": accord.privacy.anonymize,
}


def _long_names(param: Any) -> set[str]:
    return {
        o.removeprefix("--").replace("-", "_")
        for o in (*param.opts, *param.secondary_opts)
        if o.startswith("--") and not o.startswith("--no-")
    }


@pytest.mark.parametrize("command", sorted(FUNCTIONS))
def test_every_option_is_a_keyword(command: str) -> None:
    cli = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    keywords = set(inspect.signature(FUNCTIONS[command]).parameters)
    missing = [
        sorted(_long_names(p))
        for p in cli.params
        if p.opts and p.opts[0].startswith("--")
        and not _long_names(p) & (keywords | CLI_ONLY[command])
    ]  # fmt: skip
    assert not missing, f"accord {command}: options without a keyword of the same name: {missing}"


@pytest.mark.parametrize("command", sorted(FUNCTIONS))
def test_cli_only_options_exist(command: str) -> None:
    """The exemptions above name real options (a renamed option must not hide behind one)."""
    cli = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    names = set().union(*(_long_names(p) for p in cli.params))
    assert CLI_ONLY[command] <= names
