"""The anonymisation configuration (``anonymize.yaml``), validated."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from accord.core import PolicyError


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HierarchySpec(_Strict):
    """How to generalise one quasi-identifier.

    ``auto``: intervals for numbers, ``*`` for categories; ``file``: an ARX-style CSV
    (``value;level1;...``); ``intervals`` of the given widths; ``mask`` ``step``
    characters from the right per level; ``date``: month, year, decade; ``tree``:
    ``levels`` of groups (each level maps a label to the labels it groups).
    """

    type: Literal["auto", "file", "intervals", "mask", "date", "tree", "flat"] = "auto"
    file: str | None = None
    widths: list[float] | None = None
    step: int = Field(default=1, ge=1)
    levels: list[dict[str, list[Any]]] | None = None
    separator: str = ";"


class DiversitySpec(_Strict):
    """l-diversity of a sensitive attribute."""

    attribute: str
    l: float = Field(ge=1)  # noqa: E741  (the l of l-diversity, as users write it)
    variant: Literal["distinct", "entropy", "recursive"] = "distinct"
    c: float = Field(default=1.0, gt=0)


class ClosenessSpec(_Strict):
    """t-closeness of a sensitive attribute."""

    attribute: str
    t: float = Field(ge=0, le=1)


class PrivacySpec(_Strict):
    """The privacy models the output must satisfy."""

    k: int = Field(default=1, ge=1)
    l: list[DiversitySpec] = Field(default_factory=list)  # noqa: E741  (the YAML key)
    t: list[ClosenessSpec] = Field(default_factory=list)
    average_risk: float | None = Field(default=None, gt=0, le=1)
    sample_uniqueness: float | None = Field(default=None, ge=0, le=1)

    @field_validator("l", "t", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class AnonymizeConfig(_Strict):
    """An anonymisation job.

    Examples
    --------
    >>> cfg = parse_config({"quasi_identifiers": {"age": {"type": "intervals",
    ...                     "widths": [5, 10]}, "sex": "auto"}, "privacy": {"k": 5}})
    >>> cfg.quasi_identifiers["sex"].type, cfg.privacy.k, cfg.suppression_limit
    ('auto', 5, 0.05)
    """

    quasi_identifiers: dict[str, HierarchySpec]
    sensitive: list[str] = Field(default_factory=list)
    privacy: PrivacySpec = Field(default_factory=PrivacySpec)
    suppression_limit: float = Field(default=0.05, ge=0, le=1)
    utility: Literal["loss", "discernibility", "entropy"] = "loss"
    method: Literal["optimal", "mondrian"] = "optimal"
    suppressed: Literal["mask", "drop"] = Field(
        default="mask",
        description="Suppressed records: their quasi-identifiers replaced by "
        "'*' (mask, as ARX does), or left out of the output (drop).",
    )

    @field_validator("quasi_identifiers", mode="before")
    @classmethod
    def _specs(cls, value: Any) -> Any:
        if isinstance(value, list):
            value = {str(v): "auto" for v in value}
        if isinstance(value, dict):
            out = {}
            for name, spec in value.items():
                if spec is None or isinstance(spec, str):
                    spec = (
                        {"type": spec or "auto"}
                        if spec in (None, "auto", "date", "mask", "flat", "intervals")
                        else ({"type": "file", "file": spec})
                    )
                elif isinstance(spec, dict) and "file" in spec and "type" not in spec:
                    spec = {"type": "file", **spec}
                out[str(name)] = spec
            return out
        return value


def parse_config(data: Any) -> AnonymizeConfig:
    """Validate a configuration given as plain data (e.g. loaded from YAML)."""
    if not isinstance(data, dict):
        raise PolicyError(
            "the anonymisation configuration must be a mapping",
            fix="see docs/privacy.md for an example",
        )
    try:
        return AnonymizeConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(
            f"invalid anonymisation configuration at {where}: {first['msg']}",
            fix="see docs/privacy.md for the configuration format",
        ) from None
