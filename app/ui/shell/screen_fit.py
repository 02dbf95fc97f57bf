"""Where the window goes on the screen: at first start a size that fits the screen's available area
(maximised where the preferred size does not fit, as on 1024×768 and 1366×768 screens and projectors),
and a restored geometry pulled back onto the screen (a monitor that has gone, a smaller display).
The available area is asked of the window's screen unless a caller passes one (tests do)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# A window manager's frame around the client area, roughly: a title bar above, thin borders.
FRAME = QMargins(4, 30, 4, 4)


def available_geometry(widget: QWidget) -> QRect:
    """The available area (without panels and docks) of the screen the widget is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def first_geometry(available: QRect, preferred: QSize) -> tuple[QRect, bool]:
    """The client rectangle for a first start on a screen with `available` area, centred, and
    whether to maximise instead (the preferred size does not fit with its frame)."""
    room = available.marginsRemoved(FRAME)
    maximise = preferred.width() > room.width() or preferred.height() > room.height()
    rect = QRect(QPoint(0, 0), preferred.boundedTo(room.size()))
    rect.moveCenter(room.center())
    return rect, maximise


def clamped(rect: QRect, available: QRect) -> QRect:
    """`rect` (a client rectangle) moved, and shrunk if need be, so it and its frame lie in `available`."""
    room = available.marginsRemoved(FRAME)
    size = rect.size().boundedTo(room.size())
    x = min(max(rect.x(), room.left()), room.left() + room.width() - size.width())
    y = min(max(rect.y(), room.top()), room.top() + room.height() - size.height())
    return QRect(x, y, size.width(), size.height())


def place(window: QWidget, preferred: QSize, available: QRect | None = None) -> None:
    """First start: the preferred size where it fits the screen, else maximised over the available area."""
    area = available if available is not None else available_geometry(window)
    rect, maximise = first_geometry(area, preferred.expandedTo(window.minimumSize()))
    window.setGeometry(clamped(rect, area))
    if maximise:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def keep_on_screen(window: QWidget, available: QRect | None = None) -> None:
    """After restoring a saved geometry: pull the window back inside the available area."""
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return  # the window manager fits those to the screen
    area = available if available is not None else available_geometry(window)
    rect = clamped(window.geometry(), area)
    if rect != window.geometry():
        window.setGeometry(rect)
