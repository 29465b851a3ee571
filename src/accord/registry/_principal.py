"""Who is acting: a token, a user, or the local command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Literal

ROLE_RANK = {"viewer": 0, "auditor": 1, "admin": 2}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller, its role, and the one system it is limited to (if any).

    Examples
    --------
    >>> p = Principal(kind="token", id=3, name="ci", role="auditor")
    >>> p.allows("viewer"), p.allows("admin"), p.actor
    (True, False, 'token:ci')
    """

    kind: Literal["token", "user", "local"]
    id: int | None
    name: str
    role: str
    system_id: int | None = None
    system: str | None = None

    @property
    def actor(self) -> str:
        """How the event log names this caller."""
        return f"{self.kind}:{self.name}"

    def allows(self, role: str) -> bool:
        """Whether this caller's role is at least ``role``."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def sees(self, system_id: int | None) -> bool:
        """Whether this caller may see the given system's data."""
        return self.system_id is None or self.system_id == system_id


def local_principal() -> Principal:
    """The person at the terminal: full rights over their own registry file.

    Examples
    --------
    >>> me = local_principal()
    >>> me.kind, me.role, me.allows("admin"), me.actor.startswith("local:")
    ('local', 'admin', True, True)
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Principal(kind="local", id=None, name=user, role="admin")
