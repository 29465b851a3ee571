"""Write the JSON Schemas that accord publishes, from the models in the code.

Run after changing a published model; tests/test_schemas.py fails when a file drifts.

    python scripts/generate_schemas.py
"""

from __future__ import annotations

from pathlib import Path

from accord.core import dumps
from accord.inclusion import json_schema as inclusion_json_schema
from accord.policy import json_schema as policy_schema
from accord.report import json_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {
    "audit-result.schema.json": json_schema,
    "inclusion-result.schema.json": inclusion_json_schema,
    "policy.schema.json": policy_schema,
}


def main() -> None:
    out = ROOT / "schemas"
    out.mkdir(exist_ok=True)
    for name, build in SCHEMAS.items():
        (out / name).write_text(dumps(build()) + "\n", encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
