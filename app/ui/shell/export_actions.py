"""The File menu's exports as actions: ask where (remembering the folder), write, say where it went.
The writing itself is app.ui.shell.export, imported on first use (it loads Qt's SVG and PDF support)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QGraphicsScene, QMainWindow

if TYPE_CHECKING:
    from app.ui.model.controller import ModelController
    from app.ui.model.plots import PlotsPanel


class Exports:
    """The File menu's exports: asks where (remembering the folder), writes, and says where it went."""

    def __init__(self, window: QMainWindow, scene: QGraphicsScene, plots: PlotsPanel,
                 model: Callable[[], ModelController | None], post: Callable[[str], None]) -> None:
        self._window, self._scene, self._plots, self._model, self._post = window, scene, plots, model, post
        self.error_box = None  # the last "Export failed" message (non-blocking)

    def _ask_save_path(self, title: str, suggested: str, filters: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog  # dialogs: kept off the start-up path

        folder = Path(QSettings().value("export/folder", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(self._window, title, str(folder / suggested), filters)
        if not name:
            return None
        path = Path(name)
        QSettings().setValue("export/folder", str(path.parent))
        return path

    def _run_export(self, what: str, fn) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        from app.ui.shell.export import ExportError

        try:
            path = fn()
        except ExportError as exc:
            from app.ui.text import message_box

            box = message_box(QMessageBox.Icon.Warning, "Export failed", str(exc), self._window)  # names a file
            box.open()
            self.error_box = box
            return
        if path is not None:
            self._post(f"Saved {what} to {path}")

    def png(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # dialogs: kept off the start-up path

        from app.ui.shell.export import PNG_SCALES, export_diagram_png

        scale_text, ok = QInputDialog.getItem(self._window, "Export diagram as PNG", "Resolution:",
                                              [f"{s}x" for s in PNG_SCALES], 1, False)
        if not ok:
            return
        path = self._ask_save_path("Export diagram as PNG", "ironbone-diagram.png", "PNG image (*.png)")
        if path is not None:
            self._run_export("the diagram", lambda: export_diagram_png(self._scene, path, int(scale_text[:-1])))

    def vector(self, kind: str) -> None:
        from app.ui.shell.export import export_diagram_pdf, export_diagram_svg

        filters = {"svg": "SVG image (*.svg)", "pdf": "PDF document (*.pdf)"}[kind]
        path = self._ask_save_path(f"Export diagram as {kind.upper()}", f"ironbone-diagram.{kind}", filters)
        if path is not None:
            fn = export_diagram_svg if kind == "svg" else export_diagram_pdf
            self._run_export("the diagram", lambda: fn(self._scene, path))

    def copy(self) -> None:
        from app.ui.shell.export import copy_diagram

        copy_diagram(self._scene)
        self._post("Diagram copied to the clipboard")

    def plots(self) -> None:
        from app.ui.shell.export import export_plots

        if not self._plots.built:
            self._post("The plots are not ready yet")
            return
        path = self._ask_save_path("Export both plots as one figure", "ironbone-plots.png",
                                   "PNG image (*.png);;SVG image (*.svg)")
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".png")
        self._run_export("the plots", lambda: export_plots((self._plots.rate_plot, self._plots.mass_plot), path))

    def csv(self) -> None:
        from app.ui.shell.export import export_csv

        mc = self._model()
        if mc is None:
            self._post("The model is not ready yet")
            return
        path = self._ask_save_path("Export run data", "ironbone-run.csv", "CSV (*.csv)")
        if path is not None:
            self._run_export("the run's data", lambda: export_csv(mc.history(), path))
