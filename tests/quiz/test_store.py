"""The progress store: answers committed one by one, migrations, damaged files set aside with a
message, clear errors for unwritable folders, scheduling, mastery, and SIGKILL while writing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.quiz.store import ENV_DIR, FILENAME, MIGRATIONS, SCHEMA_VERSION, ProgressStore, StoreError, default_path

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def test_answers_are_committed_and_visible_to_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as store:
        assert store.notice is None and store.schema_version == SCHEMA_VERSION
        rid = store.record_answer("s1-no-excretion", 1.0, response=False, now=T0)
        # A second, independent connection (another process would be the same) sees it at once.
        other = sqlite3.connect(path)
        assert other.execute("SELECT question_id, score FROM answers WHERE id = ?", (rid,)).fetchone() == (
            "s1-no-excretion", 1.0)
        other.close()
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.history()[0].response is False


def test_env_var_and_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / FILENAME
    with ProgressStore() as store:
        assert store.path == tmp_path / "data" / FILENAME
    monkeypatch.delenv(ENV_DIR)
    assert "IronBone" in str(default_path())


def test_migrates_an_old_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO answers (question_id, answered_at, score) VALUES ('a', ?, 0.5)", (T0.isoformat(),))
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [rec] = store.history()
        assert (rec.question_id, rec.score, rec.session) == ("a", 0.5, "")
        store.record_answer("a", 1.0, session="exam-1", now=T0)
        assert store.history()[0].session == "exam-1"


def test_newer_schema_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer IronBone"):
        ProgressStore(path)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.parametrize("garbage", [b"this is not a database at all\n" * 100, os.urandom(8192),
                                     b"SQLite format 3\x00" + os.urandom(4096)])
def test_garbage_file_is_moved_aside_with_a_message(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / FILENAME
    path.write_bytes(garbage)
    with ProgressStore(path) as store:
        assert store.notice is not None
        moved = store.notice.moved_to
        assert moved is not None and moved.exists() and moved.read_bytes() == garbage
        assert ".corrupt-" in moved.name and "moved" in store.notice.message
        store.record_answer("q", 1.0)
        assert store.integrity_check() == "ok"
    with ProgressStore(path) as again:  # the new file is fine next time
        assert again.notice is None and len(again.history()) == 1


def test_damaged_pages_are_detected(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    with ProgressStore(path) as store:
        for i in range(300):
            store.record_answer(f"q{i}", 1.0, response="x" * 200, now=T0)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for off in range(page * 2, min(len(data), page * 6)):
        data[off] = 0xA5
    path.write_bytes(bytes(data))
    with ProgressStore(path) as store:
        assert store.notice is not None and store.history() == []


def test_unwritable_location_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=ENV_DIR):
        ProgressStore(blocker / "sub" / FILENAME)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="writable"):
            ProgressStore(ro / FILENAME)
    finally:
        ro.chmod(0o700)


def test_fsrs_scheduling_due_and_mastery(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_answer("right", 1.0, now=T0)
        store.record_answer("wrong", 0.0, now=T0)
        store.record_answer("half", 0.5, now=T0)
        assert store.due_count(now=T0) == 0
        later = T0 + timedelta(minutes=30)
        assert store.due(now=later) == ["wrong"] or "wrong" in store.due(now=later)
        assert store.card("wrong").due < store.card("right").due
        assert store.due_count(now=T0 + timedelta(days=400)) == 3
        assert store.due_count(now=T0 + timedelta(days=400), question_ids=["right"]) == 1
        store.record_answer("wrong", 1.0, now=later)
        m = store.mastery({"sec": ["right", "wrong", "half", "never"], "empty": []})
        assert m["sec"].answered == 3 and m["sec"].total == 4
        assert m["sec"].score == pytest.approx(2.5 / 3) and m["sec"].level == pytest.approx(2.5 / 4)
        assert m["empty"].level == 0
        assert [r.question_id for r in store.history(limit=2)] == ["wrong", "half"]
        with pytest.raises(ValueError):
            store.record_answer("x", 1.5)


def test_two_stores_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as a, ProgressStore(path) as b:
        ids = [s.record_answer(f"q{i}", 1.0) for i in range(20) for s in (a, b)]
        assert a.answer_ids() == b.answer_ids() == set(ids)
        assert a.integrity_check() == "ok"


def test_sigkill_while_writing_never_loses_a_committed_answer(tmp_path: Path) -> None:
    """Kill a writer at random moments, many times; every id it reported stays, the file stays sound.
    IRONBONE_KILL_REPEATS raises the number of rounds (default 20)."""
    rounds = int(os.environ.get("IRONBONE_KILL_REPEATS", "20"))
    path = tmp_path / "killed.sqlite3"
    child = Path(__file__).with_name("_kill_child.py")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    rng = random.Random(os.environ.get("IRONBONE_KILL_SEED", "5"))
    reported: set[int] = set()
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, str(child), str(path)], stdout=subprocess.PIPE, env=env)
        assert proc.stdout is not None
        try:
            for _ in range(rng.randint(1, 60)):
                line = proc.stdout.readline()
                assert line, "the writer died on its own"
                reported.add(int(line))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # Lines the child wrote after our last read were committed too.
            reported |= {int(x) for x in proc.stdout.read().split()}
            proc.stdout.close()
    with ProgressStore(path) as store:
        assert store.notice is None
        assert reported <= store.answer_ids()
        assert store.integrity_check() == "ok"


def test_two_running_instances_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two processes (two IronBone windows) open one new progress file together and answer into it
    at the same moments: each round both are cued at once, so their transactions contend for the
    file, and neither can run ahead and keep the other waiting past the busy timeout."""
    path = tmp_path / "shared.sqlite3"
    child = Path(__file__).with_name("_kill_child.py")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, str(child), str(path), "--on-cue"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=env) for _ in range(2)]
    reported: list[set[int]] = [set(), set()]

    def cue_both(word: bytes) -> None:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(word + b"\n")
            proc.stdin.flush()

    try:
        cue_both(b"open")  # both open the new file at the same moment
        for _ in range(60):
            cue_both(b"answer")
            for proc, ids in zip(procs, reported, strict=True):
                assert proc.stdout is not None
                line = proc.stdout.readline()
                assert line, "a writer died on its own"
                ids.add(int(line))
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.close()  # end of cues: the writer closes its store and exits
            assert proc.wait(timeout=60) == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            assert proc.stdout is not None
            proc.stdout.close()
    assert [len(ids) for ids in reported] == [60, 60]
    assert not reported[0] & reported[1]  # every answer got its own row
    with ProgressStore(path) as store:
        assert store.notice is None
        assert store.answer_ids() == reported[0] | reported[1]
        assert store.integrity_check() == "ok"


class _FakeClock:
    """Monotonic time that moves only when the code under test sleeps: waits take no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


def _other_instance_switching_to_wal(monkeypatch, clock: _FakeClock, until: float) -> None:
    """sqlite3 connections whose switch to WAL answers "database is locked" at once until `until`
    on `clock`, as SQLite does while another instance switches the same new file (a race no lock
    held by a test reproduces: a held lock makes SQLite wait its busy timeout instead)."""

    class Contended(sqlite3.Connection):
        def execute(self, sql, *args):  # noqa: ANN001, ANN002
            if sql.strip().upper() == "PRAGMA JOURNAL_MODE = WAL" and clock.monotonic() < until:
                raise sqlite3.OperationalError("database is locked")
            return super().execute(sql, *args)

    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, **k, factory=Contended))


def test_opening_waits_while_another_instance_switches_the_new_file_to_wal(tmp_path: Path, monkeypatch) -> None:
    clock = _FakeClock()
    _other_instance_switching_to_wal(monkeypatch, clock, until=0.75)
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path, monotonic=clock.monotonic, sleep=clock.sleep) as store:
        rid = store.record_answer("q1", 1.0)
        assert store.answer_ids() == {rid}
        assert path.with_name("p.sqlite3-wal").exists()  # in WAL mode after all
    assert 0.75 <= clock.now <= 0.75 + 0.1  # it waited for the other, and no more than one retry longer


def test_a_file_that_stays_locked_is_reported_after_the_busy_timeout(tmp_path: Path, monkeypatch) -> None:
    import app.quiz.store as st

    clock = _FakeClock()
    _other_instance_switching_to_wal(monkeypatch, clock, until=float("inf"))
    with pytest.raises(StoreError, match="database is locked") as err:
        ProgressStore(tmp_path / "p.sqlite3", monotonic=clock.monotonic, sleep=clock.sleep)
    assert str(tmp_path / "p.sqlite3") in str(err.value)
    timeout = st.BUSY_TIMEOUT_MS / 1000
    assert timeout <= clock.now <= timeout + 0.1  # it gave up at the busy timeout, not before



# --- activity (pages read, tours finished), next due, reschedule=False ---------------------------

def test_pages_read_and_tours_finished_are_committed_and_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as store:
        store.record_page_read("topic:s2-1-osteoblasts", now=T0)
        store.record_page_read("topic:s2-1-osteoblasts", now=T0 + timedelta(days=2))
        store.record_tour_finished("iron-feeds-osteoclasts", now=T0 + timedelta(hours=1))
        other = sqlite3.connect(path)  # committed: another connection sees the rows at once
        assert other.execute("SELECT COUNT(*) FROM activity").fetchone()[0] == 3
        other.close()
    with ProgressStore(path) as store:
        assert store.pages_read() == {"topic:s2-1-osteoblasts": T0 + timedelta(days=2)}  # the latest read
        assert store.tours_finished() == {"iron-feeds-osteoclasts": T0 + timedelta(hours=1)}
        with pytest.raises(ValueError, match="non-empty id"):
            store.record_page_read("")


def test_a_version_3_file_gains_the_activity_table_and_keeps_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO answers (question_id, answered_at, score, session) VALUES ('q', ?, 1, 's')",
                 (T0.isoformat(),))
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 4
        assert [r.question_id for r in store.history()] == ["q"]
        assert store.pages_read() == {}
        store.record_tour_finished("t", now=T0)
        assert store.tours_finished() == {"t": T0}


def test_an_activity_that_cannot_be_written_raises_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as store:
        store._conn.execute("PRAGMA query_only = ON")  # the file refuses writes from here on
        with pytest.raises(StoreError, match="could not record that page 'topic:overview' was read"):
            store.record_page_read("topic:overview", now=T0)
        store._conn.execute("PRAGMA query_only = OFF")
        assert store.pages_read() == {}


def test_next_due_is_the_earliest_card_of_the_given_questions(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        assert store.next_due() is None
        store.record_answer("a", 1.0, now=T0)  # a new card answered right: due again in 10 minutes
        store.record_answer("b", 0.0, now=T0)  # answered wrong: due in 1 minute
        assert store.next_due() == T0 + timedelta(minutes=1)
        assert store.next_due(question_ids=["a"]) == T0 + timedelta(minutes=10)
        assert store.next_due(question_ids=["zz"]) is None


def test_reschedule_false_logs_the_answer_and_leaves_the_card(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_answer("a", 0.0, now=T0)
        card = store.card("a")
        store.record_answer("a", 1.0, now=T0 + timedelta(seconds=30), reschedule=False)
        assert store.card("a") == card
        assert [r.score for r in store.history()] == [1.0, 0.0]
        store.record_answer("new", 1.0, now=T0, reschedule=False)  # a first answer always makes a card
        assert store.card("new") is not None


def test_a_partly_right_answer_comes_back_sooner_than_a_right_one(tmp_path: Path) -> None:
    """Partial credit is rated Hard, never Good: from the same review card, a partly right answer is
    due again well before a fully right one."""
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        for qid in ("full", "part"):
            store.record_answer(qid, 1.0, now=T0)
            store.record_answer(qid, 1.0, now=T0 + timedelta(minutes=10))  # graduates to review
        later = T0 + timedelta(days=3)
        store.record_answer("full", 1.0, now=later)
        store.record_answer("part", 0.75, now=later)
        assert store.card("part").due < store.card("full").due
