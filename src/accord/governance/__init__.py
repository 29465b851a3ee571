"""Governance knowledge: the frameworks catalog, the crosswalk, risk classification and
evidence coverage.

The catalog is data (YAML files shipped in the package); this layer loads and validates it,
classifies a described AI system under the EU AI Act, and computes which requirements an
audit's checks give evidence for. It imports only ``accord.core``.
"""

from accord.governance._catalog import (
    Catalog,
    load_catalog,
    requirements_for_check,
    validate,
)
from accord.governance._models import (
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

__all__ = [
    "ApplicationDate",
    "Catalog",
    "CheckType",
    "ChecklistQuestion",
    "Framework",
    "Item",
    "Link",
    "MatchType",
    "Source",
    "Theme",
    "Verification",
    "load_catalog",
    "requirements_for_check",
    "validate",
]
