"""Classify a described AI system under the EU AI Act, and find other duties it triggers.

The rules follow the legal tests in order: scope (Art 2-3), prohibited practices (Art 5),
high-risk through Annex I products (Art 6(1)) or Annex III uses (Art 6(2)) with the Art 6(3)
derogation and its profiling override, transparency duties (Art 50) and general-purpose AI
model duties (Arts 51-55). The result informs; it is not legal advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import ConfigDict, Field

from accord.core import UsageError, did_you_mean
from accord.governance._catalog import Catalog, load_catalog
from accord.governance._models import Frozen as _Frozen
from accord.governance._questions import ANNEX_I, ANNEX_III, QUESTIONS, QUESTIONS_BY_ID

Tier = Literal["out_of_scope", "prohibited", "high_risk", "transparency", "minimal"]

TIER_LABELS: dict[str, str] = {
    "out_of_scope": "Outside the EU AI Act",
    "prohibited": "Prohibited practice (Art 5)",
    "high_risk": "High-risk AI system (Art 6)",
    "transparency": "Transparency obligations (Art 50)",
    "minimal": "Minimal risk",
}

#: Presumption of high-impact capabilities (Art 51(2)).
SYSTEMIC_FLOP = 1e25

DISCLAIMER = (
    "accord informs; it does not give legal advice. The classification applies the "
    "legal tests to your answers only; check it with counsel before relying on it."
)

ANNEX_III_DATE = date(2027, 12, 2)
ANNEX_I_DATE = date(2028, 8, 2)
GPAI_DATE = date(2025, 8, 2)
GPAI_LEGACY_DATE = date(2027, 8, 2)
ART50_LEGACY_DATE = date(2026, 12, 2)

ART5_QUESTIONS = {
    "art5.manipulation": "Art5(1)(a)",
    "art5.vulnerabilities": "Art5(1)(b)",
    "art5.intimate_imagery": "Art5(1)(ba)",
    "art5.csam": "Art5(1)(bb)",
    "art5.social_scoring": "Art5(1)(c)",
    "art5.crime_prediction": "Art5(1)(d)",
    "art5.face_scraping": "Art5(1)(e)",
    "art5.emotion_work_education": "Art5(1)(f)",
    "art5.biometric_categorisation": "Art5(1)(g)",
    "art5.realtime_rbi": "Art5(1)(h)",
}

DEROGATION_ITEMS = {
    "narrow_procedural": "Art6(3)(a)",
    "improve_human_result": "Art6(3)(b)",
    "detect_patterns": "Art6(3)(c)",
    "preparatory": "Art6(3)(d)",
}

#: Provider duties of a high-risk system, with the paragraphs that evidence can speak to.
PROVIDER_HIGH_RISK = (
    "Art9",
    "Art9(2)",
    "Art9(5)",
    "Art9(8)",
    "Art9(9)",
    "Art10",
    "Art10(2)(b)",
    "Art10(2)(f)",
    "Art10(2)(g)",
    "Art10(2)(h)",
    "Art10(3)",
    "Art10(4)",
    "Art10(5)",
    "Art11",
    "AnnexIV",
    "Art12",
    "Art13",
    "Art13(3)(b)(ii)",
    "Art13(3)(b)(iv)",
    "Art13(3)(b)(v)",
    "Art14",
    "Art14(4)",
    "Art15",
    "Art15(3)",
    "Art15(4)",
    "Art15(5)",
    "Art16",
    "Art16(l)",
    "Art17",
    "Art18",
    "Art19",
    "Art20",
    "Art43",
    "Art47",
    "Art48",
    "Art49",
    "Art72",
    "Art73",
)
DEPLOYER_HIGH_RISK = ("Art26", "Art26(2)", "Art26(4)", "Art26(5)", "Art26(6)")


class Obligation(_Frozen):
    """A duty the answers trigger, with its reference and the date it applies from."""

    requirement: str = Field(description="Catalog item id, e.g. EUAIA:Art9.")
    framework: str
    title: str
    reference: str = Field(description="The instrument's own reference, e.g. Art 9.")
    applies_from: date | None = None
    duty_holder: str
    why: str
    basis: bool = Field(
        default=False,
        description="True when the item states why the system "
        "is classified so (an Annex III point, Art 6(1)-(2)) rather than a duty.",
    )


class Decision(_Frozen):
    """An answer that decided the outcome, and what it decided."""

    question: str
    answer: Any
    effect: str


class Classification(_Frozen):
    """The outcome of ``accord classify``: tier, deciding answers, obligations."""

    schema_id: Literal["accord.classification/1"] = Field(
        default="accord.classification/1", alias="schema", serialization_alias="schema"
    )
    tier: Tier
    tier_label: str
    prohibited_practices: list[str] = Field(default_factory=list)
    high_risk_route: Literal["annex_i", "annex_iii"] | None = None
    annex_i_section: Literal["A", "B"] | None = None
    annex_iii_points: list[str] = Field(default_factory=list)
    derogation: str | None = Field(default=None, description="The Art 6(3) condition applied.")
    transparency: list[str] = Field(default_factory=list)
    gpai: Literal["none", "gpai", "gpai_systemic"] = "none"
    nyc_ll144: bool = False
    frameworks: list[str] = Field(
        default_factory=list, description="Frameworks whose duties the answers trigger."
    )
    deciding: list[Decision] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    disclaimer: str = DISCLAIMER

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def normalise_answers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check answers against the questionnaire and fill defaults for the rest.

    Nested mappings (``{"art5": {"csam": false}}``) are flattened to dotted ids.

    Examples
    --------
    >>> normalise_answers({"annex3": {"uses": ["4(a)"]}})["annex3.uses"]
    ['4(a)']
    """
    flat = _flatten(raw)
    out: dict[str, Any] = {}
    for key, value in flat.items():
        q = QUESTIONS_BY_ID.get(key)
        if q is None:
            raise UsageError(
                "unknown question id in the answers",
                value=key,
                fix=did_you_mean(
                    key, list(QUESTIONS_BY_ID), "see docs/governance.md for the question ids"
                ),
            )
        out[key] = _coerce(q.id, q.kind, value, [c for c, _ in q.choices])
    return {q.id: out.get(q.id, q.default) for q in QUESTIONS}


def _flatten(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and name not in QUESTIONS_BY_ID:
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _coerce(qid: str, kind: str, value: Any, choices: list[str]) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        raise UsageError("the answer must be yes or no", column=qid, value=value)
    if kind == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UsageError("the answer must be a number", column=qid, value=value) from None
        if number < 0:
            raise UsageError("the answer must not be negative", column=qid, value=value)
        return number
    if kind == "choice":
        if str(value) not in choices:
            raise UsageError(
                "not one of the allowed answers",
                column=qid,
                value=value,
                fix="use one of: " + ", ".join(choices),
            )
        return str(value)
    values = value if isinstance(value, list) else [value] if value not in (None, "") else []
    out = []
    for v in values:
        text = str(v).strip()
        if text not in choices:
            raise UsageError(
                "not one of the allowed answers",
                column=qid,
                value=v,
                fix="use any of: " + ", ".join(choices),
            )
        if text not in out:
            out.append(text)
    return out


def classify(answers: Mapping[str, Any], catalog: Catalog | None = None) -> Classification:
    """Classify a system described by questionnaire answers.

    Parameters
    ----------
    answers
        Question id -> answer (see ``accord classify --help`` and docs/governance.md);
        questions not answered take their default.
    catalog
        The catalog to take titles and dates from (default: the packaged one).

    Returns
    -------
    Classification
        The EU AI Act tier, the answers that decided it, and every obligation the answers
        trigger, with references and the dates they apply from.

    Examples
    --------
    >>> c = classify({"annex3.uses": ["4(a)"]})
    >>> c.tier, c.high_risk_route
    ('high_risk', 'annex_iii')
    >>> classify({"art5.social_scoring": True}).tier
    'prohibited'
    """
    return _Classifier(normalise_answers(answers), catalog or load_catalog()).run()


class _Classifier:
    def __init__(self, answers: dict[str, Any], catalog: Catalog) -> None:
        self.a = answers
        self.cat = catalog
        self.obligations: dict[str, Obligation] = {}
        self.deciding: list[Decision] = []
        self.notes: list[str] = []
        self.role = answers["role"]

    # -- helpers --------------------------------------------------------------------------

    def decide(self, qid: str, effect: str) -> None:
        self.deciding.append(Decision(question=qid, answer=self.a[qid], effect=effect))

    def oblige(
        self,
        requirement: str,
        why: str,
        *,
        applies_from: date | None = None,
        holder: str | None = None,
        basis: bool = False,
    ) -> None:
        if requirement in self.obligations:
            return
        item = self.cat.item(requirement)
        self.obligations[requirement] = Obligation(
            requirement=item.id,
            framework=item.framework,
            title=item.title,
            reference=_reference(item.framework, item.ref),
            applies_from=applies_from or item.applies_from,
            duty_holder=holder or item.duty_holder or "all",
            why=why,
            basis=basis,
        )

    def provider(self) -> bool:
        return bool(self.role in ("provider", "both"))

    def deployer(self) -> bool:
        return bool(self.role in ("deployer", "both"))

    # -- the tests in order ---------------------------------------------------------------

    def run(self) -> Classification:
        a = self.a
        tier: Tier
        prohibited: list[str] = []
        route: Literal["annex_i", "annex_iii"] | None = None
        section: Literal["A", "B"] | None = None
        points: list[str] = []
        derogation: str | None = None
        transparency: list[str] = []
        gpai: Literal["none", "gpai", "gpai_systemic"] = "none"
        in_scope = self.scope()
        if in_scope:
            self.oblige(
                "EUAIA:Art4",
                "Applies to every provider and deployer of an AI system.",
                holder="provider/deployer",
            )
            prohibited = self.prohibited()
            route, section, points, derogation = self.high_risk(bool(prohibited))
            transparency = self.transparency()
            gpai = self.gpai()
            if prohibited:
                tier = "prohibited"
            elif route is not None:
                tier = "high_risk"
            elif transparency:
                tier = "transparency"
            else:
                tier = "minimal"
                self.minimal(gpai)
        else:
            tier = "out_of_scope"
        nyc = self.united_states()
        self.china()
        frameworks = sorted({o.framework for o in self.obligations.values()})
        return Classification(
            tier=tier,
            tier_label=TIER_LABELS[tier],
            prohibited_practices=prohibited,
            high_risk_route=route,
            annex_i_section=section,
            annex_iii_points=points,
            derogation=derogation,
            transparency=transparency,
            gpai=gpai,
            nyc_ll144=nyc,
            frameworks=frameworks,
            deciding=self.deciding,
            obligations=[
                o
                for _, o in sorted(
                    enumerate(self.obligations.values()), key=lambda p: (*_order(p[1]), p[0])
                )
            ],
            answers=dict(a),
            notes=self.notes,
        )

    def scope(self) -> bool:
        a = self.a
        if not a["scope.ai_system"]:
            self.decide(
                "scope.ai_system",
                "Not an AI system as defined in Art 3(1): the AI Act does not apply.",
            )
            return False
        if a["scope.exclusion"] != "none":
            self.decide("scope.exclusion", "Excluded from the AI Act by Art 2.")
            return False
        if not a["scope.eu"]:
            self.decide(
                "scope.eu",
                "Neither placed on the market, used, nor producing output "
                "used in the EU: outside the AI Act's territorial scope.",
            )
            return False
        return True

    def prohibited(self) -> list[str]:
        a = self.a
        found = []
        for qid, ref in ART5_QUESTIONS.items():
            if not a[qid]:
                continue
            if qid == "art5.emotion_work_education" and a["art5.emotion_medical_safety"]:
                self.decide(
                    "art5.emotion_medical_safety",
                    "Emotion inference for medical or "
                    "safety reasons is exempt from Art 5(1)(f); it stays high-risk "
                    "under Annex III 1(c).",
                )
                continue
            if qid == "art5.realtime_rbi" and a["art5.rbi_exception"] != "none":
                self.decide(
                    "art5.rbi_exception",
                    "A permitted objective of Art 5(1)(h): allowed "
                    "only under the safeguards of Art 5(2)-(7), and high-risk under "
                    "Annex III 1(a).",
                )
                self.oblige(
                    "EUAIA:Art5(2)",
                    "Real-time remote biometric identification for a permitted objective.",
                    holder="deployer",
                )
                continue
            item = self.cat.item(f"EUAIA:{ref}")
            found.append(item.id)
            self.decide(
                qid, f"Prohibited practice {_reference('EUAIA', ref)}: {item.title.lower()}."
            )
            self.oblige(
                item.id,
                "A prohibited practice: it must not be placed on the market, "
                "put into service or used.",
                holder="all",
            )
        return found

    def _implied_annex_iii(self) -> list[str]:
        a = self.a
        implied = list(a["annex3.uses"])
        if (
            a["art5.emotion_work_education"]
            and a["art5.emotion_medical_safety"]
            and "1(c)" not in implied
        ):
            implied.append("1(c)")
        if a["art5.realtime_rbi"] and a["art5.rbi_exception"] != "none" and "1(a)" not in implied:
            implied.append("1(a)")
        return sorted(implied, key=list(ANNEX_III).index)

    def high_risk(
        self, prohibited: bool
    ) -> tuple[
        Literal["annex_i", "annex_iii"] | None, Literal["A", "B"] | None, list[str], str | None
    ]:
        a = self.a
        points = self._implied_annex_iii()
        annex_i = (
            a["annex1.product"] != "none"
            and a["annex1.safety_component"]
            and a["annex1.third_party"]
        )
        section: Literal["A", "B"] | None = None
        if a["annex1.product"] != "none" and not annex_i:
            q = (
                "annex1.safety_component"
                if not a["annex1.safety_component"]
                else "annex1.third_party"
            )
            self.decide(
                q,
                "The Annex I product route does not apply: Art 6(1) needs both a "
                "safety component and third-party conformity assessment.",
            )
        derogation = None
        annex_iii = bool(points)
        if points and not prohibited:
            for p in points:
                if p in a["annex3.uses"]:
                    self.decide("annex3.uses", f"Annex III point {p}: {ANNEX_III[p].lower()}.")
            condition = a["art6_3.condition"]
            if condition != "none" and a["art6_3.profiling"]:
                self.decide(
                    "art6_3.profiling",
                    "The system profiles natural persons, so the "
                    "Art 6(3) derogation is not available: it stays high-risk.",
                )
            elif condition != "none":
                derogation = f"EUAIA:{DEROGATION_ITEMS[condition]}"
                self.decide(
                    "art6_3.condition",
                    "The Art 6(3) derogation applies: not "
                    "high-risk, but the assessment must be documented and registered.",
                )
                annex_iii = False
                if self.provider():
                    self.oblige(
                        "EUAIA:Art6(4)",
                        "Relying on the Art 6(3) derogation.",
                        applies_from=ANNEX_III_DATE,
                        holder="provider",
                    )
                    self.oblige(
                        "EUAIA:Art49",
                        "Derogated Annex III systems are registered (Art 49(2)).",
                        applies_from=ANNEX_III_DATE,
                        holder="provider",
                    )
        if prohibited:
            return None, None, points, None
        if annex_i:
            section = ANNEX_I[a["annex1.product"]][0]  # type: ignore[assignment]
            self.decide(
                "annex1.product",
                f"Annex I Section {section} product "
                f"({ANNEX_I[a['annex1.product']][2]}) with a safety component needing "
                "third-party conformity assessment: high-risk under Art 6(1).",
            )
            self.oblige(
                "EUAIA:Art6(1)",
                "High-risk through the product route.",
                applies_from=ANNEX_I_DATE,
                holder="provider",
                basis=True,
            )
            if section == "A":
                self.high_risk_duties(ANNEX_I_DATE, "Annex I product (Section A)", annex_iii=False)
            else:
                self.notes.append(
                    "Annex I Section B: the AI Act's high-risk requirements apply "
                    "through the sectoral product legislation (Art 2(2)), not "
                    "directly."
                )
        if annex_iii:
            self.oblige(
                "EUAIA:Art6(2)",
                "High-risk through an Annex III use.",
                applies_from=ANNEX_III_DATE,
                holder="provider",
                basis=True,
            )
            for p in points:
                self.oblige(
                    f"EUAIA:AnnexIII.{p}",
                    "The intended use listed in Annex III.",
                    applies_from=ANNEX_III_DATE,
                    holder="provider",
                    basis=True,
                )
            self.high_risk_duties(ANNEX_III_DATE, "Annex III use", annex_iii=True, points=points)
        if annex_i:
            return "annex_i", section, points, derogation
        if annex_iii:
            return "annex_iii", None, points, derogation
        return None, None, points, derogation

    def high_risk_duties(
        self, when: date, route: str, *, annex_iii: bool, points: list[str] | None = None
    ) -> None:
        points = points or []
        why = f"High-risk system ({route})."
        if self.provider():
            for ref in PROVIDER_HIGH_RISK:
                self.oblige(f"EUAIA:{ref}", why, applies_from=when, holder="provider")
        if self.deployer():
            for ref in DEPLOYER_HIGH_RISK:
                self.oblige(f"EUAIA:{ref}", why, applies_from=when, holder="deployer")
            if self.a["deployer.workplace"]:
                self.decide(
                    "deployer.workplace",
                    "Used at work: workers and their "
                    "representatives must be informed (Art 26(7)).",
                )
                self.oblige(
                    "EUAIA:Art26(7)",
                    "Used at the workplace.",
                    applies_from=when,
                    holder="deployer",
                )
            if annex_iii:
                self.oblige(
                    "EUAIA:Art26(11)",
                    "Decisions about people under an Annex III use.",
                    applies_from=when,
                    holder="deployer",
                )
                self.oblige(
                    "EUAIA:Art26(9)",
                    "Personal data processed in an Annex III use: "
                    "the DPIA uses the provider's information.",
                    applies_from=when,
                    holder="deployer",
                )
                if points != ["2"]:
                    self.oblige(
                        "EUAIA:Art86",
                        "Affected persons may ask for an explanation of "
                        "decisions based on an Annex III system.",
                        applies_from=when,
                        holder="deployer",
                    )
                fria = [p for p in points if p in ("5(b)", "5(c)")]
                if self.a["deployer.public_service"] and any(p != "2" for p in points):
                    self.decide(
                        "deployer.public_service",
                        "A public body or provider of public "
                        "services: a fundamental rights impact assessment is required.",
                    )
                    self.oblige(
                        "EUAIA:Art27",
                        "Public body or public-service provider deploying an Annex III system.",
                        applies_from=when,
                        holder="deployer",
                    )
                elif fria:
                    self.oblige(
                        "EUAIA:Art27",
                        f"Deployer of an Annex III point {fria[0]} system (credit or insurance).",
                        applies_from=when,
                        holder="deployer",
                    )
                if self.a["deployer.public_service"]:
                    self.oblige(
                        "EUAIA:Art49",
                        "Public deployers register their use.",
                        applies_from=when,
                        holder="deployer",
                    )
        if "1(a)" in points:
            self.oblige(
                "EUAIA:Art14(5)",
                "Remote biometric identification: matches are verified by two people.",
                applies_from=when,
                holder="provider/deployer",
            )

    def transparency(self) -> list[str]:
        a = self.a
        found: list[str] = []

        def add(ref: str, qid: str, effect: str, holder: str, when: date | None = None) -> None:
            self.decide(qid, effect)
            found.append(f"EUAIA:{ref}")
            self.oblige(f"EUAIA:{ref}", effect, holder=holder, applies_from=when)

        if a["art50.interacts"] and not a["art50.obvious"]:
            add(
                "Art50(1)",
                "art50.interacts",
                "Interacts with people: they must be told they are dealing with an AI system.",
                "provider",
            )
        elif a["art50.interacts"]:
            self.decide(
                "art50.obvious", "The AI nature is obvious: Art 50(1) disclosure is not needed."
            )
        if a["art50.synthetic_content"]:
            when = ART50_LEGACY_DATE if a["art50.legacy_generative"] else None
            add(
                "Art50(2)",
                "art50.synthetic_content",
                "Generates synthetic content: outputs "
                "must be marked as artificially generated in a machine-readable way.",
                "provider",
                when,
            )
        if (
            a["art50.emotion_biometric"]
            or "1(c)" in self._implied_annex_iii()
            or "1(b)" in a["annex3.uses"]
        ):
            qid = "art50.emotion_biometric" if a["art50.emotion_biometric"] else "annex3.uses"
            add(
                "Art50(3)",
                qid,
                "Emotion recognition or biometric categorisation: exposed "
                "people must be informed.",
                "deployer",
            )
        if a["art50.deepfake"]:
            add(
                "Art50(4)",
                "art50.deepfake",
                "Deepfakes must be disclosed as artificially generated or manipulated.",
                "deployer",
            )
        if a["art50.public_text"] and "EUAIA:Art50(4)" not in found:
            add(
                "Art50(4)",
                "art50.public_text",
                "Generated text on matters of public interest "
                "must be disclosed unless it had human editorial review.",
                "deployer",
            )
        if found:
            self.oblige(
                "EUAIA:Art50(5)", "Applies to every Art 50 disclosure.", holder="provider/deployer"
            )
        return found

    def gpai(self) -> Literal["none", "gpai", "gpai_systemic"]:
        a = self.a
        if not a["gpai.model"]:
            return "none"
        when = GPAI_LEGACY_DATE if a["gpai.before_2025_08_02"] else GPAI_DATE
        systemic = a["gpai.designated"] or a["gpai.training_flops"] > SYSTEMIC_FLOP
        open_source = a["gpai.open_source"] and not systemic
        why = "Provider of a general-purpose AI model."
        if a["gpai.before_2025_08_02"]:
            self.decide(
                "gpai.before_2025_08_02",
                "Model placed on the market before 2 Aug 2025: it must comply by 2 Aug 2027.",
            )
        if open_source:
            self.decide(
                "gpai.open_source",
                "Open-source model without systemic risk: exempt "
                "from the documentation duties of Art 53(1)(a)-(b) and from Art 54.",
            )
        else:
            self.oblige("EUAIA:Art53(1)(a)", why, applies_from=when, holder="provider")
            self.oblige("EUAIA:Art53(1)(b)", why, applies_from=when, holder="provider")
        self.oblige("EUAIA:Art53(1)(c)", why, applies_from=when, holder="provider")
        self.oblige("EUAIA:Art53(1)(d)", why, applies_from=when, holder="provider")
        if a["gpai.non_eu"] and not open_source:
            self.oblige(
                "EUAIA:Art54",
                "Provider established outside the EU.",
                applies_from=when,
                holder="provider",
            )
        if systemic:
            qid = "gpai.designated" if a["gpai.designated"] else "gpai.training_flops"
            self.decide(
                qid,
                "General-purpose AI model with systemic risk (Art 51): the Art 55 duties apply.",
            )
            self.oblige(
                "EUAIA:Art52", "Systemic-risk threshold met.", applies_from=when, holder="provider"
            )
            for ref in ("Art55(1)(a)", "Art55(1)(b)", "Art55(1)(c)", "Art55(1)(d)"):
                self.oblige(
                    f"EUAIA:{ref}",
                    "General-purpose AI model with systemic risk.",
                    applies_from=when,
                    holder="provider",
                )
            return "gpai_systemic"
        self.decide(
            "gpai.model", "Provider of a general-purpose AI model: the Art 53 duties apply."
        )
        return "gpai"

    def minimal(self, gpai: str) -> None:
        if not any(d.question.startswith("art6_3") for d in self.deciding):
            self.deciding.append(
                Decision(
                    question="annex3.uses",
                    answer=self.a["annex3.uses"],
                    effect="No prohibited practice, high-risk product or use, or transparency "
                    "trigger: minimal risk.",
                )
            )
        self.oblige(
            "EUAIA:Art95",
            "Minimal risk: voluntary codes of conduct are encouraged.",
            holder="provider/deployer",
        )

    def united_states(self) -> bool:
        a = self.a
        nyc = bool(a["us.aedt"] and a["us.nyc"])
        if nyc:
            self.decide(
                "us.nyc",
                "An automated employment decision tool used for New York City "
                "positions: Local Law 144 applies.",
            )
            for ref in (
                "20-871(a)(1)",
                "20-871(a)(2)",
                "20-871(b)",
                "5-301(b)",
                "5-301(c)",
                "5-301(d)",
                "5-302",
                "5-303",
                "5-304",
            ):
                self.oblige(
                    f"NYC-LL144:{ref}",
                    "Automated employment decision tool used for NYC positions.",
                )
        elif a["us.aedt"]:
            self.decide(
                "us.nyc", "Not used for New York City positions: Local Law 144 does not apply."
            )
        if a["us.employment_selection"] or nyc:
            if a["us.employment_selection"]:
                self.decide(
                    "us.employment_selection",
                    "Part of a US employee selection "
                    "procedure: the Uniform Guidelines' adverse-impact rules apply.",
                )
            for ref in ("1607.4(A)", "1607.4(B)", "1607.4(C)", "1607.4(D)"):
                self.oblige(f"EEOC-UGESP:{ref}", "Employee selection procedure in the US.")
        return nyc

    def china(self) -> None:
        a = self.a
        if not a["cn.public_genai"]:
            return
        self.decide(
            "cn.public_genai",
            "Generative AI service offered to the public in mainland "
            "China: the Interim Measures and labelling rules apply.",
        )
        for ref in (
            "Art4",
            "Art4(2)",
            "Art7",
            "Art8",
            "Art9",
            "Art10",
            "Art11",
            "Art12",
            "Art13",
            "Art14",
            "Art15",
            "Art19",
        ):
            self.oblige(f"CN-GAI2023:{ref}", "Public generative AI service in China.")
        if a["cn.public_opinion"]:
            self.decide(
                "cn.public_opinion",
                "Public-opinion attributes: security assessment "
                "and algorithm filing are required.",
            )
            self.oblige("CN-GAI2023:Art17", "Service with public-opinion attributes.")
        for ref in ("explicit", "implicit", "terms"):
            self.oblige(f"CN-LBL2025:{ref}", "Generated content offered to the public in China.")


def _reference(framework: str, ref: str) -> str:
    """Human form of an item reference: ``Art10(2)(f)`` -> ``Art 10(2)(f)``."""
    for prefix, word in (("Art", "Art "), ("AnnexIII.", "Annex III "), ("Annex", "Annex ")):
        if ref.startswith(prefix):
            return word + ref[len(prefix) :]
    if framework == "NYC-LL144":
        return ("Admin. Code " if ref.startswith("20-") else "6 RCNY ") + ref
    if framework == "EEOC-UGESP":
        return "29 CFR " + ref
    return ref


def _order(o: Obligation) -> tuple[int, str]:
    rank = {"EUAIA": 0, "NYC-LL144": 1, "EEOC-UGESP": 2}.get(o.framework, 3)
    return rank, (o.applies_from or date.min).isoformat()
