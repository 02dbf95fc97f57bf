"""Fixtures for the study feature's tests: the shipped content's window with its learning content
loaded, a clock moved by hand, and a click on a link of a page as a person makes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

CONTENT = Path(__file__).resolve().parents[3] / "content"


class Clock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def window(qtbot, make_window):  # noqa: ANN001, ANN201
    """The shipped content's window with the model and the learning content loaded."""
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.model_controller is not None and w.learner.is_loaded)
    return w


def link_point(browser, href: str) -> QPoint:  # noqa: ANN001
    """Where the link to `href` is on screen in `browser` (scrolled into view), in viewport coordinates."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().isAnchor() and frag.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + min(1, frag.length() - 1))
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                return QPoint(rect.center().x() + 2, rect.center().y())
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href!r} on the page")


@pytest.fixture
def click_link(qtbot):  # noqa: ANN001, ANN201
    def click(browser, href: str) -> None:  # noqa: ANN001
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=link_point(browser, href))

    return click
