"""Read a policy from YAML, keeping each key's line so that an error can point at it.

PyYAML composes the document into nodes that carry their position; the data is
constructed from those same nodes, and pydantic's error locations are mapped back to
the line of the key they name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from accord.core import PolicyError, did_you_mean
from accord.policy._model import Policy

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Parsed:
    """A validated policy and the line of every key and list item in its source."""

    policy: Policy
    source: str
    lines: Mapping[Path_, int]

    def line(self, path: Path_) -> int | None:
        """Return the line of ``path``, or of its nearest enclosing key."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def where(self, path: Path_) -> str:
        """Return ``SOURCE:LINE`` of ``path``."""
        line = self.line(path)
        return f"{self.source}:{line}" if line is not None else self.source


def key_path(path: Sequence[str | int]) -> str:
    """Return a location as a user writes it: ``checks[1].threshold.gte``.

    Examples
    --------
    >>> key_path(("checks", 1, "threshold"))
    'checks[1].threshold'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_policy(text: str, source: str) -> Parsed:
    r"""Parse and validate a policy written in YAML.

    Raises
    ------
    PolicyError
        Not YAML, not a mapping, a key written twice, or a value the model refuses; the
        message names the file, the line and the key.

    Examples
    --------
    >>> parse_policy("version: 1\nchecks: []\n", "accord.yaml").policy.version
    1
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PolicyError(f"{source} is empty", fix="start it with 'version: 1'")
        lines: dict[Path_, int] = {}
        _walk(node, (), lines, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        context = ""
        if exc.context and exc.context_mark is not None and exc.context_mark != mark:
            context = f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise PolicyError(
            f"{source}{line}: not valid YAML: {exc.problem or exc.context}{context}",
            fix="check the indentation and quoting around that line",
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise PolicyError(
            f"{source}: a policy is a mapping of keys (version, checks, ...)",
            value=type(data).__name__,
            fix="start the file with 'version: 1'",
        )
    if "version" not in data:
        raise PolicyError(
            f"{source}, line 1: the policy has no 'version' key", fix="add 'version: 1' at the top"
        )
    if data["version"] != 1:
        raise PolicyError(
            f"{source}, line {lines.get(('version',), 1)}, key version: "
            "this accord reads policy version 1",
            value=data["version"],
            fix="write 'version: 1', or upgrade accord",
        )
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, lines, source, Policy) from None
    return Parsed(policy, source, lines)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], source: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise PolicyError(
                    f"{source}, line {line}, key {key_path((*path, key))}: the key is written "
                    f"twice (first on line {seen[key]})",
                    fix="keep one of them",
                )
            seen[key] = line
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _walk(item, (*path, i), lines, source)


def validation_error(
    exc: ValidationError,
    data: Any,
    lines: Mapping[Path_, int],
    source: str,
    model: type[BaseModel],
    prefix: Path_ = (),
) -> PolicyError:
    """Turn pydantic's errors into one PolicyError naming the line and key of each."""
    problems: list[tuple[int, str]] = []
    fix = None
    for err in exc.errors():
        path = _data_path(err["loc"], data)
        full = (*prefix, *path)
        line = _line(full, lines)
        where = f"line {line}, " if line is not None else ""
        key = key_path(full) or "(top level)"
        text = _message(err)
        if err["type"] == "extra_forbidden" and fix is None:
            allowed = _allowed_keys(model, path[:-1])
            if allowed:
                listed = f"keys allowed here: {', '.join(allowed)}"
                fix = did_you_mean(str(path[-1]), allowed, listed) if path else listed
        problems.append((line or 0, f"{where}key {key}: {text}"))
    problems.sort(key=lambda p: p[0])
    first, rest = problems[0][1], [p[1] for p in problems[1:]]
    message = f"{source}, {first}"
    if rest:
        message += "; also " + "; ".join(rest[:4]) + ("; ..." if len(rest) > 4 else "")
    return PolicyError(message, fix=fix or "see docs/policy.md for the policy format")


def _line(path: Path_, lines: Mapping[Path_, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _data_path(loc: Sequence[str | int], data: Any) -> Path_:
    # pydantic's locations also name union members and validator tags; keep the parts
    # that exist in the data, which is what the user wrote.
    path: list[str | int] = []
    current = data
    for part in loc:
        found, child = _child(current, part)
        if found:
            path.append(part)
            current = child
    return tuple(path)


def _child(container: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(container, dict) and part in container:
        return True, container[part]
    if isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container):
        return True, container[part]
    return False, None


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return f"the key {err['loc'][-1]!r} is required here"
    text = str(err["msg"])
    return text.removeprefix("Value error, ")


def _allowed_keys(model: type[BaseModel], path: Sequence[str | int]) -> list[str]:
    # Follow the path through the model's fields to the model the unknown key sits in.
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return list(current.model_fields) if _is_model(current) else []


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if _is_model(annotation):
        return annotation  # type: ignore[no-any-return]
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
