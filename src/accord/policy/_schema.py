"""The JSON Schema of the policy file, as published in ``schemas/policy.schema.json``."""

from __future__ import annotations

from typing import Any

from accord.policy._model import Policy


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``accord.yaml`` (version 1), generated from the model.

    Examples
    --------
    >>> json_schema()["properties"]["version"]["const"]
    1
    """
    schema: dict[str, Any] = Policy.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:accord:schema:policy:1"
    schema["title"] = "accord policy (accord.yaml)"
    return schema
