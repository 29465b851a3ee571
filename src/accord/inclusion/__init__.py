"""Inclusion: who the data and the model leave out.

Representation against a reference population, coverage gaps (blind spots),
performance across countries, UN M49 sub-regions and regions, missingness by
group, and proxies of group attributes. The statistics are pure functions of
the strata of the inclusion passes (``accord.engine.inclusion_pass``); this
package is the layer above ``accord.fairness`` and reuses its metrics,
intervals and bootstrap.

    import accord.inclusion
    result = accord.inclusion.assess("data.csv", groups=["country", "language"],
                                     reference="reference.csv",
                                     label="y", prediction="y_hat")
"""

from accord.inclusion._analyse import analyse
from accord.inclusion._assess import InclusionResult, SourceInfo, assess, json_schema, measure
from accord.inclusion._association import Association, association
from accord.inclusion._geo import GEO_LEVELS, Country, CountryTable, country_table
from accord.inclusion._gof import (
    exact_multinomial,
    goodness_of_fit,
    kl_divergence,
    total_variation,
)
from accord.inclusion._models import (
    BlindSpot,
    Coverage,
    Dimension,
    GoodnessOfFit,
    GroupPerformance,
    GroupShare,
    InclusionSettings,
    InclusionStats,
    MissingFlag,
    MissingGroup,
    Missingness,
    Performance,
    PerformanceGrouping,
    Proxies,
    ProxyScore,
    Representation,
    make_settings,
)
from accord.inclusion._reference import BUNDLED, ReferencePopulation, load_reference
from accord.inclusion._requirements import REQUIREMENTS, requirements_for
from accord.inclusion._samplesize import coverage_probability, sample_size, wilson_width

__all__ = [
    "BUNDLED",
    "GEO_LEVELS",
    "REQUIREMENTS",
    "Association",
    "BlindSpot",
    "Country",
    "CountryTable",
    "Coverage",
    "Dimension",
    "GoodnessOfFit",
    "GroupPerformance",
    "GroupShare",
    "InclusionResult",
    "InclusionSettings",
    "InclusionStats",
    "MissingFlag",
    "MissingGroup",
    "Missingness",
    "Performance",
    "PerformanceGrouping",
    "Proxies",
    "ProxyScore",
    "ReferencePopulation",
    "Representation",
    "SourceInfo",
    "analyse",
    "assess",
    "association",
    "country_table",
    "coverage_probability",
    "exact_multinomial",
    "goodness_of_fit",
    "json_schema",
    "kl_divergence",
    "load_reference",
    "make_settings",
    "measure",
    "requirements_for",
    "sample_size",
    "total_variation",
    "wilson_width",
]
