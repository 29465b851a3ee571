"""Policies as code: ``accord.yaml`` checks, thresholds and presets, findings and verdicts.

A policy says what "fair enough" means for a system; an audit judged against it gets
one finding per check and grouping, and a verdict for a CI gate.
"""

from accord.policy._evaluate import calibration_gap, evaluate, find_table, resolve_groupings
from accord.policy._gate import FAIL_ON, Verdict, verdict
from accord.policy._model import (
    POLICY_VERSION,
    About,
    Check,
    CheckOverride,
    DataSpec,
    DiscoverSpec,
    Policy,
    SettingsSpec,
    Threshold,
)
from accord.policy._outcome import PolicyOutcome, PolicySource
from accord.policy._requirements import linked_requirements
from accord.policy._resolve import (
    PRESETS,
    ResolvedPolicy,
    as_policy,
    empty_policy,
    load_policy,
    preset_about,
    preset_text,
)
from accord.policy._schema import json_schema
from accord.policy._text import format_estimate, format_key, format_threshold
from accord.policy._yaml import parse_policy

__all__ = [
    "FAIL_ON",
    "POLICY_VERSION",
    "PRESETS",
    "About",
    "Check",
    "CheckOverride",
    "DataSpec",
    "DiscoverSpec",
    "Policy",
    "PolicyOutcome",
    "PolicySource",
    "ResolvedPolicy",
    "SettingsSpec",
    "Threshold",
    "Verdict",
    "as_policy",
    "calibration_gap",
    "empty_policy",
    "evaluate",
    "find_table",
    "format_estimate",
    "format_key",
    "format_threshold",
    "json_schema",
    "linked_requirements",
    "load_policy",
    "parse_policy",
    "preset_about",
    "preset_text",
    "resolve_groupings",
    "verdict",
]
