"""Where features plug into the window: their menus and menu entries, their docks, and the registry
of installed features by name. The shell calls install() once, just after the first paint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

if TYPE_CHECKING:
    from app.ui.context import Feature, FeatureContext


class FeatureHost:
    """Feature docks share one tabbed column on the right (opening a second one does not squeeze
    the diagram again) or sit at the bottom; feature menus go before Help; entries a feature adds to
    a shell menu go to that menu's `anchor` (before it; at the end if None)."""

    def __init__(self, window: QMainWindow, menus: dict[str, QMenu], anchor: Callable[[str], QAction | None],
                 features: dict[str, Feature]) -> None:
        self._window, self._menus, self._anchor = window, menus, anchor
        self.features = features  # filled by install()
        self.side_docks: list[QDockWidget] = []

    def install(self, features: Sequence[Feature], ctx: FeatureContext) -> None:
        for feature in features:
            feature.install(ctx)
            self.features[feature.name] = feature

    def add_dock(self, title: str, name: str, widget: QWidget | None = None, *, accessible: str = "",
                 bottom: bool = False) -> QDockWidget:
        w = self._window
        dock = QDockWidget(title, w)
        dock.setObjectName(name)
        dock.setAccessibleName(accessible or title)
        if widget is not None:
            dock.setWidget(widget)
        if bottom:
            dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            return dock
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        others = [d for d in self.side_docks if d.isVisible()
                  and w.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        if others:
            w.tabifyDockWidget(others[0], dock)
        self.side_docks.append(dock)
        return dock

    def add_menu(self, key: str, title: str) -> QMenu:
        menu = QMenu(title, self._window)
        self._window.menuBar().insertMenu(self._menus["help"].menuAction(), menu)
        self._menus[key] = menu
        return menu

    def add_to_menu(self, key: str, *items: QAction | QMenu | None) -> None:
        """Insert `items` in order (None: a separator) at menu `key`'s place for features."""
        menu, before = self._menus[key], self._anchor(key)
        for item in items:
            action = item.menuAction() if isinstance(item, QMenu) else item
            if action is None:
                action = QAction(menu)
                action.setSeparator(True)
            menu.insertAction(before, action)
