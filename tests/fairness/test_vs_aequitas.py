"""accord against Aequitas's crosstabs and disparities on Adult.

Aequitas audits one attribute at a time; an intersection is audited, as its users do, on a
column that concatenates the attributes. Every group metric Aequitas defines is accord's to
1e-9, and both leave a rate with a zero denominator undefined (NaN in Aequitas).
"""

from __future__ import annotations

import math

import pandas as pd
import polars as pl
import pytest

import accord
from accord.core import ValueStatus

from .accord_groups import GROUPINGS, REFERENCE_COLUMN, audit_adult, groups_of, reference_of

pytestmark = pytest.mark.filterwarnings("ignore")

TOL = 1e-9
#: Aequitas's crosstab column -> accord's metric.
METRICS = {
    "accuracy": "accuracy",
    "tpr": "tpr",
    "tnr": "tnr",
    "fpr": "fpr",
    "fnr": "fnr",
    "for": "for",
    "fdr": "fdr",
    "npv": "npv",
    "precision": "ppv",
    "pprev": "selection_rate",
    "prev": "base_rate",
}
SEP = "|"


def _joined(attributes: tuple[str, ...]) -> str:
    return SEP.join(attributes)


def _aequitas_frame(df: pl.DataFrame) -> pd.DataFrame:
    columns = {"score": df["pred"].to_numpy(), "label_value": df["y"].to_numpy()}
    for attributes in GROUPINGS:
        parts = [pl.col(REFERENCE_COLUMN[a]) for a in attributes]
        columns[_joined(attributes)] = (
            df.select(pl.concat_str(parts, separator=SEP)).to_series().to_numpy().astype(object)
        )
    return pd.DataFrame(columns)


@pytest.fixture(scope="module")
def crosstab(adult: pl.DataFrame) -> tuple[accord.AuditResult, pd.DataFrame, pd.DataFrame]:
    from aequitas.group import Group

    result = audit_adult(adult)
    frame = _aequitas_frame(adult)
    table, _ = Group().get_crosstabs(frame, attr_cols=[_joined(a) for a in GROUPINGS])
    return result, frame, table


def test_group_metrics_match_aequitas_crosstabs(
    crosstab: tuple[accord.AuditResult, pd.DataFrame, pd.DataFrame],
) -> None:
    result, _, table = crosstab
    problems, worst, undefined = [], 0.0, 0
    for attributes in GROUPINGS:
        ours = groups_of(result, attributes)
        theirs = table[table["attribute_name"] == _joined(attributes)]
        assert len(theirs) == len(ours)
        for _, row in theirs.iterrows():
            key = tuple(row["attribute_value"].split(SEP))
            group = ours[key]
            assert group.n == row["group_size"]
            for column, name in METRICS.items():
                mine, ref = group.metrics[name], float(row[column])
                if mine.status == ValueStatus.OK:
                    assert mine.value is not None
                    worst = max(worst, abs(mine.value - ref))
                    if not abs(mine.value - ref) <= TOL:
                        problems.append(f"{key} {name}: accord {mine.value}, Aequitas {ref}")
                else:
                    undefined += 1
                    if not (mine.value is None and math.isnan(ref)):
                        problems.append(f"{key} {name}: accord {mine.status}, Aequitas {ref}")
    assert not problems, "\n".join(problems[:20])
    assert worst <= TOL
    assert undefined > 0  # groups without positives exist in Adult's intersections


def test_disparity_ratios_match_aequitas(
    crosstab: tuple[accord.AuditResult, pd.DataFrame, pd.DataFrame],
) -> None:
    """Aequitas's disparity is the ratio of a group's metric to the reference group's."""
    from aequitas.bias import Bias

    result, frame, table = crosstab
    refs = {_joined(a): SEP.join(reference_of(result, a)) for a in GROUPINGS}
    bias = Bias().get_disparity_predefined_groups(table, original_df=frame, ref_groups_dict=refs)
    compared = 0
    for attributes in GROUPINGS:
        grouping = result.fairness.grouping(list(attributes))
        assert grouping is not None
        rows = bias[bias["attribute_name"] == _joined(attributes)]
        for column, name in METRICS.items():
            if f"{column}_disparity" not in rows:
                continue
            ours = {
                tuple(d.key[a] for a in attributes): d.ratio for d in grouping.disparities[name]
            }
            for _, row in rows.iterrows():
                key = tuple(row["attribute_value"].split(SEP))
                if key not in ours:  # the reference group itself
                    assert row[f"{column}_disparity"] == 1.0
                    continue
                ratio, ref = ours[key], float(row[f"{column}_disparity"])
                if ratio.status == ValueStatus.OK:
                    assert ratio.value is not None
                    assert abs(ratio.value - ref) <= TOL, (attributes, key, name)
                    compared += 1
                else:
                    assert ratio.value is None and not math.isfinite(ref), (key, name, ref)
    assert compared > 100
