"""Property-based fuzzing of every API operation from the OpenAPI document: no input makes
the server fail with a 5xx, and every error keeps the one error shape."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from accord.registry import Registry
from accord.server import create_app
from registry_support import make_result


def _app() -> tuple[object, str]:
    tmp = Path(tempfile.mkdtemp(prefix="accord-fuzz-"))
    reg = Registry(f"sqlite:///{tmp / 'r.sqlite3'}")
    reg.upgrade()
    reg.create_system("t", "alpha")
    reg.record_audit("t", "alpha", "1.0", make_result(0, bootstrap=10))
    return create_app(reg), reg.create_token("t", "fuzz", "admin").token


APP, TOKEN = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


# One test per operation, each with its own node id: schemathesis's own parametrisation
# gives all 34 operations one id, and pytest-xdist then ran one of them and dropped the rest.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed() -> None:
    labels = [op.label for op in OPERATIONS]
    assert len(labels) == len(set(labels)) >= 30
    assert {"GET /api/systems", "POST /api/audits"} <= set(labels)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_server_error(operation: Any) -> None:
    @given(operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            body = response.json()
            assert body["ok"] is False and body["status"] == response.status_code

    check()
