"""The typer application and the one place where errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from accord import __version__

app = typer.Typer(
    name="accord",
    help="Audit AI systems for algorithmic bias, privacy risk and exclusion, and see where "
    "they stand against the world's AI governance frameworks.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

#: Exit codes, the same for every command and every output format.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_CHECK_ERROR = 3
EXIT_INTERNAL = 70  # EX_SOFTWARE from sysexits.h

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn accord's errors into one line on stderr and their exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from accord.core import AccordError

        try:
            return func(*args, **kwargs)
        except AccordError as exc:
            stderr.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            stderr.print("interrupted")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug in accord, not in the user's input
            if os.environ.get("ACCORD_DEBUG"):
                raise
            stderr.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. This is a "
                "bug in accord; run again with ACCORD_DEBUG=1 for the traceback and "
                "report it.",
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """accord: audits for bias, privacy and exclusion."""


def split_csv(values: list[str] | None) -> list[str]:
    """Options given as COL,COL or repeated: one flat list."""
    out: list[str] = []
    for v in values or []:
        out += [p.strip() for p in v.split(",") if p.strip()]
    return out


def run(argv: list[str] | None = None) -> Any:
    """Run the application (the ``accord`` console script)."""
    return app(args=argv if argv is not None else sys.argv[1:], prog_name="accord")
