"""Presentation mode (F5, Esc leaves): full screen, bars hidden, everything larger (Ctrl+= / Ctrl+-,
remembered), a high-contrast projector look for the diagram and plots; a clicker's keys (Page Up /
Page Down, arrows) step the running tour."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.ui.palette import PROJECTOR, qt_palette

if TYPE_CHECKING:
    from app.ui.context import FeatureContext
    from app.ui.lecture.tours import TourRunner

SCALE_DEFAULT = 1.4
SCALE_MIN, SCALE_MAX = 1.0, 3.0
# Node labels on screen: 10 px per unit of scale, so 14 px at the default scale, readable from the
# back row of a lecture hall on a 1024×768 projector; Ctrl+= / Ctrl+- move it with everything else.
LABEL_PX_PER_SCALE = 10.0
RESULTS_SHARE = 0.5  # of the diagram column's height for the plots: titles, axes and legends whole
NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space)
PREV_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace)


def projector_palette() -> QPalette:
    """Black on white with strong accents: readable from the back of a lit lecture hall."""
    return qt_palette(PROJECTOR)


class Presentation(QObject):
    """Full screen, bars hidden, larger everything, projector colours; clicker keys step tours."""

    changed = Signal(bool)

    def __init__(self, ctx: FeatureContext, runner: TourRunner) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.window = ctx.window
        self.runner = runner
        self.active = False
        # Esc clears these first, one per press (a spotlight, a focus), before leaving the mode:
        # each returns True if it had something to clear.
        self.escape_first: list[Callable[[], bool]] = []
        self._saved: dict[str, object] = {}
        try:
            scale = float(ctx.settings().value("presentation/scale", SCALE_DEFAULT))
        except (TypeError, ValueError):
            scale = SCALE_DEFAULT
        self.scale = min(SCALE_MAX, max(SCALE_MIN, scale))
        # The application-wide event filter, font and palette must be undone before Qt tears down.
        QApplication.instance().aboutToQuit.connect(self.leave)
        ctx.closing.connect(self.leave)  # before the window saves its layout
        self.window.destroyed.connect(self._uninstall)
        runner.step_changed.connect(self._on_runner_step_changed)

    def _uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def escape(self) -> None:
        """Esc: clear the first thing that is on, else leave presentation mode."""
        if not any(clear() for clear in self.escape_first):
            self.leave()

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        app = QApplication.instance()
        layout = self.ctx.layout
        scheme, font_scale = layout.page_style()
        self._saved = {"font": w.font(), "palette": w.palette(), "maximized": w.isMaximized(),
                       "scheme": scheme, "font_scale": font_scale, "splitter": layout.splitter_sizes(),
                       "results": layout.results_share()}
        self.active = True
        # Font and palette are set on the window (its docks and panels inherit them), never
        # application-wide: Qt would replay an application change into half-destroyed widgets
        # at exit.
        w.setPalette(projector_palette())
        self._saved["bars"] = layout.hide_bars()
        total = sum(layout.splitter_sizes())
        layout.set_splitter_sizes([int(total * 0.68), total - int(total * 0.68)])  # the diagram gets the room
        layout.set_results_share(RESULTS_SHARE)
        layout.set_zoom_handler(self.adjust)  # Ctrl+= / Ctrl+- scale everything while presenting
        self._apply_scale()
        self._style(True)
        app.installEventFilter(self)
        w.showFullScreen()
        QTimer.singleShot(0, self._settle)
        self.changed.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        app = QApplication.instance()
        app.removeEventFilter(self)
        self.active = False
        layout = self.ctx.layout
        w.setFont(self._saved["font"])
        w.setPalette(self._saved["palette"])
        layout.restore_bars(self._saved["bars"])
        layout.set_splitter_sizes(list(self._saved["splitter"]))
        layout.set_results_share(self._saved["results"])  # type: ignore[arg-type]
        self.ctx.view.set_label_floor(None)
        layout.set_page_style(str(self._saved["scheme"]), float(self._saved["font_scale"]))
        layout.set_zoom_handler(None)
        self._style(False)
        if self._saved["maximized"]:
            w.showMaximized()
        else:
            w.showNormal()
        QTimer.singleShot(0, self.ctx.view.fit_all)
        self.changed.emit(False)

    def adjust(self, factor: float) -> None:
        """Ctrl+= / Ctrl+- while presenting: scale everything; remembered for next time."""
        self.scale = round(min(SCALE_MAX, max(SCALE_MIN, self.scale * factor)), 3)
        self.ctx.settings().setValue("presentation/scale", self.scale)
        if self.active:
            self._apply_scale()
        self.ctx.post(f"Presentation scale {self.scale * 100:.0f} %")

    def _apply_scale(self) -> None:
        base = self._saved["font"]
        font = base.__class__(base)
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * self.scale)
        self.window.setFont(font)
        # Page text grows more gently than the rest: headings are already large.
        page_scale = float(self._saved["font_scale"]) * (1 + (self.scale - 1) * 0.5)
        self.ctx.layout.set_page_style("light", min(2.0, page_scale))
        # The diagram's labels scale too: fitting never shows them smaller than this.
        self.ctx.view.set_label_floor(LABEL_PX_PER_SCALE * self.scale, strict=True)
        self.ctx.view.fit_all()

    def _settle(self) -> None:
        """Once full screen: the plots' share of the height again (splitters share out a resize by
        their stretch factors), and the diagram framed."""
        if self.active:
            self.ctx.layout.set_results_share(RESULTS_SHARE)
            self.ctx.view.fit_all()

    def _on_runner_step_changed(self, tour: object, index: int) -> None:
        """Each step frames what it lights and marks (legibly, where the whole diagram cannot be)."""
        if self.active and tour is not None:
            self.ctx.view.fit_all()

    def _style(self, on: bool) -> None:
        self.ctx.diagram.set_projector_style(on)
        self.ctx.plots.set_presentation(on)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        """Clicker keys step the tour while presenting (before any shortcut or widget sees them)."""
        if not self.active or self.runner.tour is None:
            return False
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or key not in (*NEXT_KEYS, *PREV_KEYS):
            return False
        focus = QApplication.focusWidget()
        if focus is not None and focus.inherits("QLineEdit"):
            return False  # typing in a search box
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if not event.isAutoRepeat():
            self.runner.next() if key in NEXT_KEYS else self.runner.previous()
        return True
