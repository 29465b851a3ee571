"""The JSON Schema of the policy file, as published in ``schemas/policy.schema.json``."""

from __future__ import annotations

from typing import Any

from accord.core import published_schema
from accord.policy._model import Policy


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``accord.yaml`` (version 1), generated from the model.

    Examples
    --------
    >>> json_schema()["properties"]["version"]["const"]
    1
    """
    return published_schema(
        Policy,
        "urn:accord:schema:policy:1",
        mode="validation",
        title="accord policy (accord.yaml)",
    )
