"""Governance knowledge: frameworks catalog, crosswalk, classification, evidence coverage.

The catalog is data (YAML files shipped in the package); this layer loads and validates it,
classifies a described AI system under the EU AI Act, and computes which requirements an
audit's checks give evidence for. It imports only ``accord.core``.
"""

from accord.governance._catalog import (
    Catalog,
    data_dir,
    load_catalog,
    requirements_for_check,
    validate,
)
from accord.governance._classify import (
    DISCLAIMER,
    TIER_LABELS,
    Classification,
    Decision,
    Obligation,
    classify,
    normalise_answers,
)
from accord.governance._coverage import (
    STATUS_LABELS,
    STATUSES,
    AuditEvidence,
    CheckEvidence,
    Coverage,
    FrameworkCoverage,
    ProcessEvidence,
    RequirementCoverage,
    check_types_of,
    compute_coverage,
    evidence_from_audit,
    parse_checklist_answers,
)
from accord.governance._models import (
    THEME_IDS,
    ApplicationDate,
    ChecklistQuestion,
    CheckType,
    Framework,
    Item,
    Link,
    MatchType,
    Source,
    Theme,
    Verification,
)
from accord.governance._questions import ANNEX_I, ANNEX_III, QUESTIONS, QUESTIONS_BY_ID, Question

__all__ = [
    "ANNEX_I",
    "ANNEX_III",
    "DISCLAIMER",
    "QUESTIONS",
    "QUESTIONS_BY_ID",
    "STATUSES",
    "STATUS_LABELS",
    "THEME_IDS",
    "TIER_LABELS",
    "ApplicationDate",
    "AuditEvidence",
    "Catalog",
    "CheckEvidence",
    "CheckType",
    "ChecklistQuestion",
    "Classification",
    "Coverage",
    "Decision",
    "FrameworkCoverage",
    "Obligation",
    "ProcessEvidence",
    "Question",
    "RequirementCoverage",
    "Framework",
    "Item",
    "Link",
    "MatchType",
    "Source",
    "Theme",
    "Verification",
    "check_types_of",
    "classify",
    "compute_coverage",
    "data_dir",
    "evidence_from_audit",
    "load_catalog",
    "normalise_answers",
    "parse_checklist_answers",
    "requirements_for_check",
    "validate",
]
