"""PII detection: precision and recall on a Faker corpus in eight locales with near-misses,
column scans, masking, extensibility, and no network."""

from __future__ import annotations

import socket

import polars as pl
import pytest
from faker import Faker
from pii_corpus import evaluate as evaluate_corpus
from pii_corpus import near_misses, positives

import accord.privacy as ap
from accord.privacy._recognizers import RECOGNIZERS


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    return evaluate_corpus(positives(40) + near_misses(40))


CHECKSUM = ["CREDIT_CARD", "IBAN_CODE", "US_SSN", "CN_RESIDENT_ID", "UK_NINO", "IN_AADHAAR"]


@pytest.mark.parametrize(
    "entity", [*CHECKSUM, "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS", "DATE_OF_BIRTH"]
)
def test_precision_and_recall_at_least_095(
    scores: dict[str, dict[str, float]], entity: str
) -> None:
    s = scores[entity]
    assert s["tp"] >= 40
    assert s["precision"] >= 0.95, s
    assert s["recall"] >= 0.95, s


def test_near_misses_are_not_reported_as_what_they_imitate() -> None:
    imitates = {
        "card failing Luhn": "CREDIT_CARD",
        "IBAN failing mod-97": "IBAN_CODE",
        "China id failing its check": "CN_RESIDENT_ID",
        "Aadhaar failing Verhoeff": "IN_AADHAAR",
        "SSN in an unallocated area": "US_SSN",
        "NINO with the ZZ prefix": "UK_NINO",
        "invalid IPv4": "IP_ADDRESS",
        "version number": "IP_ADDRESS",
        "not an e-mail": "EMAIL_ADDRESS",
    }
    for sample in near_misses(40):
        found = {m.entity for m in ap.find_all(sample.text)}
        assert imitates.get(sample.value or "", "-") not in found, sample
        # Dates, times, ISBNs, versions, order numbers and prices are not phone numbers.
        assert "PHONE_NUMBER" not in found, sample


def test_overlaps_go_to_the_most_specific_identifier() -> None:
    text = "IBAN DE89370400440532013000, card 4111111111111111, host 10.20.30.40"
    assert [m.entity for m in ap.find_all(text)] == ["IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS"]


def test_scan_finds_columns_and_free_text_and_masks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for loc in ("en_US", "en_GB", "de_DE", "zh_CN"):
        f = Faker(loc)
        f.seed_instance(11)
        for i in range(50):
            rows.append(
                {
                    "full_name": f.name(),
                    "email": f.email(),
                    "card": f.credit_card_number(),
                    "client_ip": f.ipv4(),
                    "notes": f"please email {f.email()} today" if i % 2 else f.sentence(),
                    "amount": round(f.pyfloat(3, 2, positive=True), 2),
                    "comment": "no identifier here at all",
                }
            )
    path = tmp_path / "people.parquet"
    pl.DataFrame(rows).write_parquet(path)
    result = ap.scan_pii(str(path))
    found = {(f.column, f.entity): f for f in result.findings}
    assert set(found) == {
        ("full_name", "PERSON"),
        ("email", "EMAIL_ADDRESS"),
        ("card", "CREDIT_CARD"),
        ("client_ip", "IP_ADDRESS"),
        ("notes", "EMAIL_ADDRESS"),
    }
    assert found[("email", "EMAIL_ADDRESS")].kind == "column"
    assert found[("notes", "EMAIL_ADDRESS")].kind == "free text"
    assert found[("notes", "EMAIL_ADDRESS")].share == pytest.approx(0.5)
    assert found[("card", "CREDIT_CARD")].share >= 0.97
    everything = " ".join(str(v) for r in rows for v in r.values())
    for f in result.findings:
        assert 0 < f.confidence <= 1
        for example in f.examples:
            assert "*" in example and example not in everything


def test_sampling_spreads_over_the_rows() -> None:
    df = pl.DataFrame({"email": ["x"] * 900 + [f"u{i}@example.org" for i in range(100)]})
    result = ap.scan_pii(df, sample=100)
    assert result.sampled_rows == 100 and result.rows == 1000
    assert result.findings[0].share == pytest.approx(0.1)


def test_more_national_ids_can_be_added() -> None:
    before = list(RECOGNIZERS)
    try:
        ap.register_recognizer(
            ap.stdnum_recognizer(
                "ES_DNI", "es.dni", r"(?<![\dA-Z])\d{8}[A-Z](?![\dA-Z])", column_names=["dni"]
            )
        )
        assert [m.entity for m in ap.find_all("DNI 54362315K y 54362315A")] == ["ES_DNI"]
    finally:
        RECOGNIZERS[:] = before


def test_no_network_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = ap.scan_pii(pl.DataFrame({"contact": ["a@example.org", "+44 20 7946 0958"]}))
    assert {f.entity for f in result.findings} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
