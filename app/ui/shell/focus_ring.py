"""A ring drawn around the focused widget of the main window, whatever the widget style draws: a 2 px
core in a colour with at least 3:1 contrast against what surrounds the widget, between two 1 px
halos of the opposite tone, so it shows on light and dark palettes and over any neighbour."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.ui.palette import WIDGET_FOCUS_ON_DARK, WIDGET_FOCUS_ON_LIGHT, contrast

CORE_PX, HALO_PX, GAP_PX = 2, 1, 1  # the core, a halo each side of it, the room left around the widget
DARK_CORE, LIGHT_CORE = QColor(WIDGET_FOCUS_ON_LIGHT), QColor(WIDGET_FOCUS_ON_DARK)
_WATCH = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.ParentChange)


def ring_colours(background: QColor) -> tuple[QColor, QColor]:
    """(core, halo) for a ring drawn on `background`: the core that stands out more, the other as halo."""
    if contrast(DARK_CORE, background) >= contrast(LIGHT_CORE, background):
        return DARK_CORE, LIGHT_CORE
    return LIGHT_CORE, DARK_CORE


def wants_ring(widget: QWidget) -> bool:
    """Every focusable widget gets the ring, except one that draws its own focus (the diagram)."""
    return not widget.property("drawsOwnFocus")


class FocusRing(QWidget):
    """Follows the application's focus within `window`: placed around the focused widget (clipped to
    what of it is visible), above everything, transparent to the mouse, masked to the ring itself."""

    THICKNESS = HALO_PX + CORE_PX + HALO_PX

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focus_ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        self.follow(QApplication.focusWidget())

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        self.follow(new)

    def follow(self, widget: QWidget | None) -> None:
        window = self.parentWidget()
        # The window itself holding the focus (a dialog given it) leaves nothing to outline.
        if widget is not None and (widget.window() is not window or widget is window or not wants_ring(widget)
                                   or widget is self):
            widget = None
        for w in self._watched:
            try:
                w.removeEventFilter(self)
            except RuntimeError:  # already deleted
                pass
        self._watched = []
        self.target = widget
        w = widget
        while w is not None and w is not window:
            w.installEventFilter(self)  # it, or a scroll area's content holding it, moves or hides
            self._watched.append(w)
            if isinstance(w, QScrollArea) and widget is not None:
                # Focus that did not come by Tab (a mnemonic, a shortcut, a screen reader) is scrolled
                # into view too: a focused control out of sight is a focus nobody can see.
                w.ensureWidgetVisible(widget)
            w = w.parentWidget()
        self.place()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _WATCH:
            self.place()
        return False

    def visible_rect(self) -> QRect:
        """The part of the target on screen, in the window's coordinates (empty: nothing shows)."""
        window, target = self.parentWidget(), self.target
        if target is None or not target.isVisible():
            return QRect()
        rect = QRect(target.mapTo(window, QPoint(0, 0)), target.size())
        w = target.parentWidget()
        while w is not None and w is not window:
            rect = rect.intersected(QRect(w.mapTo(window, QPoint(0, 0)), w.size()))
            w = w.parentWidget()
        return rect

    def background(self) -> QColor:
        """What the ring is drawn on: the colour around the target."""
        around = self.target.parentWidget() if self.target is not None else None
        return (around or self.parentWidget()).palette().color(QPalette.ColorRole.Window)

    def place(self) -> None:
        shown = self.visible_rect()
        if shown.isEmpty():
            self.hide()
            return
        reach = GAP_PX + self.THICKNESS
        outer = shown.adjusted(-reach, -reach, reach, reach)
        self.setGeometry(outer)
        local = QRect(QPoint(0, 0), outer.size())
        hole = local.adjusted(self.THICKNESS, self.THICKNESS, -self.THICKNESS, -self.THICKNESS)
        self.setMask(QRegion(local).subtracted(QRegion(hole)))
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        core, halo = ring_colours(self.background())
        p = QPainter(self)
        r = self.rect()
        p.fillRect(r, halo)
        p.fillRect(r.adjusted(HALO_PX, HALO_PX, -HALO_PX, -HALO_PX), core)
        inner = HALO_PX + CORE_PX
        p.fillRect(r.adjusted(inner, inner, -inner, -inner), halo)
        p.end()
