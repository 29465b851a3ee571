"""Classification scenarios (answer files with expected tier and obligations) and rules
that hold for every combination of answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core import UsageError
from accord.governance import (
    ANNEX_III,
    QUESTIONS,
    QUESTIONS_BY_ID,
    classify,
    load_catalog,
    normalise_answers,
)

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_there_are_at_least_forty_scenarios_covering_every_area() -> None:
    assert len(SCENARIOS) >= 40
    answers = [load(p)["answers"] for p in SCENARIOS]
    art5 = {q.id for q in QUESTIONS if q.id.startswith("art5.") and q.kind == "bool"}
    practices = {k for a in answers for k, v in a.items() if k in art5 and v is True}
    assert practices >= art5 - {"art5.emotion_medical_safety"}
    areas = {p.split("(")[0] for a in answers for p in a.get("annex3.uses", [])}
    assert areas == {"1", "2", "3", "4", "5", "6", "7", "8"}
    conditions = {a.get("art6_3.condition") for a in answers} - {None, "none"}
    assert conditions == {
        "narrow_procedural",
        "improve_human_result",
        "detect_patterns",
        "preparatory",
    }
    assert any(a.get("art6_3.profiling") for a in answers)
    assert any(a.get("gpai.model") for a in answers)
    assert any(load(p)["expect"].get("tier") == "minimal" for p in SCENARIOS)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path) -> None:
    spec = load(path)
    expect = spec["expect"]
    result = classify(spec["answers"])
    got = {o.requirement: o for o in result.obligations}
    simple = {
        "tier": result.tier,
        "route": result.high_risk_route,
        "annex_i_section": result.annex_i_section,
        "annex_iii_points": result.annex_iii_points,
        "derogation": result.derogation,
        "gpai": result.gpai,
        "nyc_ll144": result.nyc_ll144,
        "prohibited": result.prohibited_practices,
        "transparency": result.transparency,
    }
    for key, value in simple.items():
        if key in expect:
            assert value == expect[key], f"{key}: expected {expect[key]!r}, got {value!r}"
    missing = [r for r in expect.get("obligations", []) if r not in got]
    assert not missing, f"missing obligations {missing}; got {sorted(got)}"
    unexpected = [r for r in expect.get("absent", []) if r in got]
    assert not unexpected, f"unexpected obligations {unexpected}"
    for req, when in (expect.get("dates") or {}).items():
        assert got[req].applies_from == date.fromisoformat(str(when)), req
    # Every classification explains itself.
    assert result.deciding, "no deciding answer recorded"
    assert all(d.question in QUESTIONS_BY_ID for d in result.deciding)


def test_obligations_carry_references_and_reasons() -> None:
    result = classify({"annex3.uses": ["4(a)"], "role": "both"})
    ob = {o.requirement: o for o in result.obligations}
    assert ob["EUAIA:Art10(2)(f)"].reference == "Art 10(2)(f)"
    assert ob["EUAIA:AnnexIII.4(a)"].reference == "Annex III 4(a)"
    assert ob["EUAIA:AnnexIII.4(a)"].basis and not ob["EUAIA:Art9"].basis
    assert ob["EUAIA:Art26"].duty_holder == "deployer"
    assert all(o.why for o in result.obligations)


def test_classification_json_round_trips_with_its_schema_tag() -> None:
    from accord.governance import Classification

    result = classify({"art50.interacts": True})
    data = result.model_dump(mode="json", by_alias=True)
    assert data["schema"] == "accord.classification/1"
    assert Classification.model_validate(data) == result


def test_role_selects_provider_or_deployer_duties() -> None:
    provider = {o.requirement for o in classify({"annex3.uses": ["4(a)"]}).obligations}
    deployer = {
        o.requirement for o in classify({"annex3.uses": ["4(a)"], "role": "deployer"}).obligations
    }
    assert "EUAIA:Art17" in provider and "EUAIA:Art17" not in deployer
    assert "EUAIA:Art26" in deployer and "EUAIA:Art26" not in provider


@pytest.mark.parametrize(
    "answers, fragment",
    [
        ({"art5.social_scorring": True}, "did you mean 'art5.social_scoring'"),
        ({"role": "owner"}, "not one of the allowed answers"),
        ({"annex3.uses": ["9(z)"]}, "not one of the allowed answers"),
        ({"scope.eu": "maybe"}, "yes or no"),
        ({"gpai.training_flops": "lots"}, "must be a number"),
        ({"gpai.training_flops": -1}, "must not be negative"),
    ],
)
def test_bad_answers_are_usage_errors(answers: dict[str, Any], fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        classify(answers)


def test_nested_answers_and_yes_no_strings_are_accepted() -> None:
    flat = normalise_answers({"art5": {"csam": "yes"}, "annex3": {"uses": "4(a)"}})
    assert flat["art5.csam"] is True and flat["annex3.uses"] == ["4(a)"]


# -- rules that hold for every answer set -----------------------------------------------


def _answer(q: Any) -> st.SearchStrategy[Any]:
    if q.kind == "bool":
        return st.booleans()
    if q.kind == "number":
        return st.sampled_from([0.0, 1e20, 1e25, 5e25])
    if q.kind == "choice":
        return st.sampled_from([c for c, _ in q.choices])
    return st.lists(st.sampled_from(list(ANNEX_III)), max_size=3, unique=True)


ANSWERS = st.fixed_dictionaries({}, optional={q.id: _answer(q) for q in QUESTIONS})


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_invariants_for_any_answers(answers: dict[str, Any]) -> None:
    result = classify(answers)
    a = normalise_answers(answers)
    catalog = load_catalog()
    ids = [o.requirement for o in result.obligations]
    assert len(ids) == len(set(ids))
    assert all(catalog.find_item(i) is not None for i in ids)
    in_scope = a["scope.ai_system"] and a["scope.exclusion"] == "none" and a["scope.eu"]
    if not in_scope:
        assert result.tier == "out_of_scope"
        assert not [i for i in ids if i.startswith("EUAIA:")]
    else:
        assert "EUAIA:Art4" in ids
    assert (result.tier == "prohibited") == bool(result.prohibited_practices)
    assert (result.tier == "high_risk") == (result.high_risk_route is not None)
    if result.tier == "transparency":
        assert result.transparency
    assert result.nyc_ll144 == bool(a["us.aedt"] and a["us.nyc"])
    if result.derogation is not None:
        assert not a["art6_3.profiling"]
    if result.high_risk_route == "annex_iii" and "EUAIA:Art9" in ids:
        assert {o.applies_from for o in result.obligations if o.requirement == "EUAIA:Art9"} == {
            date(2027, 12, 2)
        }
