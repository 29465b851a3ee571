"""Evidence coverage: which requirements an audit's checks and process answers speak to.

Pure: findings, measured check types, a classification and checklist answers come in; a
per-requirement status comes out. Nothing here reads files or renders anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import ConfigDict, Field

from accord.core import Finding, FindingStatus, UsageError, did_you_mean
from accord.governance._catalog import Catalog, load_catalog
from accord.governance._classify import DISCLAIMER
from accord.governance._models import Frozen as _Frozen

CoverageStatus = Literal[
    "failing",
    "evidenced",
    "measured",
    "inconclusive",
    "attested",
    "process_gap",
    "not_applicable",
    "needs_answer",
    "uncovered",
]

#: Display order, from what needs attention to what is covered.
STATUSES: tuple[CoverageStatus, ...] = (
    "failing",
    "inconclusive",
    "process_gap",
    "needs_answer",
    "uncovered",
    "measured",
    "evidenced",
    "attested",
    "not_applicable",
)

STATUS_LABELS: dict[str, str] = {
    "failing": "Evidenced by a failing check",
    "evidenced": "Evidenced by a passing check",
    "measured": "Measured (no threshold set)",
    "inconclusive": "Check ran, evidence inconclusive",
    "attested": "Process answer: yes",
    "process_gap": "Process answer: no",
    "not_applicable": "Process answer: not applicable",
    "needs_answer": "Needs a process answer",
    "uncovered": "Covered by nothing yet",
}

#: Frameworks whose scope comes from the classification's obligations.
CLASSIFIED = ("EUAIA", "NYC-LL144", "EEOC-UGESP", "CN-GAI2023", "CN-LBL2025")
#: Voluntary frameworks shown by default beside the ones a classification triggers.
DEFAULT_VOLUNTARY = ("NIST-RMF", "ISO42001")
#: Item kinds that group others and are not requirements in themselves.
GROUP_KINDS = frozenset({"function", "category", "area", "annex_section"})

Answer = Literal["yes", "no", "na"]


class CheckEvidence(_Frozen):
    """One check's result as evidence for a requirement."""

    check_type: str
    check_id: str
    status: Literal["pass", "fail", "warn", "insufficient_data", "error", "measured"]
    detail: str = ""


class ProcessEvidence(_Frozen):
    """One process-check question linked to a requirement, and its answer if given."""

    question: str
    text: str
    expected_evidence: str
    answer: Answer | None = None
    evidence: str | None = None
    note: str | None = None


class RequirementCoverage(_Frozen):
    """Where one requirement stands."""

    requirement: str
    framework: str
    title: str
    summary: str
    themes: list[str]
    verification: str
    status: CoverageStatus
    checks: list[CheckEvidence] = Field(default_factory=list)
    process: list[ProcessEvidence] = Field(default_factory=list)


class FrameworkCoverage(_Frozen):
    """Counts of requirement statuses for one framework."""

    framework: str
    title: str
    total: int
    counts: dict[str, int]
    note: str | None = None


class Coverage(_Frozen):
    """The result of ``accord coverage``."""

    schema_id: Literal["accord.coverage/1"] = Field(
        default="accord.coverage/1", alias="schema", serialization_alias="schema"
    )
    tier: str | None = None
    tier_label: str | None = None
    frameworks: list[FrameworkCoverage]
    requirements: list[RequirementCoverage]
    unmapped_checks: list[str] = Field(
        default_factory=list, description="Check ids whose type accord cannot map."
    )
    disclaimer: str = DISCLAIMER

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def by_status(self, status: str) -> list[RequirementCoverage]:
        """Return the requirements with one status."""
        return [r for r in self.requirements if r.status == status]


class AuditEvidence(_Frozen):
    """What an audit record offers as evidence: its findings and what it measured."""

    findings: list[Finding] = Field(default_factory=list)
    measured: list[str] = Field(
        default_factory=list, description="Check types measured without a judgement."
    )


def evidence_from_audit(data: Mapping[str, Any]) -> AuditEvidence:
    """Read the evidence out of an audit record (the JSON of an AuditResult, as a dict).

    A fairness audit without a policy has no findings, but its statistics still count:
    every metric with disparities is recorded as measured (``fairness.<metric>.difference``
    and ``.ratio``), and the audit itself as ``fairness.audit``.

    Examples
    --------
    >>> ev = evidence_from_audit({"findings": [], "fairness": {"metrics": [],
    ...     "groupings": [{"disparities": {"tpr": []}, "summaries": {}}]}})
    >>> ev.measured
    ['fairness.audit', 'fairness.tpr.difference', 'fairness.tpr.ratio']
    """
    findings = [Finding.model_validate(f) for f in data.get("findings") or []]
    # An inclusion section carries findings of its own (representation, blind spots, ...).
    inclusion = data.get("inclusion")
    if isinstance(inclusion, Mapping):
        findings += [Finding.model_validate(f) for f in inclusion.get("findings") or []]
    measured: list[str] = []
    fairness = data.get("fairness")
    if isinstance(fairness, Mapping):
        measured.append("fairness.audit")
        metrics: list[str] = []
        for grouping in fairness.get("groupings") or []:
            for name in [*(grouping.get("disparities") or {}), *(grouping.get("summaries") or {})]:
                if name not in metrics:
                    metrics.append(name)
        for name in metrics:
            measured += [f"fairness.{name}.difference", f"fairness.{name}.ratio"]
    return AuditEvidence(findings=findings, measured=measured)


def check_types_of(finding: Finding, catalog: Catalog | None = None) -> list[str]:
    """Return the check types of a finding: by its check id, then by metric and measure.

    Examples
    --------
    >>> f = Finding(check_id="di-sex", status="pass", metric="selection_rate", measure="ratio")
    >>> check_types_of(f)
    ['fairness.selection_rate.ratio']
    """
    cat = catalog or load_catalog()
    names = [
        # what the check declares of itself comes first: its type, then its preset
        *(n for n in (finding.check_type, finding.preset) if n),
        finding.check_id,
        f"{finding.metric}.{finding.measure}",
        f"fairness.{finding.metric}.{finding.measure}",
        finding.metric,
        f"fairness.{finding.metric}",
    ]
    out: list[str] = []
    for name in names:
        ct = cat.check_type(name)
        if ct is not None and ct.id not in out:
            out.append(ct.id)
    return out


def parse_checklist_answers(
    raw: Mapping[str, Any], catalog: Catalog | None = None
) -> dict[str, ProcessEvidence]:
    """Validate process-check answers: ``{question id: yes | no | na | {answer, evidence}}``.

    YAML reads a bare ``yes`` / ``no`` as a boolean; both spellings are accepted.

    Examples
    --------
    >>> parse_checklist_answers({"PC-GOV-01": True})["PC-GOV-01"].answer
    'yes'
    """
    cat = catalog or load_catalog()
    out: dict[str, ProcessEvidence] = {}
    for qid, value in raw.items():
        q = cat.question(str(qid))
        if q is None:
            raise UsageError(
                "unknown checklist question id",
                value=qid,
                fix=did_you_mean(
                    str(qid),
                    [x.id for x in cat.checklist],
                    "list them with 'accord coverage --list-questions'",
                ),
            )
        entry = value if isinstance(value, Mapping) else {"answer": value}
        unknown = set(entry) - {"answer", "evidence", "note"}
        if unknown:
            raise UsageError(
                "a checklist answer has unknown keys",
                column=str(qid),
                value=sorted(unknown),
                fix="use answer, evidence and note",
            )
        out[q.id] = ProcessEvidence(
            question=q.id,
            text=q.question,
            expected_evidence=q.expected_evidence,
            answer=_answer(q.id, entry.get("answer")),
            evidence=None if entry.get("evidence") is None else str(entry["evidence"]),
            note=None if entry.get("note") is None else str(entry["note"]),
        )
    return out


def _answer(qid: str, value: Any) -> Answer:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value).strip().lower().replace("/", "").replace(" ", "_")
    mapping: dict[str, Answer] = {
        "yes": "yes",
        "y": "yes",
        "no": "no",
        "n": "no",
        "na": "na",
        "not_applicable": "na",
        "n.a.": "na",
    }
    if text not in mapping:
        raise UsageError("a checklist answer must be yes, no or na", column=qid, value=value)
    return mapping[text]


def compute_coverage(
    *,
    findings: Iterable[Finding] = (),
    measured: Iterable[str] = (),
    classification: Mapping[str, Any] | None = None,
    checklist: Mapping[str, ProcessEvidence] | None = None,
    frameworks: Sequence[str] | None = None,
    catalog: Catalog | None = None,
) -> Coverage:
    """Compute which requirements the evidence covers, and how.

    Each requirement is evidenced by a passing or a failing check, needs a process answer,
    or is covered by nothing yet.

    Parameters
    ----------
    findings
        The audit's findings (policy checks); each is mapped to check types, and a finding's
        own ``requirements`` are honoured too.
    measured
        Check types measured without a judgement (a fairness audit without a policy).
    classification
        The JSON of a Classification (``accord classify --json``): it decides which
        obligations of the EU AI Act, NYC LL144, ... are in scope.
    checklist
        Process-check answers from :func:`parse_checklist_answers`.
    frameworks
        The frameworks to report; default: those the classification triggers, plus the
        NIST AI RMF and ISO/IEC 42001.

    Examples
    --------
    >>> f = Finding(check_id="four-fifths", status="fail", metric="selection_rate",
    ...             measure="ratio")
    >>> cov = compute_coverage(findings=[f], frameworks=["EEOC-UGESP"])
    >>> [r.requirement for r in cov.by_status("failing")]
    ['EEOC-UGESP:1607.4(D)']
    """
    cat = catalog or load_catalog()
    answers = dict(checklist or {})
    fw_ids = _frameworks(cat, frameworks, classification)
    evidence: dict[str, list[CheckEvidence]] = {}
    unmapped: list[str] = []

    def add(req: str, ev: CheckEvidence) -> None:
        bucket = evidence.setdefault(req, [])
        if ev not in bucket:
            bucket.append(ev)

    for f in findings:
        types = check_types_of(f, cat)
        explicit = [r for r in f.requirements if cat.find_item(r) is not None]
        if not types and not explicit:
            unmapped.append(f.check_id)
        detail = f.message or f.title
        for t in types:
            for req in cat.check_type(t).requirements:  # type: ignore[union-attr]
                add(
                    req,
                    CheckEvidence(
                        check_type=t, check_id=f.check_id, status=f.status.value, detail=detail
                    ),
                )
        for req in explicit:
            item = cat.item(req)
            add(
                item.id,
                CheckEvidence(
                    check_type=types[0] if types else f.metric,
                    check_id=f.check_id,
                    status=f.status.value,
                    detail=detail,
                ),
            )
    for name in measured:
        ct = cat.check_type(name)
        if ct is None:
            continue
        for req in ct.requirements:
            add(
                req,
                CheckEvidence(
                    check_type=ct.id,
                    check_id=name,
                    status="measured",
                    detail="measured without a threshold",
                ),
            )

    rows: list[RequirementCoverage] = []
    summaries: list[FrameworkCoverage] = []
    for fid in fw_ids:
        fw = cat.framework(fid)
        ids, note = _scope(cat, fid, classification)
        fw_rows = []
        for rid in ids:
            item = cat.item(rid)
            checks = evidence.get(rid, [])
            process = [
                answers.get(q.id)
                or ProcessEvidence(
                    question=q.id, text=q.question, expected_evidence=q.expected_evidence
                )
                for q in cat.questions_for(rid)
            ]
            fw_rows.append(
                RequirementCoverage(
                    requirement=rid,
                    framework=fid,
                    title=item.title,
                    summary=item.summary,
                    themes=item.themes,
                    verification=item.verification,
                    status=_status(checks, process),
                    checks=checks,
                    process=process,
                )
            )
        rows += fw_rows
        counts: dict[str, int] = {s: sum(r.status == s for r in fw_rows) for s in STATUSES}
        summaries.append(
            FrameworkCoverage(
                framework=fid, title=fw.short_name, total=len(fw_rows), counts=counts, note=note
            )
        )
    return Coverage(
        tier=None if classification is None else classification.get("tier"),
        tier_label=None if classification is None else classification.get("tier_label"),
        frameworks=summaries,
        requirements=rows,
        unmapped_checks=sorted(set(unmapped)),
    )


def _frameworks(
    cat: Catalog, frameworks: Sequence[str] | None, classification: Mapping[str, Any] | None
) -> list[str]:
    if frameworks:
        out: list[str] = []
        for f in frameworks:
            fid = cat.framework(f).id
            if fid not in out:
                out.append(fid)
        return out
    triggered = list((classification or {}).get("frameworks") or [])
    if classification is None:
        triggered = ["EUAIA"]
    order = {f: n for n, f in enumerate(CLASSIFIED)}
    triggered.sort(key=lambda f: order.get(f, len(order)))
    return [f for f in [*triggered, *DEFAULT_VOLUNTARY] if f in cat.frameworks]


def _scope(
    cat: Catalog, fid: str, classification: Mapping[str, Any] | None
) -> tuple[list[str], str | None]:
    if classification is not None and fid in CLASSIFIED:
        obligations = [
            o
            for o in classification.get("obligations") or []
            if o.get("framework") == fid and not o.get("basis", False)
        ]
        ids = [o["requirement"] for o in obligations if cat.find_item(o["requirement"])]
        if ids:
            return ids, None
        return _all(
            cat, fid
        ), "The classification triggers no obligation here; every item is shown."
    return _all(cat, fid), None


def _all(cat: Catalog, fid: str) -> list[str]:
    return [it.id for it in cat.framework(fid).items if it.kind not in GROUP_KINDS]


def _status(checks: list[CheckEvidence], process: list[ProcessEvidence]) -> CoverageStatus:
    states = {c.status for c in checks}
    if states & {FindingStatus.FAIL.value, FindingStatus.WARN.value}:
        return "failing"
    if FindingStatus.PASS.value in states:
        return "evidenced"
    if "measured" in states:
        return "measured"
    if states:
        return "inconclusive"
    given = [p.answer for p in process if p.answer is not None]
    if "yes" in given:
        return "attested"
    if "no" in given:
        return "process_gap"
    if given and len(given) == len(process):
        return "not_applicable"
    if process:
        return "needs_answer"
    return "uncovered"
