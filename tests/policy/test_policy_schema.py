"""The policy format: the published JSON Schema, example policies, and errors that point at
the line and the key."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from accord.core import PolicyError, dumps
from accord.policy import PRESETS, Threshold, json_schema, load_policy, parse_policy, preset_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "policy.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


def test_policy_schema_file_matches_the_model() -> None:
    assert json.loads(SCHEMA.read_text()) == json.loads(dumps(json_schema())), (
        "schemas/policy.schema.json is stale: run python scripts/generate_schemas.py"
    )


def test_the_generator_script_publishes_the_policy_schema() -> None:
    # tests/test_schemas.py runs the script; it must list this schema to write it.
    spec = importlib.util.spec_from_file_location(
        "generate", ROOT / "scripts" / "generate_schemas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SCHEMAS["policy.schema.json"] is json_schema


def _documented_policies() -> list[tuple[str, str]]:
    found = [
        (str(p.relative_to(ROOT)), p.read_text())
        for p in sorted((ROOT / "examples").glob("*.yaml"))
    ]
    doc = (ROOT / "docs" / "policy.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    found += [
        (f"docs/policy.md block {i}", b)
        for i, b in enumerate(blocks)
        if b.lstrip().startswith(("version: 1", "# accord.yaml"))
    ]
    found += [(f"preset {name}", preset_text(name)) for name in PRESETS]
    return found


def test_the_docs_and_examples_show_policies() -> None:
    names = [n for n, _ in _documented_policies()]
    assert sum(n.startswith("examples/") for n in names) >= 4
    assert sum(n.startswith("docs/") for n in names) >= 3


@pytest.mark.parametrize(
    ("name", "text"), _documented_policies(), ids=[n for n, _ in _documented_policies()]
)
def test_every_documented_policy_validates(name: str, text: str, tmp_path: Path) -> None:
    # Against the published schema, as an editor would check it ...
    _validator().validate(yaml.safe_load(text))
    # ... and through accord, with everything it extends resolved.
    path = tmp_path / "accord.yaml"
    path.write_text(text)
    for ref in yaml.safe_load(text).get("extends", []) or []:
        if ref.endswith((".yaml", ".yml")):
            (tmp_path / ref).write_text((ROOT / "examples" / ref).read_text())
    resolved = load_policy(path)
    assert resolved.checks or resolved.policy.discover is not None


def _error(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "accord.yaml")
    return str(info.value)


def test_an_unknown_key_names_its_line_and_suggests_the_right_one() -> None:
    message = _error(
        "version: 1\nchecks:\n  - id: di\n    metric: selection_rate\n"
        "    measure: impact_ratio\n    treshold: {gte: 0.8}\n"
    )
    assert "accord.yaml" in message
    assert "line 6, key checks[0].treshold: unknown key" in message
    assert "did you mean 'threshold'?" in message


def test_a_bad_value_names_the_nested_key_and_line() -> None:
    message = _error(
        "version: 1\nchecks:\n  - id: a\n    metric: tpr\n    threshold: {lte: 1}\n"
        "  - id: b\n    metric: fpr\n    judge: middle\n    threshold: {lte: 1}\n"
    )
    assert "line 8, key checks[1].judge" in message
    assert "'point', 'ci_lower' or 'ci_upper'" in message


def test_a_misspelt_metric_is_refused_with_a_suggestion() -> None:
    message = _error(
        "version: 1\nchecks:\n  - id: a\n    metric: selction_rate\n    threshold: {gte: 0.8}\n"
    )
    assert "line 4, key checks[0].metric" in message
    assert "did you mean 'selection_rate'?" in message


def test_a_threshold_needs_a_bound_and_consistent_bounds() -> None:
    assert "at least one of gte, gt, lte, lt" in _error(
        "version: 1\nchecks:\n  - id: a\n    metric: tpr\n    threshold: {}\n"
    )
    assert "not below the upper bound" in _error(
        "version: 1\nchecks:\n  - id: a\n    metric: tpr\n    threshold: {gte: 0.5, lte: 0.2}\n"
    )


def test_options_that_do_not_fit_the_measure_are_refused() -> None:
    assert "impact_ratio is defined for" in _error(
        "version: 1\nchecks:\n  - id: a\n    metric: tpr\n    measure: impact_ratio\n"
        "    threshold: {gte: 0.8}\n"
    )
    assert "significant_only applies to" in _error(
        "version: 1\nchecks:\n  - id: a\n    metric: tpr\n    measure: value\n"
        "    significant_only: true\n    threshold: {gte: 0.8}\n"
    )


def test_duplicate_keys_and_ids_are_refused() -> None:
    assert "line 4, key data.label: the key is written twice (first on line 3)" in _error(
        "version: 1\ndata:\n  label: y\n  label: z\n"
    )
    assert "two checks have the id 'a'" in _error(
        "version: 1\nchecks:\n  - {id: a, metric: tpr, threshold: {lte: 1}}\n"
        "  - {id: a, metric: fpr, threshold: {lte: 1}}\n"
    )


def test_broken_yaml_and_a_missing_or_wrong_version() -> None:
    message = _error("version: 1\nchecks:\n  - {id: a, metric: tpr\n")
    assert "not valid YAML" in message
    assert "flow mapping that starts on line 3" in message
    assert "no 'version' key" in _error("checks: []\n")
    assert "reads policy version 1" in _error("version: 2\n")
    assert "is empty" in _error("")


def test_extends_errors_point_at_the_entry(tmp_path: Path) -> None:
    policy = tmp_path / "accord.yaml"
    policy.write_text("version: 1\nextends:\n  - four-fiths\n")
    with pytest.raises(PolicyError, match=r"accord.yaml, line 3.*unknown preset.*four-fifths"):
        load_policy(policy)
    policy.write_text("version: 1\nextends: [base.yaml]\n")
    (tmp_path / "base.yaml").write_text("version: 1\nextends: [accord.yaml]\n")
    with pytest.raises(PolicyError, match="extends itself"):
        load_policy(policy)


def test_overrides_and_parameters_are_checked(tmp_path: Path) -> None:
    policy = tmp_path / "accord.yaml"
    policy.write_text(
        "version: 1\nextends: four-fifths\noverrides:\n  four-fifth:\n    severity: warn\n"
    )
    with pytest.raises(PolicyError, match=r"line 4.*no extended policy.*'four-fifths'"):
        load_policy(policy)
    policy.write_text(
        "version: 1\nchecks:\n  - id: a\n    metric: selection_rate\n"
        "    grouping: ['${gender}']\n    threshold: {gte: 0.8}\n"
    )
    with pytest.raises(PolicyError, match=r"accord.yaml, line 3.*\$\{gender\} has no value"):
        load_policy(policy)
    assert load_policy(policy, parameters={"gender": "sex"}).checks[0].grouping == ["sex"]


def test_a_policy_changes_an_extended_check_by_override_or_by_id(tmp_path: Path) -> None:
    policy = tmp_path / "accord.yaml"
    policy.write_text(
        "version: 1\nextends: [four-fifths, equalized-odds]\noverrides:\n"
        "  four-fifths: {judge: ci_upper, severity: warn}\n"
        "  equalized-odds-fpr: {enabled: false}\nchecks:\n"
        "  - id: equalized-odds-tpr\n    metric: tpr max_min_difference\n"
        "    threshold: {lte: 0.05}\n"
    )
    resolved = load_policy(policy)
    checks = {c.id: c for c in resolved.checks}
    assert set(checks) == {"four-fifths", "equalized-odds-tpr"}
    assert (checks["four-fifths"].judge, checks["four-fifths"].severity) == ("ci_upper", "warn")
    assert checks["four-fifths"].significant_only  # untouched fields are kept
    assert checks["equalized-odds-tpr"].threshold.lte == 0.05
    # the replaced check is the policy's own now; the disabled one still comes from its preset
    assert resolved.presets == {
        "four-fifths": "four-fifths",
        "equalized-odds-fpr": "equalized-odds",
    }
    assert resolved.locations["equalized-odds-tpr"].endswith("accord.yaml:7")
    assert resolved.locations["four-fifths"].endswith("accord.yaml:4")


@given(st.floats(-5, 5), st.floats(-5, 5), st.booleans(), st.floats(-10, 10))
def test_a_threshold_holds_exactly_when_the_margin_says_so(
    a: float, b: float, strict: bool, x: float
) -> None:
    low, high = sorted((a, b))
    if low == high:
        high = low + 1.0
    t = Threshold(**({"gt": low, "lt": high} if strict else {"gte": low, "lte": high}))
    margin = t.margin(x)
    assert (margin > 0) <= t.holds(x)
    assert t.holds(x) <= (margin >= 0)
