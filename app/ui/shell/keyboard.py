"""Keyboard access to the whole window: a window-wide shortcut on a bare key (Space plays, Right steps,
F fits…) never takes that key from the focused control that uses it; F6 / Shift+F6 cycle the window's
regions; Tab visits the toolbar and the inputs before the diagram's nodes; a dock that opens takes the
focus; the zoom level is told to screen readers; a ring shows where the focus is (focus_ring.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

K = Qt.Key
ARROWS = frozenset({K.Key_Left, K.Key_Right, K.Key_Up, K.Key_Down})
PAGING = frozenset({K.Key_PageUp, K.Key_PageDown, K.Key_Home, K.Key_End})
_BARE = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def uses_key(widget: QWidget | None, key: int, modifiers: Qt.KeyboardModifier, text: str = "") -> bool:
    """Whether `widget`, focused, does something with this key press (so no shortcut may take it).

    Only bare keys (Shift aside) are claimed: Ctrl, Alt and Meta combinations stay shortcuts, except
    where a text field claims them itself (Ctrl+Right moves a word). Function keys, Esc and Tab are
    never claimed here."""
    if widget is None or modifiers & ~_BARE:
        return False
    if K.Key_F1 <= key <= K.Key_F35 or key in (K.Key_Escape, K.Key_Tab, K.Key_Backtab):
        return False
    typed = bool(text) and text.isprintable() and key != K.Key_Space
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)) or \
            (isinstance(widget, (QTextEdit, QPlainTextEdit)) and not widget.isReadOnly()) or \
            (isinstance(widget, QComboBox) and widget.isEditable()):
        return True  # typing
    if isinstance(widget, QAbstractButton):
        return key == K.Key_Space or key in ARROWS  # press; arrows move between buttons
    if isinstance(widget, QAbstractSlider):
        return key in ARROWS or key in PAGING
    if isinstance(widget, QComboBox):
        return key in (K.Key_Space, K.Key_Up, K.Key_Down) or key in PAGING or typed  # typed: jump to an entry
    if isinstance(widget, QAbstractItemView):
        return key == K.Key_Space or key in ARROWS or key in PAGING or typed
    if isinstance(widget, QTabBar):
        return key in ARROWS
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):  # read-only pages: the caret and scrolling
        return key == K.Key_Space or key in ARROWS or key in PAGING
    return False


class KeyGuard(QObject):
    """Watches a window (or a floating dock) for the ShortcutOverride Qt sends before it runs a
    shortcut: when the focused control uses the key, the control gets it instead. Qt passes the
    override up from the focused widget to its window, so one guard per window sees them all."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if uses_key(QApplication.focusWidget(), event.key(), event.modifiers(), event.text()):
                event.accept()
                return True
        return False


def _takes_tab(w: QWidget, *, shown: bool = True) -> bool:
    return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.focusProxy() is None and \
        (not shown or (w.isVisible() and w.isEnabled()))


def tab_stops(widget: QWidget, *, shown: bool = True) -> list[QWidget]:
    """`widget` if Tab can stop on it, else its descendants that Tab stops on, in focus-chain order."""
    if _takes_tab(widget, shown=shown):
        return [widget]
    stops = []
    w = widget.nextInFocusChain()
    while w is not None and w is not widget:
        if widget.isAncestorOf(w) and _takes_tab(w, shown=shown):
            stops.append(w)
        w = w.nextInFocusChain()
    return stops


def first_focusable(widget: QWidget | None) -> QWidget | None:
    """`widget` if Tab can stop on it, else its first descendant in the focus chain that can."""
    if widget is None or not widget.isVisible():
        return None
    return next(iter(tab_stops(widget)), None)


class Regions:
    """F6 / Shift+F6: the window's regions in turn. A region is a function giving the widget to focus
    (None: skipped, e.g. a closed dock); the open docks come after them, on the left, right, then
    bottom."""

    def __init__(self, window: QMainWindow, regions: list[tuple[str, Callable[[], QWidget | None]]]) -> None:
        self._window = window
        self._regions = regions

    def areas(self) -> list[tuple[str, QWidget]]:
        """(name, widget) of every region that can take the focus now, in F6 order."""
        out = []
        for name, get in self._regions:
            widget = get()
            if widget is not None and widget.isVisible():
                out.append((name, widget))
        order = {Qt.DockWidgetArea.LeftDockWidgetArea: 0, Qt.DockWidgetArea.RightDockWidgetArea: 1,
                 Qt.DockWidgetArea.TopDockWidgetArea: 2, Qt.DockWidgetArea.BottomDockWidgetArea: 3}
        docks = [d for d in self._window.findChildren(QDockWidget) if d.isVisible() and d.widget() is not None]
        docks.sort(key=lambda d: (order.get(self._window.dockWidgetArea(d), 4), d.y(), d.x()))
        out += [(d.windowTitle(), d) for d in docks]
        return out

    def current(self) -> int:
        """The index (in areas()) of the region holding the focus, or -1."""
        focus = QApplication.focusWidget()
        for i, (_, widget) in enumerate(self.areas()):
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return i
        return -1

    def cycle(self, step: int) -> str | None:
        """Focus the next (step 1) or previous (-1) region that has something to focus; its name."""
        areas = self.areas()
        if not areas:
            return None
        here = self.current()
        for k in range(1, len(areas) + 1):
            i = (here + step * k) % len(areas) if here >= 0 else (k - 1 if step > 0 else -k) % len(areas)
            name, widget = areas[i]
            target = first_focusable(widget)
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return name
        return None


def focus_into(dock: QDockWidget) -> None:
    """Give a dock that just opened the focus, unless the focus is already in it."""
    focus = QApplication.focusWidget()
    if not dock.isVisible() or (focus is not None and dock.isAncestorOf(focus)):
        return
    target = first_focusable(dock.widget())
    if target is not None:
        target.setFocus(Qt.FocusReason.OtherFocusReason)


class Keyboard(QObject):
    """Installs the shell's keyboard access on a main window: the key guard (also on its docks), the
    region actions, focus into opening docks and the focus ring. `regions` name the central areas
    in F6 order; `tab_order()` chains the toolbar and the inputs before the diagram."""

    def __init__(self, window: QMainWindow, *, regions: list[tuple[str, Callable[[], QWidget | None]]],
                 add_action: Callable[..., QAction]) -> None:
        super().__init__(window)
        from app.ui.shell.focus_ring import FocusRing

        self._window = window
        self.guard = KeyGuard(self)
        window.installEventFilter(self.guard)
        window.installEventFilter(self)  # docks made later: ChildPolished
        self.regions = Regions(window, regions)
        self.next_region = add_action("Next &region", lambda: self.regions.cycle(1), ["F6"],
                                      "Move the focus to the next part of the window")
        self.previous_region = add_action("Previous re&gion", lambda: self.regions.cycle(-1), ["Shift+F6"],
                                          "Move the focus to the previous part of the window")
        self.ring = FocusRing(window)
        for dock in window.findChildren(QDockWidget):
            self._watch_dock(dock)
        # Dialogs and floating docks are windows of their own: each gets a ring once it has the focus.
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        top = new.window() if new is not None else None
        if top is None or top is self._window or top.property("focusRing"):
            return
        if isinstance(top, (QDialog, QDockWidget)):
            from app.ui.shell.focus_ring import FocusRing

            top.setProperty("focusRing", True)
            FocusRing(top)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Polished (just before it first shows), a new child is whole: a dock can be told from a widget.
        if event.type() == QEvent.Type.ChildPolished and isinstance(event.child(), QDockWidget):
            self._watch_dock(event.child())
        return False

    def _watch_dock(self, dock: QDockWidget) -> None:
        if dock.property("keyboardWatched"):
            return
        dock.setProperty("keyboardWatched", True)
        dock.installEventFilter(self.guard)  # floating, a dock is a window of its own
        # Deferred: whoever opened the dock may put the focus somewhere in it first.
        dock.visibilityChanged.connect(lambda shown, d=dock: shown and QTimer.singleShot(0, d, lambda: focus_into(d)))
        if dock.isVisible():  # opening it is what polished it
            QTimer.singleShot(0, dock, lambda: focus_into(dock))

    def tab_order(self, chain: list[QWidget | None]) -> None:
        """Tab visits `chain` in order; a container stands for the widgets in it Tab stops on."""
        widgets = [stop for w in chain if w is not None for stop in tab_stops(w, shown=False)]
        for a, b in zip(widgets, widgets[1:], strict=False):
            QWidget.setTabOrder(a, b)
