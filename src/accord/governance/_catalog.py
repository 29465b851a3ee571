"""Load the governance catalog from its YAML data, validate it, and look things up in it."""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.core import DataError, UsageError, did_you_mean
from accord.governance._models import (
    INVERSE_MATCH,
    TAG_IDS,
    THEME_IDS,
    ChecklistQuestion,
    CheckType,
    Framework,
    Item,
    Link,
    Theme,
)

#: A summary is one line: longer text belongs in the source, not the catalog.
MAX_SUMMARY = 240


@dataclass(frozen=True)
class Catalog:
    """The frameworks, themes, crosswalk links, process checklist and check-type mapping."""

    frameworks: dict[str, Framework]
    themes: list[Theme]
    tags: list[Theme]
    links: list[Link]
    checklist: list[ChecklistQuestion]
    checks: list[CheckType]
    _items: dict[str, Item] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for fw in self.frameworks.values():
            for it in fw.items:
                self._items.setdefault(it.id, it)

    # -- frameworks and items -----------------------------------------------------------

    def framework(self, framework_id: str) -> Framework:
        """Return the framework with this id (case-insensitive).

        Examples
        --------
        >>> load_catalog().framework("eu" + "aia").short_name
        'EU AI Act'
        """
        for key, fw in self.frameworks.items():
            if key.lower() == framework_id.lower():
                return fw
        raise UsageError(
            "unknown framework",
            value=framework_id,
            fix=did_you_mean(
                framework_id, list(self.frameworks), "list them with 'accord frameworks list'"
            ),
        )

    def item(self, item_id: str) -> Item:
        """Return the item with this full id (``FRAMEWORK:ref``).

        Examples
        --------
        >>> load_catalog().item("NIST-RMF:MEASURE-2.11").title
        'Fairness and bias'
        """
        found = self.find_item(item_id)
        if found is None:
            raise UsageError(
                "unknown requirement id",
                value=item_id,
                fix=did_you_mean(
                    item_id, list(self._items), "find ids with 'accord frameworks search TEXT'"
                ),
            )
        return found

    def find_item(self, item_id: str) -> Item | None:
        """Return the item with this id, or None (case-insensitive on the framework key)."""
        if item_id in self._items:
            return self._items[item_id]
        if ":" in item_id:
            fw, ref = item_id.split(":", 1)
            for key in self.frameworks:
                if key.lower() == fw.lower():
                    return self._items.get(f"{key}:{ref}")
        return None

    def items(self, frameworks: Iterable[str] | None = None) -> Iterator[Item]:
        """Iterate over every item, framework by framework, in catalog order."""
        wanted = None if frameworks is None else {self.framework(f).id for f in frameworks}
        for fw in self.frameworks.values():
            if wanted is None or fw.id in wanted:
                yield from fw.items

    def children(self, item_id: str) -> list[Item]:
        """Return the items whose parent is ``item_id``."""
        return [it for it in self._items.values() if it.parent == item_id]

    def search(self, text: str) -> list[Item]:
        """Find the items whose id, title, summary or note contain every word of ``text``.

        Examples
        --------
        >>> [i.id for i in load_catalog().search("four-fifths")]
        ['EEOC-UGESP:1607.4(D)']
        """
        words = [w.lower() for w in text.split() if w.strip()]
        if not words:
            raise UsageError("the search text is empty", fix="give one or more words")
        scored: list[tuple[int, int, Item]] = []
        for n, it in enumerate(self._items.values()):
            hay_title = f"{it.id} {it.title}".lower()
            hay = f"{hay_title} {it.summary} {it.note or ''}".lower()
            if all(w in hay for w in words):
                # Title hits first, then catalog order: a stable, explainable ranking.
                scored.append((-sum(w in hay_title for w in words), n, it))
        return [it for _, _, it in sorted(scored, key=lambda s: (s[0], s[1]))]

    # -- themes ---------------------------------------------------------------------------

    def theme(self, theme_id: str) -> Theme:
        """Return the theme (or tag) with this id, case-insensitive; titles are accepted too."""
        for th in [*self.themes, *self.tags]:
            if theme_id.lower() in (th.id.lower(), th.title.lower()):
                return th
        raise UsageError(
            "unknown theme",
            value=theme_id,
            fix=did_you_mean(
                theme_id.upper(),
                [t.id for t in [*self.themes, *self.tags]],
                "themes are: " + ", ".join(t.id for t in self.themes),
            ),
        )

    def items_with_theme(
        self, theme_id: str, frameworks: Iterable[str] | None = None
    ) -> list[Item]:
        """Return the items carrying a theme (or the RISK tag)."""
        th = self.theme(theme_id).id
        return [it for it in self.items(frameworks) if th in it.themes or th in it.tags]

    # -- crosswalk ------------------------------------------------------------------------

    def links_of(self, item_id: str) -> list[Link]:
        """Return every link touching an item, oriented so that the item is the source."""
        out = []
        for ln in self.links:
            if ln.source == item_id:
                out.append(ln)
            elif ln.target == item_id:
                out.append(_reverse(ln))
        return out

    def crosswalk(self, source: str, target: str) -> list[Link]:
        """Return the links between two frameworks, oriented from ``source`` to ``target``.

        Examples
        --------
        >>> links = load_catalog().crosswalk("NIST-RMF", "ISO42001")
        >>> all(ln.source.startswith("NIST-RMF:") for ln in links)
        True
        """
        a, b = self.framework(source).id, self.framework(target).id
        out = []
        for ln in self.links:
            fa, fb = _fw(ln.source), _fw(ln.target)
            if (fa, fb) == (a, b):
                out.append(ln)
            elif (fa, fb) == (b, a):
                out.append(_reverse(ln))
        return sorted(out, key=lambda ln: (ln.source, ln.target))

    # -- checks and checklist -----------------------------------------------------------

    def check_type(self, name: str) -> CheckType | None:
        """Return the check type named ``name``: by id, then by alias, then by alias pattern."""
        for ct in self.checks:
            if ct.id == name:
                return ct
        for ct in self.checks:
            if name in ct.aliases:
                return ct
        for ct in self.checks:
            if any(fnmatch.fnmatchcase(name, a) for a in ct.aliases if _is_glob(a)):
                return ct
        return None

    def questions_for(self, item_id: str) -> list[ChecklistQuestion]:
        """Return the process-check questions linked to a requirement."""
        return [q for q in self.checklist if item_id in q.requirements]

    def question(self, question_id: str) -> ChecklistQuestion | None:
        """Return the checklist question with this id."""
        return next((q for q in self.checklist if q.id == question_id), None)

    def checks_for(self, item_id: str) -> list[CheckType]:
        """Return the check types whose result is evidence for a requirement."""
        return [ct for ct in self.checks if item_id in ct.requirements]


def requirements_for_check(check_type: str) -> list[str]:
    """Return the requirement ids a check type is evidence for (empty when unknown).

    Parameters
    ----------
    check_type
        A check type such as ``fairness.selection_rate.ratio``, ``privacy.k_anonymity``,
        ``inclusion.representation`` or a preset (``four-fifths``, ``nyc-ll144``, ...).
        Aliases and ``<area>.<metric>.<measure>`` forms such as ``fairness.fpr.ratio``
        resolve to their check type.

    Examples
    --------
    >>> "EEOC-UGESP:1607.4(D)" in requirements_for_check("four-fifths")
    True
    >>> requirements_for_check("no.such.check")
    []
    """
    ct = load_catalog().check_type(check_type)
    return list(ct.requirements) if ct else []


def _fw(item_id: str) -> str:
    return item_id.split(":", 1)[0]


def _reverse(ln: Link) -> Link:
    return Link(
        source=ln.target, target=ln.source, match=INVERSE_MATCH[ln.match], rationale=ln.rationale
    )


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


# -- loading --------------------------------------------------------------------------------


def data_dir() -> Traversable:
    """Return the packaged catalog data (``accord/governance/data``).

    Examples
    --------
    >>> sorted(p.name for p in data_dir().iterdir() if p.name.endswith(".yaml"))
    ['catalog.yaml', 'checklist.yaml', 'checks.yaml', 'crosswalk.yaml', 'themes.yaml']
    >>> (data_dir() / "frameworks" / "nist-rmf.yaml").is_file()
    True
    """
    return files("accord.governance") / "data"


@functools.cache
def load_catalog(*extra: Path) -> Catalog:
    """Load, validate and cache the catalog: the packaged data plus extra framework files.

    Parameters
    ----------
    *extra
        Extra framework YAML files (or directories of them) to load beside the packaged ones.

    Raises
    ------
    DataError
        When the data break a rule of the schema (see :func:`validate`).

    Examples
    --------
    >>> cat = load_catalog()
    >>> len([i for i in cat.items(["NIST-RMF"]) if i.kind == "subcategory"])
    72
    """
    root = data_dir()
    sources: list[tuple[str, Any]] = []
    fw_dir = root / "frameworks"
    for entry in sorted(fw_dir.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            sources.append((f"frameworks/{entry.name}", _yaml(entry)))
    for path in extra:
        paths = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        sources += [(str(p), _yaml(p)) for p in paths]
    raw = {
        name: _yaml(root / f"{name}.yaml")
        for name in ("catalog", "themes", "crosswalk", "checklist", "checks")
    }
    catalog, problems = build_catalog(sources, raw)
    problems += validate(catalog)
    if problems:
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise DataError(
            f"the governance catalog is invalid: {shown}",
            fix="correct the YAML data (see docs/governance.md)",
        )
    return catalog


def _yaml(entry: Traversable | Path) -> Any:
    try:
        return yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(
            f"cannot parse {entry.name}: {exc}", fix="correct the YAML syntax"
        ) from None


def build_catalog(
    framework_sources: list[tuple[str, Any]], raw: dict[str, Any]
) -> tuple[Catalog, list[str]]:
    """Turn parsed YAML into a Catalog; returns it with the problems found while parsing."""
    problems: list[str] = []
    frameworks: dict[str, Framework] = {}
    for name, data in framework_sources:
        fw = _framework(name, data, problems)
        if fw is None:
            continue
        if fw.id in frameworks:
            problems.append(f"{name}: framework id {fw.id!r} is used twice")
            continue
        frameworks[fw.id] = fw
    order = list((raw.get("catalog") or {}).get("order") or [])
    rank = {f: n for n, f in enumerate(order)}
    frameworks = dict(
        sorted(frameworks.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    )
    themes = _many(Theme, (raw["themes"] or {}).get("themes"), "themes.yaml", problems)
    tags = _many(Theme, (raw["themes"] or {}).get("tags"), "themes.yaml", problems)
    links = _many(Link, (raw["crosswalk"] or {}).get("links"), "crosswalk.yaml", problems)
    checklist = _many(
        ChecklistQuestion, (raw["checklist"] or {}).get("questions"), "checklist.yaml", problems
    )
    checks = _many(CheckType, (raw["checks"] or {}).get("checks"), "checks.yaml", problems)
    return Catalog(frameworks, themes, tags, links, checklist, checks), problems


def _many(model: Any, rows: Any, where: str, problems: list[str]) -> list[Any]:
    out = []
    for n, row in enumerate(rows or []):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            problems.append(f"{where} entry {n + 1}: {_first_error(exc)}")
    return out


def _framework(name: str, data: Any, problems: list[str]) -> Framework | None:
    if not isinstance(data, dict) or "id" not in data:
        problems.append(f"{name}: not a framework file (no 'id')")
        return None
    data = dict(data)
    fid = str(data["id"])
    defaults = data.pop("defaults", None) or {}
    items = []
    for n, row in enumerate(data.get("items") or []):
        if not isinstance(row, dict) or "ref" not in row:
            problems.append(f"{name}: item {n + 1} has no 'ref'")
            continue
        row = {**defaults, **row}
        row["ref"] = str(row["ref"])
        row["id"] = f"{fid}:{row['ref']}"
        row["framework"] = fid
        if row.get("parent") is not None:
            row["parent"] = f"{fid}:{row['parent']}"
        items.append(row)
    data["items"] = items
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        problems.append(f"{name}: {_first_error(exc)}")
        return None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" + (
        f" ({len(exc.errors())} errors)" if exc.error_count() > 1 else ""
    )


def validate(catalog: Catalog) -> list[str]:
    """Check every rule the catalog must keep; return the broken ones (empty when valid).

    Rules: unique framework, item, question and check ids; parents and sources exist;
    themes and tags are known; summaries are one line; every crosswalk link, checklist
    requirement and check requirement points at an existing item; no link is repeated.
    Dates and the presence of a verification status and a source are enforced by the
    models when the data are parsed.

    Examples
    --------
    >>> from dataclasses import replace
    >>> catalog = load_catalog()
    >>> validate(catalog)
    []
    >>> [p.endswith("is repeated") for p in validate(replace(catalog, links=[*catalog.links,
    ...                                                                   catalog.links[0]]))]
    [True]
    """
    problems: list[str] = []
    seen: dict[str, str] = {}
    theme_ids = {t.id for t in catalog.themes}
    if theme_ids != set(THEME_IDS):
        problems.append(f"themes.yaml must define exactly {', '.join(THEME_IDS)}")
    for fw in catalog.frameworks.values():
        source_ids = {s.id for s in fw.sources}
        if fw.source not in source_ids:
            problems.append(f"{fw.id}: framework source {fw.source!r} is not among its sources")
        refs = {it.id for it in fw.items}
        for it in fw.items:
            if it.id in seen:
                problems.append(f"item id {it.id!r} is used twice")
            seen[it.id] = fw.id
            if it.parent is not None and it.parent not in refs:
                problems.append(f"{it.id}: parent {it.parent!r} does not exist")
            if it.source not in source_ids:
                problems.append(f"{it.id}: source {it.source!r} is not among {fw.id}'s sources")
            for th in it.themes:
                if th not in THEME_IDS:
                    problems.append(f"{it.id}: unknown theme {th!r}")
            for tg in it.tags:
                if tg not in TAG_IDS:
                    problems.append(f"{it.id}: unknown tag {tg!r}")
            if "\n" in it.summary or len(it.summary) > MAX_SUMMARY:
                problems.append(
                    f"{it.id}: the summary must be one line of at most {MAX_SUMMARY} characters"
                )
    pairs: set[tuple[str, str]] = set()
    for ln in catalog.links:
        for end in (ln.source, ln.target):
            if end not in seen:
                problems.append(
                    f"crosswalk link {ln.source} -> {ln.target}: {end!r} does not exist"
                )
        if ln.source == ln.target:
            problems.append(f"crosswalk link {ln.source} points at itself")
        key = tuple(sorted((ln.source, ln.target)))
        if key in pairs:
            problems.append(f"crosswalk link {ln.source} -> {ln.target} is repeated")
        pairs.add(key)  # type: ignore[arg-type]
    for kind, rows in (("checklist question", catalog.checklist), ("check", catalog.checks)):
        ids = [r.id for r in rows]
        for dup in {i for i in ids if ids.count(i) > 1}:
            problems.append(f"{kind} id {dup!r} is used twice")
        for r in rows:
            for req in r.requirements:
                if req not in seen:
                    problems.append(f"{kind} {r.id}: requirement {req!r} does not exist")
    names = [n for ct in catalog.checks for n in [ct.id, *ct.aliases]]
    for dup in {n for n in names if names.count(n) > 1}:
        problems.append(f"check name {dup!r} is used by two check types")
    return problems
