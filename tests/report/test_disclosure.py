"""Every rendering of an audit: small counts never written by default, written with 0."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import unescape

import polars as pl
import pytest
from rich.console import Console

from accord.report import (
    AuditResult,
    render_findings_markdown,
    render_findings_terminal,
    render_junit,
    render_terminal,
)
from disclosure_data import SMALL, audit_small_groups, counts_written, small_groups_frame

SENTENCE = (
    "Counts below 10 are shown as <10, so that no table names a group of fewer than 10 people "
    "(totals stay exact); --suppress-below changes this."
)


def _console(render: Callable[[AuditResult, Console], None]) -> Callable[[AuditResult], str]:
    def run(result: AuditResult) -> str:
        console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
        render(result, console)
        return console.export_text()

    return run


RENDERINGS: dict[str, Callable[[AuditResult], str]] = {
    "html": lambda r: r.to_html(),
    "markdown": lambda r: r.to_markdown(),
    "terminal": _console(render_terminal),
    "findings-markdown": render_findings_markdown,
    "findings-terminal": _console(lambda r, c: render_findings_terminal(r, c)),
    "junit": render_junit,
}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return small_groups_frame()


@pytest.fixture(scope="module")
def texts(frame: pl.DataFrame) -> dict[tuple[str, int], str]:
    """Every rendering of the audit, by default and with --suppress-below 0."""
    out = {}
    for threshold in (10, 0):
        result = audit_small_groups(frame, suppress_below=threshold)
        for name, render in RENDERINGS.items():
            text = render(result)
            # Markdown escapes '<' and HTML writes '&lt;': read both as the reader does.
            out[(name, threshold)] = unescape(text).replace("\\<", "<").replace("\\|", "|")
    return out


@pytest.mark.parametrize("name", list(RENDERINGS))
def test_no_small_count_is_written_by_default(
    texts: dict[tuple[str, int], str], name: str
) -> None:
    assert counts_written(texts[(name, 10)]) == set()


def test_the_same_search_finds_the_small_counts_without_suppression(
    texts: dict[tuple[str, int], str],
) -> None:
    # The HTML has every group's row; the others name some of them.
    assert counts_written(texts[("html", 0)]) == set(SMALL)
    for name in ("markdown", "terminal", "findings-markdown", "findings-terminal"):
        assert counts_written(texts[(name, 0)]), name


@pytest.mark.parametrize("name", [n for n in RENDERINGS if n != "junit"])
def test_every_report_says_how_small_counts_are_shown(
    texts: dict[tuple[str, int], str], name: str
) -> None:
    flat = " ".join(texts[(name, 10)].split())
    assert SENTENCE in flat
    assert "<10" in texts[(name, 10)]
    assert "Small counts are shown exactly (--suppress-below 0)" in " ".join(
        texts[(name, 0)].split()
    )


def test_junit_records_the_rule(texts: dict[tuple[str, int], str]) -> None:
    assert '<property name="suppress_below" value="10"' in texts[("junit", 10)]
    assert SENTENCE in texts[("junit", 10)]


def _row(html: str, section: str, keys: list[str]) -> list[str]:
    """The cells of the first row of ``section`` whose header cells are ``keys``."""
    part = html[html.index(section) :]
    head = "".join(f'<th scope="row">{k}</th>' for k in keys)
    start = part.index(head)
    row = part[start : part.index("</tr>", start)]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)


def test_the_share_of_a_withheld_group_is_not_shown(frame: pl.DataFrame) -> None:
    withheld = audit_small_groups(frame, preset=None, reference=None).to_html()
    shown = audit_small_groups(frame, preset=None, reference=None, suppress_below=0).to_html()
    cells = _row(withheld, '<section id="tables"', ["Other"])
    assert cells[0] == "&lt;10"
    assert all(c == "insufficient data" for c in cells[1:]), cells
    exact = _row(shown, '<section id="tables"', ["Other"])
    assert exact[0] == "7" and exact[1].startswith("0.006")  # 7 of 1,212 rows
    # A large group keeps its count and its share.
    assert (
        _row(withheld, '<section id="tables"', ["White"])[:2]
        == _row(shown, '<section id="tables"', ["White"])[:2]
    )


def test_impact_tables_print_withheld_categories_without_numbers(
    texts: dict[tuple[str, int], str],
) -> None:
    md = texts[("findings-markdown", 10)]
    other = next(line for line in md.splitlines() if line.startswith("| Other |"))
    assert other.split("|")[2:6] == [" <10 ", " <10 ", " withheld ", " not rated "]
    exact = texts[("findings-markdown", 0)]
    assert (
        next(line for line in exact.splitlines() if line.startswith("| Other |"))
        .split("|")[2]
        .strip()
        == "7"
    )
