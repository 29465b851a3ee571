"""Entry points that run a whole audit: open the data, one pass, statistics, AuditResult."""

from accord.pipeline._audit import audit, parse_reference

__all__ = ["audit", "parse_reference"]
