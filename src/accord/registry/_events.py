"""The append-only event log, hash-chained so that any change to it is detectable.

Each event's hash covers its own content and the previous event's hash, so
editing, deleting or reordering any row breaks every hash after it. Writers
append under a lock on the single ``chain_head`` row (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's write lock, taken at ``BEGIN IMMEDIATE``), so events
from several server processes form one chain. The database also refuses
UPDATE and DELETE on ``events`` (triggers created by the migration); the chain
catches what a database administrator could still do around them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.registry._models import ChainHead, Event, utcnow

GENESIS = "0" * 64
HEAD_ID = 1


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    system_id: int | None,
    subject: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    """The SHA-256 of one event's canonical form (sorted keys, no whitespace).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> h = event_hash(seq=1, at=datetime(2025, 1, 1, tzinfo=UTC), actor="a", action="x",
    ...                system_id=None, subject="s", payload={}, prev_hash=GENESIS)
    >>> len(h)
    64
    """
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "system_id": system_id,
        "subject": subject,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    text = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    system_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append one event in the caller's transaction (it commits or rolls back with it)."""
    head = session.execute(
        select(ChainHead).where(ChainHead.id == HEAD_ID).with_for_update()
    ).scalar_one()
    seq = head.seq + 1
    at = utcnow()
    data = json.loads(json.dumps(payload or {}, allow_nan=False, default=str))
    ev = Event(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        system_id=system_id,
        subject=subject,
        payload=data,
        prev_hash=head.hash,
    )
    ev.hash = _digest(ev)
    session.add(ev)
    head.seq = seq
    head.hash = ev.hash
    session.flush()
    return ev


def _digest(ev: Event) -> str:
    """The hash of an event's content: what append_event stores and verify_chain checks."""
    return event_hash(
        seq=ev.seq,
        at=ev.at,
        actor=ev.actor,
        action=ev.action,
        system_id=ev.system_id,
        subject=ev.subject,
        payload=ev.payload,
        prev_hash=ev.prev_hash,
    )


@dataclass
class ChainReport:
    """What ``verify_chain`` found."""

    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the chain is intact."""
        return not self.problems


def verify_chain(
    session: Session, *, expect_head: str | None = None, batch: int = 2000
) -> ChainReport:
    """Recompute every event's hash and check the links, the sequence and the head.

    Parameters
    ----------
    session
        A session on the registry.
    expect_head
        A head hash recorded earlier (e.g. printed by a previous verify and kept
        elsewhere): the chain must contain it, which also detects a log that was
        cut short and re-chained.
    batch
        Events read per round trip.
    """
    report = ChainReport()
    prev = GENESIS
    expected_seq = 1
    seen_expected = expect_head is None
    last_seq = 0
    while True:
        rows = (
            session.execute(
                select(Event).where(Event.seq > last_seq).order_by(Event.seq).limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for ev in rows:
            if ev.seq != expected_seq:
                report.problems.append(
                    f"event {expected_seq}: missing (the next event is {ev.seq})"
                )
            if ev.prev_hash != prev:
                report.problems.append(f"event {ev.seq}: does not link to the event before it")
            if _digest(ev) != ev.hash:
                report.problems.append(
                    f"event {ev.seq}: its content does not match its hash (edited)"
                )
            if expect_head is not None and ev.hash == expect_head:
                seen_expected = True
            prev = ev.hash
            expected_seq = ev.seq + 1
            report.events += 1
            last_seq = ev.seq
        session.expunge_all()
    head = session.get(ChainHead, HEAD_ID)
    if head is None:
        report.problems.append("the chain head row is missing")
    else:
        report.head_seq, report.head_hash = head.seq, head.hash
        if head.seq != last_seq or head.hash != prev:
            report.problems.append(
                f"the chain head names event {head.seq} but the log ends at event {last_seq} "
                "(events were deleted or added around the chain)"
            )
    if not seen_expected:
        report.problems.append("the expected head hash does not occur in the log")
    return report
