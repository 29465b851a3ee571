"""The docs do not drift from the command line: every command they show exists with every
option they give it, and every command is shown somewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from accord.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: ``accord`` followed by words (the command path) and the rest of the line or code span.
INVOCATION = re.compile(r"(?:^|[\s`$>/(])accord ((?:[a-z][a-z-]*[ \t]?)+)([^`\n]*)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def _commands() -> dict[tuple[str, ...], Any]:
    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        yield path, command
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from walk(sub, (*path, name))

    return dict(walk(typer.main.get_command(app), ()))


COMMANDS = _commands()
LEAVES = {p for p, c in COMMANDS.items() if p and not getattr(c, "commands", None)}


def _resolve(words: list[str], start: tuple[str, ...] = ()) -> tuple[str, ...]:
    path = start
    for word in words:
        if (*path, word) not in COMMANDS:
            break
        path = (*path, word)
    return path


def _invocations() -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(document, command path, the text that follows) for every ``accord ...`` shown.

    ``accord registry list | show NAME | history NAME`` names three commands: a segment after
    `` | `` that starts with a sibling's name is that sibling's invocation.
    """
    for doc in DOCS:
        for match in INVOCATION.finditer(doc.read_text()):
            path = _resolve(match.group(1).split())
            if not path:
                continue
            segments = (match.group(1) + match.group(2)).split(" | ")
            yield doc.name, path, segments[0]
            for segment in segments[1:]:
                sibling = _resolve(segment.split()[:1], path[:-1])
                if len(sibling) == len(path):
                    yield doc.name, sibling, segment


INVOCATIONS = list(_invocations())


def test_the_docs_show_commands() -> None:
    assert len(INVOCATIONS) > 50
    assert {p for _, p, _ in INVOCATIONS} >= {("audit",), ("privacy",), ("serve",)}


@pytest.mark.parametrize("path", sorted(LEAVES), ids=" ".join)
def test_every_command_is_documented(path: tuple[str, ...]) -> None:
    shown = {p for _, p, _ in INVOCATIONS}
    assert path in shown, f"`accord {' '.join(path)}` appears in no document (README.md, docs/)"


def test_every_option_the_docs_give_exists() -> None:
    unknown = []
    for doc, path, text in INVOCATIONS:
        command = COMMANDS[path]
        known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
        unknown += [
            f"{doc}: accord {' '.join(path)} {option}"
            for option in OPTION.findall(text)
            if option not in known
        ]
    assert not unknown, "options the docs give that the command does not have:\n" + "\n".join(
        unknown
    )
