"""Entry points that run a whole audit: open the data, one pass, statistics, AuditResult."""

from accord.pipeline._audit import audit, parse_reference
from accord.pipeline._policy import judge

__all__ = ["audit", "judge", "parse_reference"]
