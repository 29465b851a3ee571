"""The verdict of a CI gate: from findings to "passed", "failed" or "check error"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from accord.core import Finding, FindingStatus, UsageError

#: ``--fail-on`` levels: which statuses fail the gate (each includes the ones before it).
FAIL_ON = {
    "fail": (FindingStatus.FAIL,),
    "warn": (FindingStatus.FAIL, FindingStatus.WARN),
    "insufficient": (FindingStatus.FAIL, FindingStatus.WARN, FindingStatus.INSUFFICIENT_DATA),
}

Outcome = Literal["passed", "failed", "error"]


@dataclass(frozen=True)
class Verdict:
    """What the findings add up to.

    ``outcome`` is ``error`` when a check could not run (it wins: a gate with a check
    missing cannot vouch for anything), ``failed`` when a finding has a status that
    ``fail_on`` counts as failing, ``passed`` otherwise.
    """

    outcome: Outcome
    counts: dict[str, int]
    failing: tuple[FindingStatus, ...]

    @property
    def summary(self) -> str:
        """Return the counts in one line: ``1 fail, 2 warn, 5 pass``."""
        order = [
            s.value
            for s in (
                FindingStatus.FAIL,
                FindingStatus.ERROR,
                FindingStatus.WARN,
                FindingStatus.INSUFFICIENT_DATA,
                FindingStatus.PASS,
            )
        ]
        parts = [f"{self.counts[s]} {s.replace('_', ' ')}" for s in order if self.counts.get(s)]
        return ", ".join(parts) or "no checks"


def verdict(findings: Sequence[Finding], fail_on: str = "fail") -> Verdict:
    """Decide whether a set of findings passes a gate.

    Parameters
    ----------
    findings
        The audit's findings.
    fail_on
        ``fail`` (default), ``warn`` (warnings fail too) or ``insufficient`` (so do
        checks that had too little data to judge).

    Examples
    --------
    >>> f = Finding(check_id="a", status="warn", metric="tpr", measure="difference")
    >>> verdict([f]).outcome, verdict([f], fail_on="warn").outcome
    ('passed', 'failed')
    """
    if fail_on not in FAIL_ON:
        raise UsageError(
            "unknown --fail-on level", value=fail_on, fix=f"use one of {', '.join(FAIL_ON)}"
        )
    failing = FAIL_ON[fail_on]
    counts = Counter(f.status.value for f in findings)
    outcome: Outcome = "passed"
    if any(f.status == FindingStatus.ERROR for f in findings):
        outcome = "error"
    elif any(f.status in failing for f in findings):
        outcome = "failed"
    return Verdict(outcome, dict(counts), failing)
