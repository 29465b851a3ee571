"""Resolve a policy: load what it extends, merge, apply overrides and parameters.

Presets and files a policy extends are merged in order; the resolved policy remembers
where every check was written, so that a finding can point at its line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from accord.core import PolicyError, did_you_mean
from accord.policy._model import (
    About,
    Check,
    DataSpec,
    DiscoverSpec,
    Policy,
    SettingsSpec,
    parameters_in,
    substitute,
)
from accord.policy._outcome import PolicySource
from accord.policy._yaml import Parsed, key_path, parse_policy, validation_error

#: The built-in presets, usable as ``extends: NAME`` or ``--preset NAME``.
PRESETS = ("four-fifths", "nyc-ll144", "equalized-odds", "calibration-within-groups")


@dataclass(frozen=True)
class ResolvedPolicy:
    """A policy with everything it extends merged in, ready to judge an audit.

    ``locations`` maps a check id to ``FILE:LINE`` where it was written (the last file
    that defined or changed it); ``presets`` maps a check id to the preset it came from.
    """

    policy: Policy
    sources: tuple[PolicySource, ...] = ()
    locations: Mapping[str, str] = field(default_factory=dict)
    presets: Mapping[str, str] = field(default_factory=dict)
    base_dir: Path | None = None

    @property
    def checks(self) -> list[Check]:
        """Checks that are enabled, in order."""
        return [c for c in self.policy.checks if c.enabled]

    @property
    def data_path(self) -> Path | None:
        """Data file the policy names, resolved against the policy file's folder."""
        path = self.policy.data.path
        if path is None:
            return None
        p = Path(path)
        return p if p.is_absolute() or self.base_dir is None else self.base_dir / p

    def with_discovery(self, spec: DiscoverSpec) -> ResolvedPolicy:
        """Return the same policy with ``spec`` as its discovery request."""
        policy = self.policy.model_copy(update={"discover": spec})
        return ResolvedPolicy(policy, self.sources, self.locations, self.presets, self.base_dir)


def empty_policy() -> ResolvedPolicy:
    """Return a policy with no checks (what ``--discover`` alone runs under).

    Examples
    --------
    >>> empty_policy().checks
    []
    """
    return ResolvedPolicy(Policy(version=1))


def load_policy(
    path: str | Path | None = None,
    *,
    presets: Sequence[str] = (),
    parameters: Mapping[str, str] | None = None,
) -> ResolvedPolicy:
    """Load a policy file and what it extends, with extra presets and parameters.

    Parameters
    ----------
    path
        The policy file (``accord.yaml``); None for presets alone.
    presets
        Presets added as if the policy extended them (``--preset``).
    parameters
        Values for ``${name}`` in checks, over the policy's own (``--param``).

    Raises
    ------
    PolicyError
        The file or a file it extends is invalid; the message names file, line and key.

    Examples
    --------
    >>> p = load_policy(presets=["four-fifths"])
    >>> [c.id for c in p.checks], p.presets["four-fifths"]
    (['four-fifths'], 'four-fifths')
    """
    if path is None:
        parsed = Parsed(Policy(version=1, extends=list(presets)), "(command line)", {})
        base_dir = None
        own: list[PolicySource] = []
    else:
        file = Path(path)
        text = _read(file)
        parsed = parse_policy(text, str(path))
        if presets:
            parsed = Parsed(
                parsed.policy.model_copy(update={"extends": [*parsed.policy.extends, *presets]}),
                parsed.source,
                parsed.lines,
            )
        base_dir = file.resolve().parent
        own = [PolicySource(kind="file", name=str(path), sha256=_sha(text))]
    merged = _merge_tree(parsed, base_dir, stack=())
    values = {**merged.parameters, **dict(parameters or {})}
    policy = _finish(merged, values)
    return ResolvedPolicy(
        policy, tuple(merged.sources) + tuple(own), merged.locations, merged.presets, base_dir
    )


def preset_text(name: str) -> str:
    """Return the YAML of a built-in preset.

    Raises
    ------
    PolicyError
        No preset has this name.

    Examples
    --------
    >>> preset_text("four-fifths").splitlines()[1]
    'version: 1'
    """
    if name not in PRESETS:
        raise PolicyError(
            "unknown preset",
            value=name,
            fix=did_you_mean(name, PRESETS, f"presets are: {', '.join(PRESETS)}"),
        )
    return (
        resources.files("accord.policy")
        .joinpath("presets", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


def preset_about(name: str) -> About:
    """Return what a preset checks, its sources, and what it does and does not establish.

    Examples
    --------
    >>> about = preset_about("four-fifths")
    >>> "1607.4" in " ".join(about.sources)
    True
    """
    return parse_policy(preset_text(name), f"preset {name}").policy.about


# -- merging ------------------------------------------------------------------------------


@dataclass
class _Merged:
    system: str | None = None
    about: About = field(default_factory=About)
    parameters: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    discover: DiscoverSpec | None = None
    sources: list[PolicySource] = field(default_factory=list)
    locations: dict[str, str] = field(default_factory=dict)
    presets: dict[str, str] = field(default_factory=dict)


def _merge_tree(
    parsed: Parsed, base_dir: Path | None, stack: tuple[str, ...], preset: str | None = None
) -> _Merged:
    merged = _Merged()
    for i, ref in enumerate(parsed.policy.extends):
        where = parsed.where(("extends", i))
        base, name, base_preset, text = _open_base(ref, base_dir, where)
        if name in stack:
            raise PolicyError(
                f"{_at(where)}: the policy extends itself through {name}",
                fix="remove one of the extends entries that form the cycle",
            )
        kind: Literal["file", "preset"] = "preset" if base_preset else "file"
        child_dir = base_dir if base_preset else Path(name).parent
        sub = _merge_tree(base, child_dir, (*stack, name), base_preset or preset)
        _combine(merged, sub)
        merged.sources.append(PolicySource(kind=kind, name=base_preset or name, sha256=_sha(text)))
    _apply(merged, parsed, preset)
    return merged


def _open_base(ref: str, base_dir: Path | None, where: str) -> tuple[Parsed, str, str | None, str]:
    looks_like_file = ref.endswith((".yaml", ".yml")) or "/" in ref
    if not looks_like_file:
        try:
            text = preset_text(ref)
        except PolicyError as exc:
            raise PolicyError(f"{_at(where)}: {exc.message}", value=ref, fix=exc.fix) from None
        return parse_policy(text, f"preset {ref}"), f"preset:{ref}", ref, text
    path = Path(ref) if Path(ref).is_absolute() or base_dir is None else base_dir / ref
    if not path.is_file():
        raise PolicyError(
            f"{_at(where)}: the extended policy file does not exist",
            value=str(path),
            fix="give a path relative to this policy file, or a preset name: "
            + ", ".join(PRESETS),
        )
    text = _read(path)
    return parse_policy(text, str(path)), str(path.resolve()), None, text


def _combine(into: _Merged, other: _Merged) -> None:
    into.system = other.system or into.system
    into.parameters.update(other.parameters)
    into.data.update(other.data)
    for key, value in other.settings.items():
        into.settings[key] = (
            {**into.settings.get(key, {}), **value} if isinstance(value, dict) else value
        )
    for cid, check in other.checks.items():
        into.checks[cid] = check
    into.discover = other.discover or into.discover
    into.sources += other.sources
    into.locations.update(other.locations)
    into.presets.update(other.presets)


def _apply(merged: _Merged, parsed: Parsed, preset: str | None) -> None:
    p = parsed.policy
    merged.about = p.about  # what a policy says about itself is not inherited
    _combine(
        merged,
        _Merged(
            system=p.system,
            parameters=dict(p.parameters),
            data={k: getattr(p.data, k) for k in p.data.model_fields_set},
            settings={k: getattr(p.settings, k) for k in p.settings.model_fields_set},
            discover=p.discover,
        ),
    )
    for i, check in enumerate(p.checks):
        # A check with the id of an extended one replaces it whole.
        merged.checks[check.id] = check.model_dump(exclude_unset=True)
        merged.locations[check.id] = parsed.where(("checks", i))
        if preset is not None:
            merged.presets[check.id] = preset
        else:
            merged.presets.pop(check.id, None)
    for cid, override in p.overrides.items():
        where = parsed.where(("overrides", cid))
        if cid not in merged.checks:
            raise PolicyError(
                f"{_at(where)}, key overrides.{cid}: no extended policy has a check with this id",
                fix=did_you_mean(
                    cid,
                    list(merged.checks),
                    f"check ids are: {', '.join(merged.checks) or '(none)'}",
                ),
            )
        merged.checks[cid] = {**merged.checks[cid], **override.model_dump(exclude_unset=True)}
        merged.locations[cid] = where


def _finish(merged: _Merged, values: dict[str, str]) -> Policy:
    checks = []
    for cid, body in merged.checks.items():
        where = merged.locations.get(cid, "")
        body = _substituted(body, values, cid, where)
        try:
            checks.append(Check.model_validate(body))
        except ValidationError as exc:
            source, _, line = where.rpartition(":")
            raise validation_error(
                exc,
                body,
                {(): int(line)} if line.isdigit() else {},
                source or where,
                Check,
                prefix=(),
            ) from None
    return Policy(
        version=1,
        system=merged.system,
        about=merged.about,
        parameters=values,
        data=DataSpec.model_validate(merged.data),
        settings=SettingsSpec.model_validate(merged.settings),
        checks=checks,
        discover=merged.discover,
    )


def _substituted(
    body: dict[str, Any], values: dict[str, str], cid: str, where: str
) -> dict[str, Any]:
    def sub(text: str, key: str) -> str:
        missing = [n for n in parameters_in(text) if n not in values]
        if missing:
            raise PolicyError(
                f"{_at(where)}, check {cid!r}, key {key}: the parameter ${{{missing[0]}}} has no value",
                fix=f"set it under 'parameters:' or with --param {missing[0]}=VALUE",
            )
        return substitute(text, values)

    out = dict(body)
    if isinstance(out.get("metric"), str):
        out["metric"] = sub(out["metric"], "metric")
    if isinstance(out.get("grouping"), list):
        out["grouping"] = [
            sub(g, key_path(("grouping", i))) for i, g in enumerate(out["grouping"])
        ]
    return out


def _at(where: str) -> str:
    # "FILE:LINE" (a finding's location) as an error message says it: "FILE, line LINE".
    source, _, line = where.rpartition(":")
    return f"{source}, line {line}" if line.isdigit() else where


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            "the policy file does not exist", value=str(path), fix="check the path"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy file: {exc}", value=str(path)) from None


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_policy(policy: ResolvedPolicy | Policy | Mapping[str, Any] | str | Path) -> ResolvedPolicy:
    """Resolve a policy given in any form the API takes: resolved, model, mapping or path.

    Raises
    ------
    PolicyError
        The policy is invalid.

    Examples
    --------
    >>> as_policy({"version": 1, "extends": "four-fifths"}).checks[0].id
    'four-fifths'
    """
    if isinstance(policy, ResolvedPolicy):
        return policy
    if isinstance(policy, str | Path):
        return load_policy(policy)
    if isinstance(policy, Mapping):
        try:
            policy = Policy.model_validate(dict(policy))
        except ValidationError as exc:
            raise validation_error(exc, dict(policy), {}, "policy", Policy) from None
    parsed = Parsed(policy, "policy", {})
    merged = _merge_tree(parsed, Path.cwd(), stack=())
    return ResolvedPolicy(
        _finish(merged, merged.parameters),
        tuple(merged.sources),
        merged.locations,
        merged.presets,
        Path.cwd(),
    )
