"""The progress store: every answer committed to SQLite as it is given, fsrs review scheduling,
mastery, history; a corrupted database is moved aside (with a notice) and a new one started."""

# Durability (progress is never lost): WAL journal, synchronous=FULL, and one
# BEGIN IMMEDIATE ... COMMIT per answer, so a killed process loses at most the answer it was
# writing and never a committed one. busy_timeout lets two running instances take turns instead
# of failing. The schema is versioned with PRAGMA user_version; MIGRATIONS[i] lifts i -> i + 1.

from __future__ import annotations

import json
import math
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.knowledge.userfile import file_kind

if TYPE_CHECKING:  # fsrs (~2.5 MiB) is imported when a card is first read or reviewed, not at start
    from fsrs import Card, Rating, Scheduler

ENV_DIR = "IRONBONE_DATA_DIR"
FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the answer log
    """
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
        mode TEXT NOT NULL DEFAULT 'practice',
        response TEXT NOT NULL DEFAULT 'null'
    );
    CREATE INDEX answers_question ON answers (question_id, id);
    """,
    # 1 -> 2: spaced-repetition cards (fsrs), keyed by the stable question id
    """
    CREATE TABLE cards (
        question_id TEXT PRIMARY KEY,
        due TEXT NOT NULL,
        card TEXT NOT NULL
    );
    CREATE INDEX cards_due ON cards (due);
    """,
    # 2 -> 3: the session an answer belongs to (exam reports), optional
    """
    ALTER TABLE answers ADD COLUMN session TEXT NOT NULL DEFAULT '';
    """,
    # 3 -> 4: what the student read and took part in (topic pages read, tours finished), for the
    # study path and readiness
    """
    CREATE TABLE activity (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('page', 'tour')),
        item TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX activity_item ON activity (kind, item);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# The columns each table has at SCHEMA_VERSION; a file whose tables differ is no file IronBone wrote.
TABLES = {"answers": {"id", "question_id", "answered_at", "score", "mode", "response", "session"},
          "cards": {"question_id", "due", "card"}}


class _ForeignSchema(sqlite3.DatabaseError):
    """A schema version or tables no IronBone writes (a hand-edited file): set aside like a damaged one."""


class StoreError(RuntimeError):
    """The store cannot be opened or written at all (e.g. a read-only folder); the message says
    what to do. The app can carry on without saving progress."""


@dataclass(frozen=True, kw_only=True)
class StoreNotice:
    """Something the user must be told, e.g. that a damaged progress file was set aside."""

    message: str
    moved_to: Path | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerRecord:
    id: int
    question_id: str
    answered_at: datetime
    score: float
    mode: str
    response: object
    session: str = ""


@dataclass(frozen=True, kw_only=True)
class Mastery:
    answered: int  # questions of the group answered at least once
    total: int  # questions in the group
    score: float  # mean of the latest score of each answered question (0 if none)

    @property
    def level(self) -> float:
        """Mastery in [0, 1]: unanswered questions count as 0."""
        return self.score * self.answered / self.total if self.total else 0.0


def default_path() -> Path:
    """IRONBONE_DATA_DIR if set, else the user's data directory (platformdirs)."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override) / FILENAME
    from platformdirs import user_data_dir

    return Path(user_data_dir("IronBone", appauthor=False)) / FILENAME


def _now() -> datetime:
    return datetime.now(UTC)


def _is_full(exc: Exception) -> bool:
    """SQLITE_FULL: the disk (or the file's size limit) is full."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc).lower()


def _is_read_only(exc: Exception) -> bool:
    """SQLITE_READONLY or a folder we found not writable."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == sqlite3.SQLITE_READONLY) or "read-only" in str(exc).lower() \
        or "readonly" in str(exc).lower()


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _card(text: object) -> Card | None:
    """A stored review card, or None where it cannot be read or used (cut short, hand-edited)."""
    from fsrs import Card

    try:
        card = Card.from_dict(json.loads(text))  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError, OverflowError):
        return None
    usable = (card.step is None or (type(card.step) is int and 0 <= card.step < 1000)) \
        and card.due.tzinfo is not None and (card.last_review is None or card.last_review.tzinfo is not None) \
        and all(v is None or math.isfinite(v) for v in (card.stability, card.difficulty))
    return card if usable else None


def _answer(row: tuple) -> AnswerRecord | None:
    """An answers row; None if its time cannot be read (the row stays in the file, and the
    integrity check names it). A response that is no JSON is kept as its text."""
    try:
        when = datetime.fromisoformat(row[2])
    except (TypeError, ValueError):
        return None
    try:
        response = json.loads(row[5])
    except (TypeError, ValueError, RecursionError):
        response = row[5]
    return AnswerRecord(id=row[0], question_id=row[1], answered_at=when, score=row[3], mode=row[4],
                        response=response, session=row[6])


def rating_for(score: float) -> Rating:
    """fsrs rating from a score: all right = Good, at least half = Hard, less = Again."""
    from fsrs import Rating

    if score >= 1.0 - 1e-9:
        return Rating.Good
    if score >= 0.5:
        return Rating.Hard
    return Rating.Again


class ProgressStore:
    """One SQLite file of answers and review cards. Open with `ProgressStore(path)`; read
    `.notice` once opened (None unless a damaged file had to be set aside)."""

    def __init__(self, path: Path | str | None = None, *, scheduler: Scheduler | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """`monotonic` and `sleep` time the wait for another instance while opening (tests pass a
        clock that moves only when slept on)."""
        self.path = Path(path) if path is not None else default_path()
        self._monotonic, self._sleep = monotonic, sleep
        self.notice: StoreNotice | None = None
        # What record_answer() had to repair (a review card it could not read), for the user.
        self.repairs: list[str] = []
        self._given_scheduler = scheduler
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for saved progress {self.path.parent}: {exc.strerror or exc}. "
                             f"Set {ENV_DIR} to a writable folder.") from None
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            if not self._is_corruption(exc):
                raise self._error(exc) from None
            moved = self._move_aside()
            self.notice = StoreNotice(
                message=f"Your saved progress in {self.path} could not be read ({exc}); the damaged file was moved "
                f"to {moved.name} and a new, empty progress file was started.", moved_to=moved)
            try:
                self._conn = self._open()
            except sqlite3.DatabaseError as exc2:
                raise self._error(exc2) from None

    # --- opening ----------------------------------------------------------------------------
    def _error(self, exc: Exception) -> StoreError:
        if _is_full(exc):
            return StoreError(f"cannot open the progress file {self.path}: the disk is full ({exc}). Free some space "
                              f"or set {ENV_DIR} to a folder on another disk; saved answers are kept.")
        return StoreError(f"cannot open or write the progress file {self.path}: {exc}. Progress will not be "
                          f"saved; check that the folder is writable or set {ENV_DIR} to one that is.")

    def _write_error(self, exc: Exception) -> StoreError:
        """Why an answer could not be saved; the answers committed before it are untouched."""
        if _is_full(exc):
            return StoreError(f"this answer was not saved: the disk holding {self.path} is full ({exc}). "
                              f"Answers saved before it are safe. Free some space and answer again.")
        if _is_read_only(exc):
            return StoreError(f"this answer was not saved: the progress file {self.path} or its folder is read-only "
                              f"({exc}). Answers saved before it are safe. Make the folder writable or set "
                              f"{ENV_DIR} to one that is.")
        return StoreError(f"this answer was not saved to the progress file {self.path}: {exc}.")

    @staticmethod
    def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
        """A damaged or foreign file (move it aside), as opposed to a folder we may not write to
        (report it, touch nothing)."""
        text = str(exc).lower()
        if any(w in text for w in ("malformed", "not a database", "corrupt", "integrity check")):
            return True
        return not isinstance(exc, sqlite3.OperationalError)

    def _open(self) -> sqlite3.Connection:
        try:
            mode = os.stat(self.path).st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):  # a FIFO, a device: nothing to set aside, say so
            raise StoreError(f"the progress file {self.path} is {file_kind(mode)}, not a regular file: move it "
                             f"away, or set {ENV_DIR} to another folder. Progress will not be saved until then.")
        if self.path.exists() and not os.access(self.path.parent, os.W_OK):
            raise sqlite3.OperationalError("the folder is read-only")
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self._switch_to_wal(conn)
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"cannot switch the journal to WAL (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _switch_to_wal(self, conn: sqlite3.Connection) -> str:
        """Switch the journal to WAL. Switching needs the file to itself, and SQLite answers
        "database is locked" at once, without waiting, while another instance opening the same new
        file does the same: so wait and retry (up to BUSY_TIMEOUT_MS), as the busy timeout would."""
        deadline = self._monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.005
        while True:
            try:
                return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) \
                    or "locked" in str(exc).lower()
                if not busy or self._monotonic() >= deadline:
                    raise
            self._sleep(delay)
            delay = min(delay * 2, 0.1)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")  # one instance migrates; the other waits, then sees the result
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"the progress file {self.path} was written by a newer IronBone (schema {version}, "
                                 f"this one knows {SCHEMA_VERSION}); it was left untouched. Update IronBone.")
            if version < 0:
                raise _ForeignSchema(f"the file says schema version {version}, which no IronBone writes")
            try:
                for v in range(version, SCHEMA_VERSION):
                    for stmt in (s.strip() for s in MIGRATIONS[v].split(";")):
                        if stmt:
                            conn.execute(stmt)
                    conn.execute(f"PRAGMA user_version = {v + 1}")
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if not any(w in text for w in ("already exists", "duplicate column", "no such table")):
                    raise
                raise _ForeignSchema(f"its tables do not match its schema version {version}: {exc}") from None
            self._check_tables(conn, version)
            # A write even when nothing migrates: a file we may read but not write (read-only file,
            # folder or mount) is reported now, not at the first answer.
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _check_tables(conn: sqlite3.Connection, version: int) -> None:
        for table, wanted in TABLES.items():
            have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if not have:
                raise _ForeignSchema(f"it has no table {table} (the file says schema version {version})")
            if wanted - have:
                raise _ForeignSchema(f"its table {table} has no column {', '.join(sorted(wanted - have))} "
                                     f"(the file says schema version {version})")

    def _move_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.replace(self.path, target)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(target) + suffix))
        except OSError as exc:
            raise StoreError(f"the progress file {self.path} is damaged and could not be moved aside: {exc}") from None
        return target

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> str:
        """"ok", or one line per problem: SQLite's own check of the file, then every row IronBone
        cannot read (a hand-edited time, response or review card)."""
        problems = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check")]
        if problems == ["ok"]:
            problems = []
        for rid, when, response in self._conn.execute("SELECT id, answered_at, response FROM answers ORDER BY id"):
            try:
                datetime.fromisoformat(when)
            except (TypeError, ValueError):
                problems.append(f"answers row {rid}: answered_at {_short(when)} is not a date and time")
            try:
                json.loads(response)
            except (TypeError, ValueError, RecursionError):
                problems.append(f"answers row {rid}: the response is not valid JSON")
        for qid, card in self._conn.execute("SELECT question_id, card FROM cards ORDER BY question_id"):
            if _card(card) is None:
                problems.append(f"cards: the review card of {_short(qid)} cannot be read")
        return "\n".join(problems) or "ok"

    # --- writing ----------------------------------------------------------------------------
    def record_answer(self, question_id: str, score: float, *, mode: str = "practice", response: object = None,
                      session: str = "", now: datetime | None = None, reschedule: bool = True) -> int:
        """Store one answer and reschedule its review card, in one transaction, committed before
        returning (the returned row id is durable). With `reschedule=False` the answer is logged
        but its card keeps its schedule: a second try after seeing the feedback shows what the
        student just read, not what they recall."""
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score must be in [0, 1] (got {score!r})")
        when = now or _now()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self._conn.execute(
                    "INSERT INTO answers (question_id, answered_at, score, mode, response, session) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (question_id, when.isoformat(), float(score), mode, json.dumps(response, default=str), session))
                row = self._conn.execute("SELECT card FROM cards WHERE question_id = ?", (question_id,)).fetchone()
                if reschedule or row is None:
                    card = self._review(question_id, row[0] if row else None, score, when)
                    self._conn.execute(
                        "INSERT INTO cards (question_id, due, card) VALUES (?, ?, ?) "
                        "ON CONFLICT (question_id) DO UPDATE SET due = excluded.due, card = excluded.card",
                        (question_id, card.due.astimezone(UTC).isoformat(), card.to_json()))
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back by itself (e.g. on a full disk); a second
                # ROLLBACK would then fail and hide the real cause.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._write_error(exc) from None
        return int(cur.lastrowid or 0)

    @property
    def _scheduler(self) -> Scheduler:
        if self._given_scheduler is None:
            from fsrs import Scheduler

            self._given_scheduler = Scheduler(enable_fuzzing=False)
        return self._given_scheduler

    def _review(self, question_id: str, stored: object, score: float, when: datetime) -> Card:
        """The question's card after this answer. A stored card that cannot be read or reviewed (a
        hand-edited row) is replaced by a new one, so the answer is still saved; `repairs` says so."""
        from fsrs import Card

        card = _card(stored) if stored is not None else Card()
        if card is not None:
            try:
                return self._scheduler.review_card(card, rating_for(score), when)[0]
            except (TypeError, ValueError, ArithmeticError):
                pass
        self.repairs.append(f"The review schedule of question {_short(question_id)} could not be read; it starts "
                            "again from this answer.")
        return self._scheduler.review_card(Card(), rating_for(score), when)[0]

    # --- reading ----------------------------------------------------------------------------
    def history(self, *, limit: int | None = None, question_id: str | None = None) -> list[AnswerRecord]:
        """Answers, newest first."""
        sql = "SELECT id, question_id, answered_at, score, mode, response, session FROM answers"
        args: list[object] = []
        if question_id is not None:
            sql += " WHERE question_id = ?"
            args.append(question_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return [rec for rec in map(_answer, self._conn.execute(sql, args)) if rec is not None]

    def answer_ids(self) -> set[int]:
        return {r[0] for r in self._conn.execute("SELECT id FROM answers")}

    def latest_scores(self) -> dict[str, float]:
        rows = self._conn.execute(
            "SELECT question_id, score FROM answers WHERE id IN (SELECT MAX(id) FROM answers GROUP BY question_id)")
        return dict(rows.fetchall())

    def mastery(self, groups: Mapping[str, Iterable[str]]) -> dict[str, Mastery]:
        """Per group (a section, a compartment...) of question ids: how many answered, and how well
        (the latest score of each question counts)."""
        latest = self.latest_scores()
        out = {}
        for name, ids in groups.items():
            ids = list(dict.fromkeys(ids))
            got = [latest[q] for q in ids if q in latest]
            out[name] = Mastery(answered=len(got), total=len(ids), score=sum(got) / len(got) if got else 0.0)
        return out

    def due(self, *, now: datetime | None = None, question_ids: Iterable[str] | None = None) -> list[str]:
        """Question ids whose review is due, most overdue first."""
        when = (now or _now()).astimezone(UTC).isoformat()
        rows = [r[0] for r in self._conn.execute(
            "SELECT question_id FROM cards WHERE due <= ? ORDER BY due, question_id", (when,))]
        if question_ids is not None:
            keep = set(question_ids)
            rows = [r for r in rows if r in keep]
        return rows

    def due_count(self, *, now: datetime | None = None, question_ids: Iterable[str] | None = None) -> int:
        return len(self.due(now=now, question_ids=question_ids))

    def card(self, question_id: str) -> Card | None:
        """The question's review card; None if it has none or it cannot be read (integrity_check names it)."""
        row = self._conn.execute("SELECT card FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        return _card(row[0]) if row else None

    def next_due(self, *, question_ids: Iterable[str] | None = None) -> datetime | None:
        """The earliest due time of any review card (of `question_ids`, if given), past or future;
        None when there is no card."""
        rows = self._conn.execute("SELECT question_id, due FROM cards ORDER BY due, question_id")
        keep = set(question_ids) if question_ids is not None else None
        for qid, due in rows:
            if keep is None or qid in keep:
                try:
                    return datetime.fromisoformat(due)
                except (TypeError, ValueError):  # a hand-edited row: integrity_check names it
                    continue
        return None

    # --- activity: pages read, tours finished --------------------------------------------------
    def _record_activity(self, kind: str, item: str, now: datetime | None) -> int:
        if not isinstance(item, str) or not item:
            raise ValueError(f"an activity needs a non-empty id (got {item!r})")
        when = (now or _now()).astimezone(UTC).isoformat()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self._conn.execute("INSERT INTO activity (kind, item, at) VALUES (?, ?, ?)", (kind, item, when))
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            done = "read" if kind == "page" else "finished"
            raise StoreError(f"could not record that {kind} {item!r} was {done} in {self.path} ({exc}); the "
                             f"answers and activity saved before it are safe.") from None
        return int(cur.lastrowid or 0)

    def record_page_read(self, page_id: str, *, now: datetime | None = None) -> int:
        """Note that a page (e.g. "topic:s2-1-osteoblasts") was read; committed before returning."""
        return self._record_activity("page", page_id, now)

    def record_tour_finished(self, tour_id: str, *, now: datetime | None = None) -> int:
        """Note that a guided tour was followed to its last step; committed before returning."""
        return self._record_activity("tour", tour_id, now)

    def _activity(self, kind: str) -> dict[str, datetime]:
        rows = self._conn.execute("SELECT item, MAX(at) FROM activity WHERE kind = ? GROUP BY item", (kind,))
        return {item: datetime.fromisoformat(at) for item, at in rows}

    def pages_read(self) -> dict[str, datetime]:
        """Every page read, with when it was last read."""
        return self._activity("page")

    def tours_finished(self) -> dict[str, datetime]:
        """Every tour finished, with when it was last finished."""
        return self._activity("tour")
