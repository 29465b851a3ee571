"""The governance pages: the frameworks catalog, one framework, one item, the crosswalk
between two frameworks, and how the frameworks treat one theme.

The same builders as the JSON routes (``_catalog``), so that the pages and the API agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from accord.governance import consensus, theme_matrix
from accord.server import _catalog
from accord.server._api_frameworks import ID_PATTERN
from accord.server._web import Session, render

router = APIRouter(include_in_schema=False)

FrameworkId = Annotated[str, PathParam(min_length=1, max_length=40, pattern=ID_PATTERN)]
ItemRef = Annotated[str, PathParam(min_length=1, max_length=200)]
ThemeId = Annotated[str, PathParam(min_length=1, max_length=40, pattern=ID_PATTERN)]
FrameworkQuery = Annotated[str, Query(max_length=40, pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]*)?$")]

MATCH_TEXT = {
    "exact": "asks for the same as",
    "close": "asks for nearly the same as",
    "broad": "is narrower than (the other is broader)",
    "narrow": "is broader than (the other is narrower)",
    "related": "bears on",
}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Framework id -> short name."""
    return {f.id: f.short_name for f in _catalog.catalog().frameworks.values()}


@lru_cache(maxsize=1)
def _charts() -> tuple[Markup, Markup]:
    """The themes x frameworks matrix and the verification chart (the catalog is fixed for
    the life of the process, so they are rendered once).
    """
    from accord.report import render_matrix_charts

    matrix, verification = render_matrix_charts(_catalog.catalog())
    return Markup(matrix), Markup(verification)  # noqa: S704 - SVG built from catalog data


@router.get("/frameworks", response_class=HTMLResponse)
def frameworks(request: Request, session: Session) -> HTMLResponse:
    """The catalog: every framework with its kind, date, item count and verification
    counts; the themes x frameworks matrix; the way to the crosswalk and the themes.
    """
    cat = _catalog.catalog()
    matrix, verification = _charts()
    return render(
        request,
        "frameworks.html",
        {
            "frameworks": _catalog.framework_summaries(cat),
            "themes": _catalog.theme_summaries(cat),
            "counts": theme_matrix(cat),
            "matrix": matrix,
            "verification": verification,
            "n_items": sum(len(fw.items) for fw in cat.frameworks.values()),
            "n_links": len(cat.links),
            "n_questions": len(cat.checklist),
            "n_checks": len(cat.checks),
        },
        session=session,
    )


@router.get("/frameworks/{framework_id}", response_class=HTMLResponse)
def framework(request: Request, framework_id: FrameworkId, session: Session) -> HTMLResponse:
    """One framework: its citation and dates, and every item in its own numbering with its
    themes, verification status, source and the checks that evidence it.
    """
    cat = _catalog.catalog()
    detail = _catalog.framework_detail(cat, framework_id)
    return render(
        request,
        "framework.html",
        {
            "fw": detail,
            "sources": {s.id: s for s in detail.sources},
            "names": _names(),
        },
        session=session,
    )


@router.get("/frameworks/{framework_id}/items/{ref:path}", response_class=HTMLResponse)
def item(
    request: Request, framework_id: FrameworkId, ref: ItemRef, session: Session
) -> HTMLResponse:
    """One item: its place in the framework, its crosswalk links with match type and
    rationale, and the checks and process questions that evidence it.
    """
    cat = _catalog.catalog()
    return render(
        request,
        "item.html",
        {
            "d": _catalog.item_detail(cat, framework_id, ref),
            "names": _names(),
            "match_text": MATCH_TEXT,
        },
        session=session,
    )


@router.get("/crosswalk", response_class=HTMLResponse)
def crosswalk(
    request: Request,
    session: Session,
    source: Annotated[FrameworkQuery, Query(alias="from")] = "",
    target: Annotated[FrameworkQuery, Query(alias="to")] = "",
) -> HTMLResponse:
    """The item-to-item links between two frameworks; without both, the pairs of
    frameworks that the crosswalk links, to choose from.
    """
    cat = _catalog.catalog()
    result = _catalog.crosswalk(cat, source, target) if source and target else None
    return render(
        request,
        "crosswalk.html",
        {
            "result": result,
            "source": source,
            "target": target,
            "frameworks": list(cat.frameworks.values()),
            "pairs": _pairs() if result is None else [],
            "match_text": MATCH_TEXT,
        },
        session=session,
    )


@lru_cache(maxsize=1)
def _pairs() -> list[tuple[str, str, str, str, int]]:
    """Every pair of frameworks with links between them, most links first."""
    cat = _catalog.catalog()
    order = list(cat.frameworks)
    counts: dict[tuple[str, str], int] = {}
    for ln in cat.links:
        a, b = (ln.source.split(":", 1)[0], ln.target.split(":", 1)[0])
        key = (a, b) if order.index(a) <= order.index(b) else (b, a)
        counts[key] = counts.get(key, 0) + 1
    return [
        (a, cat.frameworks[a].short_name, b, cat.frameworks[b].short_name, n)
        for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


@router.get("/themes", response_class=HTMLResponse)
def themes(request: Request, session: Session) -> HTMLResponse:
    """The crosswalk's themes, each with how many items of how many frameworks carry it."""
    cat = _catalog.catalog()
    return render(
        request,
        "themes.html",
        {"themes": _catalog.theme_summaries(cat), "n_frameworks": len(cat.frameworks)},
        session=session,
    )


@router.get("/themes/{theme}", response_class=HTMLResponse)
def theme(request: Request, theme: ThemeId, session: Session) -> HTMLResponse:
    """The consensus view: how each framework treats one theme, the common ground between
    them, and where they differ.
    """
    cat = _catalog.catalog()
    th = _catalog.theme_of(cat, theme)
    return render(
        request,
        "theme.html",
        {
            "theme": th,
            "c": consensus(th.id, cat),
            "names": _names(),
        },
        session=session,
    )
