"""When a topic page counts as read: shown for READ_AFTER_S seconds while the window is active, or
scrolled to its end after at least SCROLL_FLOOR_S seconds on it.

Why these rules: twenty seconds is about four lines of careful reading, enough to tell a page read
from one passed through on the way elsewhere, and short enough that a student who reads the first
screen and thinks counts. Time in another window does not count (the page may sit behind it).
Scrolling a long page to its last line is what a fast reader does, so it counts too, but not in the
first SCROLL_FLOOR_S seconds: dragging the scroll bar to the bottom at once is not reading. A page that
fits without scrolling counts by time alone. The clock is injected, so tests move time by hand."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QScrollBar, QWidget

READ_AFTER_S = 20.0
SCROLL_FLOOR_S = 5.0
TICK_MS = 500  # how often the time on the page is looked at while it is not yet read


class ReadingTracker(QObject):
    """Watches the open page and says (`page_read`) when a page of `kind` has been read, once per
    showing. `page_shown(kind, id)` is connected to the navigation's page_changed."""

    page_read = Signal(str)  # "topic:<id>"

    def __init__(self, *, window: QWidget, scroll_bar: QScrollBar, kind: str = "topic",
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window, self._bar, self._kind, self.clock = window, scroll_bar, kind, clock
        self.page: str | None = None  # the page being timed ("topic:<id>"), None when it is read or not a topic
        self._seconds = 0.0  # active time on the page before the current stretch
        self._since: float | None = None  # when the current active stretch began (None: window inactive)
        self._at_end = False  # the student has scrolled to the last line
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.check)
        window.installEventFilter(self)
        # The bar's range is kept from its own signal: the bar may emit its last valueChanged while it
        # is being destroyed with the window, when asking it anything fails.
        self._bar_max = scroll_bar.maximum()
        scroll_bar.rangeChanged.connect(self._on_bar_range_changed)
        scroll_bar.valueChanged.connect(self._on_bar_value_changed)

    def seconds(self) -> float:
        """Active time on the current page so far."""
        return self._seconds + (self.clock() - self._since if self._since is not None else 0.0)

    def page_shown(self, kind: str, ident: str) -> None:
        self.page = f"{kind}:{ident}" if kind == self._kind else None
        self._seconds, self._at_end = 0.0, False
        self._since = self.clock() if self.page and self._window.isActiveWindow() else None
        if self.page:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self._window and self.page:
            if event.type() == QEvent.Type.WindowActivate and self._since is None:
                self._since = self.clock()
            elif event.type() == QEvent.Type.WindowDeactivate and self._since is not None:
                self._seconds += self.clock() - self._since
                self._since = None
        return False

    def _on_bar_range_changed(self, _minimum: int, maximum: int) -> None:
        self._bar_max = maximum

    def _on_bar_value_changed(self, value: int) -> None:
        if self.page and self._bar_max > 0 and value >= self._bar_max:
            self._at_end = True
            self.check()

    def check(self) -> None:
        """Say the page is read if it is (the timer calls this; so does reaching the end)."""
        if not self.page:
            self.timer.stop()
            return
        spent = self.seconds()
        if spent >= READ_AFTER_S or (self._at_end and spent >= SCROLL_FLOOR_S):
            page, self.page = self.page, None
            self.timer.stop()
            self.page_read.emit(page)
