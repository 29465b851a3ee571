"""Findings as JUnit XML, which GitHub, GitLab and Jenkins show as test results.

One testcase per check and group: ``classname`` is the check id with its grouping,
``name`` the group. A finding whose status fails the gate is a ``<failure>``; a check
that could not run is an ``<error>``; a group too small to judge is ``<skipped>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accord.core import Finding, FindingStatus, GroupOutcome
from accord.policy import FAIL_ON, format_estimate, format_key, format_threshold, verdict
from accord.report._digest import disclosure_text
from accord.report._result import AuditResult


def render_junit(result: AuditResult, *, fail_on: str = "fail") -> str:
    """Render the findings of ``result`` as a JUnit XML document.

    Parameters
    ----------
    result
        An audit judged against a policy.
    fail_on
        Which statuses count as failures (``fail``, ``warn``, ``insufficient``): the same
        rule as the exit code, so that the test report and the gate agree.

    Examples
    --------
    >>> import polars as pl, accord
    >>> df = pl.DataFrame({"y": [0, 1] * 50, "p": [0, 1, 1, 1] * 25, "g": ["a", "b"] * 50})
    >>> policy = {"version": 1, "checks": [{"id": "dp", "metric": "selection_rate",
    ...           "measure": "min_max_ratio", "threshold": {"gte": 0.8}}]}
    >>> r = accord.audit(df, label="y", prediction="p", sensitive="g", bootstrap=0,
    ...                  policy=policy)
    >>> '<testcase classname="accord.dp[g]" name="spread"' in render_junit(r)
    True
    """
    failing = FAIL_ON[fail_on]
    cases = [_case(f, o, failing) for f in result.findings for o in _targets(f)]
    counts = {
        "tests": len(cases),
        "failures": sum(c.find("failure") is not None for c in cases),
        "errors": sum(c.find("error") is not None for c in cases),
        "skipped": sum(c.find("skipped") is not None for c in cases),
    }
    name = "accord policy" + (
        f": {result.policy.system}" if result.policy and result.policy.system else ""
    )
    totals = {k: str(v) for k, v in counts.items()}
    root = ET.Element("testsuites", {"name": name, **totals})
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": name,
            "timestamp": result.created_at.replace(microsecond=0).isoformat(),
            **totals,
        },
    )
    props = ET.SubElement(suite, "properties")
    for key, value in _properties(result, fail_on).items():
        ET.SubElement(props, "property", name=key, value=value)
    suite.extend(cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _properties(result: AuditResult, fail_on: str) -> dict[str, str]:
    props = {
        "accord_version": result.accord_version,
        "data_rows": str(result.input.rows),
        "data_sha256": result.input.content_sha256,
        "verdict": verdict(result.findings, fail_on).outcome,
        "fail_on": fail_on,
        "suppress_below": str(result.settings.suppress_below),
        "small_counts": disclosure_text(result),
    }
    if result.policy is not None:
        props["policy_sources"] = ", ".join(
            f"{s.kind}:{s.name}@{s.sha256[:12]}" for s in result.policy.sources
        )
    return props


def _targets(f: Finding) -> list[GroupOutcome | None]:
    # A finding without groups (a check that could not run) is one testcase of its own.
    return list(f.outcomes) if f.outcomes else [None]


def _case(f: Finding, o: GroupOutcome | None, failing: tuple[FindingStatus, ...]) -> ET.Element:
    grouping = f"[{','.join(f.grouping)}]" if f.grouping else ""
    name = format_key(o.key, empty="spread" if f.grouping else "overall") if o else "(check)"
    attrs = {"classname": f"accord.{f.check_id}{grouping}", "name": name, "time": "0"}
    if f.location and not f.location.startswith("preset "):
        file, _, line = f.location.rpartition(":")
        if line.isdigit():
            attrs.update(file=file, line=line)
    case = ET.Element("testcase", attrs)
    detail = _detail(f, o)
    status = o.status if o is not None else f.status
    if f.status == FindingStatus.ERROR:
        ET.SubElement(case, "error", message=f.message, type="check error").text = detail
    elif status in failing and status != FindingStatus.INSUFFICIENT_DATA:
        summary = (
            f"{name}: {format_estimate(o.value if o else f.value)} breaches "
            f"{format_threshold(f.threshold, f.judge)}"
        )
        ET.SubElement(case, "failure", message=summary, type=status.value).text = detail
    elif status == FindingStatus.INSUFFICIENT_DATA:
        reason = o.note if o and o.note else "insufficient data"
        tag = "failure" if status in failing else "skipped"
        extra = {"type": status.value} if tag == "failure" else {}
        ET.SubElement(case, tag, {"message": f"not judged: {reason}", **extra})
    else:
        ET.SubElement(case, "system-out").text = f"{status.value.upper()}: {detail}"
    return case


def _detail(f: Finding, o: GroupOutcome | None) -> str:
    lines = [f"{f.title or f.check_id}: {f.message}"]
    if o is not None:
        lines.append(
            f"group: {format_key(o.key)}; value: {format_estimate(o.value)}; "
            f"threshold: {format_threshold(f.threshold, f.judge)}"
        )
        if o.reference:
            lines.append(f"compared with: {format_key(o.reference)}")
        if o.p_adjusted is not None:
            lines.append(f"adjusted p-value: {o.p_adjusted:.3g}")
        if o.note:
            lines.append(f"note: {o.note}")
    if f.requirements:
        lines.append(f"evidence for: {', '.join(f.requirements)}")
    if f.location:
        lines.append(f"defined at: {f.location}")
    return "\n".join(lines)
