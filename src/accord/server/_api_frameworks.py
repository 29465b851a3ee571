"""API: the governance catalog (frameworks, items, crosswalk, themes, checklist), read-only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from accord.governance import ChecklistQuestion, Consensus, consensus
from accord.registry import Page
from accord.server import _catalog
from accord.server._auth import Viewer
from accord.server._errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["frameworks"], responses=ERROR_RESPONSES)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
FrameworkId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        pattern=ID_PATTERN,
        description="A framework id, e.g. EUAIA or NIST-RMF.",
        examples=["EUAIA"],
    ),
]
ThemeId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        pattern=ID_PATTERN,
        description="A theme id (FAIR, PRIV, TRANS, ACCT, SAFE, HUMAN, INCL, SUST, COOP, "
        "RIGHTS) or the RISK tag.",
        examples=["FAIR"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]


def _framework_query(alias: str, example: str) -> Any:
    """A framework id in the query string, as ``from`` or ``to``."""
    return Query(
        alias=alias,
        min_length=1,
        max_length=40,
        pattern=ID_PATTERN,
        description=f"The framework to map {alias}.",
        examples=[example],
    )


Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]


@router.get("/frameworks", summary="List the governance frameworks")
def list_frameworks(
    who: Viewer, limit: Limit = 100, offset: Offset = 0
) -> Page[_catalog.FrameworkSummary]:
    """Every framework of the catalog, in catalog order: its kind, dates, item count,
    verification counts, crosswalk links and items per theme.
    """
    rows = _catalog.framework_summaries(_catalog.catalog())
    return Page[_catalog.FrameworkSummary](
        items=rows[offset : offset + limit], total=len(rows), limit=limit, offset=offset
    )


@router.get("/frameworks/{framework_id}", summary="Get a framework with its items")
def get_framework(framework_id: FrameworkId, who: Viewer) -> _catalog.FrameworkDetail:
    """A framework's citation, application dates and sources, and every item in its own
    numbering with its themes, verification status, source, and the checks and process
    questions that evidence it.
    """
    return _catalog.framework_detail(_catalog.catalog(), framework_id)


@router.get("/frameworks/{framework_id}/items/{ref:path}", summary="Get one item")
def get_item(
    framework_id: FrameworkId,
    ref: Annotated[
        str,
        Path(
            min_length=1,
            max_length=200,
            description="The item's own numbering within the framework, e.g. Art10(2)(f).",
            examples=["Art10(2)(f)"],
        ),
    ],
    who: Viewer,
) -> _catalog.ItemDetail:
    """One item: its parents and children, its crosswalk links with their match type and
    rationale, the check types whose results evidence it, and its process questions.
    """
    return _catalog.item_detail(_catalog.catalog(), framework_id, ref)


@router.get("/crosswalk", summary="The links between two frameworks")
def get_crosswalk(
    who: Viewer,
    source: Annotated[str, _framework_query("from", "NIST-RMF")],
    target: Annotated[str, _framework_query("to", "ISO42001")],
) -> _catalog.Crosswalk:
    """Item-to-item links between two frameworks, read from ``from``: each with its match
    type (exact, close, broad, narrow, related) and a one-line rationale.
    """
    return _catalog.crosswalk(_catalog.catalog(), source, target)


@router.get("/themes", summary="List the crosswalk's themes")
def list_themes(who: Viewer) -> list[_catalog.ThemeSummary]:
    """The common themes (and the RISK tag), with their items per framework."""
    return _catalog.theme_summaries(_catalog.catalog())


@router.get("/themes/{theme}", summary="How each framework treats a theme")
def get_theme(theme: ThemeId, who: Viewer) -> Consensus:
    """The consensus view: each framework's items on the theme side by side, the common
    ground (items joined by exact, close, broader or narrower links), and the differences
    (frameworks silent on it, binding against voluntary, items no other framework matches).
    """
    cat = _catalog.catalog()
    return consensus(_catalog.theme_of(cat, theme).id, cat)


@router.get("/checklist", summary="The process-check questions")
def list_questions(who: Viewer) -> list[ChecklistQuestion]:
    """Every question of the governance checklist, with the evidence it expects and the
    requirement ids a yes speaks to; answer them per system at
    ``PUT /api/systems/{name}/checklist/{item_id}``.
    """
    return list(_catalog.catalog().checklist)
