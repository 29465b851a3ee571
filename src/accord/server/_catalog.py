"""The governance catalog as the API and the pages show it: frameworks, items, crosswalk.

One builder per view, shared by the JSON routes and the pages, so that both say the same.
Unknown ids are 404 (a path) or 422 naming the query parameter, each with a suggestion.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from accord.core import UsageError, did_you_mean
from accord.governance import (
    Catalog,
    ChecklistQuestion,
    CheckType,
    Framework,
    Item,
    Link,
    MatchType,
    Source,
    Theme,
    load_catalog,
    theme_matrix,
)
from accord.registry import NotFoundError


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class VerificationCounts(_View):
    """How many items were checked against the official text, secondary sources, or not."""

    primary: int = 0
    secondary: int = 0
    unverified: int = 0


class FrameworkSummary(_View):
    """A framework as the catalog lists it."""

    id: str
    title: str
    short_name: str
    issuer: str
    jurisdiction: str
    instrument_type: str = Field(description="The kind of instrument: regulation, standard, ...")
    binding: Literal["yes", "no", "partial"]
    status: str
    adopted: date
    in_force: date | None
    items: int
    verification: VerificationCounts
    links: int = Field(description="Crosswalk links touching its items.")
    themes: dict[str, int] = Field(description="Items per theme.")


class ItemEntry(Item):
    """An item of a framework, with what evidences it."""

    depth: int = Field(description="How deep in the framework's hierarchy (0: top).")
    checks: list[str] = Field(description="Check types whose results evidence it.")
    questions: list[str] = Field(description="Process-check questions that speak to it.")
    links: int = Field(description="Crosswalk links touching it.")


class FrameworkDetail(Framework):
    """A framework with its items, in its own order and numbering."""

    # Its items carry what evidences them; an ItemEntry is an Item.
    items: list[ItemEntry]  # type: ignore[assignment]
    counts: VerificationCounts
    crosswalk: dict[str, int] = Field(
        description="Links from this framework's items to each other framework."
    )


class LinkEntry(_View):
    """A crosswalk link, read from ``source``: "source <match> target"."""

    source: str
    source_title: str
    target: str
    target_title: str
    target_framework: str
    match: MatchType
    rationale: str


class ItemDetail(_View):
    """One item: its place, its crosswalk links, and the checks and questions behind it."""

    framework: str
    framework_name: str
    item: ItemEntry
    parents: list[ItemEntry] = Field(description="From the top of the hierarchy down.")
    children: list[ItemEntry]
    source: Source
    links: list[LinkEntry]
    checks: list[CheckType]
    questions: list[ChecklistQuestion]


class Crosswalk(_View):
    """The item-to-item links between two frameworks, read from the first."""

    source: str
    source_name: str
    target: str
    target_name: str
    links: list[LinkEntry]


class ThemeSummary(_View):
    """A theme of the crosswalk and how many items of each framework carry it."""

    id: str
    title: str
    description: str
    items: int
    frameworks: dict[str, int]


# -- lookups -----------------------------------------------------------------------------------


def catalog() -> Catalog:
    """The packaged catalog (loaded and validated once per process)."""
    return load_catalog()


def framework_of(cat: Catalog, framework_id: str) -> Framework:
    """The framework with this id (case-insensitive), else 404 with a suggestion."""
    try:
        return cat.framework(framework_id)
    except UsageError:
        raise NotFoundError(
            "no framework with this id",
            value=framework_id,
            fix=did_you_mean(framework_id, list(cat.frameworks), "list them at /api/frameworks"),
        ) from None


def theme_of(cat: Catalog, theme_id: str) -> Theme:
    """The theme (or the RISK tag) with this id or title, else 404 with a suggestion."""
    try:
        return cat.theme(theme_id)
    except UsageError:
        ids = [t.id for t in [*cat.themes, *cat.tags]]
        raise NotFoundError(
            "no theme with this id",
            value=theme_id,
            fix=did_you_mean(theme_id.upper(), ids, "list them at /api/themes"),
        ) from None


def query_framework(cat: Catalog, framework_id: str, parameter: str) -> Framework:
    """A framework named in a query parameter; an unknown id is a 422 naming the parameter."""
    try:
        return framework_of(cat, framework_id)
    except NotFoundError as exc:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", parameter),
                    "msg": f"no framework with this id; {exc.fix}",
                    "type": "value_error",
                    "input": framework_id,
                }
            ]
        ) from None


# -- builders ----------------------------------------------------------------------------------


def _counts(items: list[Item]) -> VerificationCounts:
    return VerificationCounts(
        primary=sum(it.verification == "primary" for it in items),
        secondary=sum(it.verification == "secondary" for it in items),
        unverified=sum(it.verification == "unverified" for it in items),
    )


def _link_counts(cat: Catalog) -> dict[str, int]:
    out: dict[str, int] = {}
    for ln in cat.links:
        for end in {ln.source, ln.target}:
            out[end] = out.get(end, 0) + 1
    return out


def _depth(cat: Catalog, item: Item) -> int:
    depth, parent = 0, item.parent
    while parent:
        depth += 1
        found = cat.find_item(parent)
        parent = found.parent if found else None
    return depth


def item_entry(cat: Catalog, item: Item, links: dict[str, int] | None = None) -> ItemEntry:
    """An item with the check types and questions that evidence it."""
    counts = links if links is not None else _link_counts(cat)
    return ItemEntry(
        **item.model_dump(),
        depth=_depth(cat, item),
        checks=[c.id for c in cat.checks_for(item.id)],
        questions=[q.id for q in cat.questions_for(item.id)],
        links=counts.get(item.id, 0),
    )


#: The framework fields a summary repeats as they are.
_LISTED = {
    "id",
    "title",
    "short_name",
    "issuer",
    "jurisdiction",
    "instrument_type",
    "binding",
    "status",
    "adopted",
    "in_force",
}


def framework_summaries(cat: Catalog) -> list[FrameworkSummary]:
    """Every framework, in catalog order, with its counts."""
    links = _link_counts(cat)
    matrix = theme_matrix(cat)
    return [
        FrameworkSummary(
            **fw.model_dump(include=_LISTED),
            items=len(fw.items),
            verification=_counts(fw.items),
            links=sum(links.get(it.id, 0) for it in fw.items),
            themes=matrix[fw.id],
        )
        for fw in cat.frameworks.values()
    ]


def framework_detail(cat: Catalog, framework_id: str) -> FrameworkDetail:
    """One framework with every item, its checks and questions, and its crosswalk counts."""
    fw = framework_of(cat, framework_id)
    links = _link_counts(cat)
    crosswalk: dict[str, int] = {}
    for other in cat.frameworks:
        if other != fw.id:
            n = len(cat.crosswalk(fw.id, other))
            if n:
                crosswalk[other] = n
    return FrameworkDetail(
        **fw.model_dump(exclude={"items"}),
        items=[item_entry(cat, it, links) for it in fw.items],
        counts=_counts(fw.items),
        crosswalk=crosswalk,
    )


def link_entry(cat: Catalog, ln: Link) -> LinkEntry:
    """A link with the titles of both ends."""
    target = cat.item(ln.target)
    return LinkEntry(
        source=ln.source,
        source_title=cat.item(ln.source).title,
        target=ln.target,
        target_title=target.title,
        target_framework=target.framework,
        match=ln.match,
        rationale=ln.rationale,
    )


def item_detail(cat: Catalog, framework_id: str, ref: str) -> ItemDetail:
    """One item of a framework, by the framework's own numbering."""
    fw = framework_of(cat, framework_id)
    item = fw.item(f"{fw.id}:{ref}")
    if item is None:
        raise NotFoundError(
            "no item with this reference in the framework",
            value=ref,
            fix=did_you_mean(
                ref, [it.ref for it in fw.items], f"list them at /api/frameworks/{fw.id}"
            ),
        )
    links = _link_counts(cat)
    parents: list[ItemEntry] = []
    parent = item.parent
    while parent:
        found = cat.item(parent)
        parents.insert(0, item_entry(cat, found, links))
        parent = found.parent
    return ItemDetail(
        framework=fw.id,
        framework_name=fw.short_name,
        item=item_entry(cat, item, links),
        parents=parents,
        children=[item_entry(cat, c, links) for c in cat.children(item.id)],
        source=next(s for s in fw.sources if s.id == item.source),
        links=[link_entry(cat, ln) for ln in cat.links_of(item.id)],
        checks=cat.checks_for(item.id),
        questions=cat.questions_for(item.id),
    )


def crosswalk(cat: Catalog, source: str, target: str) -> Crosswalk:
    """The links between two frameworks, read from ``source``."""
    a = query_framework(cat, source, "from")
    b = query_framework(cat, target, "to")
    return Crosswalk(
        source=a.id,
        source_name=a.short_name,
        target=b.id,
        target_name=b.short_name,
        links=[link_entry(cat, ln) for ln in cat.crosswalk(a.id, b.id)],
    )


def theme_summaries(cat: Catalog) -> list[ThemeSummary]:
    """The themes (and the RISK tag), with their item counts per framework."""
    out = []
    for th in [*cat.themes, *cat.tags]:
        per = {
            fw.id: n
            for fw in cat.frameworks.values()
            if (n := sum(th.id in it.themes or th.id in it.tags for it in fw.items))
        }
        out.append(
            ThemeSummary(
                id=th.id,
                title=th.title,
                description=th.description,
                items=sum(per.values()),
                frameworks=per,
            )
        )
    return out
