"""The question bank and the progress store behind the quiz panel, each opened on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from app.quiz.bank import Bank
    from app.quiz.questions import Question
    from app.quiz.readiness import DueStatus
    from app.quiz.store import ProgressStore
    from app.ui.context import FeatureContext


class QuizData:
    """The bank (IronBone's questions, the model's predictions, the lecturer's own) and the progress store.
    `notice(title, message)` tells the student when the store is damaged or cannot be opened; `bank_loaded()`
    runs each time the bank has been read; `now` is the clock that decides what is due; `owner` is the
    widget whose end releases a store of its own."""

    def __init__(self, ctx: FeatureContext, *, owner: QObject, notice: Callable[[str, str], None],
                 bank_loaded: Callable[[], None], now: Callable[[], datetime]) -> None:
        self.ctx = ctx
        self._owner = owner
        self._notice = notice
        self._bank_loaded = bank_loaded
        self._now = now
        self._store: ProgressStore | None = None
        self._store_failed = False
        self._bank: Bank | None = None
        self._bank_with_model = False

    @property
    def model(self):  # noqa: ANN201
        mc = self.ctx.model()
        return mc.model if mc is not None else None

    @property
    def loaded(self) -> Bank | None:
        """The bank if it has been read (None: not yet, or to be read again)."""
        return self._bank

    def bank(self) -> Bank:
        model = self.model
        if self._bank is None or (model is not None and not self._bank_with_model):
            from app.quiz.bank import load_bank

            pathway = self.ctx.content.pathway
            bank = load_bank(self.ctx.content.root, pathway=pathway, model=model)
            if model is not None:
                from app.quiz.generate import generate_predictions

                bank = bank.with_questions(generate_predictions(model), pathway)
            from app.quiz.bank import BankContext
            from app.quiz.userbank import combined_bank

            # The lecturer's own questions (imported, or from a lesson pack) follow IronBone's.
            bank = combined_bank(bank, ctx=BankContext.of(self.ctx.content.root, pathway=pathway, model=model),
                                 pathway=pathway)
            self._bank, self._bank_with_model = bank, model is not None
            if bank.problems:
                self.ctx.post(f"{len(bank.problems)} quiz question(s) skipped: see View ▸ Content problems "
                                  "or run python -m app check-content")
            self._bank_loaded()
        return self._bank

    def forget_bank(self) -> None:
        """Read the questions again on next use."""
        self._bank = None

    def store(self) -> ProgressStore | None:
        """The progress store, opened on first use. A damaged file is moved aside (the notice says so); a
        store that cannot be opened at all leaves the quiz working without saving."""
        if self._store is None and not self._store_failed:
            from app.quiz.store import ProgressStore, StoreError

            learner = self.ctx.learner
            try:
                if learner is not None:  # one progress file for the whole window (app.ui.learner)
                    self._store = learner.store()
                    if self._store is None:
                        raise StoreError(learner.store_error)
                else:
                    self._store = ProgressStore()
                    store = self._store
                    self._owner.destroyed.connect(lambda *_: store.close())  # the file is released with the window
            except StoreError as exc:
                self._store_failed = True
                self._notice("Progress will not be saved.", str(exc))
                return None
            if self._store.notice is not None:
                self._notice("Your progress file was damaged and has been set aside.", self._store.notice.message)
        return self._store

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def due_count(self) -> int:
        store = self.store()
        if store is None:
            return 0
        ids = [q.id for q in self._bank.questions] if self._bank is not None else None
        return store.due_count(question_ids=ids, now=self._now())

    def due_status(self) -> DueStatus | None:
        """How many reviews are due by the clock, and when the next is (None: no progress file)."""
        from app.quiz.readiness import due_status

        store = self.store()
        if store is None:
            return None
        return due_status(store, [q.id for q in self.bank().questions], now=self._now())

    def mistakes(self) -> tuple[Question, ...]:
        """The questions last answered wrong or partly wrong (none without a progress file)."""
        from app.quiz.readiness import mistakes

        store = self.store()
        return mistakes(self.bank(), store) if store is not None else ()
