"""Presenter notes: while presenting a tour on a machine with a second screen, the step's full caption,
its place in the tour, the next step's headline and the time taken against the tour's teacher
timings go to a window on the other screen, and the hall's tour bar shows the one-line headline.
With one screen nothing changes, unless Teach ▸ Presenter notes window forces it (to rehearse)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.knowledge.tours import Tour
    from app.ui.lecture.presentation import Presentation
    from app.ui.lecture.tours import TourPanel, TourRunner

TICK_MS = 1000  # the clock on the notes window counts seconds


def machine_screens() -> list[QRect]:
    return [s.availableGeometry() for s in QGuiApplication.screens()]


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class NotesWindow(QWidget):
    """The presenter's own view of a tour step (a top-level window, never seen by the hall)."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner, Qt.WindowType.Window)  # its own window, closed with the main one
        self.setWindowTitle("IronBone: presenter notes")
        self.setAccessibleName("Presenter notes")
        self.place = QLabel()
        self.place.setAccessibleName("Tour step")
        self.caption = QTextBrowser()
        self.caption.setOpenLinks(False)
        self.caption.setAccessibleName("Step caption")
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next step")
        self.next_label.setWordWrap(True)
        self.timing = QLabel()
        self.timing.setAccessibleName("Time")
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.5)
        self.setFont(font)
        big = self.font()
        big.setPointSizeF(font.pointSizeF() * 1.3)  # the caption is read at a glance, at arm's length
        self.caption.setFont(big)
        lay = QVBoxLayout(self)
        lay.addWidget(self.place)
        lay.addWidget(self.caption, 1)
        lay.addWidget(self.next_label)
        lay.addWidget(self.timing)
        self.resize(900, 700)

    def show_step(self, tour: Tour, index: int) -> None:
        from app.knowledge.render import markdown_to_html
        from app.knowledge.teacher_handout import headline

        n = len(tour.steps)
        self.place.setText(f"<b>{html.escape(tour.title)}</b> · step {index + 1} of {n}")
        step = tour.steps[index]
        plays = f"<p><i>Plays {step.years:g} model year{'s' if step.years != 1 else ''}.</i></p>" if step.years else ""
        self.caption.setHtml(markdown_to_html(step.caption) + plays)
        self.next_label.setText("Next: " + (headline(tour.steps[index + 1].caption) if index + 1 < n
                                            else "the recap and the check question"))

    def show_time(self, step_seconds: float, tour_seconds: float, tour: Tour, index: int) -> None:
        planned = tour.teacher.step_minutes if tour.teacher is not None else ()
        step = f"This step {clock_text(step_seconds)}"
        if index < len(planned):
            step += f" of {clock_text(planned[index] * 60)} planned"
            if step_seconds > planned[index] * 60:
                step += f" (over by {clock_text(step_seconds - planned[index] * 60)})"
            by_now = sum(planned[: index + 1]) * 60
            whole = f"tour {clock_text(tour_seconds)} (plan by the end of this step {clock_text(by_now)}; " \
                    f"{tour.minutes:g} min in all)"
        else:
            whole = f"tour {clock_text(tour_seconds)} of about {tour.minutes:g} min"
        self.timing.setText(f"{step} · {whole}")


class PresenterNotes(QObject):
    """Decides when the notes window shows and where; the hall's tour bar shows the headline meanwhile.

    `screens()` gives the available geometry of every screen (tests pass fake ones); `clock()` gives
    seconds (tests drive it)."""

    def __init__(self, window: QWidget, runner: TourRunner, tour_panel: Callable[[], TourPanel | None], *,
                 screens: Callable[[], Sequence[QRect]] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self._tour_panel = tour_panel
        self.screens = screens or machine_screens
        self.clock = clock
        self.forced = False
        self.presentation: Presentation | None = None
        self.notes: NotesWindow | None = None
        # Made during a tour (the lecturer pressed F5 midway): its clock starts now.
        self._tour_started = self._step_started = clock()
        self._tour_id: str | None = runner.tour.id if runner.tour is not None else None
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self._tick)
        runner.step_changed.connect(self._on_step)

    def attach(self, presentation: Presentation) -> None:
        self.presentation = presentation
        presentation.changed.connect(lambda _on: self.update())

    def set_forced(self, on: bool) -> None:
        self.forced = on
        self.update()

    @property
    def active(self) -> bool:
        """The notes window shows (and the hall sees headlines)."""
        return self.notes is not None and self.notes.isVisible()

    def wanted(self) -> bool:
        if self.runner.tour is None:
            return False
        presenting = self.presentation is not None and self.presentation.active
        return self.forced or (presenting and len(self.screens()) > 1)

    def _on_step(self, tour: Tour | None, index: int) -> None:
        now = self.clock()
        if tour is not None and tour.id != self._tour_id:
            self._tour_started = now
        self._tour_id = tour.id if tour is not None else None
        self._step_started = now
        self.update()

    def update(self) -> None:
        panel = self._tour_panel()
        if not self.wanted():
            if self.notes is not None:
                self.notes.hide()
            self.ticker.stop()
            if panel is not None:
                panel.set_headline_only(False)
            return
        if self.notes is None:
            self.notes = NotesWindow(self.window)
        tour, index = self.runner.tour, self.runner.index
        self.notes.show_step(tour, index)
        self._tick()
        self.notes.setGeometry(self._notes_rect())
        self.notes.show()
        self.ticker.start()
        # The hall reads a headline only when the full caption is on another screen or window.
        if panel is not None:
            panel.set_headline_only(True)

    def _notes_rect(self) -> QRect:
        """The screen the main window is not on (inset a little); with one screen, over its middle."""
        screens = list(self.screens())
        centre = self.window.frameGeometry().center()
        hall = next((r for r in screens if r.contains(centre)), screens[0] if screens else QRect())
        others = [r for r in screens if r != hall]
        if others:
            return others[0].adjusted(20, 20, -20, -20)
        size = self.notes.size()
        rect = QRect(0, 0, min(size.width(), hall.width()), min(size.height(), hall.height()))
        rect.moveCenter(hall.center())
        return rect

    def _tick(self) -> None:
        if self.notes is None or self.runner.tour is None:
            return
        now = self.clock()
        self.notes.show_time(now - self._step_started, now - self._tour_started, self.runner.tour, self.runner.index)

    def close(self) -> None:
        """The main window closes: so does the notes window."""
        self.forced = False
        if self.notes is not None:
            self.notes.hide()
        self.ticker.stop()
