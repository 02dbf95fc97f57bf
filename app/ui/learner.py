"""What the features share about the student: the progress file (answers, pages read, tours finished)
and the learning content (objectives, study path, the questions readiness counts), each opened once.

The quiz writes answers to the progress file, the study feature the pages read, the lecture feature
the tours finished; the start page and the readiness view read them back. Nothing is loaded at
start-up. The progress file opens on first use, on the GUI thread (an SQLite connection stays on the
thread that opened it). The learning content takes about half a second (it reads the objectives, the
study path, the tours, the model's content and the question bank, and imports numpy), so `prepare()`
loads it on a worker thread and `when_loaded(fn)` runs `fn` on the GUI thread once it is there; the
synchronous accessors wait for that worker rather than load twice."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from app.knowledge.content import Content
    from app.knowledge.learning import Learning
    from app.quiz.bank import Bank
    from app.quiz.store import ProgressStore

POLL_MS = 15  # how often the GUI thread looks whether the worker has finished


class NoProgress:
    """A student with no progress file yet has done nothing: what the start page reads instead of
    making the file (it is made by the first thing there is to record)."""

    def history(self, **_: object) -> list:
        return []

    def pages_read(self) -> dict:
        return {}

    def tours_finished(self) -> dict:
        return {}


@dataclass(frozen=True)
class LearningData:
    learning: Learning
    bank: Bank  # IronBone's hand-written questions (what readiness and the study path count)


def _load(content: Content) -> LearningData:  # runs on a worker thread: no Qt
    from app.knowledge.learning import load_learning
    from app.quiz.bank import load_bank

    learning = load_learning(content.root, content)
    return LearningData(learning, load_bank(content.root, pathway=content.pathway))


def _nothing() -> LearningData:
    """No objectives, path, tours or questions: what the features show if the content cannot be read."""
    from app.knowledge.learning import Learning
    from app.quiz.bank import Bank

    return LearningData(Learning(objectives=None, path=None, sections={}, tours={}), Bank(()))


class Learner(QObject):
    """The student's progress file and the learning content, shared by the features.

    `recorded(kind, item)` says that a page was read ("page", "topic:<id>"), a tour finished ("tour",
    "<id>") or a question answered ("answer", "<id>") and stored; `notice(title, message)` that the
    progress file was damaged and set aside, or cannot be opened at all (then progress is not saved and
    `store()` is None)."""

    recorded = Signal(str, str)
    notice = Signal(str, str)
    loaded = Signal()  # the learning content is there (learning(), bank())

    def __init__(self, content: Content, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self._store: ProgressStore | None = None
        self.store_error = ""  # why the progress file could not be opened ("" if it could, or not tried yet)
        self.load_error = ""  # why the learning content could not be loaded ("" if it was)
        self._data: LearningData | None = None
        self._job: Future | None = None
        self._waiting: list[Callable[[], None]] = []
        self._timer: QTimer | None = None

    # --- the progress file ----------------------------------------------------------------------
    def store(self) -> ProgressStore | None:
        """The progress file, opened on first use (None if it cannot be opened: see store_error)."""
        if self._store is None and not self.store_error:
            from app.quiz.store import ProgressStore, StoreError

            try:
                self._store = ProgressStore()
            except StoreError as exc:
                self.store_error = str(exc)
                self.notice.emit("Progress will not be saved.", self.store_error)
                return None
            store = self._store
            self.destroyed.connect(lambda *_: store.close())  # the file is released with the window
            if store.notice is not None:
                self.notice.emit("Your progress file was damaged and has been set aside.", store.notice.message)
        return self._store

    def progress(self) -> ProgressStore | NoProgress | None:
        """What the student has done, for reading only: the progress file if there is one (opened),
        NoProgress if there is none yet (nothing is written: looking makes no file), None if it
        cannot be opened (see store_error)."""
        if self._store is None and not self.store_error:
            from app.quiz.store import default_path

            if not default_path().exists():
                return NoProgress()
        return self.store()

    def record_page_read(self, page: str) -> bool:
        """Note that the student read `page` ("topic:<id>"); False if it could not be saved."""
        return self._record("page", page)

    def record_tour_finished(self, tour_id: str) -> bool:
        """Note that the student reached the last step of tour `tour_id`; False if it could not be saved."""
        return self._record("tour", tour_id)

    def answered(self, question_id: str) -> None:
        """Say that an answer was stored (the quiz stores it itself): what counts as done has changed."""
        self.recorded.emit("answer", question_id)

    def _record(self, kind: str, item: str) -> bool:
        from app.quiz.store import StoreError

        store = self.store()
        if store is None:
            return False
        try:
            if kind == "page":
                store.record_page_read(item)
            else:
                store.record_tour_finished(item)
        except StoreError as exc:
            self.notice.emit("This could not be saved.", str(exc))
            return False
        self.recorded.emit(kind, item)
        return True

    # --- the learning content -------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        return self._data is not None

    def prepare(self) -> None:
        """Start loading the learning content on a worker thread (once)."""
        if self._data is not None or self._job is not None:
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-learning")
        self._job = pool.submit(_load, self.content)
        pool.shutdown(wait=False)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def when_loaded(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the GUI thread once the learning content is loaded (at once if it is)."""
        if self._data is not None:
            fn()
            return
        self._waiting.append(fn)
        self.prepare()

    def _on_timer_timeout(self) -> None:
        if self._job is not None and self._job.done():
            self._finish()

    def _finish(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        job, self._job = self._job, None
        if job is not None and self._data is None:
            try:
                self._data = job.result()
            except Exception as exc:  # noqa: BLE001 - the loaders report problems, never raise: a bug, said
                self.load_error = f"{type(exc).__name__}: {exc}"
                self._data = _nothing()
                self.notice.emit("The study path could not be loaded.", self.load_error)
        waiting, self._waiting = self._waiting, []
        self.loaded.emit()
        for fn in waiting:
            fn()

    def _loaded(self) -> LearningData:
        if self._data is None:
            if self._job is None:  # loaded here, at once; an error is handled as the worker's would be
                self._job = Future()
                try:
                    self._job.set_result(_load(self.content))
                except Exception as exc:  # noqa: BLE001 - see _finish
                    self._job.set_exception(exc)
            else:
                concurrent.futures.wait([self._job])  # the worker is under way: wait for it rather than load twice
            self._finish()
        assert self._data is not None
        return self._data

    def learning(self) -> Learning:
        """Objectives, study path, sections and tours (loaded now if prepare() has not finished)."""
        return self._loaded().learning

    def bank(self) -> Bank:
        """IronBone's hand-written questions, as readiness and the study path count them."""
        return self._loaded().bank
