"""The exam's own parts of the quiz panel: its clock, which ends the exam when time is up, its pass mark
(remembered between runs) and the verdict against that mark in the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QSpinBox

from app.ui.quiz.views import bad_colour

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from app.quiz.session import QuizSession, Report
    from app.ui.context import FeatureContext

PASS_MARK_KEY, PASS_MARK_DEFAULT = "quiz/pass_mark", 70  # QSettings: the exam's pass mark in percent


def pass_mark_spin(settings: Callable[[], QSettings]) -> QSpinBox:
    """The pass mark in percent, read from and saved to the settings as it changes."""
    spin = QSpinBox()
    spin.setRange(10, 100)
    spin.setSingleStep(5)
    spin.setSuffix(" %")
    spin.setAccessibleName("Pass mark of the exam in percent")
    spin.setToolTip("The share of the exam's score you need to pass; the report says which sections "
                    "to revisit")
    try:
        spin.setValue(int(float(settings().value(PASS_MARK_KEY, PASS_MARK_DEFAULT))))
    except (TypeError, ValueError):
        spin.setValue(PASS_MARK_DEFAULT)  # a damaged value: the default
    spin.valueChanged.connect(lambda v: settings().setValue(PASS_MARK_KEY, v))
    return spin


def exam_verdict(ctx: FeatureContext, report: Report, pass_mark: float):  # noqa: ANN201 - readiness.ExamVerdict
    """Passed or not against `pass_mark` (0..1), and the sections to revisit."""
    from app.quiz import readiness

    learning = ctx.learner.learning() if ctx.learner is not None else None
    return readiness.exam_verdict(report, pass_mark=pass_mark, learning=learning)


class ExamClock:
    """`label` shows the time left of the `session()` under way, redrawn by `timer` every TICK_MS; when the
    time is up the session is marked and `time_up(report)` shows its report."""

    TICK_MS = 250  # how often the exam clock is redrawn (and checked for the end of time)

    def __init__(self, parent: QObject, *, session: Callable[[], QuizSession | None],
                 time_up: Callable[[Report], None], post: Callable[[str], None]) -> None:
        self._session, self._time_up, self._post = session, time_up, post
        self.timer = QTimer(parent)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.label = QLabel("")
        self.label.setAccessibleName("Time left")
        self.label.setToolTip("Time left in this exam")

    def tick(self) -> None:
        s = self._session()
        left = s.remaining() if s is not None and not s.finished else None
        if left is None:
            self.label.setText("")
            return
        minutes, seconds = divmod(int(left + 0.999), 60)
        self.label.setText(f"Time left {minutes}:{seconds:02d}")
        urgent = left < 60
        self.label.setStyleSheet(f"color: {bad_colour()}; font-weight: bold;" if urgent else "")
        if left <= 0.0:
            self._post("Time is up: the exam has been marked")
            self._time_up(s.finish(timed_out=True))

    def stop(self) -> None:
        self.timer.stop()
        self.label.setText("")
