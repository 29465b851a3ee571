"""Countries and their UN M49 sub-regions and regions, from the table shipped as package data.

The table (``data/m49.csv``) is the United Nations Statistics Division's M49
overview; ``data/country_aliases.csv`` adds other spellings (those of UCI
Adult's native-country column among them). Reading package data is the only
file access here: the roll-up itself is a pure mapping of values.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

#: The hierarchy a country column rolls up through, finest first.
GEO_LEVELS = ("country", "subregion", "region")
SOURCE = (
    "UN M49, Standard Country or Area Codes for Statistical Use (United Nations "
    "Statistics Division, https://unstats.un.org/unsd/methodology/m49/overview/), with "
    "accord's aliases"
)
#: Share of a column's distinct values that must be country names for it to count as countries.
DETECT_SHARE = 0.8
DETECT_MIN = 3


@dataclass(frozen=True)
class Country:
    """One country or area of M49 and where it lies.

    ``added`` is empty for M49 rows, ``iso`` for an area listed in ISO 3166-1
    only, ``former`` for a former country whose successors share a sub-region.
    """

    m49: str
    iso2: str
    iso3: str
    name: str
    region: str
    subregion: str
    intermediate_region: str
    added: str

    def at(self, level: str) -> str:
        """Name the country's area at a level of the hierarchy (country, subregion, region)."""
        value: str = getattr(self, "name" if level == "country" else level)
        return value


@dataclass(frozen=True)
class CountryTable:
    """The M49 table, indexed by normalised names, aliases and codes."""

    countries: tuple[Country, ...]
    names: dict[str, Country]
    codes: dict[str, Country]

    def resolve(self, value: object, *, codes: bool = False) -> Country | None:
        """Find the country a value names, or None.

        Names, aliases and ISO alpha-3 codes always match (ignoring case,
        accents and punctuation); ISO alpha-2 and numeric M49 codes only with
        ``codes`` (two letters are too often something else, e.g. a language).

        Examples
        --------
        >>> t = country_table()
        >>> t.resolve("United-States").subregion, t.resolve("DEU").region
        ('Northern America', 'Europe')
        >>> t.resolve("DE") is None, t.resolve("DE", codes=True).name
        (True, 'Germany')
        """
        if value is None:
            return None
        text = str(value).strip()
        found = self.names.get(normalise(text))
        if found is None and codes:
            key = text.upper()
            if key.isdigit():
                key = str(int(key))
            found = self.codes.get(key)
        return found

    def names_at(self, level: str) -> set[str]:
        """List every name the table knows at a level (country, subregion or region)."""
        return {c.at(level) for c in self.countries if c.at(level)}


def normalise(text: str) -> str:
    """Fold case, accents, spaces and punctuation away, so that spellings compare equal.

    Examples
    --------
    >>> normalise("Côte d’Ivoire"), normalise("United-States")
    ('cotedivoire', 'unitedstates')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


@functools.cache
def country_table() -> CountryTable:
    """Load the shipped M49 table with its aliases (once).

    Examples
    --------
    >>> country_table().resolve("Viet Nam").subregion
    'South-eastern Asia'
    """
    rows = _read("m49.csv")
    countries = tuple(
        Country(
            m49=r["m49"],
            iso2=r["iso2"],
            iso3=r["iso3"],
            name=r["name"],
            region=r["region"],
            subregion=r["subregion"],
            intermediate_region=r["intermediate_region"],
            added=r["added"],
        )
        for r in rows
    )
    by_m49 = {c.m49: c for c in countries}
    names: dict[str, Country] = {}
    codes: dict[str, Country] = {}
    for c in countries:
        names[normalise(c.name)] = c
        if c.iso3:
            names[normalise(c.iso3)] = c
        if c.iso2:
            codes[c.iso2] = c
        codes[str(int(c.m49))] = c
    for r in _read("country_aliases.csv"):
        names[normalise(r["alias"])] = by_m49[r["m49"]]
    return CountryTable(countries=countries, names=names, codes=codes)


def looks_like_countries(values: Iterable[str], table: CountryTable | None = None) -> bool:
    """Whether most distinct values of a column are country names.

    Examples
    --------
    >>> looks_like_countries(["Mexico", "India", "Germany", "South"])
    False
    >>> looks_like_countries(["Mexico", "India", "Germany", "Japan", "South"])
    True
    """
    table = table or country_table()
    distinct = {v for v in values if v is not None}
    if not distinct:
        return False
    known = sum(table.resolve(v) is not None for v in distinct)
    return known >= DETECT_MIN and known >= DETECT_SHARE * len(distinct)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("accord.inclusion").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))
