"""The quiz panel's question page: the header and exam clock, the prompt, the answer view, the feedback
after grading and the buttons under them (submit, try again, next, skip, finish)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.quiz.questions import ClickNode, Predict, Question
from app.ui.quiz.views import bad_colour, ok_colour
from app.ui.quiz.widgets import button, follow_anchor
from app.ui.text import SafeBrowser, plain

if TYPE_CHECKING:
    from app.quiz.grading import Grade
    from app.quiz.session import QuizSession
    from app.ui.context import FeatureContext


class QuestionPage:
    """The page (`page`) and its widgets; `timer_label` is the exam clock's. The buttons call `submit`,
    `retry`, `next_question` and `finish`; `labels()` names the diagram's nodes in the feedback."""

    def __init__(self, ctx: FeatureContext, *, timer_label: QLabel, submit: Callable[[], None],
                 retry: Callable[[], None], next_question: Callable[[], None], finish: Callable[[], None],
                 labels: Callable[[], dict[str, str]]) -> None:
        self.ctx = ctx
        self._labels = labels
        page = QWidget()
        page.setAccessibleName("Question")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.header = QLabel("")
        self.header.setAccessibleName("Question number and section")
        self.header.setWordWrap(True)
        head.addWidget(self.header, 1)
        head.addWidget(timer_label)
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
        self.feedback.anchorClicked.connect(lambda url: follow_anchor(ctx.open_link, url))
        self.feedback.setMinimumHeight(110)
        self.feedback.hide()
        v.addWidget(self.feedback, 2)
        row = QHBoxLayout()
        self.submit_button = button("S&ubmit", "Check your answer (Enter)", submit, name="Submit the answer")
        self.retry_button = button("&Try again", "Answer this question again", retry, name="Try the question again")
        self.next_button = button("&Next", "Go to the next question (Enter)", next_question, name="Next question")
        self.skip_button = button("S&kip", "Leave this question unanswered and go on", next_question,
                                  name="Skip the question")
        self.finish_button = button("&Finish", "End the quiz now and see the report", finish,
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
        self.page = page

    def hide_feedback(self) -> None:
        self.feedback.clear()
        self.feedback.hide()

    def update_buttons(self, s: QuizSession | None) -> None:
        """The buttons a question needs at this point: submit before grading, next (or try again) after; an
        exam can skip, and its Finish says that unanswered questions score 0."""
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

    def show_feedback(self, q: Question, grade: Grade) -> None:
        """The verdict and score, what the grading says (for a click-the-node question missed: the node to
        click) and a link to the page to read more."""
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
