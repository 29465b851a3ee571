"""The registry's use of the governance catalog: classifications, checklist ids, coverage.

A system's classification is the JSON of :class:`accord.governance.Classification`;
checklist answers name the questions of the governance checklist; a system's coverage is
computed from its latest audit, its classification and its checklist answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from accord.core import UsageError, did_you_mean
from accord.governance import (
    AuditEvidence,
    Classification,
    Coverage,
    classify,
    compute_coverage,
    evidence_from_audit,
    load_catalog,
    parse_checklist_answers,
)
from accord.registry._views import ChecklistAnswerView, ChecklistItemStatus

log = logging.getLogger("accord.registry")

#: The registry's answers, as the governance checklist spells them. A partial answer is not
#: a "yes": for coverage it leaves the process gap open.
COVERAGE_ANSWER = {"yes": "yes", "no": "no", "partial": "no", "not_applicable": "na"}
#: The governance checklist's answers, as the registry stores them.
REGISTRY_ANSWER = {"yes": "yes", "no": "no", "na": "not_applicable"}


def question_ids() -> list[str]:
    """The ids of the governance checklist's questions, in catalog order."""
    return [q.id for q in load_catalog().checklist]


def check_question(item_id: str) -> str:
    """Return ``item_id`` if it names a question of the governance checklist, else raise.

    Examples
    --------
    >>> check_question("PC-GOV-01")
    'PC-GOV-01'
    """
    if load_catalog().question(item_id) is None:
        raise UsageError(
            "unknown checklist question id",
            column="item_id",
            value=item_id,
            fix=did_you_mean(
                item_id,
                question_ids(),
                "the ids are listed by GET /api/checklist and in docs/governance.md",
            ),
        )
    return item_id


def classification_record(value: Mapping[str, Any] | Classification) -> dict[str, Any]:
    """Validate a classification (the JSON of ``accord classify``) and return its JSON.

    Examples
    --------
    >>> classification_record(classify({"annex3.uses": ["4(a)"]}))["tier"]
    'high_risk'
    """
    try:
        model = (
            value
            if isinstance(value, Classification)
            else Classification.model_validate(dict(value))
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise UsageError(
            "the classification is not the output of accord classify",
            column="classification" + (f".{where}" if where else ""),
            value=first.get("msg"),
            fix="send the answers to PUT /api/systems/{name}/classification, or the JSON of "
            "'accord classify --answers FILE --json'",
        ) from None
    record: dict[str, Any] = json.loads(model.model_dump_json(by_alias=True))
    return record


def submitted_classification(value: Mapping[str, Any]) -> dict[str, Any]:
    """A classification sent whole (POST or PATCH of a system): valid, and what its own
    answers give, as JSON.

    Checked here, where a classification comes in, and not in :func:`classification_record`,
    which also serves reads: a record stored under an earlier catalog must stay readable.

    Examples
    --------
    >>> c = classify({"annex3.uses": ["4(a)"]}).model_dump(mode="json", by_alias=True)
    >>> submitted_classification(c)["tier"]
    'high_risk'
    >>> try:
    ...     submitted_classification({**c, "tier": "minimal"})
    ... except UsageError as exc:
    ...     print(exc.column)
    classification.tier
    """
    record = classification_record(value)
    # The inventory shows the tier: nobody should be able to file "minimal" over answers
    # that say otherwise.
    derived = classify(record["answers"]).tier
    if derived != record["tier"]:
        raise UsageError(
            "the classification's tier does not follow from its answers",
            column="classification.tier",
            value=record["tier"],
            fix=f"its answers give {derived!r}: send the answers to "
            "PUT /api/systems/{name}/classification, or the unedited JSON of "
            "'accord classify --answers FILE --json'",
        )
    return record


def classify_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Classify questionnaire answers (documented question ids) and return the JSON.

    A refused answer names its question as ``answers.<question id>``.
    """
    try:
        model = classify(answers)
    except UsageError as exc:
        qid = exc.column or (None if exc.value is None else str(exc.value))
        raise UsageError(
            exc.message,
            column="answers" + (f".{qid}" if qid else ""),
            value=exc.value,
            fix=exc.fix,
        ) from None
    return classification_record(model)


def parsed_classification(record: Mapping[str, Any] | None) -> Classification | None:
    """The stored classification as a model; None when absent or not in the current format."""
    if not record:
        return None
    try:
        return Classification.model_validate(dict(record))
    except ValidationError:
        return None


def checklist_status(answers: Sequence[ChecklistAnswerView]) -> list[ChecklistItemStatus]:
    """Every question of the checklist with the current answer, if any; answers to ids the
    checklist no longer has come last.
    """
    by_id = {a.item_id: a for a in answers}
    rows = [
        ChecklistItemStatus(
            **q.model_dump(),
            status="answered" if q.id in by_id else "unanswered",
            answer=by_id.pop(q.id, None),
        )
        for q in load_catalog().checklist
    ]
    rows += [
        ChecklistItemStatus(
            id=item_id,
            area="",
            question="",
            expected_evidence="",
            requirements=[],
            status="not_in_checklist",
            answer=answer,
        )
        for item_id, answer in sorted(by_id.items())
    ]
    return rows


def audit_evidence(audit_json: str | None) -> tuple[AuditEvidence | None, str | None]:
    """The evidence in a stored audit, or None and why it cannot be read.

    A record stored by an older or newer accord, or damaged, must not take the system's
    page down: its coverage then counts the classification and the checklist alone.

    Examples
    --------
    >>> audit_evidence('{"findings": [{"id": 1}]}')[1]
    'its findings are not findings of this version of accord'
    """
    if not audit_json:
        return None, None
    try:
        return evidence_from_audit(json.loads(audit_json)), None
    except json.JSONDecodeError:
        problem = "it is not valid JSON"
    except (ValidationError, TypeError, AttributeError):
        problem = "its findings are not findings of this version of accord"
    log.warning("stored audit evidence unreadable: %s", problem)
    return None, problem


def system_coverage(
    classification: Mapping[str, Any] | None,
    answers: Sequence[ChecklistAnswerView],
    evidence: AuditEvidence | None,
) -> Coverage:
    """The governance coverage of a system: its latest audit's checks, its classification
    (which obligations are in scope) and its process answers.
    """
    model = parsed_classification(classification)
    known = {q.id for q in load_catalog().checklist}
    process = parse_checklist_answers(
        {
            a.item_id: {
                "answer": COVERAGE_ANSWER[a.answer],
                "evidence": a.evidence_url,
                "note": ("partial: " if a.answer == "partial" else "") + a.comment or None,
            }
            for a in answers
            if a.item_id in known
        }
    )
    return compute_coverage(
        findings=evidence.findings if evidence else (),
        measured=evidence.measured if evidence else (),
        classification=None if model is None else classification_record(model),
        checklist=process,
    )
