"""The end of a guided tour, in the bar's place at the bottom: the tour's recap (sanitised markdown),
its check question with a button that asks it in the quiz panel (feedback there), and a button to the
next tour; "Last step" goes back into the tour, "Close" leaves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.text import SafeBrowser, no_mnemonic, tip

if TYPE_CHECKING:
    from app.knowledge.tours import Tour
    from app.quiz.questions import Question


MAX_RECAP_LINES = 8  # a longer recap scrolls


class TourEnd(QWidget):
    """`show_end(tour, question, next_tour)`; the buttons say what the student chose."""

    back_requested = Signal()  # to the tour's last step
    check_requested = Signal(object)  # the Question to ask
    next_requested = Signal(str)  # the next tour's id
    close_requested = Signal()

    def __init__(self, open_link: Callable[[str], None]) -> None:
        super().__init__()
        self.setAccessibleName("End of the tour")
        self.tour: Tour | None = None
        self.question: Question | None = None
        self.next_id = ""
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Tour recap title")
        self.recap = SafeBrowser()
        self.recap.setAccessibleName("Tour recap")
        self.recap.anchorClicked.connect(lambda url: open_link(url.toString()))
        self.check = QLabel()
        self.check.setTextFormat(Qt.TextFormat.PlainText)
        self.check.setWordWrap(True)
        self.check.setAccessibleName("Check question")
        self.back_button = QPushButton("◀ Last step")
        self.back_button.setToolTip("Back to the tour's last step")
        self.back_button.setAccessibleName("Back to the last step of the tour")
        self.check_button = QPushButton("Answer the check &question ▶")
        self.check_button.setToolTip("Ask the tour's question in the quiz panel, with feedback")
        self.check_button.setAccessibleName("Answer the check question")
        self.next_button = QPushButton()
        self.next_button.setAccessibleName("Next tour")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("End the tour here")
        self.close_button.setAccessibleName("Close the tour")
        self.back_button.clicked.connect(self.back_requested)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.next_button.clicked.connect(lambda: self.next_id and self.next_requested.emit(self.next_id))
        self.close_button.clicked.connect(self.close_requested)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        for b in (self.back_button, self.check_button, self.next_button, self.close_button):
            head.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 6)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.recap)
        lay.addWidget(self.check)
        lay.addStretch(1)

    def _on_check_button_clicked(self) -> None:
        if self.question is not None:
            self.check_requested.emit(self.question)

    def show_end(self, tour: Tour, question: Question | None, next_tour: Tour | None) -> None:
        from app.knowledge.render import markdown_to_html

        self.tour, self.question = tour, question
        self.next_id = next_tour.id if next_tour is not None else ""
        self.title.setText(f"Recap: {tour.title}")
        self.recap.setHtml(markdown_to_html(tour.recap) if tour.recap else
                           "<p>This tour has no recap; its steps are still in the bar (◀ Last step).</p>")
        if question is not None:
            self.check.setText(f"Check yourself: {question.prompt}")
        else:
            self.check.setText("")
        self.check.setVisible(question is not None)
        self.check_button.setVisible(question is not None)
        if next_tour is not None:
            self.next_button.setText(no_mnemonic(f"Next tour: {next_tour.title} ▶"))
            self.next_button.setToolTip(tip(next_tour.summary))
            self.next_button.setAccessibleName(f"Next tour: {next_tour.title}")
        self.next_button.setVisible(next_tour is not None)
        self.fit_recap()
        (self.check_button if question is not None else
         self.next_button if next_tour is not None else self.close_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def fit_recap(self) -> None:
        """The recap box as tall as its text at its width (a scroll bar beyond MAX_RECAP_LINES)."""
        doc = self.recap.document()
        frame = 2 * self.recap.frameWidth() + 4
        doc.setTextWidth(max(50, self.recap.width() - frame))
        line = self.recap.fontMetrics().lineSpacing()
        height = min(int(doc.size().height()) + frame, MAX_RECAP_LINES * line + frame)
        self.recap.setFixedHeight(max(2 * line + frame, height))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_recap()  # the text wraps anew
