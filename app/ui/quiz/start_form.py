"""The quiz panel's start screen: the form that chooses the mode (practice, exam, review, retry), the
section, difficulty, kind and source of the questions, how many and, for an exam, the time and pass mark;
it says how many questions match before any is drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.quiz.questions import DIFFICULTIES, SECTIONS, Predict, Question
from app.quiz.report_page import MODE_NAMES, section_name
from app.ui.quiz.exam import pass_mark_spin
from app.ui.quiz.my_questions import category_choices, only
from app.ui.quiz.readiness_view import DueButton
from app.ui.quiz.widgets import button

if TYPE_CHECKING:
    from datetime import datetime

    from app.quiz.bank import Bank
    from app.ui.context import FeatureContext
    from app.ui.quiz.data import QuizData

TYPE_NAMES = {"single": "Single choice", "multiple": "Multiple answers", "truefalse": "True or false",
              "click_node": "Click the node", "predict": "Predict the direction", "ordering": "Order the steps",
              "matching": "Matching", "numeric": "Numbers"}
DIFFICULTY_NAMES = {1: "1 — basic", 2: "2 — intermediate", 3: "3 — advanced"}


class StartForm:
    """The start screen (`page`) and its widgets. `data` gives the bank and the store; `start()` and
    `progress()` are what its Start and Progress buttons do; `now` is the clock of the review's due times."""

    def __init__(self, ctx: FeatureContext, data: QuizData, *, start: Callable[[], object],
                 progress: Callable[[], None], now: Callable[[], datetime]) -> None:
        self.ctx = ctx
        self.data = data
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
        self.mode_combo.currentIndexChanged.connect(self.refresh)
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
        self.pass_spin = pass_mark_spin(lambda: ctx.settings())
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Questions from")
        self.category_combo.setToolTip("IronBone's questions, or one category of the questions you imported")
        for combo in (self.section_combo, self.difficulty_combo, self.type_combo, self.category_combo):
            combo.currentIndexChanged.connect(self.refresh_pool_count)
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
        self.start_button = button("&Start", "Draw the questions and begin (Enter)", start, name="Start the quiz")
        self.start_button.setDefault(True)
        row.addWidget(self.start_button)
        row.addWidget(button("&Progress", "Mastery by section and compartment, history, reviews due",
                             progress, name="Show progress"))
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        # In review mode the Start button says when the next review is due instead of doing nothing.
        self.start_due = DueButton(self.start_button, data.due_status, now=now)
        self.page = page

    def mode(self) -> str:
        return self.mode_combo.currentData()

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))

    def fill_sections(self, bank: Bank) -> None:
        current = self.section_combo.currentData()
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        self.section_combo.addItem(f"All sections ({len(bank)} questions)", None)
        groups = bank.section_groups()
        for sec in SECTIONS:
            n = len(groups.get(sec, ()))
            if n:
                self.section_combo.addItem(f"{section_name(self.ctx.content, sec)} ({n})", sec)
        idx = self.section_combo.findData(current)
        self.section_combo.setCurrentIndex(max(0, idx))
        self.section_combo.blockSignals(False)
        chosen = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        for label, data in category_choices(bank):
            self.category_combo.addItem(label, data)  # a combo box shows its items as plain text
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(chosen)))
        self.category_combo.blockSignals(False)

    def refresh(self) -> None:
        """Show the fields the mode uses, the bank's sections and categories, and the count that matches."""
        mode = self.mode()
        exam = mode == "exam"
        for w in (self.minutes_label, self.minutes_spin, self.pass_label, self.pass_spin):
            w.setVisible(exam)
        review = mode in ("review", "retry")  # what is due, or what was missed: no filters
        for w in (self.section_combo, self.difficulty_combo, self.type_combo, self.category_combo):
            w.setEnabled(not review)
        if self.data.loaded is not None:
            self.fill_sections(self.data.loaded)
        self.refresh_pool_count()

    def filters(self) -> dict:
        sec = self.section_combo.currentData()
        diff = self.difficulty_combo.currentData()
        typ = self.type_combo.currentData()
        return {"sections": [sec] if sec else None, "difficulties": [diff] if diff else None,
                "types": [typ] if typ else None}

    def refresh_pool_count(self) -> None:
        mode = self.mode()
        if mode != "review":
            self.start_due.timer.stop()
            self.start_button.setText("&Start")
            self.start_button.setAccessibleName("Start the quiz")
            self.start_button.setEnabled(True)
        if self.data.loaded is None:
            self.pool_label.setText("")
            return
        if mode == "review":
            self.start_due.refresh()
            status = self.start_due.status
            self.pool_label.setText(status.text if status is not None else "Reviews need the progress file.")
            return
        if mode == "retry":
            n = len(self.data.mistakes())
            self.pool_label.setText(f"{n} question{'s' if n != 1 else ''} you last got wrong or partly wrong.")
            return
        pool = self.pool()
        self.pool_label.setText(f"{len(pool)} question{'s' if len(pool) != 1 else ''} match these choices.")

    def pool(self) -> tuple[Question, ...]:
        """The questions the form's choices leave to draw from (predictions only with the model to grade them)."""
        bank = only(self.data.bank(), self.category_combo.currentData())
        pool = bank.pool(**self.filters())
        if self.data.model is None:
            pool = tuple(q for q in pool if not isinstance(q, Predict))
        return pool
