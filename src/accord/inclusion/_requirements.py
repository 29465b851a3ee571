"""The framework requirements each inclusion check is evidence for, in one place.

The ids are those of the governance catalog (``accord/governance/data/checks.yaml``),
which sits in a layer above this one and so cannot be imported here; the test
suite checks that the two agree. Missingness by group is a kind of data gap:
its check id resolves to the catalog's ``inclusion.coverage_gaps`` through the
alias ``inclusion.coverage_gaps.*``.

- EU AI Act (Regulation (EU) 2024/1689) Art 10: 10(2)(f)-(g) examine data for
  biases and mitigate them; 10(2)(h) identify data gaps; 10(3) data relevant,
  sufficiently representative and as complete as possible; 10(4) data that
  reflect the geographical, contextual, behavioural or functional setting of
  use. Art 13(3)(b)(v): performance on specific persons or groups.
- OECD AI Principle 1.1 (inclusive growth; include under-represented groups).
- UNESCO Recommendation on the Ethics of AI: V3 (diversity and inclusiveness),
  P3 (fairness, benefits accessible across and within countries), PA7
  (cultural and linguistic diversity).
- UN General Assembly resolution A/RES/78/265 (bridge AI and digital divides).
"""

from __future__ import annotations

REPRESENTATION = "inclusion.representation"
COVERAGE_GAPS = "inclusion.coverage_gaps"
PERFORMANCE_BY_REGION = "inclusion.performance_by_region"
MISSINGNESS = "inclusion.coverage_gaps.missingness"
PROXIES = "inclusion.proxies"

_DATA_GAPS = (
    "EUAIA:Art10(2)(h)",
    "EUAIA:Art10(4)",
    "NIST-RMF:MAP-2.3",
    "ISO42001:A.7.4",
    "UNESCO:V3",
    "OECD:1.1",
    "AU-CAIS:R6",
    "UNGA:78/265.divide",
)

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    REPRESENTATION: (
        "EUAIA:Art10(3)",
        "EUAIA:Art10(4)",
        "EUAIA:Art26(4)",
        "NIST-RMF:MAP-2.3",
        "NIST-RMF:MEASURE-2.2",
        "ISO42001:A.7.4",
        "CN-GAI2023:Art7",
        "CN-EN2021:R2",
        "UNESCO:V3",
        "UNESCO:P3",
        "AU-CAIS:R6",
    ),
    COVERAGE_GAPS: _DATA_GAPS,
    PERFORMANCE_BY_REGION: (
        "EUAIA:Art10(4)",
        "EUAIA:Art13(3)(b)(v)",
        "NIST-RMF:MEASURE-2.11",
        "NIST-RMF:MEASURE-4.3",
        "UNESCO:P3",
        "UNESCO:PA7",
        "OECD:1.1",
        "CN-GAGI:10",
        "UNGA:78/265.divide",
        "AU-CAIS:R6",
    ),
    MISSINGNESS: _DATA_GAPS,
    PROXIES: (
        "EUAIA:Art10(2)(f)",
        "EUAIA:Art10(2)(g)",
        "NIST-RMF:MEASURE-2.11",
        "NIST-RMF:MAP-2.3",
        "ISO42001:A.7.6",
        "SG-AIV:P7",
        "CN-EN2021:R4",
    ),
}


def requirements_for(check: str) -> list[str]:
    """List the requirement ids a check is evidence for.

    Examples
    --------
    >>> requirements_for("inclusion.proxies")[0]
    'EUAIA:Art10(2)(f)'
    """
    return list(REQUIREMENTS[check])
