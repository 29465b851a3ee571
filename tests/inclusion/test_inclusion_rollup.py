"""Rolling countries up to UN M49 sub-regions and regions is a grouping of the same cells.

Property: for any data, the counts, accuracies and missing shares of every
region (and sub-region, and region x other attribute) equal a direct Polars
group-by on a region column added to the rows.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from accord.inclusion import assess, country_table

COUNTRIES = [
    "Mexico",
    "India",
    "Germany",
    "Japan",
    "Kenya",
    "Brazil",
    "France",
    "Viet Nam",
    "United-States",
    "England",
    "Scotland",
    "Columbia",
    "Taiwan",
    "Atlantis",
]


def _level(value: str | None, level: str) -> str | None:
    if value is None:
        return None
    country = country_table().resolve(value)
    if country is None:
        return "(unrecognised)"
    return country.at(level)


rows = hs.lists(
    hs.tuples(
        hs.sampled_from([*COUNTRIES, None]),
        hs.sampled_from(["en", "es", "hi"]),
        hs.booleans(),
        hs.booleans(),
        hs.one_of(hs.none(), hs.integers(0, 5)),
    ),
    min_size=20,
    max_size=300,
)


def _frame(data: list[tuple[str | None, str, bool, bool, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        data,
        schema={
            "country": pl.String,
            "lang": pl.String,
            "y": pl.Boolean,
            "p": pl.Boolean,
            "x": pl.Int64,
        },
        orient="row",
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_region_rollups_equal_direct_group_bys(data: list[tuple]) -> None:  # type: ignore[type-arg]
    df = _frame(data)
    if df.get_column("country").drop_nulls().n_unique() < 3:
        df = pl.concat(
            [
                df,
                _frame(
                    [
                        ("Mexico", "en", True, True, 1),
                        ("India", "hi", False, True, 2),
                        ("Germany", "es", True, False, None),
                    ]
                ),
            ]
        )
    result = assess(
        df,
        groups=["country", "lang"],
        label="y",
        prediction="p",
        country="country",
        bootstrap=0,
        proxies=False,
        settings=None,
        min_group_size=1,
        suppress_below=0,
    )
    stats = result.stats
    perf = {tuple(g.attributes): g for g in stats.performance.groupings}
    miss = {m.attribute: m for m in stats.missingness}
    for level in ("subregion", "region"):
        col = f"country:{level}"
        direct = (
            df.with_columns(
                pl.col("country")
                .map_elements(lambda v, lv=level: _level(v, lv), return_dtype=pl.String)
                .alias(col)
            )
            .group_by(col)
            .agg(n=pl.len(), ok=(pl.col("y") == pl.col("p")).sum())
        )
        expected = {
            (r[col] if r[col] is not None else "(missing)"): (r["n"], r["ok"])
            for r in direct.iter_rows(named=True)
        }
        got = {g.key[col]: g for g in perf[(col,)].groups}
        assert set(got) == set(expected)
        for name, (n, ok) in expected.items():
            assert got[name].n == n
            assert got[name].accuracy.value == pytest.approx(ok / n)
        # An intersection with the other attribute rolls up the same way.
        pair = (
            df.with_columns(
                pl.col("country")
                .map_elements(lambda v, lv=level: _level(v, lv), return_dtype=pl.String)
                .fill_null("(missing)")
                .alias(col)
            )
            .group_by(col, "lang")
            .len()
        )
        got_pair = {(g.key[col], g.key["lang"]): g.n for g in perf[(col, "lang")].groups}
        assert got_pair == {(r[col], r["lang"]): r["len"] for r in pair.iter_rows(named=True)}
    # Missing shares of a feature per country equal a direct count of nulls.
    direct_x = df.group_by("country").agg(rate=pl.col("x").is_null().mean())
    rates = {g.key["country"]: g.rates.get("x") for g in miss["country"].groups}
    for r in direct_x.iter_rows(named=True):
        key = r["country"] if r["country"] is not None else "(missing)"
        if df["x"].null_count():
            assert rates[key] == pytest.approx(r["rate"])


def test_adult_rollup_of_countries_to_regions(adult_path: object) -> None:
    result = assess(
        adult_path,
        groups=["native_country"],
        label="income",
        prediction="prediction",
        bootstrap=0,
        proxies=False,
        suppress_below=0,
    )
    stats = result.stats
    dim = stats.dimensions[0]
    assert dim.kind == "country"  # detected from the values
    assert sorted(dim.unrecognised) == ["Outlying-US(Guam-USVI-etc)", "South"]
    perf = {tuple(g.attributes): g for g in stats.performance.groupings}
    regions = {
        g.key["native_country:region"]: g.n for g in perf[("native_country:region",)].groups
    }
    countries = {g.key["native_country"]: g.n for g in perf[("native_country",)].groups}
    table = country_table()
    americas = sum(
        n
        for c, n in countries.items()
        if (hit := table.resolve(c)) is not None and hit.region == "Americas"
    )
    assert regions["Americas"] == americas
    assert sum(regions.values()) == sum(countries.values()) == stats.rows
