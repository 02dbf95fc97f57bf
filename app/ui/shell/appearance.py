"""The app's colour scheme, light or dark: it follows the desktop's colour-scheme hint, or the choice
made in View ▸ Appearance (remembered with the settings), and applies it everywhere at once: the
window palette (widgets, docks, dialogs, tooltips, plots), the diagram and the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QToolTip

from app.ui.palette import CHOICES, SCHEMES, qt_palette, system_scheme

if TYPE_CHECKING:
    from app.ui.diagram.scene import DiagramScene
    from app.ui.shell.page_panel import PagePanel


class Appearance(QObject):
    """`choice` is "system", "light" or "dark"; `scheme` the one shown ("light" or "dark")."""

    changed = Signal(str)  # the scheme now shown: "light" or "dark"

    def __init__(self, *, scene: DiagramScene, panel: PagePanel, system: Callable[[], str] = system_scheme,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scene, self._panel = scene, panel
        self.choice = "system"
        self.system = system()  # what the desktop asks for now
        self.scheme = ""
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5
            hints.colorSchemeChanged.connect(self._on_hints_color_scheme_changed)
        self._apply()

    def set_choice(self, choice: str) -> str:
        """Follow the system ("system") or force "light" / "dark"; returns the choice in effect."""
        self.choice = choice if choice in CHOICES else "system"
        self._apply()
        return self.choice

    def _on_hints_color_scheme_changed(self, hint: Qt.ColorScheme) -> None:
        self.system = "dark" if hint == Qt.ColorScheme.Dark else "light"
        if self.choice == "system":
            self._apply()

    def _apply(self) -> None:
        name = self.system if self.choice == "system" else self.choice
        if name == self.scheme:
            return
        self.scheme = name
        scheme = SCHEMES[name]
        palette = qt_palette(scheme)
        app = QApplication.instance()
        if app is not None:
            if scheme.dark and app.style().name().lower() != "fusion":
                app.setStyle("Fusion")  # native styles draw some controls light whatever the palette
            app.setPalette(palette)
            QToolTip.setPalette(palette)
        self._scene.set_scheme(scheme)
        self._panel.set_appearance(scheme=name)
        self.changed.emit(name)
