"""The quiz panel's review and retry flows: the spaced review of what is due, retrying the questions last
missed, a readiness section's next action, and the Quiz menu's count of reviews due."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.quiz.session import draw_review

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtGui import QAction

    from app.quiz.bank import Bank
    from app.quiz.questions import Question
    from app.quiz.readiness import NextAction
    from app.quiz.store import ProgressStore
    from app.ui.context import FeatureContext
    from app.ui.quiz.data import QuizData
    from app.ui.quiz.start_form import StartForm

NOTHING_DUE = ("Nothing is due for review now. Questions you miss come back here when their review date "
               "arrives.")
NO_MISTAKES = "No mistakes to retry: every question you have answered was right at your latest try."


class ReviewFlow:
    """Review and retry over `data`, saying on the start screen (`form`) why nothing was asked. `start(mode,
    n=…)` and `start_questions(mode, questions)` begin a quiz, `show_start(mode)` shows the start screen and
    `to_start_page()` only turns to it; `review_action` (the menu item) says how many reviews are due by `now`."""

    def __init__(self, ctx: FeatureContext, data: QuizData, form: StartForm, *, start: Callable[..., bool],
                 start_questions: Callable[[str, Sequence[Question]], bool],
                 show_start: Callable[[str], None], to_start_page: Callable[[], None],
                 review_action: QAction | None, now: Callable[[], datetime]) -> None:
        self.ctx, self.data, self.form = ctx, data, form
        self._start, self._start_questions = start, start_questions
        self._show_start, self._to_start_page = show_start, to_start_page
        self.review_action = review_action
        self._now = now

    def draw(self, mode: str, bank: Bank, store: ProgressStore | None, n: int, *, seed: int,
             gradable: bool) -> tuple[Question, ...]:
        """Up to `n` questions due for review (`mode` "review") or last missed ("retry"); none, with the
        reason on the start screen, when there is nothing to ask."""
        message = self.form.start_message
        if mode == "review":
            if store is None:
                message.setText("Reviews need the progress file, which could not be opened.")
                return ()
            questions = draw_review(bank, store, n, seed=seed, now=self._now(), gradable_predictions=gradable)
            if not questions:
                message.setText(NOTHING_DUE)
                self._to_start_page()
            return tuple(questions)
        if store is None:
            message.setText("Retrying mistakes needs the progress file, which could not be opened.")
            return ()
        from app.quiz.readiness import draw_mistakes

        questions = draw_mistakes(bank, store, n, seed=seed, gradable_predictions=gradable)
        if not questions:
            message.setText(NO_MISTAKES)
            self._to_start_page()
        return tuple(questions)

    def start_review(self) -> bool:
        self.form.set_mode("review")
        ok = self._start("review", n=self.form.count_spin.value())
        if not ok:
            self._show_start("review")
            self.form.start_message.setText(NOTHING_DUE)
        return ok

    def start_retry(self) -> bool:
        """Quiz ▸ Retry my mistakes now: the questions last answered wrong or partly wrong, now."""
        ok = self._start("retry", n=50)
        if not ok:
            self._show_start("retry")
            self.form.start_message.setText(NO_MISTAKES)
        return ok

    def act_on(self, action: NextAction) -> bool:
        """Do a section's next action: open its page, start its tour, or ask its questions."""
        if action.kind == "read_page":
            self.ctx.open_link(action.target)
            return True
        if action.kind == "take_tour":
            start_tour = self.ctx.library.start_tour
            if start_tour is None:
                self.ctx.post("Guided tours are not available in this window")
                return False
            return start_tour(action.target)
        bank = self.data.bank()
        ids = list(action.question_ids)
        if action.kind == "answer_questions":
            ids = ids[:max(action.count, min(10, len(ids)))]
        questions = [q for q in (bank.get(i) for i in ids) if q is not None]
        return self._start_questions("retry" if action.kind == "retry_mistakes" else "practice", questions)

    def refresh_review_action(self) -> None:
        """The menu item says how many reviews are due."""
        act = self.review_action
        if act is not None and self.data.store() is not None:
            act.setText(f"&Review due ({self.data.due_count()})")
