"""What the window remembers between runs (QSettings): its geometry (kept on the screen), docks and
split, the pages' text size, the colour scheme (View ▸ Appearance), and the scenario last worked with."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QMainWindow, QSplitter

from app.ui.shell.layout import DEFAULT_SIZE, DEFAULT_SPLIT
from app.ui.shell.screen_fit import available_geometry, keep_on_screen, place

if TYPE_CHECKING:
    from app.ui.model.controller import ModelController
    from app.ui.shell.actions import ShellActions
    from app.ui.shell.page_panel import PagePanel



class WindowSettings:
    """Restores the window's settings at start, saves them on close, forgets them on request."""

    def __init__(self, window: QMainWindow, *, splitter: QSplitter, panel: PagePanel, actions: ShellActions,
                 model: Callable[[], ModelController | None], post: Callable[[str], None]) -> None:
        self._window, self._splitter, self._panel, self._actions = window, splitter, panel, actions
        self._model, self._post = model, post
        self.save_on_close = True  # False after Reset settings, and for runs that are not the user's
        self.available: Callable[[], QRect] = lambda: available_geometry(window)  # the screen's free area
        self.scenario = ""  # the scenario to choose once the model has loaded

    def restore(self) -> None:
        s = QSettings()
        try:
            scale = float(s.value("view/font_scale", 1.0))
        except (TypeError, ValueError):
            scale = 1.0  # a damaged value: fall back to the default
        self._panel.set_appearance(font_scale=scale)
        self._actions.set_scheme(str(s.value("view/scheme", "system")))
        self.scenario = str(s.value("model/scenario", "") or "")
        geometry = s.value("window/geometry")
        if geometry is not None:
            self._window.restoreGeometry(geometry)
            keep_on_screen(self._window, self.available())  # saved on a screen that may be gone
        state = s.value("window/state")
        if state is not None:
            self._window.restoreState(state)
        sizes = s.value("window/splitter")
        if sizes is not None:
            self._splitter.restoreState(sizes)

    def apply_scenario(self, mc: ModelController) -> None:
        """The scenario the user last worked with, if this content still has it."""
        if self.scenario and self.scenario in mc.scenarios:
            mc.choose_scenario(self.scenario)

    def save(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self._window.saveGeometry())
        s.setValue("window/state", self._window.saveState())
        s.setValue("window/splitter", self._splitter.saveState())
        s.setValue("view/font_scale", self._panel.font_scale)
        s.setValue("view/scheme", self._actions.scheme_choice)
        mc = self._model()
        if mc is not None:
            s.setValue("model/scenario", mc.scenario or "")

    def place(self) -> None:
        """First start: the default size where it fits the screen, else maximised."""
        place(self._window, QSize(*DEFAULT_SIZE), self.available())

    def reset(self) -> None:
        QSettings().clear()
        self.save_on_close = False
        self._window.resize(QSize(*DEFAULT_SIZE).boundedTo(self.available().size()))
        self._splitter.setSizes(DEFAULT_SPLIT)
        self._panel.set_appearance(font_scale=1.0)
        self._actions.set_scheme("system")
        self._post("Settings reset: default layout restored")
