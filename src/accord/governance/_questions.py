"""The questionnaire of ``accord classify``: stable question ids, texts, kinds, defaults.

Question ids are a public interface (answer files, the server, CI) and never change meaning;
new questions get new ids. ``when`` says when a question is relevant given earlier answers,
so the interactive prompt skips what cannot matter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Question:
    """One question of the classification questionnaire."""

    id: str
    text: str
    kind: Literal["bool", "choice", "multi", "number"]
    default: Any
    group: str
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    when: Callable[[Answers], bool] = field(default=lambda a: True, repr=False, compare=False)
    ref: str = ""


def _in_scope(a: Answers) -> bool:
    return bool(a["scope.ai_system"]) and a["scope.exclusion"] == "none" and bool(a["scope.eu"])


def _gpai_model(a: Answers) -> bool:
    return _in_scope(a) and bool(a["gpai.model"])


def _is_deployer(a: Answers) -> bool:
    return _in_scope(a) and a["role"] in ("deployer", "both")


#: Annex I legislation: key -> (section, point, title).
ANNEX_I: dict[str, tuple[str, str, str]] = {
    "toys": ("A", "2", "Toys (Directive 2009/48/EC)"),
    "recreational_craft": (
        "A",
        "3",
        "Recreational craft and personal watercraft (Directive 2013/53/EU)",
    ),
    "lifts": ("A", "4", "Lifts (Directive 2014/33/EU)"),
    "atex": ("A", "5", "Equipment for explosive atmospheres (Directive 2014/34/EU)"),
    "radio_equipment": ("A", "6", "Radio equipment (Directive 2014/53/EU)"),
    "pressure_equipment": ("A", "7", "Pressure equipment (Directive 2014/68/EU)"),
    "cableways": ("A", "8", "Cableway installations (Regulation (EU) 2016/424)"),
    "ppe": ("A", "9", "Personal protective equipment (Regulation (EU) 2016/425)"),
    "gas_appliances": ("A", "10", "Gas appliances (Regulation (EU) 2016/426)"),
    "medical_devices": ("A", "11", "Medical devices (Regulation (EU) 2017/745)"),
    "ivd": ("A", "12", "In vitro diagnostic medical devices (Regulation (EU) 2017/746)"),
    "civil_aviation_security": ("B", "13", "Civil aviation security (Regulation (EC) 300/2008)"),
    "two_three_wheel_vehicles": (
        "B",
        "14",
        "Two- or three-wheel vehicles and quadricycles (Regulation (EU) 168/2013)",
    ),
    "agricultural_vehicles": (
        "B",
        "15",
        "Agricultural and forestry vehicles (Regulation (EU) 167/2013)",
    ),
    "marine_equipment": ("B", "16", "Marine equipment (Directive 2014/90/EU)"),
    "rail": ("B", "17", "Rail system interoperability (Directive (EU) 2016/797)"),
    "motor_vehicles": ("B", "18", "Motor vehicles and trailers (Regulation (EU) 2018/858)"),
    "vehicle_safety": ("B", "19", "General safety of motor vehicles (Regulation (EU) 2019/2144)"),
    "civil_aviation": (
        "B",
        "20",
        "Civil aviation, including unmanned aircraft (Regulation (EU) 2018/1139)",
    ),
    "machinery": (
        "B",
        "21",
        "Machinery (Regulation (EU) 2023/1230; Section B point 21 since 2026)",
    ),
}

#: Annex III points: key -> title (the catalog item is EUAIA:AnnexIII.<key>).
ANNEX_III: dict[str, str] = {
    "1(a)": "Remote biometric identification",
    "1(b)": "Biometric categorisation by sensitive attributes",
    "1(c)": "Emotion recognition",
    "2": "Safety component of critical infrastructure",
    "3(a)": "Education: access, admission or assignment",
    "3(b)": "Education: evaluating learning outcomes",
    "3(c)": "Education: assessing the level of education",
    "3(d)": "Education: monitoring students during tests",
    "4(a)": "Employment: recruitment and selection",
    "4(b)": "Employment: decisions about workers, task allocation, monitoring",
    "5(a)": "Public assistance benefits and services",
    "5(b)": "Creditworthiness and credit scoring",
    "5(c)": "Life and health insurance risk and pricing",
    "5(d)": "Emergency calls, dispatch and triage",
    "6(a)": "Law enforcement: risk of becoming a victim",
    "6(b)": "Law enforcement: polygraphs",
    "6(c)": "Law enforcement: reliability of evidence",
    "6(d)": "Law enforcement: risk of offending",
    "6(e)": "Law enforcement: profiling",
    "7(a)": "Migration: polygraphs",
    "7(b)": "Migration: risk assessment of persons",
    "7(c)": "Migration: asylum, visa and residence applications",
    "7(d)": "Migration: detecting or identifying persons",
    "8(a)": "Justice: assisting judicial authorities",
    "8(b)": "Democracy: influencing elections or voting",
}

DEROGATIONS = (
    ("none", "None of these"),
    ("narrow_procedural", "(a) It only performs a narrow procedural task"),
    ("improve_human_result", "(b) It only improves the result of a completed human activity"),
    (
        "detect_patterns",
        "(c) It only detects decision patterns or deviations, without replacing "
        "or swaying the human assessment without proper review",
    ),
    ("preparatory", "(d) It only performs a task preparatory to an Annex III assessment"),
)

QUESTIONS: tuple[Question, ...] = (
    # --- scope -------------------------------------------------------------------------
    Question(
        "scope.ai_system",
        "Is it an AI system: a machine-based system that infers from "
        "its inputs how to produce outputs such as predictions, content, recommendations or "
        "decisions?",
        "bool",
        True,
        "Scope",
        ref="Art 3(1)",
    ),
    Question(
        "scope.exclusion",
        "Does one of the AI Act's exclusions apply?",
        "choice",
        "none",
        "Scope",
        choices=(
            ("none", "No"),
            ("military", "Used exclusively for military, defence or national security purposes"),
            ("research", "Developed and used only for scientific research"),
            ("personal", "Used by a person for purely personal, non-professional activity"),
            ("pre_market", "Research, testing or development before it is placed on the market"),
        ),
        ref="Art 2",
    ),
    Question(
        "scope.eu",
        "Is it placed on the market, put into service or used in the EU, or is "
        "its output used in the EU?",
        "bool",
        True,
        "Scope",
        ref="Art 2(1)",
    ),
    Question(
        "role",
        "Your role for this system",
        "choice",
        "provider",
        "Scope",
        choices=(
            (
                "provider",
                "Provider (develops it or has it developed, and places it "
                "on the market under its name)",
            ),
            ("deployer", "Deployer (uses it under its authority)"),
            ("both", "Both"),
        ),
        ref="Art 3(3)-(4)",
    ),
    # --- Art 5 -------------------------------------------------------------------------
    Question(
        "art5.manipulation",
        "Does it use subliminal, manipulative or deceptive techniques "
        "that materially distort people's behaviour and are likely to cause significant "
        "harm?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(a)",
    ),
    Question(
        "art5.vulnerabilities",
        "Does it exploit vulnerabilities due to age, disability or a "
        "social or economic situation to distort behaviour, likely causing significant "
        "harm?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(b)",
    ),
    Question(
        "art5.intimate_imagery",
        "Does it generate or alter realistic sexual or intimate "
        "images of an identifiable person without their explicit consent?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(ba)",
    ),
    Question(
        "art5.csam",
        "Does it generate or alter child sexual abuse material?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(bb)",
    ),
    Question(
        "art5.social_scoring",
        "Does it score people over time on their social behaviour or "
        "personal traits, leading to detrimental treatment that is unjustified, "
        "disproportionate or in unrelated contexts?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(c)",
    ),
    Question(
        "art5.crime_prediction",
        "Does it predict that a person will commit a crime based "
        "solely on profiling or personality traits?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(d)",
    ),
    Question(
        "art5.face_scraping",
        "Does it build or extend facial-recognition databases by "
        "untargeted scraping of faces from the internet or CCTV?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(e)",
    ),
    Question(
        "art5.emotion_work_education",
        "Does it infer emotions of people in a workplace or an educational institution?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(f)",
    ),
    Question(
        "art5.emotion_medical_safety",
        "Is that emotion inference for medical or safety reasons only?",
        "bool",
        False,
        "Prohibited practices",
        when=lambda a: _in_scope(a) and bool(a["art5.emotion_work_education"]),
        ref="Art 5(1)(f)",
    ),
    Question(
        "art5.biometric_categorisation",
        "Does it categorise people from biometric data to "
        "infer race, political opinions, union membership, religion, sex life or sexual "
        "orientation?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(g)",
    ),
    Question(
        "art5.realtime_rbi",
        "Is it used for real-time remote biometric identification in "
        "publicly accessible spaces for law enforcement?",
        "bool",
        False,
        "Prohibited practices",
        when=_in_scope,
        ref="Art 5(1)(h)",
    ),
    Question(
        "art5.rbi_exception",
        "Is that use strictly necessary for one of the permitted objectives?",
        "choice",
        "none",
        "Prohibited practices",
        choices=(
            ("none", "No"),
            (
                "victims",
                "(i) Targeted search for victims of abduction, trafficking or "
                "sexual exploitation, or missing persons",
            ),
            (
                "threat",
                "(ii) Preventing a specific, substantial and imminent threat "
                "to life or a terrorist attack",
            ),
            (
                "suspects",
                "(iii) Locating or identifying a suspect of a serious crime listed in Annex II",
            ),
        ),
        when=lambda a: _in_scope(a) and bool(a["art5.realtime_rbi"]),
        ref="Art 5(1)(h)",
    ),
    # --- Annex I ---------------------------------------------------------------------
    Question(
        "annex1.product",
        "Is it, or is it part of, a product covered by Annex I legislation?",
        "choice",
        "none",
        "High-risk: products (Annex I)",
        choices=(("none", "No"), *((k, v[2]) for k, v in ANNEX_I.items())),
        when=_in_scope,
        ref="Art 6(1), Annex I",
    ),
    Question(
        "annex1.safety_component",
        "Is the AI system a safety component of that product, or the product itself?",
        "bool",
        True,
        "High-risk: products (Annex I)",
        when=lambda a: _in_scope(a) and a["annex1.product"] != "none",
        ref="Art 6(1)(a)",
    ),
    Question(
        "annex1.third_party",
        "Must that product undergo a third-party conformity assessment under its legislation?",
        "bool",
        True,
        "High-risk: products (Annex I)",
        when=lambda a: _in_scope(a) and a["annex1.product"] != "none",
        ref="Art 6(1)(b)",
    ),
    # --- Annex III -------------------------------------------------------------------
    Question(
        "annex3.uses",
        "Is it intended for any of these uses (Annex III)? List every point that applies.",
        "multi",
        [],
        "High-risk: uses (Annex III)",
        choices=tuple(ANNEX_III.items()),
        when=_in_scope,
        ref="Art 6(2), Annex III",
    ),
    Question(
        "art6_3.profiling",
        "Does it profile natural persons, i.e. evaluate by automated "
        "processing of personal data aspects such as work performance, economic situation, "
        "health, preferences, behaviour or location?",
        "bool",
        False,
        "High-risk: uses (Annex III)",
        when=lambda a: _in_scope(a) and bool(a["annex3.uses"]),
        ref="Art 6(3)",
    ),
    Question(
        "art6_3.condition",
        "Does one of these hold, so that it poses no significant risk of harm?",
        "choice",
        "none",
        "High-risk: uses (Annex III)",
        choices=DEROGATIONS,
        when=lambda a: _in_scope(a) and bool(a["annex3.uses"]),
        ref="Art 6(3)",
    ),
    # --- Art 50 ----------------------------------------------------------------------
    Question(
        "art50.interacts",
        "Does it interact directly with people (e.g. a chatbot or voice assistant)?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=_in_scope,
        ref="Art 50(1)",
    ),
    Question(
        "art50.obvious",
        "Is it obvious to a reasonably well-informed person that they are "
        "interacting with an AI system?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=lambda a: _in_scope(a) and bool(a["art50.interacts"]),
        ref="Art 50(1)",
    ),
    Question(
        "art50.synthetic_content",
        "Does it generate synthetic audio, images, video or text?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=_in_scope,
        ref="Art 50(2)",
    ),
    Question(
        "art50.legacy_generative",
        "Was that generative system placed on the market before 2 Aug 2026?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=lambda a: _in_scope(a) and bool(a["art50.synthetic_content"]),
        ref="Art 111(4)",
    ),
    Question(
        "art50.emotion_biometric",
        "Is it used to recognise emotions or to categorise people from biometric data?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=_in_scope,
        ref="Art 50(3)",
    ),
    Question(
        "art50.deepfake",
        "Is it used to generate or manipulate images, audio or video "
        "that resemble real people, objects, places or events (deepfakes)?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=_in_scope,
        ref="Art 50(4)",
    ),
    Question(
        "art50.public_text",
        "Is it used to publish generated text that informs the public "
        "on matters of public interest, without human editorial review?",
        "bool",
        False,
        "Transparency (Art 50)",
        when=_in_scope,
        ref="Art 50(4)",
    ),
    # --- GPAI --------------------------------------------------------------------------
    Question(
        "gpai.model",
        "Do you provide a general-purpose AI model (one that performs a wide "
        "range of distinct tasks and is integrated into other systems)?",
        "bool",
        False,
        "General-purpose AI models",
        when=_in_scope,
        ref="Art 3(63), Art 53",
    ),
    Question(
        "gpai.training_flops",
        "Cumulative compute used to train the model, in FLOP (0 if unknown)",
        "number",
        0.0,
        "General-purpose AI models",
        when=_gpai_model,
        ref="Art 51(2)",
    ),
    Question(
        "gpai.designated",
        "Has the Commission designated the model as having systemic risk?",
        "bool",
        False,
        "General-purpose AI models",
        when=_gpai_model,
        ref="Art 51(1)(b)",
    ),
    Question(
        "gpai.open_source",
        "Is the model released under a free and open-source licence "
        "with its weights, architecture and usage information public?",
        "bool",
        False,
        "General-purpose AI models",
        when=_gpai_model,
        ref="Art 53(2)",
    ),
    Question(
        "gpai.before_2025_08_02",
        "Was the model placed on the market before 2 Aug 2025?",
        "bool",
        False,
        "General-purpose AI models",
        when=_gpai_model,
        ref="Art 111(3)",
    ),
    Question(
        "gpai.non_eu",
        "Is the provider established outside the EU?",
        "bool",
        False,
        "General-purpose AI models",
        when=_gpai_model,
        ref="Art 54",
    ),
    # --- deployer context ------------------------------------------------------------
    Question(
        "deployer.public_service",
        "Is the deployer a public body, or a private entity providing public services?",
        "bool",
        False,
        "Deployer",
        when=_is_deployer,
        ref="Art 27(1)",
    ),
    Question(
        "deployer.workplace",
        "Is the system used at the workplace by an employer?",
        "bool",
        False,
        "Deployer",
        when=_is_deployer,
        ref="Art 26(7)",
    ),
    # --- other jurisdictions ------------------------------------------------------------
    Question(
        "us.aedt",
        "Is it used to substantially assist or replace discretionary decisions "
        "on hiring or promotion (an automated employment decision tool)?",
        "bool",
        False,
        "United States",
        ref="NYC Admin. Code 20-870",
    ),
    Question(
        "us.nyc",
        "Are the candidates or employees assessed for positions in New York City?",
        "bool",
        False,
        "United States",
        when=lambda a: bool(a["us.aedt"]),
        ref="NYC Admin. Code 20-871",
    ),
    Question(
        "us.employment_selection",
        "Is it part of an employee selection procedure used by "
        "a US employer (hiring, promotion, referral, retention)?",
        "bool",
        False,
        "United States",
        ref="29 CFR 1607",
    ),
    Question(
        "cn.public_genai",
        "Does it provide generative AI services to the public in mainland China?",
        "bool",
        False,
        "China",
        ref="CAC Order No. 15, Art 2",
    ),
    Question(
        "cn.public_opinion",
        "Does that service have public-opinion attributes or social-mobilisation capacity?",
        "bool",
        False,
        "China",
        when=lambda a: bool(a["cn.public_genai"]),
        ref="CAC Order No. 15, Art 17",
    ),
)

QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}
