"""Readiness in the quiz panel's progress view: what "ready" means, one line for the whole review, and
per section its state, the plain reason and the next thing to do as a button; "Retry my mistakes now"
and the spaced review, whose button says when the next review falls due instead of sitting dead; and
the exam's verdict against the pass mark with buttons to open the sections to revisit.

The texts come from app.quiz.readiness and are shown as plain text. The clock is injected (`now`),
so tests decide what is due without waiting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.text import no_mnemonic, tip

if TYPE_CHECKING:
    from app.quiz.readiness import DueStatus, ExamVerdict, NextAction, SectionReadiness

# The state badges: white text on these (contrast at least 4.5:1), the same in light and dark.
STATE_COLOURS = {"not_started": "#5F6368", "learning": "#8A5300", "nearly_ready": "#1F5F99", "ready": "#1B7F3B"}
PASS_COLOUR, FAIL_COLOUR = "#1B7F3B", "#B3261E"
RECHECK_MS = 30_000  # the due text says "in N min": look again at least this often
BUTTON_WORDS = {"read_page": "Open the page", "retry_mistakes": "Retry now", "answer_questions": "Answer now",
                "take_tour": "Start the tour", "answer_again": "Answer again"}


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def utc_now() -> datetime:
    return datetime.now(UTC)


class DueButton(QObject):
    """Keeps a review button honest: "Review due (3)" when questions are due, else disabled and saying
    when the next one is ("Next review due in 8 min"), looked at again when that time comes (and at
    least every `recheck_ms`, so the minutes count down)."""

    changed = Signal()

    def __init__(self, button: QPushButton, status: Callable[[], DueStatus | None], *,
                 now: Callable[[], datetime] = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent or button)
        self.button, self._status, self.now = button, status, now
        self.recheck_ms = RECHECK_MS
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        self.status: DueStatus | None = None

    def refresh(self) -> None:
        self.timer.stop()
        status = self.status = self._status()
        if status is None:
            self.button.setText("Review (progress not saved)")
            self.button.setEnabled(False)
        elif status.due_now:
            self.button.setText(f"&Review due ({status.due_now})")
            self.button.setEnabled(True)
        else:
            from app.quiz.readiness import wait_text

            self.button.setText(f"Next review due {wait_text(status.next_due - status.now)}"
                                if status.next_due is not None else "Nothing to review yet")
            self.button.setEnabled(False)
        self.button.setToolTip(status.text if status is not None else "The progress file could not be opened")
        self.button.setAccessibleName(self.button.text().replace("&", ""))
        if status is not None and status.next_due is not None and not status.due_now:
            wait = (status.next_due - self.now()).total_seconds() * 1000
            self.timer.start(int(max(200, min(wait + 500, self.recheck_ms))))
        self.changed.emit()


class SectionRow(QFrame):
    """One section: title and state, the reason, the next action and its button."""

    def __init__(self, row: SectionReadiness, act: Callable[[NextAction], None], *, now: datetime) -> None:
        super().__init__()
        self.readiness = row
        self.setObjectName(f"section_{row.section}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{row.title}: {row.label}")
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setVerticalSpacing(3)
        self.title = _plain(row.title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.state = QLabel(row.label)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setAccessibleName(f"State: {row.label}")
        self.state.setStyleSheet(f"background-color: {STATE_COLOURS[row.state]}; color: white; "
                                 "border-radius: 3px; padding: 1px 6px;")
        self.state.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.reason = _plain(row.reason)
        self.reason.setAccessibleName("Why")
        self.next = _plain(f"Next: {row.action.text}")
        self.next.setAccessibleName("What to do next")
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.state, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.reason, 1, 0, 1, 2)
        grid.addWidget(self.next, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.button: QPushButton | None = None
        words = BUTTON_WORDS.get(row.action.kind)
        if words is not None:
            later = row.action.kind == "answer_again" and row.action.when is not None and row.action.when > now
            self.button = QPushButton("Not yet" if later else words)
            self.button.setEnabled(not later)
            self.button.setToolTip(tip(row.action.text))
            self.button.setAccessibleName(f"{words}: {row.title}")
            self.button.clicked.connect(lambda: act(row.action))
            grid.addWidget(self.button, 3, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)


class ReadinessView(QWidget):
    """`show_rows(...)` fills it; actions go to `act(NextAction)`, the two buttons to their slots."""

    def __init__(self, *, act: Callable[[NextAction], None], retry: Callable[[], object],
                 review: Callable[[], object]) -> None:
        super().__init__()
        self._act = act
        self.setAccessibleName("Readiness by section")
        v = QVBoxLayout(self)
        v.setContentsMargins(4, 4, 4, 4)
        self.overall = _plain()
        self.overall.setAccessibleName("Readiness overall")
        font = self.overall.font()
        font.setBold(True)
        self.overall.setFont(font)
        v.addWidget(self.overall)
        self.explain = _plain()
        self.explain.setAccessibleName("What ready means")
        v.addWidget(self.explain)
        row = QHBoxLayout()
        self.retry_button = QPushButton("Retry my &mistakes now")
        self.retry_button.setAccessibleName("Retry my mistakes now")
        self.retry_button.setToolTip("Answer again, now, every question you last got wrong or partly wrong")
        self.retry_button.clicked.connect(retry)
        self.review_button = QPushButton("&Review due")
        self.review_button.clicked.connect(review)
        row.addWidget(self.retry_button)
        row.addWidget(self.review_button)
        row.addStretch(1)
        v.addLayout(row)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName("Sections")
        v.addWidget(self.scroll, 1)
        self.rows: list[SectionRow] = []

    def show_rows(self, rows: Sequence[SectionReadiness], *, overall: str, explain: str, mistakes: int,
                  now: datetime) -> None:
        self.overall.setText(overall)
        self.explain.setText(explain)
        self.retry_button.setText(f"Retry my &mistakes now ({mistakes})")
        self.retry_button.setAccessibleName(f"Retry my mistakes now, {mistakes}")
        self.retry_button.setEnabled(mistakes > 0)
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 4, 0)
        self.rows = [SectionRow(r, self._act, now=now) for r in rows]
        for r in self.rows:
            lay.addWidget(r)
        lay.addStretch(1)
        self.scroll.setWidget(holder)

    def row(self, section: str) -> SectionRow | None:
        return next((r for r in self.rows if r.readiness.section == section), None)


class VerdictBox(QFrame):
    """An exam's verdict against the pass mark, and a button per section to revisit."""

    def __init__(self, open_page: Callable[[str], None]) -> None:
        super().__init__()
        self._open_page = open_page
        self.setObjectName("exam_verdict")
        self.setAccessibleName("Exam verdict")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(8, 6, 8, 6)
        self.summary = _plain()
        self.summary.setAccessibleName("Exam verdict")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self._lay.addWidget(self.summary)
        self.buttons: list[QPushButton] = []
        self.verdict: ExamVerdict | None = None
        self.hide()

    def set_verdict(self, verdict: ExamVerdict | None) -> None:
        self.verdict = verdict
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        if verdict is None:
            self.hide()
            return
        self.summary.setText(verdict.summary)
        colour = PASS_COLOUR if verdict.passed else FAIL_COLOUR
        self.summary.setStyleSheet(f"color: {colour};")
        for r in verdict.revisit:
            if not r.page:
                continue
            b = QPushButton(no_mnemonic(f"Revisit {r.title}"))
            b.setToolTip(tip(f"Open the page of {r.title} ({r.fraction:.0%} in this exam)"))
            b.setAccessibleName(f"Revisit {r.title}")
            b.clicked.connect(lambda _=False, page=r.page: self._open_page(page))
            self._lay.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(b)
        self.show()
