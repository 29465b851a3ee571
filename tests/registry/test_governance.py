"""The registry on the governance catalog: classifications, checklist ids, coverage, demo."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from accord.core import UsageError
from accord.governance import classify, load_catalog, parse_checklist_answers
from accord.registry import Registry
from accord.registry._models import ChecklistAnswer
from registry_support import make_result


@pytest.fixture
def reg(db_url: str):
    registry = Registry(db_url)
    registry.upgrade()
    registry.create_system("t", "s")
    yield registry
    registry.dispose()


@pytest.fixture
def demo(db_url: str):
    from accord.registry._demo import seed_demo

    registry = Registry(db_url)
    registry.upgrade()
    seed_demo(registry, rows=600, bootstrap=0, now=datetime(2026, 3, 1, tzinfo=UTC))
    yield registry
    registry.dispose()


def test_the_demo_classifies_its_systems_from_its_answer_files(demo: Registry) -> None:
    from accord.registry._demo import SYSTEMS, demo_answers

    tiers = {}
    for system in SYSTEMS:
        stored = demo.get_system(system.name)
        answers = demo_answers(system.name, "classify")
        assert answers, f"{system.name} has no answer file"
        expected = classify(answers).model_dump(mode="json", by_alias=True)
        assert stored.classification == expected
        assert stored.risk_tier == expected["tier"]
        tiers[system.name] = stored.risk_tier
    assert tiers == {
        "loan-approval": "high_risk",
        "cv-screening": "high_risk",
        "benefit-triage": "out_of_scope",  # deployed in India only
        "support-chat-router": "minimal",
    }
    cv = demo.get_system("cv-screening").classification
    assert cv is not None
    assert {"EUAIA", "NYC-LL144", "EEOC-UGESP"} <= set(cv["frameworks"])
    assert cv["deciding"][0]["question"] == "annex3.uses"
    dates = {o["requirement"]: o["applies_from"] for o in cv["obligations"]}
    assert dates["EUAIA:Art9"] == "2027-12-02"  # Annex III duties, as amended in 2026
    assert "NYC-LL144:20-871(a)(1)" in dates
    assert demo.list_events(action="system.classify").total == len(SYSTEMS)


def test_the_demo_answers_the_governance_checklist(demo: Registry) -> None:
    from accord.registry._demo import SYSTEMS, demo_answers

    ids = {q.id for q in load_catalog().checklist}
    for system in SYSTEMS:
        expected = parse_checklist_answers(demo_answers(system.name, "checklist"))
        stored = demo.checklist(system.name)
        assert {a.item_id for a in stored} == set(expected) and set(expected) <= ids
        for a in stored:
            given = expected[a.item_id]
            assert a.evidence_url == given.evidence
            assert {"yes": "yes", "no": "no", "na": "not_applicable"}[given.answer] == a.answer


def test_demo_audits_carry_preset_findings_that_the_coverage_maps(demo: Registry) -> None:
    cov = demo.coverage("cv-screening")
    latest = demo.get_audit(cov.audit_id)
    assert {f.check_id for f in latest.findings} == {
        "four-fifths",
        "equalized-odds-tpr",
        "equalized-odds-fpr",
    }
    status = {r.requirement: r for r in cov.coverage.requirements}
    four_fifths = [f.status for f in latest.findings if f.check_id == "four-fifths"]
    expected = "failing" if {"fail", "warn"} & set(four_fifths) else "evidenced"
    assert status["EEOC-UGESP:1607.4(D)"].status == expected
    assert any(c.check_id == "four-fifths" for c in status["EEOC-UGESP:1607.4(D)"].checks)
    # the classification decides the scope: only the obligations, never the basis items
    scoped = {r.requirement for r in cov.coverage.requirements if r.framework == "EUAIA"}
    cls = demo.get_system("cv-screening").classification
    assert cls is not None
    duties = {
        o["requirement"]
        for o in cls["obligations"]
        if o["framework"] == "EUAIA" and not o["basis"]
    }
    assert scoped == duties
    # a process answer "no" leaves a gap on what only the checklist covers
    assert status["NYC-LL144:20-871(a)(1)"].process[0].answer == "no"
    assert not cov.coverage.unmapped_checks


def test_an_unknown_checklist_id_is_refused_with_a_suggestion(reg: Registry) -> None:
    with pytest.raises(UsageError, match="unknown checklist question id") as err:
        reg.answer_checklist("t", "s", "PC-GOV-1", "yes")
    assert err.value.column == "item_id" and "PC-GOV-01" in str(err.value)
    with pytest.raises(UsageError, match="unknown checklist answer"):
        reg.answer_checklist("t", "s", "PC-GOV-01", "maybe")
    assert reg.checklist("s") == []
    assert reg.list_events(action="checklist.answer").total == 0


def test_checklist_status_lists_every_question(reg: Registry) -> None:
    reg.answer_checklist("t", "s", "PC-FAIR-01", "yes", evidence_url="https://e.org/r")
    reg.answer_checklist("t", "s", "PC-HUMAN-01", "partial")
    with reg.writing() as session:  # an answer recorded before the checklist existed
        session.execute(
            insert(ChecklistAnswer).values(
                system_id=reg.system_id("s"),
                item_id="human-oversight",
                answer="yes",
                answered_by="old",
            )
        )
    rows = reg.checklist_status("s")
    questions = load_catalog().checklist
    assert [r.id for r in rows[: len(questions)]] == [q.id for q in questions]
    by_id = {r.id: r for r in rows}
    assert by_id["PC-FAIR-01"].status == "answered"
    assert by_id["PC-FAIR-01"].answer.evidence_url == "https://e.org/r"
    assert by_id["PC-GOV-01"].status == "unanswered" and by_id["PC-GOV-01"].answer is None
    assert rows[-1].id == "human-oversight" and rows[-1].status == "not_in_checklist"
    assert sum(r.status == "answered" for r in rows) == 2


def test_a_partial_answer_does_not_attest(reg: Registry) -> None:
    reg.classify_system("t", "s", {"role": "both", "annex3.uses": ["5(b)"]})
    reg.answer_checklist("t", "s", "PC-RISK-03", "partial", comment="draft FRIA")
    cov = reg.coverage("s")
    assert cov.audit_id is None
    fria = next(r for r in cov.coverage.requirements if r.requirement == "EUAIA:Art27")
    assert fria.status == "process_gap"
    assert fria.process[0].note == "partial: draft FRIA"
    reg.answer_checklist("t", "s", "PC-RISK-03", "yes", evidence_url="https://e.org/fria")
    fria = next(
        r for r in reg.coverage("s").coverage.requirements if r.requirement == "EUAIA:Art27"
    )
    assert fria.status == "attested" and fria.process[0].evidence == "https://e.org/fria"


def test_coverage_counts_the_latest_audit(reg: Registry) -> None:
    from accord.pipeline import judge

    reg.record_audit(
        "t", "s", "1", judge(make_result(0, gap=0.3), {"version": 1, "extends": "equalized-odds"})
    )
    cov = reg.coverage("s")
    assert cov.audit_id == reg.get_system("s").latest_audit.id
    statuses = {r.requirement: r.status for r in cov.coverage.requirements}
    assert statuses["NIST-RMF:MEASURE-2.11"] in ("failing", "evidenced")


def test_a_classification_must_be_the_output_of_classify(reg: Registry) -> None:
    with pytest.raises(UsageError, match="not the output of accord classify") as err:
        reg.update_system("t", "s", classification={"tier": "high-risk", "obligations": []})
    assert err.value.column.startswith("classification")
    good = classify({"art50.interacts": True}).model_dump(mode="json", by_alias=True)
    with pytest.raises(UsageError, match="contradicts"):
        reg.update_system("t", "s", classification=good, risk_tier="minimal")
    view = reg.update_system("t", "s", classification=good)
    assert view.risk_tier == "transparency" and view.classification == good
    with pytest.raises(UsageError, match="unknown question id"):
        reg.classify_system("t", "s", {"annex3.use": ["4(a)"]})
    assert reg.get_system("s").risk_tier == "transparency"


def test_the_tier_always_says_what_the_classification_says(reg: Registry) -> None:
    reg.classify_system("t", "s", {"annex3.uses": ["4(a)"]})
    with pytest.raises(UsageError, match="contradicts the system's classification") as err:
        reg.update_system("t", "s", risk_tier="minimal")
    assert err.value.column == "risk_tier"
    assert reg.get_system("s").risk_tier == "high_risk"
    reg.update_system("t", "s", risk_tier="high_risk", owner="risk office")  # the same tier
    cleared = reg.update_system("t", "s", classification=None)
    assert cleared.classification is None and cleared.risk_tier is None
    assert reg.update_system("t", "s", risk_tier="minimal").risk_tier == "minimal"


def test_a_classification_sent_whole_must_follow_from_its_answers(reg: Registry) -> None:
    honest = classify({"annex3.uses": ["4(a)"]}).model_dump(mode="json", by_alias=True)
    edited = {**honest, "tier": "minimal", "tier_label": "Minimal risk"}
    with pytest.raises(UsageError, match="does not follow from its answers") as err:
        reg.update_system("t", "s", classification=edited)
    assert err.value.column == "classification.tier" and "'high_risk'" in str(err.value)
    assert reg.get_system("s").classification is None
    assert reg.update_system("t", "s", classification=honest).risk_tier == "high_risk"


def test_reclassifying_keeps_the_replaced_classification_in_the_log(reg: Registry) -> None:
    first = reg.classify_system("t", "s", {"annex3.uses": ["4(a)"]}).classification
    reg.classify_system("t", "s", {"art50.interacts": True})
    events = reg.list_events(action="system.classify").items
    latest = max(events, key=lambda e: e.seq)
    assert latest.payload["previous"] == first
    assert latest.payload["tier"] == ["high_risk", "transparency"]


def test_answers_name_an_existing_system_first_and_links_are_http(reg: Registry) -> None:
    from accord.registry import NotFoundError

    with pytest.raises(NotFoundError):  # not a 422 about the id: the system is unknown
        reg.answer_checklist("t", "nobody", "PC-GOV-1", "maybe")
    with pytest.raises(NotFoundError):
        reg.classify_system("t", "nobody", {"annex3.use": ["4(a)"]})
    with pytest.raises(UsageError, match="not an http") as err:
        reg.answer_checklist("t", "s", "PC-GOV-01", "yes", evidence_url="javascript:alert(1)")
    assert err.value.column == "evidence_url"
    assert reg.answer_checklist("t", "s", "PC-GOV-01", "na").answer == "not_applicable"
    assert reg.list_events(action="checklist.answer").total == 1


def test_an_unreadable_latest_audit_does_not_take_coverage_down(reg: Registry) -> None:
    from sqlalchemy import update

    from accord.registry._models import Audit

    reg.classify_system("t", "s", {"annex3.uses": ["4(a)"]})
    reg.record_audit("t", "s", "1", make_result(0))
    assert reg.coverage("s").problem is None
    with reg.writing() as session:
        session.execute(update(Audit).values(result_json='{"findings": [{"check": 1}]}'))
    cov = reg.coverage("s")
    assert cov.problem is not None and "cannot be read" in cov.problem
    assert cov.coverage.requirements  # the classification's obligations still count
    assert not any(r.status in ("evidenced", "failing") for r in cov.coverage.requirements)


def test_a_stored_classification_is_read_without_being_judged_again(reg: Registry) -> None:
    # A record stored under an earlier catalog may no longer be what today's rules give:
    # only a classification coming in is checked, reading it must not fail.
    from sqlalchemy import update

    from accord.registry._models import System

    stored = classify({"annex3.uses": ["4(a)"]}).model_dump(mode="json", by_alias=True)
    with reg.writing() as session:
        session.execute(
            update(System).values(
                classification={**stored, "tier": "minimal"}, risk_tier="minimal"
            )
        )
    cov = reg.coverage("s")
    assert cov.coverage.requirements
    assert reg.get_system("s").risk_tier == "minimal"
