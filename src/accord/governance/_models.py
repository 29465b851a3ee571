"""The catalog's data model: frameworks, items, themes, crosswalk links, checklist, checks."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: How an item's facts were checked: against the official text (or a verbatim consolidation of
#: it), against at least two independent secondary sources, or not yet.
Verification = Literal["primary", "secondary", "unverified"]

#: SKOS-style match types of a crosswalk link, read as "source <match> target".
MatchType = Literal["exact", "close", "broad", "narrow", "related"]

#: A link read backwards: "A is broader than B" is "B is narrower than A".
INVERSE_MATCH: dict[str, MatchType] = {
    "exact": "exact",
    "close": "close",
    "broad": "narrow",
    "narrow": "broad",
    "related": "related",
}

THEME_IDS = ("FAIR", "PRIV", "TRANS", "ACCT", "SAFE", "HUMAN", "INCL", "SUST", "COOP", "RIGHTS")
TAG_IDS = ("RISK",)


class Frozen(BaseModel):
    """Base of the governance models: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


_Frozen = Frozen


class Theme(_Frozen):
    """A common theme of the crosswalk (fairness, privacy, ...)."""

    id: str
    title: str
    description: str


class Source(_Frozen):
    """A document an item's facts were checked against."""

    id: str
    title: str
    url: str | None = None
    kind: Literal["official", "consolidation", "secondary"] = "official"


class ApplicationDate(_Frozen):
    """A date from which (part of) an instrument applies."""

    date: date
    what: str
    verification: Verification


class Item(_Frozen):
    """One requirement, principle, control or article of a framework, with its own numbering."""

    id: str = Field(description="FRAMEWORK:native-id, e.g. EUAIA:Art10(2)(f).")
    framework: str
    ref: str = Field(description="The framework's own numbering, e.g. Art10(2)(f).")
    parent: str | None = None
    kind: str = Field(description="article, principle, control, subcategory, area, ...")
    title: str
    summary: str = Field(description="A one-line paraphrase in accord's own words.")
    themes: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    duty_holder: str | None = None
    applies_from: date | None = None
    verification: Verification
    source: str = Field(description="The id of one of the framework's sources.")
    note: str | None = None

    @property
    def label(self) -> str:
        """Return the id and title, for listings."""
        return f"{self.id} {self.title}"


class Framework(_Frozen):
    """An AI governance instrument and its items."""

    id: str
    title: str
    short_name: str
    issuer: str
    jurisdiction: str
    instrument_type: str
    binding: Literal["yes", "no", "partial"]
    status: Literal["in_force", "adopted", "superseded", "lapsed", "draft"]
    adopted: date
    in_force: date | None = None
    version: str
    amended_by: list[str] = Field(default_factory=list)
    official_url: str | None = None
    text_licence: str
    verification: Verification
    source: str
    notes: list[str] = Field(default_factory=list)
    application_dates: list[ApplicationDate] = Field(default_factory=list)
    sources: list[Source]
    items: list[Item]

    def item(self, item_id: str) -> Item | None:
        """Return the item with this full id, if any."""
        for it in self.items:
            if it.id == item_id:
                return it
        return None


class Link(_Frozen):
    """An item-to-item crosswalk link: ``source`` <match> ``target``."""

    source: str
    target: str
    match: MatchType
    rationale: str


class ChecklistQuestion(_Frozen):
    """A process check in the style of AI Verify: answered yes / no / not applicable."""

    id: str
    area: str
    question: str
    expected_evidence: str
    requirements: list[str] = Field(min_length=1)


class CheckType(_Frozen):
    """One kind of check accord runs, and the requirement ids its result is evidence for."""

    id: str
    title: str
    kind: Literal["metric", "preset", "test"]
    aliases: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(min_length=1)
