"""Recognisers of direct identifiers in text: a candidate pattern, then a validator
(checksums from python-stdnum, phone numbers from phonenumbers, addresses from the
standard library). Pure Python; no model, no network.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from accord.core import missing_extra


@dataclass(frozen=True)
class Recognizer:
    """One kind of direct identifier.

    ``pattern`` finds candidates in text (its group ``v`` when it has one, so that
    context such as "born on" is required but not reported); ``validate`` accepts or rejects a
    candidate (a checksum where the identifier has one). On overlapping matches
    the recogniser of higher ``priority`` wins (then the longer match), so that,
    for example, the digits of an IBAN are not also reported as a phone number.
    """

    entity: str
    pattern: re.Pattern[str]
    validate: Callable[[str], bool]
    checksum: bool
    priority: int
    column_names: tuple[str, ...] = ()
    description: str = ""
    needs_column_evidence: bool = False
    context: re.Pattern[str] | None = None
    bare: re.Pattern[str] | None = None
    negative_context: re.Pattern[str] | None = None
    validate_with_evidence: Callable[[str], bool] | None = None

    def accepts(self, candidate: str, before: str, evidence: bool) -> bool:
        """Whether a candidate found after the text ``before`` is this identifier.

        A candidate that looks ``bare`` (e.g. a phone number written as one run of
        digits) needs ``context`` words just before it or column evidence; one after
        ``negative_context`` (e.g. "version" before a dotted quad) is rejected.
        """
        if self.negative_context is not None and self.negative_context.search(before):
            return False
        if (
            self.bare is not None
            and self.bare.fullmatch(candidate)
            and not evidence
            and not (self.context is not None and self.context.search(before))
        ):
            return False
        if evidence and self.validate_with_evidence is not None:
            return self.validate_with_evidence(candidate)
        return self.validate(candidate)


@dataclass(frozen=True)
class Match:
    """An identifier found in a text."""

    entity: str
    start: int
    end: int
    text: str


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _stdnum(module: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        import importlib

        try:
            mod = importlib.import_module(f"stdnum.{module}")
        except ImportError:
            raise missing_extra("python-stdnum", "privacy") from None
        return bool(mod.is_valid(value))

    return check


#: Issuer prefixes (IIN ranges) and lengths of the major card schemes.
_CARD_SCHEMES: tuple[tuple[tuple[int, int], int, tuple[int, ...]], ...] = (
    ((4, 4), 1, (13, 16, 19)),  # Visa
    ((51, 55), 2, (16,)),
    ((2221, 2720), 4, (16,)),  # Mastercard
    ((34, 34), 2, (15,)),
    ((37, 37), 2, (15,)),  # American Express
    ((6011, 6011), 4, (16, 17, 18, 19)),
    ((644, 649), 3, (16, 17, 18, 19)),
    ((65, 65), 2, (16, 17, 18, 19)),  # Discover
    ((35, 35), 2, (16, 17, 18, 19)),
    ((1800, 1800), 4, (15,)),
    ((2131, 2131), 4, (15,)),  # JCB
    ((300, 305), 3, tuple(range(14, 20))),
    ((36, 36), 2, tuple(range(14, 20))),
    ((38, 39), 2, tuple(range(14, 20))),  # Diners Club
    ((62, 62), 2, (16, 17, 18, 19)),  # UnionPay
    ((50, 50), 2, tuple(range(12, 20))),
    ((56, 69), 2, tuple(range(12, 20))),
    ((604, 604), 4, tuple(range(12, 20))),  # Maestro
)


def _card(value: str) -> bool:
    digits = _digits(value)
    if len(digits) == 12 and _stdnum("in_.aadhaar")(digits):
        return False  # 12-digit Maestro numbers are rare; a Verhoeff-valid one is an Aadhaar
    return _card_in_column(value)


def _card_in_column(value: str) -> bool:
    digits = _digits(value)
    if len(set(digits)) == 1:
        return False
    for (low, high), width, lengths in _CARD_SCHEMES:
        if len(digits) in lengths and low <= int(digits[:width]) <= high:
            return _stdnum("luhn")(digits)
    return False


def _email(value: str) -> bool:
    local, _, domain = value.rpartition("@")
    return (
        0 < len(local) <= 64
        and ".." not in value
        and not local.startswith(".")
        and not local.endswith(".")
        and "." in domain
    )


def _ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if address.version == 4:
        return not value.startswith("0") and all(
            p == "0" or not p.startswith("0") for p in value.split(".")
        )
    return value.count(":") >= 2 and not re.fullmatch(r"[\d:]+", value)


_RIC_PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    }
)


def _cn_ric(value: str) -> bool:
    """China resident identity number: province, birth date and ISO 7064 MOD 11-2 checksum.

    The county code is not looked up: python-stdnum's table misses many valid codes.
    """
    v = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", v) or int(v[:2]) not in _RIC_PROVINCES:
        return False
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    if not dt.date(1880, 1, 1) <= born <= dt.date.today():
        return False
    try:
        from stdnum.iso7064 import mod_11_2
    except ImportError:
        raise missing_extra("python-stdnum", "privacy") from None
    return bool(mod_11_2.is_valid(v))


_NINO_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def _uk_nino(value: str) -> bool:
    """UK National Insurance number: the allocation rules of HMRC's manual NIM39110 (it has
    no check digit).
    """
    v = re.sub(r"\s", "", value.upper())
    if not re.fullmatch(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", v):
        return False
    return v[:2] not in _NINO_BAD_PREFIX


def _ssn(value: str) -> bool:
    return _stdnum("us.ssn")(_digits(value))


def _aadhaar(value: str) -> bool:
    return _stdnum("in_.aadhaar")(_digits(value))


def _iban(value: str) -> bool:
    return _stdnum("iban")(re.sub(r"\s", "", value))


#: Regions tried, in order, for phone numbers written without their country code.
PHONE_REGIONS = (
    "US",
    "GB",
    "IN",
    "CN",
    "DE",
    "FR",
    "JP",
    "BR",
    "ES",
    "IT",
    "CA",
    "AU",
    "NL",
    "MX",
    "KR",
    "ZA",
    "NG",
)


@lru_cache(maxsize=65536)
def _phone_validity(value: str) -> int:
    """2 for a valid number, 1 for a possible one, 0 otherwise."""
    try:
        import phonenumbers
    except ImportError:
        raise missing_extra("phonenumbers", "privacy") from None
    best = 0
    regions: Sequence[str | None] = (None,) if value.strip().startswith("+") else PHONE_REGIONS
    for region in regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return 2
        if phonenumbers.is_possible_number(number):
            best = 1
    return best


def _phone(value: str) -> bool:
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", value):  # written as a US SSN, not a phone number
        return False
    if re.fullmatch(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d+(?:\.\d+){3,}", value
    ):
        return False  # a date, or a dotted quad (IP address or version number)
    if re.fullmatch(r"97[89]-\d+-\d+-\d+-\d", value):  # an ISBN
        return False
    if re.fullmatch(r"\d+", value) and not 10 <= len(value) <= 11:
        return False  # bare runs: only the 10- and 11-digit numbers people write unformatted
    digits = _digits(re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", value)[0])
    if not 7 <= len(digits) <= 15 or len(set(digits)) <= 2:
        return False
    validity = _phone_validity(value)
    if validity == 2:
        return True
    # A possible (not provably valid) number counts only when written the way phone numbers
    # are: with a +, parentheses or grouped digits, not as one bare run of digits.
    formatted = bool(re.search(r"[+()]|\d[ .-]\d", value))
    return validity == 1 and formatted


def _dob_text(value: str) -> bool:
    return _parse_date(value) is not None


def _parse_date(value: str) -> dt.date | None:
    text = value.strip()
    for fmt in (
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%m/%d/%Y",
        "%d.%m.%Y",
        "%Y/%m/%d",
        "%d %B %Y",
        "%B %d, %Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%Y%m%d",
    ):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if dt.date(1900, 1, 1) <= day <= dt.date.today():
            return day
    return None


#: Words before a number that say it is something else (an order, a version, a book).
_NOT_AN_IDENTIFIER = re.compile(
    r"(?i)\b(?:order|invoice|isbn|version|ver\.?|build|release|tracking|sku|serial|"
    r"part)\W*(?:no\.?|number|nr\.?|#)?\W*$"
)

_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})"

RECOGNIZERS: list[Recognizer] = [
    Recognizer(
        "EMAIL_ADDRESS",
        re.compile(
            r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
            r"[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
        ),
        _email,
        checksum=False,
        priority=95,
        column_names=("email", "e_mail", "mail", "courriel", "correo"),
        description="e-mail address (syntax)",
    ),
    Recognizer(
        "IBAN_CODE",
        re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Z0-9])"),
        _iban,
        checksum=True,
        priority=90,
        column_names=("iban", "account"),
        description="IBAN (country format and ISO 7064 mod-97 check)",
    ),
    Recognizer(
        "CN_RESIDENT_ID",
        re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),
        _cn_ric,
        checksum=True,
        priority=88,
        column_names=("身份证", "sfz", "id_card", "resident_id", "ric"),
        description="China resident identity number (ISO 7064 MOD 11-2)",
        negative_context=_NOT_AN_IDENTIFIER,
    ),
    Recognizer(
        "CREDIT_CARD",
        re.compile(r"(?<![\d+-])(?:\d[ -]?){11,18}\d(?![\d-])"),
        _card,
        checksum=True,
        priority=85,
        column_names=("card", "credit_card", "cc_number", "pan"),
        description="payment card number (issuer prefix, length and Luhn)",
        negative_context=_NOT_AN_IDENTIFIER,
        validate_with_evidence=_card_in_column,
    ),
    Recognizer(
        "IN_AADHAAR",
        re.compile(r"(?<![\d+-])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![\d-])"),
        _aadhaar,
        checksum=True,
        priority=75,
        column_names=("aadhaar", "uid"),
        description="India Aadhaar number (Verhoeff)",
        negative_context=_NOT_AN_IDENTIFIER,
    ),
    Recognizer(
        "US_SSN",
        re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"),
        _ssn,
        checksum=True,
        priority=70,
        column_names=("ssn", "social_security"),
        description="US social security number (SSA allocation rules)",
    ),
    Recognizer(
        "UK_NINO",
        re.compile(r"(?<![A-Za-z0-9])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])"),
        _uk_nino,
        checksum=True,
        priority=70,
        column_names=("nino", "national_insurance", "ni_number"),
        description="UK National Insurance number (HMRC allocation rules)",
    ),
    Recognizer(
        "IP_ADDRESS",
        re.compile(
            r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|(?<![\w:])(?:[0-9A-Fa-f]"
            r"{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"
        ),
        _ip,
        checksum=False,
        priority=60,
        column_names=("ip", "ip_address", "ipaddr"),
        description="IPv4 or IPv6 address",
        negative_context=re.compile(r"(?i)\b(?:version|ver\.?|v|release|build)\s*$"),
    ),
    Recognizer(
        "DATE_OF_BIRTH",
        re.compile(
            r"(?i)\b(?:born on|born|date of birth:?|dob:?|birthday:?)\s+(?P<v>" + _DATE + ")"
        ),
        _dob_text,
        checksum=False,
        priority=50,
        column_names=(
            "dob",
            "birth",
            "birthdate",
            "birth_date",
            "date_of_birth",
            "birthday",
            "geburtsdatum",
            "fecha_nacimiento",
            "naissance",
        ),
        description="date of birth (a date after 'born', 'DOB', or in a birth column)",
    ),
    Recognizer(
        "PHONE_NUMBER",
        re.compile(
            r"(?<![\w.+/-])(?:\+|00)?\(?\d[\d ().-]{5,}\d"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w.-]*\d)"
        ),
        _phone,
        checksum=False,
        priority=10,
        column_names=(
            "phone",
            "tel",
            "telephone",
            "mobile",
            "cell",
            "fax",
            "telefon",
            "téléphone",
            "telefono",
            "电话",
            "手机",
        ),
        description="phone number (phonenumbers: valid, or possible and formatted)",
        negative_context=_NOT_AN_IDENTIFIER,
        bare=re.compile(r"\d+"),
        context=re.compile(
            r"(?i)(?:phone|tel|call|mobile|cell|fax|whatsapp|sms|text|"
            r"contact|reach|number|no\.|nr\.|电话|手机|電話|"
            r"téléphone|telefon|teléfono)\W{0,5}(?:\w+\W{1,3}){0,3}$"
        ),
    ),
]

#: Column names that say a column holds people's names (content cannot tell a name).
PERSON_COLUMN_NAMES = (
    "name",
    "first_name",
    "firstname",
    "last_name",
    "lastname",
    "surname",
    "given_name",
    "family_name",
    "full_name",
    "fullname",
    "forename",
    "customer_name",
    "patient_name",
    "employee_name",
    "nombre",
    "apellido",
    "nom",
    "prénom",
    "prenom",
    "vorname",
    "nachname",
    "姓名",
    "名前",
    "氏名",
)


def find_all(
    text: str,
    recognizers: Sequence[Recognizer] | None = None,
    evidence: frozenset[str] = frozenset(),
) -> list[Match]:
    """Every identifier in ``text``, overlaps resolved by priority, then length.

    ``evidence`` names the entities the column's name points to (e.g. a column
    called ``phone`` lets bare digit runs count as phone numbers).

    Examples
    --------
    >>> [m.entity for m in find_all("mail j.doe@example.org from 192.168.1.20")]
    ['EMAIL_ADDRESS', 'IP_ADDRESS']
    """
    found: list[tuple[int, int, int, Match]] = []
    for rec in recognizers if recognizers is not None else RECOGNIZERS:
        if rec.needs_column_evidence:
            continue
        group = "v" if "v" in rec.pattern.groupindex else 0
        for m in rec.pattern.finditer(text):
            raw = m.group(group)
            candidate = raw.strip()
            start = m.start(group) + (len(raw) - len(raw.lstrip()))
            before = text[max(0, start - 40) : start]
            if candidate and rec.accepts(candidate, before, rec.entity in evidence):
                # The column's name breaks ties between identifiers that share a format.
                priority = rec.priority + (100 if rec.entity in evidence else 0)
                found.append(
                    (
                        priority,
                        len(candidate),
                        start,
                        Match(rec.entity, start, start + len(candidate), candidate),
                    )
                )
    found.sort(key=lambda f: (-f[0], -f[1], f[2]))
    taken: list[Match] = []
    for _, _, _, match in found:
        if all(match.end <= t.start or match.start >= t.end for t in taken):
            taken.append(match)
    return sorted(taken, key=lambda m: m.start)


def register_recognizer(recognizer: Recognizer) -> None:
    r"""Add a recogniser (e.g. a national id) to every later scan; one of the same entity
    is replaced.

    Examples
    --------
    >>> bsn = stdnum_recognizer("NL_BSN", "nl.bsn", r"(?<!\d)\d{9}(?!\d)")
    >>> register_recognizer(bsn)
    >>> [m.entity for m in find_all("BSN 111222333")]
    ['NL_BSN']
    >>> RECOGNIZERS.remove(bsn)  # back to the built-in recognisers
    """
    RECOGNIZERS[:] = [r for r in RECOGNIZERS if r.entity != recognizer.entity]
    RECOGNIZERS.append(recognizer)


def stdnum_recognizer(
    entity: str, module: str, pattern: str, *, priority: int = 70, column_names: Sequence[str] = ()
) -> Recognizer:
    r"""A recogniser for any identifier python-stdnum validates (``module`` as in
    ``stdnum.<module>``, e.g. ``br.cpf``, ``es.dni``, ``nl.bsn``).

    Examples
    --------
    >>> cpf = stdnum_recognizer("BR_CPF", "br.cpf", r"(?<!\d)\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d)")
    >>> [m.entity for m in find_all("CPF 390.533.447-05", [cpf])]
    ['BR_CPF']
    """
    return Recognizer(
        entity,
        re.compile(pattern),
        _stdnum(module),
        checksum=True,
        priority=priority,
        column_names=tuple(column_names),
        description=f"stdnum.{module}",
    )
