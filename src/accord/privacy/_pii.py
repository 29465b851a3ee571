"""PII detection over column values: which columns hold direct identifiers, by name and by
content, in structured columns and in free text (pure: values in, findings out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core import JsonRecord
from accord.privacy._recognizers import (
    PERSON_COLUMN_NAMES,
    RECOGNIZERS,
    Recognizer,
    _parse_date,
    find_all,
)

#: Base confidence of a match by content alone.
_BASE = {
    "EMAIL_ADDRESS": 0.9,
    "IP_ADDRESS": 0.85,
    "PHONE_NUMBER": 0.75,
    "DATE_OF_BIRTH": 0.6,
    "PERSON": 0.6,
}
_CHECKSUM_BASE = 0.95
_NAME_PREFIXES = (
    "customer",
    "patient",
    "employee",
    "client",
    "person",
    "contact",
    "full",
    "first",
    "last",
    "given",
    "family",
    "maiden",
    "middle",
    "member",
    "student",
)
_NAME_LIKE = re.compile(r"^[^\W\d_][^\d@#$%^&*=+<>{}\[\]|\\/:;]{0,60}$")


class PiiFinding(BaseModel):
    """Direct identifiers of one kind found in one column."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str
    entity: str
    kind: Literal["column", "free text"] = Field(
        description="column: most values are the identifier; free text: found inside text."
    )
    matched: int = Field(description="Sampled values holding at least one.")
    sampled: int = Field(description="Non-missing values looked at.")
    share: float = Field(description="matched / sampled.")
    confidence: float
    evidence: list[str]
    examples: list[str] = Field(description="Masked examples.")


class PiiResult(JsonRecord):
    """A scan of a table for direct identifiers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["pii"] = "pii"
    accord_version: str
    created_at: dt.datetime
    path: str | None
    rows: int
    sampled_rows: int
    columns: list[str]
    findings: list[PiiFinding]
    entities: list[str] = Field(description="Every kind of identifier looked for.")


def column_evidence(name: str) -> frozenset[str]:
    """The identifier kinds a column's name points to.

    Examples
    --------
    >>> sorted(column_evidence("Customer Name")), sorted(column_evidence("mobile_phone"))
    (['PERSON'], ['PHONE_NUMBER'])
    """
    norm = re.sub(r"[^\w]+", "_", name.strip().lower()).strip("_")
    tokens = set(norm.split("_"))
    found = {
        r.entity
        for r in RECOGNIZERS
        if norm in r.column_names or tokens & {h for h in r.column_names if "_" not in h}
    }
    if norm in PERSON_COLUMN_NAMES or any(
        norm == f"{p}_name" or norm == f"{p}name" for p in _NAME_PREFIXES
    ):
        found.add("PERSON")
    return frozenset(found)


def mask(text: str, entity: str) -> str:
    """A match with most of it hidden, fit for a report.

    Examples
    --------
    >>> mask("jane.doe@example.org", "EMAIL_ADDRESS"), mask("4111 1111 1111 1234", "CREDIT_CARD")
    ('j***@e***.org', '**** **** **** 1234')
    """
    if entity == "EMAIL_ADDRESS" and "@" in text:
        local, domain = text.rsplit("@", 1)
        tld = domain.rsplit(".", 1)[-1]
        return f"{local[:1]}***@{domain[:1]}***.{tld}"
    if entity == "PERSON":
        return " ".join(w[:1] + "***" for w in text.split())
    if entity == "IP_ADDRESS":
        sep = "." if "." in text else ":"
        return sep.join([text.split(sep)[0]] + ["*"] * (3 if sep == "." else 2))
    if entity == "DATE_OF_BIRTH":
        return (
            re.sub(r"\d", "*", text[:-4]) + text[-4:]
            if re.match(r"\d{1,2}\D", text)
            else (text[:4] + re.sub(r"\d", "*", text[4:]))
        )
    keep = 4 if sum(c.isalnum() for c in text) >= 10 else 2
    out, seen = [], 0
    for c in reversed(text):
        if c.isalnum():
            seen += 1
            out.append(c if seen <= keep else "*")
        else:
            out.append(c)
    return "".join(reversed(out))


def scan_values(
    values: Mapping[str, Sequence[Any]],
    *,
    recognizers: Sequence[Recognizer] | None = None,
    max_examples: int = 3,
) -> list[PiiFinding]:
    """Find direct identifiers in every column's values.

    Parameters
    ----------
    values
        Column name -> sampled values (None for missing).
    recognizers
        The recognisers to use (default: every registered one).
    max_examples
        Masked examples kept per finding.

    Examples
    --------
    >>> f = scan_values({"contact": ["a@example.org", "b@example.com", None]})
    >>> [(x.entity, x.kind, x.share) for x in f]
    [('EMAIL_ADDRESS', 'column', 1.0)]
    """
    findings: list[PiiFinding] = []
    for column, raw in values.items():
        present = [v for v in raw if v is not None and str(v).strip() != ""]
        if not present:
            continue
        evidence = column_evidence(column)
        texts = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in present]
        matched: dict[str, int] = {}
        whole: dict[str, int] = {}
        examples: dict[str, list[str]] = {}
        for text in texts:
            seen: set[str] = set()
            for m in find_all(text, recognizers, evidence):
                if m.entity not in seen:
                    seen.add(m.entity)
                    matched[m.entity] = matched.get(m.entity, 0) + 1
                    if len(m.text) >= 0.8 * len(text.strip()):
                        whole[m.entity] = whole.get(m.entity, 0) + 1
                    ex = examples.setdefault(m.entity, [])
                    if len(ex) < max_examples:
                        ex.append(mask(m.text, m.entity))
        if "DATE_OF_BIRTH" in evidence:
            dates = [
                t
                for v, t in zip(present, texts, strict=True)
                if isinstance(v, dt.date) or _parse_date(t) is not None
            ]
            if dates:
                matched["DATE_OF_BIRTH"] = whole["DATE_OF_BIRTH"] = len(dates)
                examples["DATE_OF_BIRTH"] = [
                    mask(t[:10], "DATE_OF_BIRTH") for t in dates[:max_examples]
                ]
        if "PERSON" in evidence:
            names = [t for t in texts if _NAME_LIKE.match(t.strip()) and len(t.split()) <= 5]
            if names:
                matched["PERSON"] = whole["PERSON"] = len(names)
                examples["PERSON"] = [mask(t, "PERSON") for t in names[:max_examples]]
        checksum = {r.entity for r in (recognizers or RECOGNIZERS) if r.checksum}
        for entity, count in sorted(matched.items(), key=lambda kv: -kv[1]):
            share = count / len(texts)
            is_column = whole.get(entity, 0) >= 0.5 * len(texts)
            base = _CHECKSUM_BASE if entity in checksum else _BASE.get(entity, 0.7)
            reasons = ["checksum" if entity in checksum else "pattern"]
            if entity in evidence:
                base = 1.0 - (1.0 - base) / 2.0
                reasons.append("column name")
            if entity == "PERSON":
                reasons = ["column name", "name-like values"]
                base = 0.9 if share >= 0.5 else 0.6
            if not is_column and entity not in checksum and share < 0.05:
                base *= 0.8
            findings.append(
                PiiFinding(
                    column=column,
                    entity=entity,
                    kind="column" if is_column else "free text",
                    matched=count,
                    sampled=len(texts),
                    share=share,
                    confidence=round(base, 3),
                    evidence=reasons,
                    examples=examples[entity],
                )
            )
    return findings
