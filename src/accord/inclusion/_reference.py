"""Reference populations: who a system's data should represent, as group shares or counts.

A reference is written as CSV or YAML (see docs/inclusion.md), or given as a
Python mapping. This module reads the small reference file itself, with the
standard library (csv, yaml); the statistics stay pure.

CSV: one row per group; columns ``group`` and ``share`` or ``count``, and
optionally ``attribute`` (the group column it is about) and ``level``
(``value``, or for a country column ``country``, ``subregion`` or
``region``). Lines starting with ``#`` are comments.

YAML::

    name: ...
    source: ...
    populations:
      - attribute: native_country
        level: region
        counts: {Americas: 236243790, Asia: 4979037}
      - attribute: sex
        shares: {Male: 0.49, Female: 0.51}
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from accord.core import UsageError, did_you_mean

Level = Literal["value", "country", "subregion", "region"]
LEVELS = ("value", "country", "subregion", "region")
#: Shares may sum to 1 within this tolerance (rounded percentages); they are then rescaled.
SHARE_TOLERANCE = 0.01
#: Reference populations shipped with accord, by name.
BUNDLED = {"us-census-1990": "us-census-1990.yaml"}


class ReferencePopulation(BaseModel):
    """The groups of one attribute in the population a system should represent.

    Examples
    --------
    >>> r = ReferencePopulation(attribute="sex", kind="count", groups={"F": 3, "M": 1})
    >>> r.shares()
    {'F': 0.75, 'M': 0.25}
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    attribute: str
    level: Level = "value"
    kind: Literal["count", "share"]
    groups: dict[str, float] = Field(description="Group -> count or share, in file order.")
    name: str | None = None
    source: str | None = None
    notes: str | None = None

    def shares(self) -> dict[str, float]:
        """Return each group's share of the reference population (summing to 1)."""
        total = sum(self.groups.values())
        return {g: v / total for g, v in self.groups.items()}


ReferenceSpec = (
    str
    | Path
    | ReferencePopulation
    | Sequence[ReferencePopulation]
    | Mapping[str, Mapping[str, float]]
)


def load_reference(
    spec: ReferenceSpec, *, groups: Sequence[str] = ()
) -> list[ReferencePopulation]:
    """Read reference populations from a file, a bundled name, or a mapping.

    Parameters
    ----------
    spec
        A ``.csv``, ``.yaml`` or ``.yml`` path; the name of a bundled reference
        (``us-census-1990``); a mapping ``{attribute: {group: share or count}}``;
        or ReferencePopulation objects.
    groups
        The audit's group attributes: a CSV without an ``attribute`` column is
        about the only one of them.

    Examples
    --------
    >>> [r.attribute for r in load_reference("us-census-1990")]
    ['native_country', 'sex', 'race']
    >>> load_reference({"sex": {"F": 0.5, "M": 0.5}})[0].kind
    'share'
    """
    if isinstance(spec, ReferencePopulation):
        return [spec]
    if isinstance(spec, Mapping):
        return [
            _population({"attribute": a, _kind_of(g): dict(g)}, "the reference mapping")
            for a, g in spec.items()
        ]
    if isinstance(spec, str | Path):
        return _load_path(spec, groups)
    if isinstance(spec, Sequence):
        pops = [r for r in spec if isinstance(r, ReferencePopulation)]
        if len(pops) == len(spec):
            return pops
    raise UsageError(
        "a reference population is a file path, a bundled name or a mapping "
        "{attribute: {group: share}}",
        value=type(spec).__name__,
    )


def _load_path(spec: str | Path, groups: Sequence[str]) -> list[ReferencePopulation]:
    text = str(spec)
    if text in BUNDLED:
        name = BUNDLED[text]
        body = resources.files("accord.inclusion").joinpath("data", "references", name)
        return parse_yaml(body.read_text("utf-8"), origin=text)
    path = Path(spec)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise UsageError(
            "a reference population is a .csv or .yaml file, or a bundled name",
            value=text,
            fix=did_you_mean(text, BUNDLED, f"bundled references are: {', '.join(BUNDLED)}"),
        )
    if not path.is_file():
        raise UsageError("reference file not found", value=text, fix="check the path")
    body_text = path.read_text(encoding="utf-8")
    if suffix == ".csv":
        return parse_csv(body_text, origin=text, groups=groups)
    return parse_yaml(body_text, origin=text)


def parse_yaml(text: str, *, origin: str) -> list[ReferencePopulation]:
    """Parse reference populations from YAML text (see the module's docstring).

    Examples
    --------
    >>> parse_yaml("attribute: sex" + chr(10) + "counts: {F: 2, M: 2}", origin="x")[0].shares()
    {'F': 0.5, 'M': 0.5}
    """
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(
            f"the reference file is not valid YAML: {exc}".splitlines()[0], value=origin
        ) from None
    if not isinstance(data, dict):
        raise UsageError(
            "the reference file must hold a mapping",
            value=origin,
            fix="see docs/inclusion.md for the format",
        )
    common = {k: data.get(k) for k in ("name", "source")}
    items = data.get("populations", [data] if "attribute" in data else None)
    if not isinstance(items, list) or not items:
        raise UsageError(
            "the reference file lists no population",
            value=origin,
            fix="give 'populations:' a list of {attribute, counts or shares}",
        )
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise UsageError("each population must be a mapping", value=origin)
        fields = {k: v for k, v in item.items() if k not in ("name", "source")}
        fields.update({k: item.get(k, common[k]) for k in ("name", "source")})
        out.append(_population(fields, origin))
    _no_repeats(out, origin)
    return out


def parse_csv(text: str, *, origin: str, groups: Sequence[str] = ()) -> list[ReferencePopulation]:
    """Parse reference populations from CSV text (see the module's docstring).

    Examples
    --------
    >>> text = chr(10).join(["group,share", "F,0.5", "M,0.5"])
    >>> parse_csv(text, origin="x", groups=["sex"])[0].attribute
    'sex'
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [h.strip() for h in reader.fieldnames or []]
    kinds = [k for k in ("count", "share") if k in header]
    if "group" not in header or len(kinds) != 1:
        raise UsageError(
            "a reference CSV needs a 'group' column and one of 'count' or 'share'",
            value=header,
            fix="e.g. the header group,share",
        )
    kind = kinds[0]
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for row in reader:
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        attribute = row.get("attribute") or _only(groups, origin)
        level = row.get("level") or "value"
        entry = by_key.setdefault(
            (attribute, level), {"attribute": attribute, "level": level, kind + "s": {}}
        )
        group = row["group"]
        if group in entry[kind + "s"]:
            raise UsageError(
                "a group is listed twice in the reference",
                value=group,
                fix=f"list each group once per attribute in {origin}",
            )
        entry[kind + "s"][group] = row[kind]
    return [_population(e, origin) for e in by_key.values()]


def _only(groups: Sequence[str], origin: str) -> str:
    if len(groups) != 1:
        raise UsageError(
            "the reference CSV has no 'attribute' column, so accord cannot tell "
            "which group column it is about",
            value=origin,
            fix="add an 'attribute' column naming the group column of each row",
        )
    return groups[0]


def _kind_of(groups: Mapping[str, float]) -> str:
    values = [float(v) for v in groups.values()]
    is_share = all(v <= 1 for v in values) and abs(sum(values) - 1) <= SHARE_TOLERANCE
    return "shares" if is_share else "counts"


def _population(fields: dict[str, Any], origin: str) -> ReferencePopulation:
    attribute = fields.get("attribute")
    if not isinstance(attribute, str) or not attribute:
        raise UsageError(
            "a reference population does not name its attribute",
            value=origin,
            fix="add 'attribute: COLUMN'",
        )
    level = fields.get("level") or "value"
    if level not in LEVELS:
        raise UsageError(
            "unknown level of a reference population",
            column=attribute,
            value=level,
            fix=f"use one of {', '.join(LEVELS)}",
        )
    kinds = [k for k in ("counts", "shares") if k in fields]
    if len(kinds) != 1 or not isinstance(fields[kinds[0]], Mapping) or not fields[kinds[0]]:
        raise UsageError(
            "a reference population needs either 'counts' or 'shares': a "
            "mapping of group to number",
            column=attribute,
            value=origin,
        )
    kind = kinds[0]
    values: dict[str, float] = {}
    for group, raw in fields[kind].items():
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise UsageError(
                f"a reference {kind[:-1]} is not a number",
                column=attribute,
                value=f"{group}: {raw}",
            ) from None
        if not math.isfinite(number) or number <= 0:
            raise UsageError(
                f"a reference {kind[:-1]} must be positive",
                column=attribute,
                value=f"{group}: {raw}",
                fix="drop groups that have no one in the reference population",
            )
        values[str(group)] = number
    if kind == "shares" and abs(sum(values.values()) - 1) > SHARE_TOLERANCE:
        raise UsageError(
            f"reference shares sum to {sum(values.values()):.4g}, not 1",
            column=attribute,
            fix="give shares that sum to 1, or give counts",
        )
    extra = set(fields) - {"attribute", "level", "counts", "shares", "name", "source", "notes"}
    if extra:
        raise UsageError(
            "unknown field in a reference population",
            column=attribute,
            value=sorted(extra)[0],
            fix="fields are attribute, level, counts or shares, name, source, notes",
        )
    return ReferencePopulation(
        attribute=attribute,
        level=cast(Level, level),
        kind="count" if kind == "counts" else "share",
        groups=values,
        name=fields.get("name"),
        source=fields.get("source"),
        notes=fields.get("notes"),
    )


def _no_repeats(pops: list[ReferencePopulation], origin: str) -> None:
    seen = set()
    for p in pops:
        if (p.attribute, p.level) in seen:
            raise UsageError(
                "two reference populations for the same attribute and level",
                column=p.attribute,
                value=p.level,
                fix=f"merge them in {origin}",
            )
        seen.add((p.attribute, p.level))
