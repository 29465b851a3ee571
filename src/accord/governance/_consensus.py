"""How the frameworks treat one theme, side by side: common ground and differences."""

from __future__ import annotations

from pydantic import Field

from accord.governance._catalog import Catalog, load_catalog
from accord.governance._models import Frozen as _Frozen

#: Link types that mean two items ask for the same thing, or one contains the other.
AGREEING = frozenset({"exact", "close", "broad", "narrow"})


class ItemRef(_Frozen):
    """A short reference to a catalog item."""

    id: str
    title: str
    summary: str


class Stance(_Frozen):
    """What one framework says on a theme."""

    framework: str
    short_name: str
    binding: str
    instrument_type: str
    items: list[ItemRef]


class CommonGround(_Frozen):
    """Items of several frameworks joined by exact, close, broader or narrower links."""

    frameworks: list[str]
    items: list[ItemRef]
    links: list[str] = Field(description="The links that join them, as 'A <match> B'.")


class Consensus(_Frozen):
    """The frameworks' treatment of one theme, with common ground and differences."""

    theme: str
    theme_title: str
    stances: list[Stance]
    common_ground: list[CommonGround]
    silent: list[str] = Field(description="Frameworks with no item on the theme.")
    binding: list[str] = Field(description="Frameworks that speak to it with binding force.")
    voluntary: list[str]
    unique: list[ItemRef] = Field(description="Items on the theme linked to no other framework.")


def _ref(cat: Catalog, item_id: str) -> ItemRef:
    it = cat.item(item_id)
    return ItemRef(id=it.id, title=it.title, summary=it.summary)


def consensus(theme: str, catalog: Catalog | None = None) -> Consensus:
    """Compare how every framework treats one theme.

    Common ground is each group of items, from two or more frameworks, that crosswalk links
    of type exact, close, broad or narrow join; differences are the frameworks that are
    silent, the split between binding and voluntary instruments, and items no other
    framework matches.

    Examples
    --------
    >>> c = consensus("FAIR")
    >>> "EUAIA" in c.binding and "OECD" in c.voluntary
    True
    """
    cat = catalog or load_catalog()
    th = cat.theme(theme)
    on_theme = {it.id: it for it in cat.items_with_theme(th.id)}
    stances = []
    for fw in cat.frameworks.values():
        items = [_ref(cat, it.id) for it in fw.items if it.id in on_theme]
        stances.append(
            Stance(
                framework=fw.id,
                short_name=fw.short_name,
                binding=fw.binding,
                instrument_type=fw.instrument_type,
                items=items,
            )
        )
    # Union-find over agreeing links between items of the theme.
    parent = {i: i for i in on_theme}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joined: dict[str, list[str]] = {}
    linked_across: set[str] = set()
    for ln in cat.links:
        if ln.source in on_theme and ln.target in on_theme:
            if on_theme[ln.source].framework != on_theme[ln.target].framework:
                linked_across.update((ln.source, ln.target))
            if ln.match in AGREEING:
                parent[find(ln.source)] = find(ln.target)
    for ln in cat.links:
        if ln.source in on_theme and ln.target in on_theme and ln.match in AGREEING:
            joined.setdefault(find(ln.source), []).append(f"{ln.source} {ln.match} {ln.target}")
    groups: dict[str, list[str]] = {}
    for i in on_theme:
        groups.setdefault(find(i), []).append(i)
    common = []
    for root, members in groups.items():
        fws = sorted({on_theme[m].framework for m in members})
        if len(fws) >= 2:
            common.append(
                CommonGround(
                    frameworks=fws,
                    items=[_ref(cat, m) for m in members],
                    links=joined.get(root, []),
                )
            )
    common.sort(key=lambda g: (-len(g.frameworks), g.items[0].id))
    speaking = [s for s in stances if s.items]
    return Consensus(
        theme=th.id,
        theme_title=th.title,
        stances=stances,
        common_ground=common,
        silent=[s.framework for s in stances if not s.items],
        binding=[s.framework for s in speaking if s.binding in ("yes", "partial")],
        voluntary=[s.framework for s in speaking if s.binding == "no"],
        unique=[
            _ref(cat, i)
            for i in on_theme
            if i not in linked_across and on_theme[i].kind not in ("function", "category", "area")
        ],
    )


def theme_matrix(catalog: Catalog | None = None) -> dict[str, dict[str, int]]:
    """Count, per framework and theme, the items carrying the theme.

    Examples
    --------
    >>> theme_matrix()["NIST-RMF"]["SUST"] >= 1
    True
    """
    cat = catalog or load_catalog()
    out: dict[str, dict[str, int]] = {}
    for fw in cat.frameworks.values():
        row = {t.id: 0 for t in cat.themes}
        for it in fw.items:
            for t in it.themes:
                row[t] += 1
        out[fw.id] = row
    return out
