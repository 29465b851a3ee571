"""Demo content for ``accord serve --demo``: systems with several audited versions each.

The audits are real: synthetic predictions are written to a CSV file and audited
with ``accord.audit`` under the ``four-fifths`` and ``equalized-odds`` policy presets;
each version has a different built-in disparity, so the timelines move. Each system is
classified with :func:`accord.governance.classify` from an answer file, and answers the
governance checklist from another (``demo/<system>.classify.yaml`` and
``demo/<system>.checklist.yaml``: the formats ``accord classify --answers`` and
``accord coverage --checklist`` read).
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from accord.core import Progress, SilentProgress
from accord.governance import parse_checklist_answers
from accord.registry._governance import REGISTRY_ANSWER
from accord.registry._store import Registry

ACTOR = "local:demo"
#: The policy presets every demo audit is judged against.
PRESETS = ("four-fifths", "equalized-odds")


@dataclass(frozen=True)
class DemoSystem:
    """One demo system and how its versions behave."""

    name: str
    fields: dict[str, Any]
    versions: tuple[tuple[str, float], ...]  # (version, gap in selection rate for group B)


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
        },
        versions=(("1.0", 0.16), ("1.1", 0.12), ("2.0", 0.07), ("2.1", 0.04)),
    ),
    DemoSystem(
        name="cv-screening",
        fields={
            "owner": "Talent acquisition",
            "purpose": "Rank applications for interview",
            "domain": "employment",
            "countries": ["US", "IE", "GB"],
            "languages": ["en"],
            "lifecycle": "validation",
        },
        versions=(("0.9", 0.05), ("1.0", 0.11), ("1.2", 0.19)),
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
        },
        versions=(),
    ),
)


def demo_answers(system: str, kind: str) -> dict[str, Any]:
    """The demo answer file of one system: ``kind`` is ``classify`` or ``checklist``
    (an empty mapping when the system has none).

    Examples
    --------
    >>> demo_answers("loan-approval", "classify")["annex3.uses"]
    ['5(b)']
    """
    entry = files("accord.registry") / "demo" / f"{system}.{kind}.yaml"
    if not entry.is_file():
        return {}
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return dict(data or {})


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
    >>> reg.get_system("cv-screening").risk_tier
    'high_risk'
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
            registry.classify_system(ACTOR, system.name, demo_answers(system.name, "classify"))
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
                    preset=list(PRESETS),
                )
                when = now - timedelta(days=61 * (len(system.versions) - 1 - i))
                result = result.model_copy(update={"created_at": when})
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
            answers = parse_checklist_answers(demo_answers(system.name, "checklist"))
            for qid, given in answers.items():
                assert given.answer is not None
                registry.answer_checklist(
                    ACTOR,
                    system.name,
                    qid,
                    REGISTRY_ANSWER[given.answer],
                    evidence_url=given.evidence,
                    comment=given.note or "",
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
