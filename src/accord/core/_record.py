"""JsonRecord: the base of accord's result records, canonical JSON out and validated JSON in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel

from accord.core._jsonio import dumps

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class JsonRecord(BaseModel):
    """A pydantic model written as canonical JSON and read back validated.

    Every result accord writes to disk (audit, inclusion, privacy, anonymisation,
    PII scan) is one, so all of them round to the same 12 significant digits and
    read back the same way.

    Examples
    --------
    >>> class Point(JsonRecord):
    ...     x: float
    >>> text = Point(x=0.1 + 0.2).to_json(indent=None)
    >>> text, Point.from_json(text).x
    ('{"x": 0.3}', 0.3)
    """

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """The record as canonical JSON (floats to 12 significant digits); also written to
        ``path`` when given.
        """
        text = dumps(self.to_dict(), indent=indent)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Read a record back from its JSON (validated against the model)."""
        return cls.model_validate(json.loads(text))

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Read a record from a JSON file."""
        return cls.from_json(Path(path).read_bytes())


def published_schema(
    model: type[BaseModel],
    schema_id: str,
    *,
    mode: Literal["validation", "serialization"] = "serialization",
    title: str | None = None,
) -> dict[str, Any]:
    """The JSON Schema of ``model`` as accord publishes it in ``schemas/``: draft 2020-12,
    with its ``$id`` (and a title other than the class name, when given).

    Examples
    --------
    >>> class Point(JsonRecord):
    ...     x: float
    >>> s = published_schema(Point, "urn:accord:schema:point:1")
    >>> s["$id"], s["title"], s["required"]
    ('urn:accord:schema:point:1', 'Point', ['x'])
    """
    schema: dict[str, Any] = model.model_json_schema(mode=mode)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = schema_id
    if title is not None:
        schema["title"] = title
    return schema
