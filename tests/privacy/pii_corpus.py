"""A labelled corpus of direct identifiers, generated with Faker in several locales, with
near-misses (numbers that fail their checksum, look-alikes, identifiers in prose).

Labels are what the value was generated as. Where Faker's own generator is wrong, the
value is built from Faker's random digits and the correct rule, and the note says so:
- ``en_IN`` ``aadhaar_id`` ends in a Luhn digit, but Aadhaar uses Verhoeff: positives here
  carry a Verhoeff check digit. (Faker's values are not used as near-misses either: a
  Luhn-valid 12-digit number starting 5 or 6 is a well-formed Maestro card number.)
- ``en_GB`` ``ssn`` always starts ``ZZ``, a prefix HMRC never allocates: near-misses here;
  positives use allocatable prefixes.
- IBANs come only from locales whose Faker provider builds valid ones (others emit
  ``GB`` numbers of the wrong length).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from faker import Faker

LOCALES = ("en_US", "en_GB", "zh_CN", "en_IN", "de_DE", "fr_FR", "ja_JP", "pt_BR")
IBAN_LOCALES = ("en_GB", "de_DE", "fr_FR", "pt_BR", "nl_NL", "es_ES", "it_IT")

PROSE = (
    "Please contact {v} for details.",
    "As discussed, the value is {v}; let me know if anything changes.",
    "Ref {v} (see the attached file)",
    "{v}",
    "Customer said: my details are {v} and nothing else.",
)
PHONE_PROSE = (
    "Call {v} tomorrow.",
    "tel: {v}",
    "{v}",
    "Please reach me on {v} after 6pm.",
    "Mobile {v}",
)
CONTEXT = {
    "US_SSN": "SSN {v} on file",
    "UK_NINO": "NI number {v}",
    "IN_AADHAAR": "Aadhaar {v} verified",
    "CN_RESIDENT_ID": "身份证号 {v}",
}


@dataclass(frozen=True)
class Sample:
    text: str
    entity: str | None  # None: a negative (no identifier)
    value: str | None
    locale: str
    column: str | None = None  # a bare value stands in a column of this name


#: The column a bare value of each kind is found in (structured data).
COLUMNS = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card_number",
    "IP_ADDRESS": "ip_address",
    "IBAN_CODE": "iban",
    "US_SSN": "ssn",
    "CN_RESIDENT_ID": "resident_id",
    "IN_AADHAAR": "aadhaar",
    "UK_NINO": "nino",
}


def _verhoeff(digits: str) -> str:
    from stdnum import verhoeff

    return digits + str(verhoeff.calc_check_digit(digits))


_NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
_NINO_SECOND = [c for c in string.ascii_uppercase if c not in "DFIOQUV"]


def _nino(f: Faker) -> str:
    while True:
        prefix = f.random_element(_NINO_FIRST) + f.random_element(_NINO_SECOND)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    return f"{prefix} {f.numerify('## ## ##')} {f.random_element('ABCD')}"


def _alter_digit(value: str, rng: random.Random) -> str:
    """Change the last digit: the checksum then fails."""
    positions = [i for i, c in enumerate(value) if c.isdigit()]
    i = positions[-1]
    new = str((int(value[i]) + rng.randint(1, 9)) % 10)
    return value[:i] + new + value[i + 1 :]


def positives(per_locale: int = 25, seed: int = 0) -> list[Sample]:
    """Identifiers, bare or in prose, in every locale."""
    out: list[Sample] = []
    rng = random.Random(seed)
    for li, loc in enumerate(LOCALES):
        f = Faker(loc)
        f.seed_instance(seed + li)
        for i in range(per_locale):
            prose = PROSE[i % len(PROSE)]
            values = {
                "EMAIL_ADDRESS": f.email(),
                "PHONE_NUMBER": f.phone_number(),
                "CREDIT_CARD": f.credit_card_number(),
                "IP_ADDRESS": f.ipv4() if i % 3 else f.ipv6(),
            }
            if loc in IBAN_LOCALES:
                values["IBAN_CODE"] = f.iban()
            if loc == "en_US":
                values["US_SSN"] = f.ssn()
            if loc == "zh_CN":
                values["CN_RESIDENT_ID"] = f.ssn()
            if loc == "en_IN":
                values["IN_AADHAAR"] = _verhoeff(
                    f.random_element("23456789") + f.numerify("#" * 10)
                )
            if loc == "en_GB":
                values["UK_NINO"] = _nino(f)
            for entity, v in values.items():
                template = (
                    PHONE_PROSE[i % len(PHONE_PROSE)]
                    if entity == "PHONE_NUMBER"
                    else CONTEXT.get(entity, prose)
                    if i % 2
                    else prose
                )
                out.append(
                    Sample(
                        template.format(v=v),
                        entity,
                        v,
                        loc,
                        COLUMNS[entity] if template == "{v}" else None,
                    )
                )
            if i % 5 == 0:
                dob = f.date_of_birth(minimum_age=18, maximum_age=90)
                text = rng.choice(["born on {d}", "DOB: {d}", "Date of birth: {d}"])
                out.append(
                    Sample(text.format(d=dob.isoformat()), "DATE_OF_BIRTH", dob.isoformat(), loc)
                )
    for li, loc in enumerate(IBAN_LOCALES[4:]):  # more IBAN countries
        f = Faker(loc)
        f.seed_instance(seed + 100 + li)
        for i in range(per_locale):
            v = f.iban()
            out.append(Sample(PROSE[i % len(PROSE)].format(v=v), "IBAN_CODE", v, loc))
    return out


def near_misses(per_kind: int = 40, seed: int = 0) -> list[Sample]:
    """Look-alikes that are not identifiers: failed checksums, invalid ranges, numbers of
    other kinds."""
    rng = random.Random(seed)
    f = Faker("en_US")
    f.seed_instance(seed)
    gb, cn, de = Faker("en_GB"), Faker("zh_CN"), Faker("de_DE")
    for i, g in enumerate((gb, cn, de)):
        g.seed_instance(seed + 10 + i)
    out: list[Sample] = []

    def add(text: str, kind: str) -> None:
        out.append(Sample(text, None, kind, "near-miss"))

    for i in range(per_kind):
        prose = PROSE[i % len(PROSE)]
        add(prose.format(v=_alter_digit(f.credit_card_number(), rng)), "card failing Luhn")
        add(prose.format(v=_alter_digit(de.iban(), rng)), "IBAN failing mod-97")
        ric = cn.ssn()
        add(prose.format(v=_alter_digit(ric[:17], rng) + ric[17]), "China id failing its check")
        add(
            prose.format(
                v=_alter_digit(_verhoeff(f.random_element("23456789") + f.numerify("#" * 10)), rng)
            ),
            "Aadhaar failing Verhoeff",
        )
        add(
            prose.format(
                v=f"{rng.choice(['000', '666', '900', '987'])}-"
                f"{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
            ),
            "SSN in an unallocated area",
        )
        add(prose.format(v=gb.ssn()), "NINO with the ZZ prefix")
        add(
            prose.format(
                v=f"{rng.randint(256, 999)}.{rng.randint(0, 255)}."
                f"{rng.randint(0, 255)}.{rng.randint(0, 255)}"
            ),
            "invalid IPv4",
        )
        add(
            f"Upgraded to version {rng.randint(1, 9)}.{rng.randint(0, 20)}."
            f"{rng.randint(0, 99)}.{rng.randint(0, 999)} today",
            "version number",
        )
        add(
            prose.format(
                v=rng.choice(
                    ["user@localhost", "name at example dot com", "@handle", "a@b", "first.last@"]
                )
            ),
            "not an e-mail",
        )
        add(
            f"Order {f.numerify('#' * rng.randint(8, 12))} shipped, total "
            f"${rng.randint(1, 999)}.{rng.randint(0, 99):02d}",
            "order number and price",
        )
        add(f"Meeting on {f.date()} at {f.time()[:5]}", "date and time")
        add(
            f"ISBN 978-{rng.randint(0, 9)}-{rng.randint(10, 99)}-{f.numerify('######')}-"
            f"{rng.randint(0, 9)}",
            "ISBN",
        )
        add(f.sentence(nb_words=12), "plain prose")
    return out


def evaluate(samples: list[Sample]) -> dict[str, dict[str, float]]:
    """Precision and recall per entity: a detection is right when its entity is the label's
    and its text is the labelled value (whitespace aside)."""
    from accord.privacy._recognizers import find_all

    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    from accord.privacy._pii import column_evidence

    for s in samples:
        found = find_all(s.text, evidence=column_evidence(s.column) if s.column else frozenset())
        hit = False
        for m in found:
            if (
                s.entity == m.entity
                and s.value is not None
                and (m.text.replace(" ", "") == s.value.replace(" ", ""))
            ):
                hit = True
                tp[m.entity] = tp.get(m.entity, 0) + 1
            else:
                fp[m.entity] = fp.get(m.entity, 0) + 1
        if s.entity is not None and not hit:
            fn[s.entity] = fn.get(s.entity, 0) + 1
    out = {}
    for e in sorted(set(tp) | set(fp) | set(fn)):
        t, p, n = tp.get(e, 0), fp.get(e, 0), fn.get(e, 0)
        out[e] = {
            "tp": t,
            "fp": p,
            "fn": n,
            "precision": t / (t + p) if t + p else float("nan"),
            "recall": t / (t + n) if t + n else float("nan"),
        }
    return out
