"""A progress file edited by hand: rows the store cannot read (a card's JSON cut short, a date that
is no date, a response that is no JSON) never raise a raw KeyError or ValueError, never cost the
answer being given, and are named by the integrity check; a schema version IronBone never writes
gets its own message (the file is set aside, byte for byte), not a hint about folder permissions;
a progress path that is a FIFO or a device is named for what it is."""

from __future__ import annotations

import json
import os
import runpy
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.quiz.store import FILENAME, SCHEMA_VERSION, ProgressStore, StoreError

hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile.py")))
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _store_with_one_answer(tmp_path: Path) -> Path:
    path = tmp_path / FILENAME
    with ProgressStore(path) as store:
        store.record_answer("q1", 1.0, response=["a"], now=T0)
    return path


def _edit(path: Path, sql: str, *args: object) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("card", ['{"card_id": 1, "state": 2}', "{", "[]", '"text"', "null",
                                  '{"card_id": 1, "state": 99, "step": 0, "stability": "x", "difficulty": null, '
                                  '"due": "someday", "last_review": null}'])
def test_an_answer_to_a_question_whose_card_is_damaged_is_saved(tmp_path: Path, card: str) -> None:
    path = _store_with_one_answer(tmp_path)
    _edit(path, "UPDATE cards SET card = ? WHERE question_id = 'q1'", card)
    with ProgressStore(path) as store:
        assert "cards: the review card of 'q1' cannot be read" in store.integrity_check()
        assert store.card("q1") is None  # unreadable: as if never scheduled, no exception
        rid = store.record_answer("q1", 0.0, now=T0)
        assert [r.id for r in store.history()][0] == rid  # committed, not rolled back
        assert store.card("q1") is not None  # rescheduled from this answer
        assert store.repairs == ["The review schedule of question 'q1' could not be read; it starts again "
                                 "from this answer."]
        assert store.integrity_check() == "ok"


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("answered_at", "yesterday", "answers row 1: answered_at 'yesterday' is not a date and time"),
    ("answered_at", "", "answers row 1: answered_at '' is not a date and time"),
    ("response", "{not json", "answers row 1: the response is not valid JSON"),
])
def test_a_damaged_answer_row_is_flagged_and_the_rest_still_reads(tmp_path: Path, column: str, value: str,
                                                                  problem: str) -> None:
    path = _store_with_one_answer(tmp_path)
    _edit(path, f"UPDATE answers SET {column} = ? WHERE id = 1", value)
    with ProgressStore(path) as store:
        assert store.integrity_check() == problem
        store.record_answer("q2", 1.0, now=T0)
        history = store.history()
        assert [r.question_id for r in history] == ["q2", "q1"][: len(history)]
        if column == "response":  # the text is kept as it is
            assert history[1].response == "{not json"
        else:  # a row without a readable time is left out of the history, and stays in the file
            assert len(history) == 1
        assert store.latest_scores() == {"q1": 1.0, "q2": 1.0}


@pytest.mark.parametrize("version", [-3, 0])
def test_a_schema_version_no_ironbone_writes_gets_its_own_message(tmp_path: Path, version: int) -> None:
    path = _store_with_one_answer(tmp_path)
    _edit(path, f"PRAGMA user_version = {version}")
    before = path.read_bytes()
    with ProgressStore(path) as store:
        assert store.notice is not None
        msg = store.notice.message
        assert f"schema version {version}" in msg and "writable" not in msg
        assert store.notice.moved_to is not None and store.notice.moved_to.read_bytes() == before
        assert store.schema_version == SCHEMA_VERSION and store.history() == []


def test_tables_that_do_not_match_the_version_get_their_own_message(tmp_path: Path) -> None:
    path = _store_with_one_answer(tmp_path)
    _edit(path, "DROP TABLE cards")
    with ProgressStore(path) as store:
        assert store.notice is not None
        assert "has no table cards" in store.notice.message and "writable" not in store.notice.message


@pytest.mark.skipif(hs.needs_fifo or not os.path.exists("/dev/zero"), reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_a_progress_path_that_is_no_regular_file_is_named(tmp_path: Path, kind: str) -> None:
    path = tmp_path / FILENAME
    if kind == "fifo":
        hs.make_fifo(path)
    else:
        hs.link_to_device(path)
    with pytest.raises(StoreError) as info:
        hs.promptly(lambda: ProgressStore(path), fifo=path if kind == "fifo" else None)
    what = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert f"{path} is {what}, not a regular file" in str(info.value)
    assert "writable" not in str(info.value)


def test_history_survives_every_kind_of_damage_at_once(tmp_path: Path) -> None:
    path = _store_with_one_answer(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO answers (question_id, answered_at, score, response) VALUES ('q3', 'x', 0.5, '{')")
    conn.execute("INSERT INTO cards (question_id, due, card) VALUES ('q3', 'never', ?)", (json.dumps({"x": 1}),))
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        problems = store.integrity_check().splitlines()
        assert len(problems) == 3, problems
        assert "q3" not in store.due(now=T0) and store.card("q3") is None
        store.record_answer("q3", 1.0, now=T0)
        assert store.card("q3") is not None
