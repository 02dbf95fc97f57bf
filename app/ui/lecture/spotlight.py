"""The spotlight pointer of presentation mode: while it is on, a click on the diagram draws a big
ring there for the hall to see (a mouse pointer is invisible from the back of a lecture hall), and
Enter rings the node under the keyboard cursor. Clicks then never select, open or drag anything.
The ring shrinks onto its spot, then stays until the next click or HOLD_SECONDS have passed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.ui.diagram.view import DiagramView

RADIUS_PX = 56.0  # screen pixels at presentation scale 1; times the scale (1.4 by default: ~78 px)
WIDTH_PX = 9.0  # the ring's coloured band
EDGE_PX = 4.0  # the black edge on each side of the band: the ring reads on white, tinted and dark ground
GROW = 1.8  # the ring starts this many times its size and shrinks onto the spot
SHRINK_SECONDS = 0.5
HOLD_SECONDS = 10.0
FRAME_MS = 30
# Black and the Okabe–Ito yellow: the strongest pair readable for every colour vision, and unlike
# any colour the diagram uses for a node, an edge or a tint.
RING_EDGE = QColor("#000000")
RING_BAND = QColor("#F0E442")


class _Ring(QWidget):
    """Draws the ring over the view's viewport; takes no input."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.centre = QPointF()
        self.radius = RADIUS_PX
        self.band = WIDTH_PX
        self.hide()

    def paintEvent(self, _event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(RING_EDGE, self.band + 2 * EDGE_PX))
        p.drawEllipse(self.centre, self.radius, self.radius)
        p.setPen(QPen(RING_BAND, self.band))
        p.drawEllipse(self.centre, self.radius, self.radius)
        p.end()


class Spotlight(QObject):
    """The pointer on a diagram view. `scale()` is presentation mode's scale; `clock()` gives
    seconds (tests drive it)."""

    enabled_changed = Signal(bool)
    placed = Signal(object)  # QPointF in viewport pixels, or None when the ring goes

    def __init__(self, view: DiagramView, scale: Callable[[], float] = lambda: 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(view)
        self.view = view
        self.scale = scale
        self.clock = clock
        self.enabled = False
        self.ring = _Ring(view.viewport())
        self._since = 0.0
        self._scene_pos = QPointF()
        self.frames = QTimer(self)
        self.frames.setInterval(FRAME_MS)
        self.frames.timeout.connect(self._frame)

    @property
    def spot(self) -> QPointF | None:
        """Where the ring is (viewport pixels), or None."""
        return QPointF(self.ring.centre) if self.ring.isVisible() else None

    def set_enabled(self, on: bool) -> None:
        if on == self.enabled:
            return
        self.enabled = on
        viewport = self.view.viewport()
        if on:
            viewport.installEventFilter(self)
            self.view.installEventFilter(self)
            viewport.setCursor(Qt.CursorShape.CrossCursor)
        else:
            viewport.removeEventFilter(self)
            self.view.removeEventFilter(self)
            viewport.unsetCursor()
            self.clear()
        self.enabled_changed.emit(on)

    def ring_at(self, pos: QPointF) -> None:
        """Ring `pos` (viewport pixels). The ring keeps to that point of the diagram if the view
        is refitted or scrolled meanwhile; its size stays in screen pixels."""
        self.ring.band = WIDTH_PX * self.scale()
        self.ring.setGeometry(self.view.viewport().rect())
        self._scene_pos = self.view.mapToScene(QPointF(pos).toPoint())
        self._since = self.clock()
        self._frame()
        self.ring.show()
        self.ring.raise_()
        self.frames.start()
        self.placed.emit(QPointF(self.ring.centre))

    def ring_node(self, node_id: str) -> bool:
        """Ring a node (the keyboard cursor's); False if it is not drawn."""
        at = self.view.node_point(node_id)
        if at is None:
            return False
        self.ring_at(at)
        return True

    def clear(self) -> None:
        self.frames.stop()
        if self.ring.isVisible():
            self.ring.hide()
            self.placed.emit(None)

    def _frame(self) -> None:
        elapsed = self.clock() - self._since
        if elapsed >= HOLD_SECONDS:
            self.clear()
            return
        if self.ring.geometry() != self.view.viewport().rect():
            self.ring.setGeometry(self.view.viewport().rect())  # scrolling the view moves its children
        self.ring.centre = QPointF(self.view.mapFromScene(self._scene_pos))
        grow = max(0.0, 1.0 - elapsed / SHRINK_SECONDS)
        self.ring.radius = RADIUS_PX * self.scale() * (1.0 + (GROW - 1.0) * grow)
        self.ring.update()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        kind = event.type()
        if obj is self.view.viewport():
            if kind == QEvent.Type.Resize:
                self.ring.setGeometry(self.view.viewport().rect())
                return False
            if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                self.ring_at(event.position())
                return True
            # Nothing reaches the diagram while pointing: no selection, no page, no drag, no menu.
            return kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.ContextMenu)
        if obj is self.view and kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            cursor = self.view.keyboard_cursor
            if cursor is not None:
                self.ring_node(cursor)
            return True  # Enter rings, never opens a page, while pointing
        return False
