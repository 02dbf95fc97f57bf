"""Progress store faults: a truncated file, a read-only folder or file, a full disk. Each gives a
clear message naming the file, and no answer committed before it is lost."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import app.quiz.store as store_module
from app.quiz.store import FILENAME, ProgressStore, StoreError

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _with_answers(path: Path, n: int) -> set[int]:
    with ProgressStore(path) as store:
        ids = {store.record_answer(f"q{i}", 1.0, response="x" * 200, now=T0) for i in range(n)}
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    return ids


def test_a_file_cut_in_half_is_moved_aside_and_a_new_store_works(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    _with_answers(path, 300)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with ProgressStore(path) as store:
        assert store.notice is not None
        moved = store.notice.moved_to
        assert moved is not None and moved.read_bytes() == data[: len(data) // 2]  # kept for rescue, untouched
        assert str(path) in store.notice.message and moved.name in store.notice.message
        assert store.history() == []
        rid = store.record_answer("fresh", 1.0, now=T0)
        assert store.integrity_check() == "ok"
    with ProgressStore(path) as again:
        assert again.notice is None and again.answer_ids() == {rid}


@pytest.mark.skipif(IS_ROOT, reason="root writes to read-only folders; see the simulated test below")
def test_read_only_folder_with_answers_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / FILENAME
    ids = _with_answers(path, 5)
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError) as err:
            ProgressStore(path)
        assert str(path) in str(err.value) and "writable" in str(err.value)
    finally:
        folder.chmod(0o700)
    with ProgressStore(path) as store:
        assert store.answer_ids() == ids and store.notice is None


def test_read_only_file_is_reported_at_opening_and_left_intact(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder or mount does to SQLite, also when the tests run as root (where
    chmod blocks nothing): the file opens for reading only, every write fails with SQLITE_READONLY."""
    path = tmp_path / FILENAME
    ids = _with_answers(path, 5)
    before = path.read_bytes()
    real_connect = sqlite3.connect

    def read_only(database, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        return real_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only)
    with pytest.raises(StoreError) as err:
        ProgressStore(path)
    message = str(err.value)
    assert str(path) in message and "writable" in message and "readonly" in message
    assert not list(tmp_path.glob("*.corrupt-*"))  # not mistaken for a damaged file
    monkeypatch.undo()
    assert path.read_bytes() == before
    with ProgressStore(path) as store:
        assert store.answer_ids() == ids and store.integrity_check() == "ok"


def test_file_turning_read_only_while_open(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    with ProgressStore(path) as store:
        first = store.record_answer("a", 1.0, now=T0)
        store._conn.execute("PRAGMA query_only = ON")  # every write now fails as on a read-only file
        with pytest.raises(StoreError) as err:
            store.record_answer("b", 0.0, now=T0)
        assert str(path) in str(err.value) and "read-only" in str(err.value)
        assert "not saved" in str(err.value) and "rollback" not in str(err.value)
        store._conn.execute("PRAGMA query_only = OFF")
        assert store.answer_ids() == {first} and store.card("b") is None  # nothing half-written
        store.record_answer("b", 0.0, now=T0)
        assert len(store.history()) == 2


def test_full_disk_keeps_earlier_answers_and_recovers_once_freed(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    with ProgressStore(path) as store:
        saved = {store.record_answer(f"q{i}", 1.0, now=T0) for i in range(3)}
        cards = {q: store.card(q) for q in ("q0", "q1", "q2")}
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full: no page more
        with pytest.raises(StoreError) as err:
            for i in range(200):
                saved.add(store.record_answer(f"big{i}", 0.5, response="y" * 2000, now=T0))
        message = str(err.value)
        assert "disk" in message and "full" in message and str(path) in message
        assert "rollback" not in message  # the real cause, not a follow-up error
        assert store.answer_ids() == saved and all(store.card(q) == c for q, c in cards.items())
        assert store.integrity_check() == "ok"

        store._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
        rid = store.record_answer("after", 1.0, response="y" * 2000, now=T0)
        assert store.answer_ids() == saved | {rid}
    with ProgressStore(path) as again:
        assert again.notice is None and again.answer_ids() == saved | {rid}
        assert again.integrity_check() == "ok"
