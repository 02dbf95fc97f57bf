"""Exports for slides and handouts: the diagram (PNG at 1x/2x/4x, SVG, PDF, clipboard) as it is
coloured now, with its legend; both plots as one figure (PNG, SVG); the run's data (CSV)."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QWidget

PNG_SCALES = (1, 2, 4)


class ExportError(Exception):
    """An export that could not be written; the message names the file and the reason."""


def _source_rect(scene: QGraphicsScene) -> QRectF:
    r = scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    return QRectF(r.left(), r.top(), math.ceil(r.width()), math.ceil(r.height()))


@contextmanager
def _uncached(scene: QGraphicsScene) -> Iterator[None]:
    """Items draw themselves afresh (vector text and lines, full resolution), not their cached
    screen pixmaps, while exporting; in the light scheme, whatever the screen shows, since slides
    and handouts are white."""
    from app.ui.palette import LIGHT

    scheme = getattr(scene, "scheme", None)
    if scheme is not None:
        scene.set_scheme(LIGHT)
    modes = [(item, item.cacheMode()) for item in scene.items()]
    for item, _ in modes:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in modes:
            item.setCacheMode(mode)
        if scheme is not None:
            scene.set_scheme(scheme)


def diagram_image(scene: QGraphicsScene, scale: int = 1) -> QImage:
    rect = _source_rect(scene)
    size = QSize(int(rect.width()) * scale, int(rect.height()) * scale)
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    with _uncached(scene):
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    painter.end()
    return image


def export_diagram_png(scene: QGraphicsScene, path: Path, scale: int = 1) -> Path:
    if scale not in PNG_SCALES:
        raise ExportError(f"scale must be one of {', '.join(map(str, PNG_SCALES))} (got {scale!r})")
    if not diagram_image(scene, scale).save(str(path), "PNG"):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    return path


def export_diagram_svg(scene: QGraphicsScene, path: Path, title: str = "IronBone diagram") -> Path:
    rect = _source_rect(scene)
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setTitle(title)
    gen.setDescription("Exported from IronBone; after Fig. 1 of Cai et al. 2023, doi:10.1631/jzus.B2200519")
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    with _uncached(scene):
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    return path


def export_diagram_pdf(scene: QGraphicsScene, path: Path) -> Path:
    rect = _source_rect(scene)
    writer = QPdfWriter(str(path))
    writer.setTitle("IronBone diagram")
    writer.setCreator("IronBone")
    writer.setResolution(150)
    # A page the shape of the diagram (in points), so nothing is squeezed or cut.
    writer.setPageSize(QPageSize(QSizeF(rect.width() * 0.75, rect.height() * 0.75), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    target = QRectF(0, 0, writer.width(), writer.height())
    with _uncached(scene):
        scene.render(painter, target, rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    return path


def copy_diagram(scene: QGraphicsScene, scale: int = 2) -> QImage:
    image = diagram_image(scene, scale)
    QGuiApplication.clipboard().setImage(image)
    return image


def export_plots(widgets, path: Path, *, scale: int = 2) -> Path:  # noqa: ANN001 - pyqtgraph PlotWidgets
    """One figure of the plots side by side, as they are on screen, to exactly `path`: PNG (at
    `scale` times the screen's pixels) or SVG (Qt's own generator: pyqtgraph's fails on current Qt)."""
    widgets = list(widgets)
    width = sum(w.width() for w in widgets)
    height = max(w.height() for w in widgets)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        device = QSvgGenerator()
        device.setFileName(str(path))
        device.setSize(QSize(width, height))
        device.setViewBox(QRectF(0, 0, width, height))
        device.setTitle("IronBone plots")
        device.setDescription("Formation and resorption; bone mass. Exported from IronBone")
    elif suffix == ".png":
        device = QImage(QSize(width * scale, height * scale), QImage.Format.Format_ARGB32)
        device.fill(widgets[0].palette().base().color())
    else:
        raise ExportError(f"{path.name}: plots export as .png or .svg")
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    if suffix == ".png":
        painter.scale(scale, scale)
    try:
        x = 0
        for w in widgets:  # each paints itself as on screen (title, axes, curves, legend), as vectors
            QWidget.render(w, painter, QPoint(x, 0))  # the widget's own render: QGraphicsView's draws its scene
            x += w.width()
    finally:
        painter.end()
    if suffix == ".png" and not device.save(str(path), "PNG"):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    return path


def export_csv(history, path: Path) -> Path:  # noqa: ANN001 - ModelController.history()
    t, formation, resorption, mass, _pt, _pm = history
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["t_years", "formation_pct_per_year", "resorption_pct_per_year", "bone_mass_pct"])
            for row in zip(t, formation, resorption, mass, strict=True):
                w.writerow([f"{v:.6g}" for v in row])
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
