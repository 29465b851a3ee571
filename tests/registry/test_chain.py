"""The hash-chained event log: every write adds an event; any tampering is detected."""

from __future__ import annotations

import subprocess
import sys
import threading

from sqlalchemy import text

from accord.governance import load_catalog
from accord.registry import Registry
from registry_support import make_result


def _tamper(reg: Registry, sql: str) -> None:
    """What an administrator with database rights could do: drop the guard, edit, restore."""
    with reg.engine.begin() as conn:
        if reg.engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
            conn.execute(text(sql))
            conn.execute(text("ALTER TABLE events ENABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_no_delete"))
            conn.execute(text(sql))


def _cli_verify(db_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", "registry", "verify", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_change_is_an_event_and_the_chain_verifies(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("a", "s", owner="o")
    reg.record_audit("b", "s", "1", make_result(1))
    reg.set_alias("a", "s", "production", "1")
    reg.answer_checklist("b", "s", "PC-GOV-01", "yes")
    reg.sign_off("a", "s", "1", decision="approved", use="u")
    reg.create_token("a", "t", "viewer")
    actions = [e.action for e in reg.list_events(newest_first=False).items]
    assert actions == [
        "system.create",
        "version.create",
        "audit.record",
        "alias.set",
        "checklist.answer",
        "signoff.create",
        "token.create",
    ]
    status = reg.verify()
    assert status.ok and status.events == 7 and status.head_seq == 7
    proc = _cli_verify(db_url)
    assert proc.returncode == 0 and "chain ok: 7 events" in proc.stdout
    reg.dispose()


def test_an_edited_event_is_detected(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("a", "s")
    reg.record_audit("b", "s", "1", make_result(2))
    reg.sign_off("a", "s", "1", decision="approved", use="limited pilot")
    _tamper(
        reg,
        "UPDATE events SET payload = REPLACE(CAST(payload AS TEXT), 'limited pilot', "
        "'everything') WHERE action = 'signoff.create'"
        if reg.engine.dialect.name == "sqlite"
        else "UPDATE events SET payload = CAST(REPLACE(CAST(payload AS TEXT), 'limited pilot', "
        "'everything') AS JSON) WHERE action = 'signoff.create'",
    )
    assert reg.list_events(action="signoff.create").items[0].payload["use"] == "everything"
    status = reg.verify()
    assert not status.ok
    assert status.problems == ["event 4: its content does not match its hash (edited)"]
    proc = _cli_verify(db_url)
    assert proc.returncode == 1
    assert "event 4" in proc.stderr and "does not verify" in proc.stderr
    reg.dispose()


def test_a_deleted_event_is_detected(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    for name in ("a", "b", "c"):
        reg.create_system("x", name)
    _tamper(reg, "DELETE FROM events WHERE seq = 2")
    problems = reg.verify().problems
    assert "event 2: missing (the next event is 3)" in problems
    assert "event 3: does not link to the event before it" in problems
    reg.dispose()


def test_a_truncated_log_is_detected_by_the_expected_head(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    for name in ("a", "b"):
        reg.create_system("x", name)
    head = reg.verify().head_hash
    _tamper(reg, "DELETE FROM events WHERE seq = 2")
    with reg.engine.begin() as conn:  # and re-point the head, so the chain looks whole
        prev = conn.execute(text("SELECT hash FROM events WHERE seq = 1")).scalar_one()
        conn.execute(text("UPDATE chain_head SET seq = 1, hash = :h"), {"h": prev})
    assert reg.verify().ok  # internally consistent...
    status = reg.verify(expect_head=head)  # ...but the head kept elsewhere is gone
    assert not status.ok and "expected head hash" in status.problems[0]
    reg.dispose()


def test_concurrent_writers_form_one_chain(db_url: str) -> None:
    reg = Registry(db_url)
    reg.upgrade()
    reg.create_system("x", "s")
    questions = [q.id for q in load_catalog().checklist]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(5):
                reg.answer_checklist(f"w{i}", "s", questions[5 * i + j], "yes")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    status = reg.verify()
    assert status.ok and status.events == 21
    reg.dispose()
