"""Reference population files and the UN M49 country table shipped with accord."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from accord.core import UsageError
from accord.inclusion import BUNDLED, assess, country_table, load_reference

ROOT = Path(__file__).resolve().parents[2]


def test_csv_and_yaml_references(tmp_path: Path) -> None:
    csv = tmp_path / "ref.csv"
    csv.write_text(
        "# languages spoken at home\nattribute,group,share\nlang,en,0.7\n"
        "lang,sw,0.2\nlang,yo,0.1\nsex,F,0.5\nsex,M,0.5\n",
        encoding="utf-8",
    )
    pops = load_reference(csv)
    assert [(p.attribute, p.kind) for p in pops] == [("lang", "share"), ("sex", "share")]
    assert pops[0].shares() == pytest.approx({"en": 0.7, "sw": 0.2, "yo": 0.1})
    single = tmp_path / "one.csv"
    single.write_text("group,count\nen,700\nsw,300\n", encoding="utf-8")
    assert load_reference(single, groups=["lang"])[0].shares() == {"en": 0.7, "sw": 0.3}
    yml = tmp_path / "ref.yaml"
    yml.write_text(
        "name: test\nsource: made up\npopulations:\n  - attribute: country\n"
        "    level: region\n    counts: {Africa: 3, Europe: 1}\n",
        encoding="utf-8",
    )
    pop = load_reference(yml)[0]
    assert (pop.level, pop.name, pop.source) == ("region", "test", "made up")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("group,share\nen,0.7\nsw,0.2\n", "sum to 0.9"),
        ("group,share,count\nen,0.7,1\n", "one of 'count' or 'share'"),
        ("group,count\nen,-3\n", "must be positive"),
        ("group,count\nen,lots\n", "not a number"),
        ("attribute,level,group,count\nlang,continent,en,1\n", "unknown level"),
        ("group,count\nen,1\nen,2\n", "listed twice"),
    ],
)
def test_bad_reference_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ref.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_reference(path, groups=["lang"])


def test_a_csv_without_attribute_needs_a_single_group(tmp_path: Path) -> None:
    path = tmp_path / "ref.csv"
    path.write_text("group,share\nen,0.5\nsw,0.5\n", encoding="utf-8")
    with pytest.raises(UsageError, match="attribute"):
        load_reference(path, groups=["lang", "sex"])
    with pytest.raises(UsageError, match="bundled"):
        load_reference("us-census-1999")


def test_region_names_are_checked_against_m49() -> None:
    df = pl.DataFrame({"country": ["Mexico", "India", "Kenya"] * 20})
    with pytest.raises(UsageError, match="did you mean 'Africa'"):
        assess(
            df,
            groups="country",
            bootstrap=0,
            reference=load_reference({"country": {"Afrika": 1, "Asia": 1}})[0].model_copy(
                update={"level": "region"}
            ),
        )


def test_country_level_references_accept_other_spellings() -> None:
    df = pl.DataFrame({"country": ["United-States"] * 80 + ["England"] * 10 + ["Scotland"] * 10})
    ref = load_reference({"country": {"USA": 0.8, "United Kingdom": 0.2}})[0]
    ref = ref.model_copy(update={"level": "country"})
    rep = assess(df, groups="country", reference=ref, bootstrap=0).stats.representation[0]
    shares = {g.group: g.n for g in rep.groups}
    # England and Scotland are both the United Kingdom at the country level.
    assert shares == {
        "United States of America": 80,
        "United Kingdom of Great Britain and Northern Ireland": 20,
    }


def test_bundled_reference_adds_up() -> None:
    assert set(BUNDLED) == {"us-census-1990"}
    pops = {p.attribute: p for p in load_reference("us-census-1990")}
    # 1990 Census: 248,709,873 residents; the region of birth leaves out those born abroad
    # of American parents (1,864,285) and the foreign born with no region (804,394).
    assert sum(pops["sex"].groups.values()) == 248_709_873
    assert sum(pops["race"].groups.values()) == 248_709_873
    assert sum(pops["native_country"].groups.values()) == 248_709_873 - 1_864_285 - 804_394
    assert set(pops["native_country"].groups) == country_table().names_at("region")


def test_example_csv_in_the_docs_matches_the_bundled_reference() -> None:
    example = {
        p.attribute: p
        for p in load_reference(ROOT / "docs" / "examples" / "reference-population.csv")
    }
    bundled = {p.attribute: p for p in load_reference("us-census-1990")}
    assert set(example) == {"sex", "race"}
    for attribute, pop in example.items():
        assert pop.kind == "count"
        assert pop.groups == bundled[attribute].groups


def test_m49_table_is_consistent() -> None:
    table = country_table()
    un = [c for c in table.countries if not c.added]
    assert len(un) == 248
    assert len({c.m49 for c in table.countries}) == len(table.countries)
    assert len({c.iso3 for c in un}) == len(un)
    parent: dict[str, str] = {}
    for c in table.countries:
        if c.subregion:
            assert parent.setdefault(c.subregion, c.region) == c.region
    assert len(table.names_at("region")) == 5
    assert len(table.names_at("subregion")) == 17


def test_every_adult_country_spelling_resolves_but_two(adult_path: Path) -> None:
    values = pl.read_parquet(adult_path)["native_country"].drop_nulls().unique().to_list()
    table = country_table()
    unresolved = sorted(v for v in values if table.resolve(v) is None)
    assert unresolved == ["Outlying-US(Guam-USVI-etc)", "South"]
    assert table.resolve("Holand-Netherlands").subregion == "Western Europe"
    assert table.resolve("Yugoslavia").subregion == "Southern Europe"
    assert table.resolve("Hong").subregion == "Eastern Asia"
    assert table.resolve("Trinadad&Tobago").intermediate_region == "Caribbean"


def test_two_letter_codes_only_for_declared_country_columns() -> None:
    # Language codes look like country codes: they must not be read as countries.
    df = pl.DataFrame({"lang": ["de", "fr", "es", "it", "pt"] * 10})
    assert assess(df, groups="lang", bootstrap=0).stats.dimensions[0].kind == "category"
    declared = assess(df, groups="lang", country="lang", bootstrap=0).stats
    assert declared.dimensions[0].kind == "country"
    assert declared.dimensions[0].unrecognised == []
