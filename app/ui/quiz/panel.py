"""The quiz panel (the "Quiz" dock): start screen, one question at a time with feedback, the exam
clock and report, and the progress view. It displays an app.quiz.session.QuizSession; answers go
to the progress store as they are given."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.quiz.questions import DIFFICULTIES, SECTIONS, ClickNode, Predict, Question
from app.quiz.report_page import MODE_NAMES, report_html, section_name
from app.quiz.session import QuizSession, Report, draw_practice, draw_review
from app.ui.diagram.overlays import Layer
from app.ui.quiz.my_questions import category_choices, only
from app.ui.quiz.readiness_view import DueButton, ReadinessView, VerdictBox, utc_now
from app.ui.quiz.views import AnswerView, PredictView, bad_colour, make_view, ok_colour
from app.ui.text import SafeBrowser, plain, tip

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.quiz.bank import Bank
    from app.quiz.grading import Grade, Mark
    from app.quiz.readiness import DueStatus, NextAction
    from app.quiz.store import ProgressStore
    from app.ui.context import FeatureContext

TYPE_NAMES = {"single": "Single choice", "multiple": "Multiple answers", "truefalse": "True or false",
              "click_node": "Click the node", "predict": "Predict the direction", "ordering": "Order the steps",
              "matching": "Matching", "numeric": "Numbers"}
DIFFICULTY_NAMES = {1: "1 — basic", 2: "2 — intermediate", 3: "3 — advanced"}
PASS_MARK_KEY, PASS_MARK_DEFAULT = "quiz/pass_mark", 70  # QSettings: the exam's pass mark in percent
BANNER_STYLE = ("QFrame#quiz_banner { background: #FFF4CE; border: 1px solid #C9A227; border-radius: 4px; }"
                "QFrame#quiz_banner QLabel { color: #3D2E00; }")


def _button(text: str, tip: str, slot, *, name: str = "") -> QPushButton:  # noqa: ANN001
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setAccessibleName(name or text.replace("&", ""))
    b.clicked.connect(slot)
    return b


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAccessibleName(name)
    t.setWordWrap(False)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, len(headers)):
        t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], tips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if tips:
                item.setToolTip(tip(tips[r]))  # question prompts: text from quiz files
            table.setItem(r, c, item)


class QuizPanel(QWidget):
    """Everything the student sees of the quiz. `seed` (None: a fresh one per quiz) fixes draws."""

    session_finished = Signal(object)  # Report
    TICK_MS = 250  # how often the exam clock is redrawn (and checked for the end of time)

    def __init__(self, ctx: FeatureContext, *, review_action: QAction | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.review_action = review_action  # its text says how many reviews are due
        self.setObjectName("quiz_panel")
        self.setAccessibleName("Quiz")
        self.setMinimumWidth(320)
        self.seed: int | None = None
        self.now: Callable[[], datetime] = utc_now  # what is due is decided by this clock (tests move it)
        self.session: QuizSession | None = None
        self.view: AnswerView | None = None
        self._store: ProgressStore | None = None
        self._store_failed = False
        self._bank: Bank | None = None
        self._bank_with_model = False
        self.timer = QTimer(self)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

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
        self._build_start()
        self._build_question()
        self._build_report()
        self._build_progress()
        self.stack.setCurrentWidget(self.start_page)

    # --- data: the bank and the store, both opened on first use -------------------------------
    @property
    def model(self):  # noqa: ANN201
        mc = self.ctx.model()
        return mc.model if mc is not None else None

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
            self._refresh_start()
        return self._bank

    def reload_bank(self) -> None:
        """Read the questions again on next use (the lecturer's own were imported or removed); a quiz
        under way keeps the questions it drew."""
        self._bank = None
        if self.stack.currentWidget() is self.start_page and self.isVisible():
            self.bank()

    def store(self) -> ProgressStore | None:
        """The progress store, opened on first use. A damaged file is moved aside (banner + status
        bar say so); a store that cannot be opened at all leaves the quiz working without saving."""
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
                    self.destroyed.connect(lambda *_: store.close())  # the file is released with the window
            except StoreError as exc:
                self._store_failed = True
                self.show_notice("Progress will not be saved.", str(exc))
                return None
            if self._store.notice is not None:
                self.show_notice("Your progress file was damaged and has been set aside.", self._store.notice.message)
        return self._store

    def show_notice(self, title: str, message: str) -> None:
        """An inline banner at the top of the panel, and the same words in the status bar."""
        self.banner_label.setText(f"<b>{html.escape(title)}</b> {html.escape(message)}")
        self.banner.show()
        self.ctx.post(f"{title} {message}")

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def due_count(self) -> int:
        store = self.store()
        if store is None:
            return 0
        ids = [q.id for q in self._bank.questions] if self._bank is not None else None
        return store.due_count(question_ids=ids, now=self.now())

    def due_status(self) -> DueStatus | None:
        """How many reviews are due by the panel's clock, and when the next is (None: no progress file)."""
        from app.quiz.readiness import due_status

        store = self.store()
        if store is None:
            return None
        return due_status(store, [q.id for q in self.bank().questions], now=self.now())

    def pass_mark(self) -> float:
        """The exam's pass mark, 0..1 (Quiz start screen, remembered; 70 % by default)."""
        return self.pass_spin.value() / 100

    # --- start screen -------------------------------------------------------------------------
    def _build_start(self) -> None:
        page = QWidget()
        page.setAccessibleName("Start a quiz")
        v = QVBoxLayout(page)
        title = QLabel("<h3>Test yourself</h3>")
        v.addWidget(title)
        intro = QLabel("Practice shows the answer after each question; an exam is timed and scored at the end; "
                       "review brings back the questions you missed when they are due.")
        intro.setWordWrap(True)
        v.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.mode_combo = QComboBox()
        for key, name in MODE_NAMES.items():
            self.mode_combo.addItem(name, key)
        self.mode_combo.setAccessibleName("Quiz mode")
        self.mode_combo.setToolTip("Practice: feedback at once; Exam: timed, score at the end; Review: what is due")
        self.mode_combo.currentIndexChanged.connect(self._refresh_start)
        self.section_combo = QComboBox()
        self.section_combo.setAccessibleName("Section of the review")
        self.section_combo.setToolTip("Only questions on one section of the review")
        self.difficulty_combo = QComboBox()
        self.difficulty_combo.addItem("Any", None)
        for d in DIFFICULTIES:
            self.difficulty_combo.addItem(DIFFICULTY_NAMES[d], d)
        self.difficulty_combo.setAccessibleName("Difficulty")
        self.difficulty_combo.setToolTip("Only questions of this difficulty")
        self.type_combo = QComboBox()
        self.type_combo.addItem("Any kind", None)
        for key, name in TYPE_NAMES.items():
            self.type_combo.addItem(name, key)
        self.type_combo.setAccessibleName("Kind of question")
        self.type_combo.setToolTip("Only one kind of question, e.g. click-the-node")
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 50)
        self.count_spin.setValue(10)
        self.count_spin.setAccessibleName("Number of questions")
        self.count_spin.setToolTip("How many questions to draw")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(1, 180)
        self.minutes_spin.setValue(15)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Exam time in minutes")
        self.minutes_spin.setToolTip("The exam ends by itself when the time is up")
        self.pass_spin = QSpinBox()
        self.pass_spin.setRange(10, 100)
        self.pass_spin.setSingleStep(5)
        self.pass_spin.setSuffix(" %")
        self.pass_spin.setAccessibleName("Pass mark of the exam in percent")
        self.pass_spin.setToolTip("The share of the exam's score you need to pass; the report says which sections "
                                  "to revisit")
        try:
            self.pass_spin.setValue(int(float(self.ctx.settings().value(PASS_MARK_KEY, PASS_MARK_DEFAULT))))
        except (TypeError, ValueError):
            self.pass_spin.setValue(PASS_MARK_DEFAULT)  # a damaged value: the default
        self.pass_spin.valueChanged.connect(lambda v: self.ctx.settings().setValue(PASS_MARK_KEY, v))
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Questions from")
        self.category_combo.setToolTip("IronBone's questions, or one category of the questions you imported")
        for combo in (self.section_combo, self.difficulty_combo, self.type_combo, self.category_combo):
            combo.currentIndexChanged.connect(self._refresh_pool_count)
        form.addRow("&Mode:", self.mode_combo)
        form.addRow("Questions &from:", self.category_combo)
        form.addRow("&Section:", self.section_combo)
        form.addRow("&Difficulty:", self.difficulty_combo)
        form.addRow("&Kind:", self.type_combo)
        form.addRow("&Questions:", self.count_spin)
        self.minutes_label = QLabel("&Time:")
        self.minutes_label.setBuddy(self.minutes_spin)
        form.addRow(self.minutes_label, self.minutes_spin)
        self.pass_label = QLabel("Pass &mark:")
        self.pass_label.setBuddy(self.pass_spin)
        form.addRow(self.pass_label, self.pass_spin)
        v.addLayout(form)
        self.pool_label = QLabel("")
        self.pool_label.setAccessibleName("Questions available")
        self.pool_label.setWordWrap(True)
        v.addWidget(self.pool_label)
        self.start_message = QLabel("")
        self.start_message.setWordWrap(True)
        self.start_message.setAccessibleName("Start message")
        v.addWidget(self.start_message)
        row = QHBoxLayout()
        self.start_button = _button("&Start", "Draw the questions and begin (Enter)", self.start_from_form,
                                    name="Start the quiz")
        self.start_button.setDefault(True)
        row.addWidget(self.start_button)
        row.addWidget(_button("&Progress", "Mastery by section and compartment, history, reviews due",
                              self.show_progress, name="Show progress"))
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        # In review mode the Start button says when the next review is due instead of doing nothing.
        self.start_due = DueButton(self.start_button, self.due_status, now=lambda: self.now())
        self.start_page = page
        self.stack.addWidget(page)
        self._sections_filled = False

    def _fill_sections(self, bank: Bank) -> None:
        current = self.section_combo.currentData()
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        self.section_combo.addItem(f"All sections ({len(bank)} questions)", None)
        groups = bank.section_groups()
        for sec in SECTIONS:
            n = len(groups.get(sec, ()))
            if n:
                self.section_combo.addItem(f"{self.section_name(sec)} ({n})", sec)
        idx = self.section_combo.findData(current)
        self.section_combo.setCurrentIndex(max(0, idx))
        self.section_combo.blockSignals(False)
        self._sections_filled = True
        chosen = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        for label, data in category_choices(bank):
            self.category_combo.addItem(label, data)  # a combo box shows its items as plain text
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(chosen)))
        self.category_combo.blockSignals(False)

    def section_name(self, section: str) -> str:
        return section_name(self.ctx.content, section)

    def _refresh_start(self) -> None:
        mode = self.mode_combo.currentData()
        exam = mode == "exam"
        for w in (self.minutes_label, self.minutes_spin, self.pass_label, self.pass_spin):
            w.setVisible(exam)
        review = mode in ("review", "retry")  # what is due, or what was missed: no filters
        for w in (self.section_combo, self.difficulty_combo, self.type_combo, self.category_combo):
            w.setEnabled(not review)
        if self._bank is not None:
            self._fill_sections(self._bank)
        self._refresh_pool_count()

    def _filters(self) -> dict:
        sec = self.section_combo.currentData()
        diff = self.difficulty_combo.currentData()
        typ = self.type_combo.currentData()
        return {"sections": [sec] if sec else None, "difficulties": [diff] if diff else None,
                "types": [typ] if typ else None}

    def _refresh_pool_count(self) -> None:
        mode = self.mode_combo.currentData()
        if mode != "review":
            self.start_due.timer.stop()
            self.start_button.setText("&Start")
            self.start_button.setAccessibleName("Start the quiz")
            self.start_button.setEnabled(True)
        if self._bank is None:
            self.pool_label.setText("")
            return
        if mode == "review":
            self.start_due.refresh()
            status = self.start_due.status
            self.pool_label.setText(status.text if status is not None else "Reviews need the progress file.")
            return
        if mode == "retry":
            n = len(self._mistakes())
            self.pool_label.setText(f"{n} question{'s' if n != 1 else ''} you last got wrong or partly wrong.")
            return
        pool = self._pool()
        self.pool_label.setText(f"{len(pool)} question{'s' if len(pool) != 1 else ''} match these choices.")

    def _pool(self) -> tuple[Question, ...]:
        bank = only(self.bank(), self.category_combo.currentData())
        pool = bank.pool(**self._filters())
        if self.model is None:
            pool = tuple(q for q in pool if not isinstance(q, Predict))
        return pool

    def _mistakes(self) -> tuple[Question, ...]:
        from app.quiz.readiness import mistakes

        store = self.store()
        return mistakes(self.bank(), store) if store is not None else ()

    def _leave_question(self) -> None:
        """The question on screen is left: no more clicks from the diagram, no clock, no highlight."""
        self.stop_timer()
        self._clear_diagram()
        if self.view is not None:
            self.view.detach()
            self.view.set_locked(True)

    def show_start(self, mode: str | None = None) -> None:
        self._leave_question()
        self.bank()
        self.store()
        if mode is not None:
            self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))
        self.start_message.setText("")
        self._refresh_start()
        self.stack.setCurrentWidget(self.start_page)
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next_seed(self) -> int:
        return self.seed if self.seed is not None else random.SystemRandom().randrange(1, 2**31)

    def start_from_form(self) -> bool:
        mode = self.mode_combo.currentData()
        return self.start(mode, n=self.count_spin.value(), minutes=self.minutes_spin.value(),
                          category=self.category_combo.currentData(), **self._filters())

    def start(self, mode: str, *, n: int = 10, minutes: float = 15, sections=None, difficulties=None,  # noqa: ANN001
              types=None, category: str | None = None) -> bool:
        """Draw the questions and show the first; False (with a message) if there is nothing to ask.
        `category`: app.ui.quiz.my_questions' BUILTIN or one of the user's categories (None: all)."""
        bank = self.bank()
        store = self.store()
        seed = self._next_seed()
        gradable = self.model is not None
        if mode == "review":
            if store is None:
                self.start_message.setText("Reviews need the progress file, which could not be opened.")
                return False
            questions = draw_review(bank, store, n, seed=seed, now=self.now(), gradable_predictions=gradable)
            if not questions:
                self.start_message.setText("Nothing is due for review now. Questions you miss come back here "
                                           "when their review date arrives.")
                self.stack.setCurrentWidget(self.start_page)
                return False
        elif mode == "retry":
            if store is None:
                self.start_message.setText("Retrying mistakes needs the progress file, which could not be opened.")
                return False
            from app.quiz.readiness import draw_mistakes

            questions = draw_mistakes(bank, store, n, seed=seed, gradable_predictions=gradable)
            if not questions:
                self.start_message.setText("No mistakes to retry: every question you have answered was right at "
                                           "your latest try.")
                self.stack.setCurrentWidget(self.start_page)
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

    def start_retry(self) -> bool:
        """Quiz ▸ Retry my mistakes now: the questions last answered wrong or partly wrong, now."""
        ok = self.start("retry", n=50)
        if not ok:
            self.show_start("retry")
            self.start_message.setText("No mistakes to retry: every question you have answered was right at your "
                                       "latest try.")
        return ok

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

    # --- one question -------------------------------------------------------------------------
    def _build_question(self) -> None:
        page = QWidget()
        page.setAccessibleName("Question")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.header = QLabel("")
        self.header.setAccessibleName("Question number and section")
        self.header.setWordWrap(True)
        self.timer_label = QLabel("")
        self.timer_label.setAccessibleName("Time left")
        self.timer_label.setToolTip("Time left in this exam")
        head.addWidget(self.header, 1)
        head.addWidget(self.timer_label)
        v.addLayout(head)
        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt.setAccessibleName("Question")
        font = self.prompt.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        self.prompt.setFont(font)
        v.addWidget(self.prompt)
        self.answer_area = QScrollArea()
        self.answer_area.setWidgetResizable(True)
        self.answer_area.setFrameShape(QFrame.Shape.NoFrame)
        self.answer_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.answer_area.setAccessibleName("Your answer")
        v.addWidget(self.answer_area, 4)
        self.hint = plain(QLabel(""))  # may quote what the student typed
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Message")
        self.hint.setStyleSheet(f"color: {bad_colour()};")
        v.addWidget(self.hint)
        self.feedback = SafeBrowser()
        self.feedback.setAccessibleName("Feedback")
        self.feedback.anchorClicked.connect(self._on_feedback_anchor_clicked)
        self.feedback.setMinimumHeight(110)
        self.feedback.hide()
        v.addWidget(self.feedback, 2)
        row = QHBoxLayout()
        self.submit_button = _button("S&ubmit", "Check your answer (Enter)", self.submit, name="Submit the answer")
        self.retry_button = _button("&Try again", "Answer this question again", self.retry,
                                    name="Try the question again")
        self.next_button = _button("&Next", "Go to the next question (Enter)", self.next_question,
                                   name="Next question")
        self.skip_button = _button("S&kip", "Leave this question unanswered and go on", self.next_question,
                                   name="Skip the question")
        self.finish_button = _button("&Finish", "End the quiz now and see the report", self.finish,
                                     name="Finish the quiz")
        for b in (self.submit_button, self.retry_button, self.next_button, self.skip_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.finish_button)
        v.addLayout(row)
        self.keys_label = keys = QLabel("")  # what the keys do for this kind of question (AnswerView.keys)
        keys.setStyleSheet("color: palette(placeholder-text);")  # muted, yet 4.5:1
        keys.setWordWrap(True)
        v.addWidget(keys)
        self.question_page = page
        self.stack.addWidget(page)

    def _labels(self) -> dict[str, str]:
        return {n.id: n.label for n in self.ctx.content.pathway.nodes}

    def _connect_clicks(self, slot):  # noqa: ANN001, ANN202
        scene = self.ctx.diagram
        scene.node_clicked.connect(slot)
        connected = [True]

        def disconnect() -> None:
            if connected[0]:
                connected[0] = False
                scene.node_clicked.disconnect(slot)

        return disconnect

    def show_question(self) -> None:
        """Show the session's current question (its report once there is none left)."""
        s = self.session
        assert s is not None
        self._clear_diagram()
        if self.view is not None:
            self.view.detach()
        q = s.current
        if q is None:
            self._show_report(s.finish())
            return
        self.view = make_view(q, seed=s.seed, labels=self._labels(), connect_clicks=self._connect_clicks)
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
        self.feedback.clear()
        self.feedback.hide()
        self._update_buttons()
        self._on_timer_timeout()
        self.stack.setCurrentWidget(self.question_page)
        if isinstance(q, ClickNode):
            self.ctx.post("Click the answer on the diagram, then Submit")
        first = self.view.findChild(QWidget)
        (first or self.view).setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        s = self.session
        graded = s is not None and s.grade_of() is not None
        exam = s is not None and s.mode == "exam"
        self.submit_button.setVisible(not graded)
        self.retry_button.setVisible(graded and s.can_retry())
        self.next_button.setVisible(graded)
        self.skip_button.setVisible(not graded and exam)
        last = s is not None and s.is_last
        self.next_button.setText("See the &report" if last else "&Next")
        self.finish_button.setText("&Finish exam" if exam else "&Stop")
        self.finish_button.setToolTip("End the exam now; unanswered questions score 0" if exam
                                      else "Stop and see the report of what was answered")

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
            self._on_timer_timeout()
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
        self._show_feedback(q, grade)
        self._update_buttons()
        (self.next_button if grade.correct or not s.can_retry() else self.retry_button).setFocus()

    def _show_feedback(self, q: Question, grade: Grade) -> None:
        lines = [ln for ln in grade.feedback.split("\n") if ln.strip()]
        colour = ok_colour() if grade.correct else bad_colour()
        verdict = "Correct" if grade.correct else ("Partly right" if grade.score > 0 else "Not quite")
        parts = [f"<p style='color:{colour}'><b>{verdict}</b> — score {grade.score:.0%}</p>"]
        if lines and not isinstance(q, Predict):
            # The verdict is already in the heading; keep what the first line adds to it.
            first = re.sub(r"^(Correct\.|Partly right \(\d+%\)\.|Not quite:)\s*", "", lines[0])
            if isinstance(q, ClickNode) and not grade.correct:
                labels = self._labels()
                first = "The node to click: " + ", ".join(labels.get(n, n) for n in sorted(q.answers)) + "."
            lines = ([first[:1].upper() + first[1:]] if first else []) + lines[1:]
        if isinstance(q, Predict):
            parts.append(f"<p>{html.escape(lines[-1])}</p>" if lines else "")
        else:
            parts += [f"<p>{html.escape(ln)}</p>" for ln in lines]
        kind, pid = q.page.split(":", 1)
        page = self.ctx.content.page(kind, pid)
        title = page.title if page is not None else pid
        parts.append(f"<p>Read more:  <a href='{html.escape(q.page)}'>{html.escape(title)}</a></p>")
        self.feedback.setHtml("".join(parts))
        self.feedback.show()
        self._highlight_answer(q, grade)

    def retry(self) -> None:
        s = self.session
        if s is None or not s.can_retry():
            return
        s.retry()
        # The answer stays as it was given, so only the wrong part needs changing.
        self._clear_diagram()
        if self.view is not None:
            self.view.show_grade(None)
            self.view.set_locked(False)
        self.feedback.clear()
        self.feedback.hide()
        self.hint.setText("")
        self._update_buttons()
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

    def _on_timer_timeout(self) -> None:
        s = self.session
        left = s.remaining() if s is not None and not s.finished else None
        if left is None:
            self.timer_label.setText("")
            return
        minutes, seconds = divmod(int(left + 0.999), 60)
        self.timer_label.setText(f"Time left {minutes}:{seconds:02d}")
        urgent = left < 60
        self.timer_label.setStyleSheet(f"color: {bad_colour()}; font-weight: bold;" if urgent else "")
        if left <= 0.0:
            self.ctx.post("Time is up: the exam has been marked")
            self._show_report(s.finish(timed_out=True))

    def stop_timer(self) -> None:
        self.timer.stop()
        self.timer_label.setText("")

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

    # --- the diagram: the right node, the path that explains a mark -----------------------------
    def _highlight(self, nodes: set[str], edges: set[tuple[str, str]]) -> None:
        self.ctx.diagram.set_lit(Layer.QUIZ, nodes, edges)

    def _clear_diagram(self) -> None:
        """Give the diagram back to the layers below (the model's "why" trace, a tour, the explorer)."""
        self.ctx.diagram.set_lit(Layer.QUIZ, None)

    def _highlight_answer(self, q: Question, grade: Grade) -> None:
        if isinstance(q, ClickNode):
            self._highlight(set(q.answers), set())
            self.ctx.view.centre_on_node(sorted(q.answers)[0])
        elif isinstance(q, Predict) and grade.marks:
            wrong = [m for m in grade.marks if not m.correct and m.path]
            with_path = wrong or [m for m in grade.marks if m.path]
            if with_path:
                self.highlight_mark(with_path[0])

    def highlight_mark(self, mark: Mark) -> None:
        """Light the chain of nodes that explains one graded prediction."""
        nodes = set(mark.path)
        edges = set(zip(mark.path, mark.path[1:], strict=False))
        self._highlight(nodes, edges)
        label = self._labels().get(mark.node, mark.node)
        self.ctx.post(f"Path to {label}: {mark.why}")

    # --- report -------------------------------------------------------------------------------
    def _build_report(self) -> None:
        page = QWidget()
        page.setAccessibleName("Quiz report")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.verdict_box = VerdictBox(self.ctx.open_link)
        v.addWidget(self.verdict_box)
        self.report_view = SafeBrowser()
        self.report_view.setAccessibleName("Report")
        self.report_view.anchorClicked.connect(self._on_feedback_anchor_clicked)
        v.addWidget(self.report_view, 1)
        row = QHBoxLayout()
        row.addWidget(_button("&New quiz", "Back to the start screen", lambda: self.show_start(),
                              name="Start a new quiz"))
        row.addWidget(_button("&Progress", "Mastery by section and compartment, history, reviews due",
                              self.show_progress, name="Show progress"))
        row.addStretch(1)
        v.addLayout(row)
        self.report_page = page
        self.stack.addWidget(page)
        self.last_report: Report | None = None

    def _show_report(self, report: Report) -> None:
        self._leave_question()
        self.last_report = report
        self.verdict_box.set_verdict(self._verdict(report) if report.mode == "exam" else None)
        self.report_view.setHtml(report_html(report, self.ctx.content))
        self.stack.setCurrentWidget(self.report_page)
        self.refresh_review_action()
        self.session_finished.emit(report)

    def _verdict(self, report: Report):  # noqa: ANN202 - app.quiz.readiness.ExamVerdict
        from app.quiz.readiness import exam_verdict

        learning = self.ctx.learner.learning() if self.ctx.learner is not None else None
        return exam_verdict(report, pass_mark=self.pass_mark(), learning=learning)

    def _on_feedback_anchor_clicked(self, url: QUrl) -> None:
        kind, ident = url.scheme(), url.path()
        if kind in ("node", "topic") and ident:
            self.ctx.open_link(f"{kind}:{ident}")

    # --- progress -----------------------------------------------------------------------------
    def _build_progress(self) -> None:
        page = QWidget()
        page.setAccessibleName("Progress")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel("<h3>Your progress</h3>"))
        self.progress_summary = QLabel("")
        self.progress_summary.setWordWrap(True)
        self.progress_summary.setAccessibleName("Progress summary")
        v.addWidget(self.progress_summary)
        self.progress_tabs = QTabWidget()
        self.progress_tabs.setAccessibleName("Progress tables")
        self.readiness = ReadinessView(act=self.act_on, retry=self.start_retry, review=self.start_review)
        self.progress_tabs.addTab(self.readiness, "Readiness")
        self.section_table = _table(["Section", "Answered", "Mastery"], "Mastery by section")
        self.compartment_table = _table(["Compartment", "Answered", "Mastery"], "Mastery by compartment")
        self.history_table = _table(["Question", "When", "Mode", "Score"], "Recent answers")
        self.progress_tabs.addTab(self.section_table, "By section")
        self.progress_tabs.addTab(self.compartment_table, "By compartment")
        self.progress_tabs.addTab(self.history_table, "History")
        v.addWidget(self.progress_tabs, 1)
        row = QHBoxLayout()
        self.review_button = self.readiness.review_button
        self.review_due = DueButton(self.review_button, self.due_status, now=lambda: self.now())
        row.addWidget(_button("&New quiz", "Back to the start screen", lambda: self.show_start(),
                              name="Start a new quiz"))
        row.addStretch(1)
        v.addLayout(row)
        self.progress_page = page
        self.stack.addWidget(page)

    def show_progress(self) -> None:
        self._leave_question()
        if self.session is not None and not self.session.finished:
            self.session.finish()
        bank, store = self.bank(), self.store()
        if store is None:
            self.progress_summary.setText("Progress is not saved (the progress file could not be opened).")
            for t in (self.section_table, self.compartment_table, self.history_table):
                t.setRowCount(0)
            self.stack.setCurrentWidget(self.progress_page)
            return
        latest = store.latest_scores()
        ids = {q.id for q in bank.questions}
        answered = sum(1 for q in latest if q in ids)
        due = store.due_count(question_ids=ids)
        total = len(store.history())
        upcoming = [c.due for c in (store.card(qid) for qid in latest if qid in ids) if c is not None]
        later = min((d for d in upcoming if d > datetime.now(UTC)), default=None)
        nxt = f" Next review: {later.astimezone().strftime('%d %b %H:%M')}." if later and not due else ""
        self.progress_summary.setText(
            f"<b>{answered}</b> of {len(bank)} questions answered ({total} answer{'s' if total != 1 else ''} in all) · "
            f"<b>{due}</b> due for review.{nxt}")
        self.review_due.refresh()
        self._show_readiness(store)
        sec = store.mastery({s: ids_ for s, ids_ in bank.section_groups().items() if ids_})
        _fill(self.section_table, [[self.section_name(s), f"{m.answered} / {m.total}", f"{m.level:.0%}"]
                                   for s, m in sec.items()], [self.section_name(s) for s in sec])
        comp_names = {c.id: c.label for c in self.ctx.content.pathway.compartments}
        comp = store.mastery(bank.compartment_groups())
        order = [c for c in comp_names if c in comp] + sorted(c for c in comp if c not in comp_names)
        _fill(self.compartment_table, [[comp_names.get(c, c), f"{comp[c].answered} / {comp[c].total}",
                                        f"{comp[c].level:.0%}"] for c in order])
        rows, tips = [], []
        for rec in store.history(limit=50):
            q = bank.get(rec.question_id)
            prompt = q.prompt if q else rec.question_id
            short = prompt if len(prompt) <= 70 else prompt[:67] + "…"
            rows.append([short, rec.answered_at.astimezone().strftime("%d %b %H:%M"),
                         MODE_NAMES.get(rec.mode, rec.mode), f"{rec.score:.0%}"])
            tips.append(prompt)
        _fill(self.history_table, rows, tips)
        self.stack.setCurrentWidget(self.progress_page)

    def _show_readiness(self, store: ProgressStore) -> None:
        learner = self.ctx.learner
        if learner is None:
            self.progress_tabs.setTabVisible(0, False)
            return
        from app.quiz.readiness import Rules, overall, section_readiness

        rules = Rules(pass_mark=self.pass_mark())
        now = self.now()
        rows = section_readiness(bank=learner.bank(), store=store, learning=learner.learning(), rules=rules, now=now)
        line, _ = overall(rows)
        self.readiness.show_rows(rows, overall=line, explain=rules.explain(), mistakes=len(self._mistakes()), now=now)

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
        bank = self.bank()
        ids = list(action.question_ids)
        if action.kind == "answer_questions":
            ids = ids[:max(action.count, min(10, len(ids)))]
        questions = [q for q in (bank.get(i) for i in ids) if q is not None]
        return self.start_questions("retry" if action.kind == "retry_mistakes" else "practice", questions)

    def start_review(self) -> bool:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData("review"))
        ok = self.start("review", n=self.count_spin.value())
        if not ok:
            self.show_start("review")
            self.start_message.setText("Nothing is due for review now. Questions you miss come back here when "
                                       "their review date arrives.")
        return ok

    def refresh_review_action(self) -> None:
        """The menu item says how many reviews are due."""
        act = self.review_action
        if act is not None and self.store() is not None:
            act.setText(f"&Review due ({self.due_count()})")

