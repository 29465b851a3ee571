"""The Jinja2 environment every HTML report renders accord.report's templates with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def template_environment(
    *, strict: bool = True, keep_trailing_newline: bool = False, **filters: Callable[..., Any]
) -> Any:
    """An environment over ``accord/report/templates``: autoescaped, blocks trimmed, with
    ``filters``; when ``strict``, a name the template uses but is not given is an error.
    """
    # Imported here: accord.report is imported by every command, Jinja2 only by reports.
    from jinja2 import Environment, PackageLoader, StrictUndefined, Undefined

    env = Environment(
        loader=PackageLoader("accord.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined if strict else Undefined,
        keep_trailing_newline=keep_trailing_newline,
    )
    env.filters.update(filters)
    return env
