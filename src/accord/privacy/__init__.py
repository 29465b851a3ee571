"""Privacy: re-identification risk, PII detection and anonymisation.

Everything here but the entry points that open data (``assess``) is a pure
function over the counts of the privacy pass (equivalence classes and their
sensitive histograms).
"""

# Re-exported: the disclosure rule lives in core, shared by every report.
from accord.core import SUPPRESS_BELOW, coarsen_count, suppress_small_counts
from accord.privacy._anonymize import AnonymizationResult, anonymize, load_config
from accord.privacy._assess import assess, classes_from_pass
from accord.privacy._attributes import CombinationRisk, combination_risk, rank_attributes
from accord.privacy._classes import ClassTable, SensitiveHistogram, build_classes, project, roll_up
from accord.privacy._config import AnonymizeConfig
from accord.privacy._criteria import (
    distinct_l,
    entropy,
    recursive_ratio,
    reference_distribution,
    t_equal,
    t_ordered,
)
from accord.privacy._dp import (
    DpCount,
    DpRate,
    DpRateRelease,
    DpRelease,
    count_bound,
    dp_counts,
    dp_rates,
    rate_interval,
)
from accord.privacy._dp_groups import (
    DpGroup,
    DpGrouping,
    DpGroupRelease,
    DpInterval,
    DpShare,
    GroupCounts,
    dp_group_release,
)
from accord.privacy._hierarchy import Hierarchy
from accord.privacy._pii import PiiFinding, PiiResult, column_evidence, mask, scan_values
from accord.privacy._pii_scan import scan_pii
from accord.privacy._recognizers import (
    RECOGNIZERS,
    Recognizer,
    find_all,
    register_recognizer,
    stdnum_recognizer,
)
from accord.privacy._report import PrivacyResult
from accord.privacy._risk import AttackerRisk, RiskSummary, risk_summary
from accord.privacy._suggest import QuasiIdentifierSuggestion, suggest_quasi_identifiers
from accord.privacy._uniqueness import (
    REGIONS,
    PopulationUniqueness,
    UniquenessEstimate,
    population_uniqueness,
)

__all__ = [
    "DpCount",
    "DpRate",
    "DpRateRelease",
    "DpRelease",
    "DpGroup",
    "DpGroupRelease",
    "DpGrouping",
    "DpInterval",
    "DpShare",
    "GroupCounts",
    "count_bound",
    "dp_counts",
    "dp_group_release",
    "dp_rates",
    "rate_interval",
    "RECOGNIZERS",
    "PiiFinding",
    "PiiResult",
    "Recognizer",
    "column_evidence",
    "find_all",
    "mask",
    "register_recognizer",
    "scan_pii",
    "scan_values",
    "stdnum_recognizer",
    "AnonymizationResult",
    "AnonymizeConfig",
    "Hierarchy",
    "REGIONS",
    "SUPPRESS_BELOW",
    "AttackerRisk",
    "ClassTable",
    "CombinationRisk",
    "PopulationUniqueness",
    "PrivacyResult",
    "QuasiIdentifierSuggestion",
    "RiskSummary",
    "SensitiveHistogram",
    "UniquenessEstimate",
    "anonymize",
    "assess",
    "build_classes",
    "classes_from_pass",
    "coarsen_count",
    "combination_risk",
    "distinct_l",
    "entropy",
    "load_config",
    "population_uniqueness",
    "project",
    "rank_attributes",
    "recursive_ratio",
    "reference_distribution",
    "risk_summary",
    "roll_up",
    "suggest_quasi_identifiers",
    "suppress_small_counts",
    "t_equal",
    "t_ordered",
]
