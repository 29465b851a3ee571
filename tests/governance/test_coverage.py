"""Evidence coverage on a real audit of synthetic data, and on constructed findings."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import polars as pl
import pytest

import accord
from accord.core import Finding, UsageError
from accord.governance import (
    check_types_of,
    classify,
    compute_coverage,
    evidence_from_audit,
    parse_checklist_answers,
)


@pytest.fixture(scope="module")
def audit_json() -> dict[str, Any]:
    """A fairness audit, without a policy, of synthetic hiring data."""
    rng = np.random.default_rng(7)
    n = 3000
    sex = rng.choice(["F", "M"], n)
    race = rng.choice(["A", "B", "C"], n)
    y = rng.binomial(1, 0.4, n)
    p = np.where(sex == "F", rng.binomial(1, 0.25, n), rng.binomial(1, 0.45, n))
    score = np.clip(p * 0.6 + rng.uniform(0, 0.4, n), 0, 1)
    frame = pl.DataFrame({"y": y, "p": p, "s": score, "sex": sex, "race": race})
    result = accord.audit(
        frame, label="y", prediction="p", score="s", sensitive=["sex", "race"], bootstrap=20
    )
    data: dict[str, Any] = json.loads(result.to_json())
    return data


@pytest.fixture(scope="module")
def hiring() -> dict[str, Any]:
    result = classify({"annex3.uses": ["4(a)"], "us.aedt": True, "us.nyc": True, "role": "both"})
    data: dict[str, Any] = result.model_dump(mode="json", by_alias=True)
    return data


def status(cov: Any, requirement: str) -> str:
    row = next(r for r in cov.requirements if r.requirement == requirement)
    return str(row.status)


def test_a_plain_fairness_audit_counts_as_measured_evidence(
    audit_json: dict[str, Any], hiring: dict[str, Any]
) -> None:
    ev = evidence_from_audit(audit_json)
    assert ev.findings == []
    assert "fairness.selection_rate.ratio" in ev.measured
    assert "fairness.ece.difference" in ev.measured  # a score was given: calibration
    cov = compute_coverage(findings=ev.findings, measured=ev.measured, classification=hiring)
    assert status(cov, "NYC-LL144:5-301(b)") == "measured"
    assert status(cov, "EUAIA:Art10(2)(f)") == "measured"
    assert status(cov, "NIST-RMF:MEASURE-2.11") == "measured"
    assert status(cov, "NIST-RMF:MEASURE-2.1") == "measured"  # the audit itself
    # Nothing in a fairness audit speaks to privacy, logging or sustainability.
    assert status(cov, "NIST-RMF:MEASURE-2.10") == "needs_answer"
    assert status(cov, "NIST-RMF:MEASURE-2.12") == "needs_answer"
    assert status(cov, "EUAIA:Art12") == "needs_answer"
    assert status(cov, "NIST-RMF:GOVERN-1.3") == "uncovered"


def test_findings_show_as_passing_failing_and_inconclusive(
    audit_json: dict[str, Any], hiring: dict[str, Any]
) -> None:
    findings = [
        Finding(check_id="four-fifths", status="fail", metric="selection_rate", measure="ratio"),
        Finding(check_id="eo-sex", status="pass", metric="tpr", measure="difference"),
        Finding(check_id="calib", status="insufficient_data", metric="ece", measure="difference"),
        Finding(
            check_id="k5",
            status="pass",
            metric="k_anonymity",
            measure="min",
            requirements=["COE225:Art11"],
        ),
        Finding(check_id="custom-thing", status="pass", metric="widgets", measure="count"),
    ]
    ev = evidence_from_audit(
        {**audit_json, "findings": [f.model_dump(mode="json") for f in findings]}
    )
    cov = compute_coverage(
        findings=ev.findings,
        measured=ev.measured,
        classification=hiring,
        frameworks=["EUAIA", "NYC-LL144", "EEOC-UGESP", "NIST-RMF", "COE225"],
    )
    # The failing four-fifths check outweighs the passing and measured evidence.
    assert status(cov, "EEOC-UGESP:1607.4(D)") == "failing"
    assert status(cov, "NYC-LL144:5-301(b)") == "failing"
    assert status(cov, "EUAIA:Art9(8)") == "failing"
    assert status(cov, "NIST-RMF:MEASURE-2.11") == "failing"
    # Equal opportunity passed: requirements only it speaks to are evidenced.
    assert status(cov, "EUAIA:Art15(4)") == "evidenced"
    # A finding's own requirement ids count even when its type is unknown to accord.
    assert status(cov, "COE225:Art11") == "evidenced"
    assert cov.unmapped_checks == ["custom-thing"]
    row = next(r for r in cov.requirements if r.requirement == "EEOC-UGESP:1607.4(D)")
    assert {c.check_id for c in row.checks} >= {"four-fifths"}


def test_inconclusive_when_the_only_check_lacked_data() -> None:
    f = Finding(check_id="calib", status="insufficient_data", metric="ece", measure="difference")
    cov = compute_coverage(findings=[f], frameworks=["NIST-RMF"])
    assert status(cov, "NIST-RMF:MEASURE-2.5") == "inconclusive"


def test_process_answers(hiring: dict[str, Any]) -> None:
    answers = parse_checklist_answers(
        {
            "PC-GOV-02": True,
            "PC-RISK-01": {"answer": "no", "note": "draft"},
            "PC-FAIR-03": {"answer": "yes", "evidence": "https://example.org/independence.pdf"},
            "PC-PRIV-01": "na",
        }
    )
    cov = compute_coverage(
        classification=hiring, checklist=answers, frameworks=["EUAIA", "NYC-LL144"]
    )
    assert status(cov, "EUAIA:Art17") == "attested"
    assert status(cov, "EUAIA:Art9") == "process_gap"
    assert status(cov, "EUAIA:Art26(9)") == "not_applicable"
    assert status(cov, "NYC-LL144:20-871(a)(1)") == "attested"
    row = next(r for r in cov.requirements if r.requirement == "NYC-LL144:20-871(a)(1)")
    assert row.process[0].evidence == "https://example.org/independence.pdf"
    assert status(cov, "EUAIA:Art4") == "needs_answer"


def test_scope_follows_the_classification(hiring: dict[str, Any]) -> None:
    cov = compute_coverage(classification=hiring)
    assert [f.framework for f in cov.frameworks] == [
        "EUAIA",
        "NYC-LL144",
        "EEOC-UGESP",
        "NIST-RMF",
        "ISO42001",
    ]
    eu = {r.requirement for r in cov.requirements if r.framework == "EUAIA"}
    assert "EUAIA:Art9" in eu and "EUAIA:Art50(1)" not in eu
    assert "EUAIA:AnnexIII.4(a)" not in eu  # the basis of the tier is not a duty
    minimal = classify({}).model_dump(mode="json", by_alias=True)
    cov = compute_coverage(classification=minimal)
    assert [f.framework for f in cov.frameworks] == ["EUAIA", "NIST-RMF", "ISO42001"]
    assert {r.requirement for r in cov.requirements if r.framework == "EUAIA"} == {
        "EUAIA:Art4",
        "EUAIA:Art95",
    }
    nist = [r for r in cov.requirements if r.framework == "NIST-RMF"]
    assert len(nist) == 72 + 7  # subcategories and characteristics, not functions/categories


def test_counts_add_up(hiring: dict[str, Any]) -> None:
    cov = compute_coverage(classification=hiring)
    for f in cov.frameworks:
        assert sum(f.counts.values()) == f.total
        assert f.total == sum(r.framework == f.framework for r in cov.requirements)


def test_check_types_of_a_finding() -> None:
    f = Finding(check_id="nyc-ll144", status="pass", metric="selection_rate", measure="ratio")
    assert check_types_of(f) == ["nyc-ll144", "fairness.selection_rate.ratio"]
    g = Finding(check_id="x", status="pass", metric="privacy.k_anonymity", measure="min")
    assert check_types_of(g) == ["privacy.k_anonymity"]


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ({"PC-NOPE-01": True}, "unknown checklist question id"),
        ({"PC-GOV-01": "maybe"}, "must be yes, no or na"),
        ({"PC-GOV-01": {"answer": "yes", "link": "x"}}, "unknown keys"),
    ],
)
def test_bad_checklist_answers(raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        parse_checklist_answers(raw)


def test_inclusion_findings_of_an_audit_count_as_evidence() -> None:
    # An audit run with a reference population carries inclusion findings: they must reach
    # the requirements on representative data (EU AI Act Art 10(3)).
    demo = pl.read_parquet(accord.__path__[0] + "/data/adult_demo.parquet")
    result = accord.audit(
        demo,
        label="income",
        prediction="prediction",
        positive=">50K",
        sensitive=["sex", "race"],
        reference="us-census-1990",
        bootstrap=0,
    )
    assert result.inclusion is not None and result.inclusion.findings
    evidence = evidence_from_audit(json.loads(result.to_json()))
    inclusion_ids = {f.check_id for f in result.inclusion.findings}
    assert inclusion_ids <= {f.check_id for f in evidence.findings}
    cov = compute_coverage(findings=evidence.findings, measured=evidence.measured)
    assert status(cov, "EUAIA:Art10(3)") in {"evidenced", "failing", "inconclusive"}


def test_a_preset_finding_maps_through_its_declared_type_and_preset() -> None:
    # A NYC LL144 finding's id is its own ("nyc-ll144-sex"); its declared preset links it.
    finding = Finding(
        check_id="nyc-ll144-sex",
        status="fail",
        metric="selection_rate",
        measure="impact_ratio",
        preset="nyc-ll144",
    )
    types = check_types_of(finding)
    assert types and types[0] == "nyc-ll144"
    cov = compute_coverage(findings=[finding], frameworks=["NYC-LL144"])
    assert status(cov, "NYC-LL144:5-301(b)") == "failing"
