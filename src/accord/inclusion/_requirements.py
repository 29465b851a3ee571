"""The framework requirements each inclusion check is evidence for, in one place.

The ids follow ``<framework>:<article or principle>``. They will be looked up
in the governance catalog once it exists; until then they are declared here,
so that every finding names what it evidences.

- EU AI Act (Regulation (EU) 2024/1689) Art 10: 10(2)(f)-(g) examine data for
  biases and mitigate them; 10(2)(h) identify data gaps; 10(3) data relevant,
  sufficiently representative and as complete as possible, with appropriate
  statistical properties for the persons or groups concerned; 10(4) data that
  reflect the geographical, contextual, behavioural or functional setting of
  use. Art 13(3)(b)(v): performance on specific persons or groups.
- OECD AI Principles 1.1 (inclusive growth; include under-represented groups,
  reduce inequalities) and 2.2 (an inclusive AI-enabling ecosystem).
- UNESCO Recommendation on the Ethics of AI: value V3 (diversity and
  inclusiveness), principle P3 (fairness and non-discrimination, benefits
  accessible across and within countries).
- UN General Assembly resolution A/RES/78/265 (bridge AI and digital divides
  between and within countries).
"""

from __future__ import annotations

REPRESENTATION = "inclusion.representation"
COVERAGE_GAPS = "inclusion.coverage_gaps"
PERFORMANCE_BY_REGION = "inclusion.performance_by_region"
MISSINGNESS = "inclusion.missingness"
PROXIES = "inclusion.proxies"

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    REPRESENTATION: (
        "eu-ai-act:art-10.2.f",
        "eu-ai-act:art-10.3",
        "eu-ai-act:art-10.4",
        "oecd:1.1",
        "unesco:v3",
        "unesco:p3",
        "unga:78-265",
    ),
    COVERAGE_GAPS: (
        "eu-ai-act:art-10.2.h",
        "eu-ai-act:art-10.3",
        "eu-ai-act:art-10.4",
        "oecd:1.1",
        "unesco:v3",
    ),
    PERFORMANCE_BY_REGION: (
        "eu-ai-act:art-10.4",
        "eu-ai-act:art-13.3.b.v",
        "oecd:1.1",
        "oecd:2.2",
        "unesco:p3",
        "unga:78-265",
    ),
    MISSINGNESS: ("eu-ai-act:art-10.2.h", "eu-ai-act:art-10.3", "unesco:v3"),
    PROXIES: ("eu-ai-act:art-10.2.f", "eu-ai-act:art-10.2.g", "unesco:p3"),
}


def requirements_for(check: str) -> list[str]:
    """List the requirement ids a check is evidence for.

    Examples
    --------
    >>> requirements_for("inclusion.proxies")[0]
    'eu-ai-act:art-10.2.f'
    """
    return list(REQUIREMENTS[check])
