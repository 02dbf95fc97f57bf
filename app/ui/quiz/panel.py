"""The quiz panel (the "Quiz" dock): the shell holding the start screen, the question page, the report and
the progress view, and the flow of a quiz through them (see docs/architecture.md for which module holds what).
It displays an app.quiz.session.QuizSession; answers go to the progress store as they are given."""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from app.quiz.questions import ClickNode, Predict, Question
from app.quiz.report_page import MODE_NAMES, section_name
from app.quiz.session import QuizSession, Report, draw_practice
from app.ui.quiz.data import QuizData
from app.ui.quiz.diagram_answers import DiagramAnswers
from app.ui.quiz.exam import ExamClock, exam_verdict
from app.ui.quiz.my_questions import only
from app.ui.quiz.progress import ProgressPage
from app.ui.quiz.question_page import QuestionPage
from app.ui.quiz.readiness_view import utc_now
from app.ui.quiz.report import ReportPage
from app.ui.quiz.review import ReviewFlow
from app.ui.quiz.start_form import StartForm
from app.ui.quiz.views import AnswerView, PredictView, make_view

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtGui import QAction

    from app.quiz.bank import Bank
    from app.quiz.grading import Mark
    from app.quiz.readiness import DueStatus, NextAction
    from app.quiz.store import ProgressStore
    from app.ui.context import FeatureContext

BANNER_STYLE = ("QFrame#quiz_banner { background: #FFF4CE; border: 1px solid #C9A227; border-radius: 4px; }"
                "QFrame#quiz_banner QLabel { color: #3D2E00; }")


class QuizPanel(QWidget):
    """Everything the student sees of the quiz. `seed` (None: a fresh one per quiz) fixes draws; `now` is
    the clock that decides what is due (tests move it). The pages' widgets are reachable from the panel by
    the names below, e.g. `mode_combo`, `submit_button`, `timer`, `readiness`, `verdict_box`."""

    session_finished = Signal(object)  # Report
    TICK_MS = ExamClock.TICK_MS

    def __init__(self, ctx: FeatureContext, *, review_action: QAction | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.review_action = review_action  # its text says how many reviews are due
        self.setObjectName("quiz_panel")
        self.setAccessibleName("Quiz")
        self.setMinimumWidth(320)
        self.seed: int | None = None
        self.now: Callable[[], datetime] = utc_now
        self.session: QuizSession | None = None
        self.view: AnswerView | None = None
        self.data = QuizData(ctx, owner=self, notice=self.show_notice, bank_loaded=lambda: self.form.refresh(),
                             now=lambda: self.now())
        self.clock = ExamClock(self, session=lambda: self.session, time_up=self._show_report, post=ctx.post)
        self.timer, self.timer_label = self.clock.timer, self.clock.label
        self.diagram_answers = DiagramAnswers(ctx)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QFrame()
        self.banner.setObjectName("quiz_banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setAccessibleName("Progress file notice")
        brow = QHBoxLayout(self.banner)
        brow.setContentsMargins(8, 6, 4, 6)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Hide this notice")
        close.setAccessibleName("Hide the notice")
        close.clicked.connect(self.banner.hide)
        brow.addWidget(self.banner_label, 1)
        brow.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        now = lambda: self.now()  # noqa: E731 - read at each use: tests replace the panel's clock
        self.form = f = StartForm(ctx, self.data, start=self.start_from_form, progress=self.show_progress, now=now)
        self.stack.addWidget(f.page)
        self.question_display = q = QuestionPage(ctx, timer_label=self.timer_label, submit=self.submit,
                                                 retry=self.retry, next_question=self.next_question,
                                                 finish=self.finish, labels=self.diagram_answers.labels)
        self.stack.addWidget(q.page)
        self.report = r = ReportPage(ctx, new_quiz=lambda: self.show_start(), progress=self.show_progress)
        self.stack.addWidget(r.page)
        self.last_report: Report | None = None
        self.review = ReviewFlow(ctx, self.data, f, start=self.start, start_questions=self.start_questions,
                                 show_start=self.show_start, review_action=review_action, now=now,
                                 to_start_page=lambda: self.stack.setCurrentWidget(self.start_page))
        self.progress = p = ProgressPage(ctx, self.data, act=self.act_on, retry=self.start_retry,
                                         review=self.start_review, new_quiz=lambda: self.show_start(),
                                         pass_mark=self.pass_mark, now=now)
        self.stack.addWidget(p.page)
        # The pages' widgets under the panel's own names (tests, the self-test and screenshots use them).
        self.start_page, self.mode_combo, self.section_combo, self.difficulty_combo = \
            f.page, f.mode_combo, f.section_combo, f.difficulty_combo
        self.type_combo, self.category_combo, self.count_spin, self.minutes_spin, self.minutes_label = \
            f.type_combo, f.category_combo, f.count_spin, f.minutes_spin, f.minutes_label
        self.pass_spin, self.pass_label, self.pool_label, self.start_message, self.start_button, self.start_due = \
            f.pass_spin, f.pass_label, f.pool_label, f.start_message, f.start_button, f.start_due
        self.question_page, self.header, self.prompt, self.answer_area, self.hint, self.feedback = \
            q.page, q.header, q.prompt, q.answer_area, q.hint, q.feedback
        self.submit_button, self.retry_button, self.next_button, self.skip_button, self.finish_button = \
            q.submit_button, q.retry_button, q.next_button, q.skip_button, q.finish_button
        self.keys_label = q.keys_label
        self.report_page, self.verdict_box, self.report_view = r.page, r.verdict_box, r.report_view
        self.progress_page, self.progress_summary, self.progress_tabs, self.readiness = \
            p.page, p.progress_summary, p.progress_tabs, p.readiness
        self.section_table, self.compartment_table, self.history_table = \
            p.section_table, p.compartment_table, p.history_table
        self.review_button, self.review_due = p.review_button, p.review_due
        self.stack.setCurrentWidget(self.start_page)

    # --- data: the bank and the store, both opened on first use (data.py) ----------------------
    @property
    def model(self):  # noqa: ANN201
        return self.data.model

    def bank(self) -> Bank:
        return self.data.bank()

    def reload_bank(self) -> None:
        """Read the questions again on next use (the lecturer's own were imported or removed); a quiz
        under way keeps the questions it drew."""
        self.data.forget_bank()
        if self.stack.currentWidget() is self.start_page and self.isVisible():
            self.bank()

    def store(self) -> ProgressStore | None:
        """The progress store, opened on first use (None: it cannot be opened; the banner says why)."""
        return self.data.store()

    def close_store(self) -> None:
        self.data.close_store()

    def due_count(self) -> int:
        return self.data.due_count()

    def due_status(self) -> DueStatus | None:
        """How many reviews are due by the panel's clock, and when the next is (None: no progress file)."""
        return self.data.due_status()

    def show_notice(self, title: str, message: str) -> None:
        """An inline banner at the top of the panel, and the same words in the status bar."""
        self.banner_label.setText(f"<b>{html.escape(title)}</b> {html.escape(message)}")
        self.banner.show()
        self.ctx.post(f"{title} {message}")

    def pass_mark(self) -> float:
        """The exam's pass mark, 0..1 (Quiz start screen, remembered; 70 % by default)."""
        return self.pass_spin.value() / 100

    def section_name(self, section: str) -> str:
        return section_name(self.ctx.content, section)

    # --- starting a quiz ------------------------------------------------------------------------
    def show_start(self, mode: str | None = None) -> None:
        self._leave_question()
        self.bank()
        self.store()
        if mode is not None:
            self.form.set_mode(mode)
        self.start_message.setText("")
        self.form.refresh()
        self.stack.setCurrentWidget(self.start_page)
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next_seed(self) -> int:
        return self.seed if self.seed is not None else random.SystemRandom().randrange(1, 2**31)

    def start_from_form(self) -> bool:
        return self.start(self.form.mode(), n=self.count_spin.value(), minutes=self.minutes_spin.value(),
                          category=self.category_combo.currentData(), **self.form.filters())

    def start(self, mode: str, *, n: int = 10, minutes: float = 15, sections=None, difficulties=None,  # noqa: ANN001
              types=None, category: str | None = None) -> bool:
        """Draw the questions and show the first; False (with a message) if there is nothing to ask.
        `category`: app.ui.quiz.my_questions' BUILTIN or one of the user's categories (None: all)."""
        bank = self.bank()
        store = self.store()
        seed = self._next_seed()
        gradable = self.model is not None
        if mode in ("review", "retry"):
            questions = self.review.draw(mode, bank, store, n, seed=seed, gradable=gradable)
            if not questions:
                return False
        else:
            questions = draw_practice(only(bank, category), n, seed=seed, sections=sections,
                                      difficulties=difficulties, types=types, gradable_predictions=gradable)
            if not questions:
                self.start_message.setText("No question matches these choices; widen the section, difficulty or "
                                           "kind.")
                self.stack.setCurrentWidget(self.start_page)
                return False
        return self._begin(mode, questions, seed=seed, minutes=minutes)

    def start_questions(self, mode: str, questions: Sequence[Question]) -> bool:
        """Ask exactly `questions` (a section's, from the readiness view; a tour's check question), their
        options shuffled; predictions only when the model is there to grade them."""
        seed = self._next_seed()
        asked = tuple(q.shuffled(seed) for q in questions if self.model is not None or not isinstance(q, Predict))
        if not asked:
            self.show_start()
            self.start_message.setText("None of these questions can be asked now (predictions wait for the model).")
            return False
        return self._begin(mode, asked, seed=seed)

    def _begin(self, mode: str, questions: Sequence[Question], *, seed: int, minutes: float = 15) -> bool:
        store = self.store()
        self._leave_question()
        self.session = QuizSession(mode=mode, questions=tuple(questions), model=self.model, store=store, seed=seed,
                                   time_limit_s=minutes * 60 if mode == "exam" else None)
        if mode == "exam":
            self.timer.start()
        self.show_question()
        if not self.banner.isVisible():  # a notice about the progress file stays readable
            self.ctx.post(f"{MODE_NAMES[mode]}: {len(questions)} question{'s' if len(questions) != 1 else ''}")
        return True

    # --- review, retry and readiness (review.py) --------------------------------------------------
    def start_review(self) -> bool:
        return self.review.start_review()

    def start_retry(self) -> bool:
        """Quiz ▸ Retry my mistakes now: the questions last answered wrong or partly wrong, now."""
        return self.review.start_retry()

    def act_on(self, action: NextAction) -> bool:
        """Do a section's next action: open its page, start its tour, or ask its questions."""
        return self.review.act_on(action)

    def refresh_review_action(self) -> None:
        """The menu item says how many reviews are due."""
        self.review.refresh_review_action()

    # --- one question -------------------------------------------------------------------------
    def _leave_question(self) -> None:
        """The question on screen is left: no more clicks from the diagram, no clock, no highlight."""
        self.stop_timer()
        self.diagram_answers.clear()
        if self.view is not None:
            self.view.detach()
            self.view.set_locked(True)

    def show_question(self) -> None:
        """Show the session's current question (its report once there is none left)."""
        s = self.session
        assert s is not None
        self.diagram_answers.clear()
        if self.view is not None:
            self.view.detach()
        q = s.current
        if q is None:
            self._show_report(s.finish())
            return
        answers = self.diagram_answers
        self.view = make_view(q, seed=s.seed, labels=answers.labels(), connect_clicks=answers.connect_clicks)
        self.keys_label.setText(self.view.keys)
        self.view.changed.connect(lambda: self.hint.setText(""))
        if isinstance(self.view, PredictView):
            self.view.path_requested.connect(self.highlight_mark)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 4, 4, 4)
        holder_layout.addWidget(self.view)
        holder_layout.addStretch(1)
        self.answer_area.setWidget(holder)
        sec = self.section_name(q.section)
        self.header.setText(f"<b>{MODE_NAMES[s.mode]}</b> · question {s.index + 1} of {len(s)} · "
                            f"{html.escape(sec)} · difficulty {q.difficulty}")
        self.prompt.setText(q.prompt)
        self.hint.setText("")
        self.question_display.hide_feedback()
        self.question_display.update_buttons(s)
        self.clock.tick()
        self.stack.setCurrentWidget(self.question_page)
        if isinstance(q, ClickNode):
            self.ctx.post("Click the answer on the diagram, then Submit")
        first = self.view.findChild(QWidget)
        (first or self.view).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        s, view = self.session, self.view
        if s is None or view is None or s.current is None or s.grade_of() is not None \
                or self.stack.currentWidget() is not self.question_page:
            return
        response = view.response()
        if response is None:
            self.hint.setText(view.missing)
            return
        if s.remaining() == 0.0:
            self.clock.tick()
            return
        q = s.current
        grade = s.submit(response)
        if s.store_error:
            self.show_notice("This answer could not be saved.", s.store_error)
            s.store_error = ""
        else:
            if s.store is not None and s.store.repairs:  # the answer was saved, a card had to be renewed
                repairs = " ".join(s.store.repairs)
                s.store.repairs.clear()
                self.show_notice("Your answer was saved; the progress file needed a repair.", repairs)
            if self.ctx.learner is not None:
                self.ctx.learner.answered(q.id)  # e.g. the start page ticks a quiz step
        self.refresh_review_action()
        if not s.shows_feedback:
            self.ctx.post(f"Answer {s.index + 1} of {len(s)} saved")
            self.next_question()
            return
        view.set_locked(True)
        view.show_grade(grade)
        self.question_display.show_feedback(q, grade)
        self.diagram_answers.highlight_answer(q, grade)
        self.question_display.update_buttons(s)
        (self.next_button if grade.correct or not s.can_retry() else self.retry_button).setFocus()

    def retry(self) -> None:
        s = self.session
        if s is None or not s.can_retry():
            return
        s.retry()
        # The answer stays as it was given, so only the wrong part needs changing.
        self.diagram_answers.clear()
        if self.view is not None:
            self.view.show_grade(None)
            self.view.set_locked(False)
        self.question_display.hide_feedback()
        self.hint.setText("")
        self.question_display.update_buttons(s)
        self.submit_button.setFocus()
        self.ctx.post("Try again: change your answer and submit")

    def next_question(self) -> None:
        s = self.session
        if s is None:
            return
        if s.next():
            self.show_question()
        else:
            self._show_report(s.report())

    def finish(self) -> None:
        s = self.session
        if s is None:
            return
        self._show_report(s.finish())

    def stop_timer(self) -> None:
        self.clock.stop()

    def highlight_mark(self, mark: Mark) -> None:
        """Light the chain of nodes that explains one graded prediction."""
        self.diagram_answers.highlight_mark(mark)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Number keys pick an option; Enter submits, then goes on."""
        if self.stack.currentWidget() is self.question_page and self.view is not None:
            key = event.key()
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                if self.view.pick(key - Qt.Key.Key_0):
                    return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                s = self.session
                if s is not None and s.grade_of() is None:
                    self.submit()
                else:
                    self.next_question()
                return
        elif self.stack.currentWidget() is self.start_page and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_from_form()
            return
        super().keyPressEvent(event)

    # --- the report and the progress view (report.py, progress.py) ----------------------------
    def _show_report(self, report: Report) -> None:
        self._leave_question()
        self.last_report = report
        verdict = exam_verdict(self.ctx, report, self.pass_mark()) if report.mode == "exam" else None
        self.report.show(report, verdict)
        self.stack.setCurrentWidget(self.report_page)
        self.refresh_review_action()
        self.session_finished.emit(report)

    def show_progress(self) -> None:
        self._leave_question()
        if self.session is not None and not self.session.finished:
            self.session.finish()
        self.progress.refresh()
        self.stack.setCurrentWidget(self.progress_page)
