"""Risk tiers spelled as the governance classification spells them.

Before systems were classified by ``accord.governance.classify``, the risk tier was free
text, and the demo wrote ``high-risk``. The inventory's tier filter offers every distinct
value, so one tier in two spellings would show twice: this rewrites the known spellings of
the classification's tiers (hyphens, spaces, capitals) to its own ids. No schema change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIERS = ("out_of_scope", "prohibited", "high_risk", "transparency", "minimal")


def upgrade() -> None:
    """Rewrite ``High-Risk``, ``high risk``, ... to ``high_risk`` (and so on for each tier)."""
    systems = sa.table("systems", sa.column("risk_tier", sa.String))
    lowered = sa.func.lower(systems.c.risk_tier)
    normalised = sa.func.replace(sa.func.replace(lowered, "-", "_"), " ", "_")
    for tier in TIERS:
        op.execute(
            systems.update()
            .where(normalised == tier, systems.c.risk_tier != tier)
            .values(risk_tier=tier)
        )


def downgrade() -> None:
    """Nothing to undo: the old spellings carried no other meaning."""
