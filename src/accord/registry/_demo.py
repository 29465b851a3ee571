"""Demo content for ``accord serve --demo``: systems with several audited versions each.

The audits are real: synthetic predictions are written to a CSV file and audited
with ``accord.audit``; each version has a different built-in disparity, so the
timelines move. The findings come from two simple checks written here (the
selection-rate ratio of the four-fifths rule, and a bound on the true-positive-rate
gap) until policies supply their own.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from accord.core import Estimate, Finding, FindingStatus, Progress, SilentProgress
from accord.registry._store import Registry
from accord.report import AuditResult

ACTOR = "local:demo"
_ANNEX_III_FROM = "2027-12-02"  # Annex III obligations, as amended in 2026
_HIGH_RISK_DUTIES = [
    ("Risk management system", "EU AI Act Art. 9"),
    ("Data and data governance: examine training data for possible biases", "EU AI Act Art. 10"),
    ("Technical documentation", "EU AI Act Art. 11"),
    ("Record-keeping: automatic event logs", "EU AI Act Art. 12"),
    ("Transparency and information to deployers", "EU AI Act Art. 13"),
    ("Human oversight", "EU AI Act Art. 14"),
    ("Accuracy, robustness and cybersecurity", "EU AI Act Art. 15"),
]


@dataclass(frozen=True)
class DemoSystem:
    """One demo system and how its versions behave."""

    name: str
    fields: dict[str, Any]
    versions: tuple[tuple[str, float], ...]  # (version, gap in selection rate for group B)
    checklist: tuple[tuple[str, str, str], ...] = ()


def _high_risk(point: str, why: str, extra: list[dict[str, str]] | None = None) -> dict[str, Any]:
    duties = [
        {"title": t, "reference": r, "applies_from": _ANNEX_III_FROM} for t, r in _HIGH_RISK_DUTIES
    ]
    return {
        "tier": "high-risk",
        "framework": "EU AI Act",
        "reasons": [
            f"Annex III point {point}: {why} (Art. 6(2))",
            "Profiles natural persons, so the Art. 6(3) exception does not apply",
        ],
        "obligations": duties + (extra or []),
        "source": "demo classification",
    }


SYSTEMS = (
    DemoSystem(
        name="loan-approval",
        fields={
            "owner": "Retail credit risk",
            "purpose": "Approve or refer consumer loan applications",
            "domain": "credit",
            "countries": ["DE", "FR", "NL"],
            "languages": ["de", "fr", "nl", "en"],
            "lifecycle": "deployed",
            "classification": _high_risk("5(b)", "creditworthiness of natural persons"),
        },
        versions=(("1.0", 0.16), ("1.1", 0.12), ("2.0", 0.07), ("2.1", 0.04)),
        checklist=(
            (
                "data-governance-bias-examination",
                "yes",
                "https://wiki.example.org/loan-approval/data-review",
            ),
            ("human-oversight-procedure", "partial", ""),
        ),
    ),
    DemoSystem(
        name="cv-screening",
        fields={
            "owner": "Talent acquisition",
            "purpose": "Rank applications for interview",
            "domain": "employment",
            "countries": ["US", "GB"],
            "languages": ["en"],
            "lifecycle": "validation",
            "classification": _high_risk(
                "4(a)",
                "recruitment and selection",
                [
                    {
                        "title": "Independent bias audit within one year before use, summary "
                        "published",
                        "reference": "NYC Local Law 144",
                        "applies_from": "2023-07-05",
                    }
                ],
            ),
        },
        versions=(("0.9", 0.05), ("1.0", 0.11), ("1.2", 0.19)),
        checklist=(("candidate-notice", "no", ""),),
    ),
    DemoSystem(
        name="benefit-triage",
        fields={
            "owner": "Social services analytics",
            "purpose": "Prioritise benefit claims for manual review",
            "domain": "public services",
            "countries": ["IN"],
            "languages": ["hi", "en", "ta"],
            "lifecycle": "development",
            "classification": _high_risk("5(a)", "eligibility for public assistance benefits"),
        },
        versions=(("3.0", 0.09), ("3.1", 0.06), ("3.2", 0.08)),
    ),
    DemoSystem(
        name="support-chat-router",
        fields={
            "owner": "Customer service",
            "purpose": "Route chat messages to a team",
            "domain": "customer service",
            "countries": ["DE", "ES"],
            "languages": ["de", "es", "en"],
            "lifecycle": "design",
            "risk_tier": "minimal",
        },
        versions=(),
    ),
)


def seed_demo(
    registry: Registry,
    *,
    rows: int = 4000,
    bootstrap: int = 200,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> int:
    """Fill an empty registry with the demo systems and their audits.

    Parameters
    ----------
    registry
        A registry whose schema is up to date; nothing happens if it holds systems.
    rows
        Rows of synthetic data per audit.
    bootstrap
        Bootstrap replicates per audit.
    progress
        Progress reporting (a bar on the command line).
    now
        The date of the last audit (default: today); earlier versions are spaced
        about two months apart before it.

    Returns
    -------
    int
        The number of audits recorded (0 if the registry was not empty).

    Examples
    --------
    >>> reg = Registry("sqlite:///:memory:"); reg.upgrade()
    >>> seed_demo(reg, rows=400, bootstrap=0)
    10
    """
    import accord

    if registry.list_systems(limit=1).total:
        return 0
    progress = progress or SilentProgress()
    now = now or datetime.now(UTC).replace(microsecond=0)
    total = sum(len(s.versions) for s in SYSTEMS)
    progress.stage("Seeding the demo registry", total=total)
    recorded = 0
    rng = np.random.default_rng(20240601)
    with tempfile.TemporaryDirectory() as tmp:
        for system in SYSTEMS:
            registry.create_system(ACTOR, system.name, **system.fields)
            for i, (version, gap) in enumerate(system.versions):
                path = Path(tmp) / f"{system.name}-{version}.csv"
                _write_data(path, rng, rows, gap)
                result = accord.audit(
                    path,
                    label="approved",
                    prediction="predicted",
                    score="score",
                    sensitive=["sex", "age_band"],
                    bootstrap=bootstrap,
                    seed=i,
                    max_order=2,
                )
                when = now - timedelta(days=61 * (len(system.versions) - 1 - i))
                result = result.model_copy(
                    update={"created_at": when, "findings": demo_findings(result)}
                )
                audit = registry.record_audit(ACTOR, system.name, version, result)
                recorded += 1
                progress.advance()
                if i == len(system.versions) - 1:
                    registry.set_alias(ACTOR, system.name, "production", version)
                    if audit.status == "pass":
                        registry.sign_off(
                            ACTOR,
                            system.name,
                            version,
                            decision="approved",
                            use="production decisions, with human review",
                            comment="Audit passed; re-audit in six months.",
                            audit_id=audit.id,
                        )
            for item, answer, url in system.checklist:
                registry.answer_checklist(
                    ACTOR, system.name, item, answer, evidence_url=url or None
                )
    return recorded


def _write_data(path: Path, rng: np.random.Generator, rows: int, gap: float) -> None:
    """Synthetic applicants: the model selects group ``F`` and the oldest band less often."""
    sex = rng.choice(["F", "M"], size=rows, p=[0.45, 0.55])
    age = rng.choice(["18-30", "31-50", "51+"], size=rows, p=[0.3, 0.45, 0.25])
    label = rng.random(rows) < 0.45
    base = np.where(label, 0.72, 0.22)
    shift = np.where(sex == "F", -gap, 0.0) + np.where(age == "51+", -gap / 2, 0.0)
    score = np.clip(base + shift + rng.normal(0, 0.15, rows), 0.001, 0.999)
    predicted = score >= 0.5
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sex", "age_band", "approved", "predicted", "score"])
        for row in zip(
            sex, age, label.astype(int), predicted.astype(int), score.round(4), strict=True
        ):
            writer.writerow(row)


def demo_findings(result: AuditResult) -> list[Finding]:
    """Two checks per sensitive attribute: selection-rate ratio >= 0.8 (fail) and a
    true-positive-rate gap <= 0.1 (warn), judged on the point estimate, with a warning
    when the interval straddles the threshold.
    """
    out: list[Finding] = []
    for grouping in result.fairness.groupings:
        if len(grouping.attributes) != 1:
            continue
        attr = grouping.attributes[0]
        sel = grouping.summaries.get("selection_rate")
        if sel is not None:
            out.append(
                _judge(
                    f"four-fifths-{attr}",
                    f"Selection-rate ratio by {attr} ≥ 0.8",
                    attr,
                    "selection_rate",
                    "min_max_ratio",
                    sel.min_max_ratio,
                    {"gte": 0.8},
                    "fail",
                )
            )
        tpr = grouping.summaries.get("tpr")
        if tpr is not None:
            out.append(
                _judge(
                    f"tpr-gap-{attr}",
                    f"True-positive-rate gap by {attr} ≤ 0.1",
                    attr,
                    "tpr",
                    "max_min_difference",
                    tpr.max_min_difference,
                    {"lte": 0.1},
                    "warn",
                )
            )
    return out


def _judge(
    check_id: str,
    title: str,
    attr: str,
    metric: str,
    measure: str,
    est: Estimate,
    threshold: dict[str, float],
    severity: str,
) -> Finding:
    if est.value is None:
        status = FindingStatus.INSUFFICIENT_DATA
        message = "not enough data to judge"
    else:
        ((op, bound),) = threshold.items()
        ok = est.value >= bound if op == "gte" else est.value <= bound
        lo, hi = est.ci_low, est.ci_high
        straddles = lo is not None and hi is not None and lo <= bound <= hi
        if not ok:
            status = FindingStatus.FAIL if severity == "fail" else FindingStatus.WARN
        elif straddles:
            status = FindingStatus.WARN
        else:
            status = FindingStatus.PASS
        message = f"{measure.replace('_', ' ')} {est.value:.3f} (threshold {op} {bound})"
    return Finding(
        check_id=check_id,
        title=title,
        status=status,
        severity=severity,  # type: ignore[arg-type]
        metric=metric,
        measure=measure,
        grouping=[attr],
        value=est,
        threshold=threshold,
        message=message,
    )
