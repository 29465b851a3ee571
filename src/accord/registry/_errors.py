"""The registry's refusals, as branches of accord's one exception tree."""

from __future__ import annotations

from accord.core import RegistryError


class NotFoundError(RegistryError):
    """A system, version, audit or token that the registry does not hold."""


class ConflictError(RegistryError):
    """An operation that contradicts what the registry already holds (a duplicate)."""


class IntegrityCheckError(RegistryError):
    """The event chain does not verify: the log was changed outside accord."""

    exit_code = 1
