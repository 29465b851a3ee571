"""The catalog's schema: ids, links, themes, dates, verification and sources."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.core import DataError, UsageError
from accord.governance import THEME_IDS, data_dir, load_catalog, requirements_for_check, validate
from accord.governance._catalog import build_catalog

ISSUE_FRAMEWORKS = {
    "EUAIA",
    "OECD",
    "UNESCO",
    "NIST-RMF",
    "NIST-GAI",
    "CN-GP2019",
    "CN-EN2021",
    "CN-GAI2023",
    "CN-LBL2025",
    "CN-GAGI",
    "SG-MGF",
    "SG-AIV",
    "SG-MGFGAI",
    "G7HCOC",
    "ISO42001",
    "COE225",
    "NYC-LL144",
    "EEOC-UGESP",
    "UNGA",
    "AU-CAIS",
}

CHECK_TYPES = [
    "fairness.selection_rate.ratio",
    "fairness.tpr.difference",
    "fairness.calibration",
    "four-fifths",
    "nyc-ll144",
    "equalized-odds",
    "calibration-within-groups",
    "privacy.k_anonymity",
    "privacy.l_diversity",
    "privacy.t_closeness",
    "privacy.reidentification_risk",
    "privacy.pii",
    "inclusion.representation",
    "inclusion.coverage_gaps",
    "inclusion.performance_by_region",
    "inclusion.proxies",
]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    root = Path(str(data_dir()))
    return {
        "frameworks": [
            (p.name, yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted((root / "frameworks").glob("*.yaml"))
        ],
        **{
            n: yaml.safe_load((root / f"{n}.yaml").read_text(encoding="utf-8"))
            for n in ("catalog", "themes", "crosswalk", "checklist", "checks")
        },
    }


def problems_of(raw: dict[str, Any]) -> list[str]:
    catalog, problems = build_catalog(raw["frameworks"], raw)
    return problems + validate(catalog)


def test_packaged_catalog_is_valid(raw: dict[str, Any]) -> None:
    assert problems_of(raw) == []
    cat = load_catalog()
    assert set(cat.frameworks) >= ISSUE_FRAMEWORKS


def test_counts_of_the_structured_frameworks() -> None:
    cat = load_catalog()
    nist = list(cat.items(["NIST-RMF"]))
    assert sum(i.kind == "subcategory" for i in nist) == 72
    assert sum(i.kind == "category" for i in nist) == 19
    assert sum(i.kind == "characteristic" for i in nist) == 7
    per_function = {
        f: sum(i.kind == "subcategory" and i.ref.startswith(f) for i in nist)
        for f in ("GOVERN", "MAP", "MEASURE", "MANAGE")
    }
    assert per_function == {"GOVERN": 19, "MAP": 18, "MEASURE": 22, "MANAGE": 13}
    assert sum(i.kind == "control" for i in cat.items(["ISO42001"])) == 38
    annex3 = [i for i in cat.items(["EUAIA"]) if i.ref.startswith("AnnexIII.")]
    assert sum(i.kind == "area" for i in annex3) == 8
    leaves = [i for i in annex3 if not cat.children(i.id)]
    assert len(leaves) == 25  # point 2 (critical infrastructure) has no sub-points
    from accord.governance import ANNEX_III

    assert {f"EUAIA:AnnexIII.{k}" for k in ANNEX_III} == {i.id for i in leaves}
    art5 = [i for i in cat.items(["EUAIA"]) if i.parent == "EUAIA:Art5" and i.kind == "point"]
    assert len(art5) == 10
    assert len(list(cat.items(["NIST-GAI"]))) == 12
    assert len(list(cat.items(["SG-AIV"]))) == 11
    assert len(list(cat.items(["G7HCOC"]))) == 11
    assert len(list(cat.items(["OECD"]))) == 10
    assert len(list(cat.items(["UNESCO"]))) == 25


def test_every_item_is_themed_verified_and_sourced() -> None:
    cat = load_catalog()
    for fw in cat.frameworks.values():
        sources = {s.id for s in fw.sources}
        for it in fw.items:
            assert it.themes and set(it.themes) <= set(THEME_IDS), it.id
            assert it.verification in ("primary", "secondary", "unverified"), it.id
            assert it.source in sources, it.id
            assert it.summary and "\n" not in it.summary, it.id


def test_unverified_items_are_few_and_explained() -> None:
    cat = load_catalog()
    unverified = [i for i in cat.items() if i.verification == "unverified"]
    assert 0 < len(unverified) < 0.05 * len(list(cat.items()))


def test_links_and_their_inverse() -> None:
    cat = load_catalog()
    assert len(cat.links) >= 100
    assert all(ln.rationale and "\n" not in ln.rationale for ln in cat.links)
    for a, b in itertools.permutations(["EUAIA", "NIST-RMF", "ISO42001", "OECD"], 2):
        forward = cat.crosswalk(a, b)
        backward = cat.crosswalk(b, a)
        assert {(ln.source, ln.target) for ln in forward} == {
            (ln.target, ln.source) for ln in backward
        }
        inverse = {"broad": "narrow", "narrow": "broad"}
        for ln in forward:
            back = next(x for x in backward if x.source == ln.target and x.target == ln.source)
            assert back.match == inverse.get(ln.match, ln.match)


def test_every_framework_is_linked_to_another() -> None:
    cat = load_catalog()
    linked = {e.split(":", 1)[0] for ln in cat.links for e in (ln.source, ln.target)}
    assert linked == set(cat.frameworks)


@pytest.mark.parametrize("check_type", CHECK_TYPES)
def test_check_types_used_by_accord_map_to_requirements(check_type: str) -> None:
    reqs = requirements_for_check(check_type)
    assert reqs
    cat = load_catalog()
    assert all(cat.find_item(r) is not None for r in reqs)


def test_check_aliases_and_patterns_resolve() -> None:
    cat = load_catalog()
    assert cat.check_type("fairness.fpr.ratio").id == "fairness.fpr.difference"  # type: ignore[union-attr]
    assert cat.check_type("fairness.ece.difference").id == "fairness.calibration"  # type: ignore[union-attr]
    assert cat.check_type("fairness.ppv.ratio").id == "fairness.predictive_parity"  # type: ignore[union-attr]
    assert requirements_for_check("no.such.check") == []
    assert "NYC-LL144:5-301(b)" in requirements_for_check("nyc-ll144")


def test_search_theme_and_lookup_errors() -> None:
    cat = load_catalog()
    assert [i.id for i in cat.search("four-fifths")] == ["EEOC-UGESP:1607.4(D)"]
    assert cat.item("euaia:Art10(2)(f)").id == "EUAIA:Art10(2)(f)"
    assert all("SUST" in i.themes for i in cat.items_with_theme("Sustainability"))
    with pytest.raises(UsageError, match="did you mean 'NIST-RMF'"):
        cat.framework("NIST-RM")
    with pytest.raises(UsageError, match="unknown theme"):
        cat.theme("weather")


# -- each rule catches its breach -------------------------------------------------------


def _fw(raw: dict[str, Any], fid: str) -> dict[str, Any]:
    data: dict[str, Any] = next(d for _, d in raw["frameworks"] if d["id"] == fid)
    return data


def breach_duplicate_item(raw: dict[str, Any]) -> None:
    items = _fw(raw, "OECD")["items"]
    items.append(dict(items[0]))


def breach_bad_link(raw: dict[str, Any]) -> None:
    raw["crosswalk"]["links"].append(
        {"source": "OECD:1.1", "target": "OECD:9.9", "match": "close", "rationale": "x"}
    )


def breach_no_theme(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["themes"] = []


def breach_unknown_theme(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["themes"] = ["WEATHER"]


def breach_bad_date(raw: dict[str, Any]) -> None:
    _fw(raw, "EUAIA")["items"][0]["applies_from"] = "2025-02-30"


def breach_bad_framework_date(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["adopted"] = "May 2019"


def breach_no_verification(raw: dict[str, Any]) -> None:
    fw = _fw(raw, "OECD")
    fw.pop("defaults")
    fw["items"][0]["source"] = "oecdai"


def breach_bad_verification(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["verification"] = "probably"


def breach_unknown_source(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["source"] = "hearsay"


def breach_bad_match(raw: dict[str, Any]) -> None:
    raw["crosswalk"]["links"][0]["match"] = "same"


def breach_repeated_link(raw: dict[str, Any]) -> None:
    ln = raw["crosswalk"]["links"][0]
    raw["crosswalk"]["links"].append({**ln, "source": ln["target"], "target": ln["source"]})


def breach_checklist_requirement(raw: dict[str, Any]) -> None:
    raw["checklist"]["questions"][0]["requirements"] = ["EUAIA:Art999"]


def breach_check_requirement(raw: dict[str, Any]) -> None:
    raw["checks"]["checks"][0]["requirements"].append("NIST-RMF:MEASURE-9.9")


def breach_duplicate_check_alias(raw: dict[str, Any]) -> None:
    raw["checks"]["checks"][1]["aliases"].append(raw["checks"]["checks"][0]["id"])


def breach_missing_parent(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["parent"] = "0.0"


def breach_two_line_summary(raw: dict[str, Any]) -> None:
    _fw(raw, "OECD")["items"][0]["summary"] = "one\ntwo"


@pytest.mark.parametrize(
    "breach",
    [
        breach_duplicate_item,
        breach_bad_link,
        breach_no_theme,
        breach_unknown_theme,
        breach_bad_date,
        breach_bad_framework_date,
        breach_no_verification,
        breach_bad_verification,
        breach_unknown_source,
        breach_bad_match,
        breach_repeated_link,
        breach_checklist_requirement,
        breach_check_requirement,
        breach_duplicate_check_alias,
        breach_missing_parent,
        breach_two_line_summary,
    ],
    ids=lambda f: f.__name__.removeprefix("breach_"),
)
def test_each_rule_reports_its_breach(raw: dict[str, Any], breach: Any) -> None:
    broken = copy.deepcopy(raw)
    breach(broken)
    assert problems_of(broken), "the breach went unnoticed"


def test_an_extra_framework_file_loads_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "demo.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "id": "DEMO",
                "title": "Demo charter",
                "short_name": "Demo",
                "issuer": "Nobody",
                "jurisdiction": "Nowhere",
                "instrument_type": "principles",
                "binding": "no",
                "status": "adopted",
                "adopted": "2026-01-01",
                "version": "1",
                "text_licence": "CC0",
                "verification": "primary",
                "source": "s",
                "sources": [{"id": "s", "title": "The charter"}],
                "defaults": {"verification": "primary", "source": "s"},
                "items": [
                    {
                        "ref": "P1",
                        "kind": "principle",
                        "title": "Be fair",
                        "summary": "Treat groups alike.",
                        "themes": ["FAIR"],
                    }
                ],
            }
        )
    )
    cat = load_catalog(extra)
    assert cat.item("DEMO:P1").verification == "primary"
    data = yaml.safe_load(extra.read_text())
    data["items"][0]["themes"] = []
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(DataError, match="the governance catalog is invalid"):
        load_catalog(broken)


def test_the_docs_table_matches_the_catalog() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "governance.md").read_text(encoding="utf-8")
    cat = load_catalog()
    for fw in cat.frameworks.values():
        counts = [
            sum(i.verification == v for i in fw.items)
            for v in ("primary", "secondary", "unverified")
        ]
        row = (
            f"| {fw.id} | {fw.short_name} | {fw.adopted} | {fw.binding} | {len(fw.items)} | "
            f"{counts[0]} / {counts[1]} / {counts[2]} |"
        )
        assert row in doc, f"docs/governance.md: update the row of {fw.id} to {row}"
