"""The diagram as a PNG for files made outside the window (a Moodle question's picture): drawn fresh
from the pathway, unmarked (no selection, hover, tints, traced path or badges), light, at a given width."""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem

from app.model.pathway import Pathway
from app.ui.diagram.scene import DiagramScene

DEFAULT_WIDTH = 1200  # px: every label readable when the picture fills a quiz page's column
MAX_WIDTH = 4000
PALETTE = 128  # the most frequent colours: an 8-bit PNG under a third the size of a full-colour one


def offscreen_app() -> QGuiApplication:
    """The running Qt application, or a new one on the offscreen platform (no display needed)."""
    app = QGuiApplication.instance()
    if app is None:
        app = QApplication(["ironbone", "-platform", "offscreen"])
    return app  # type: ignore[return-value]


def scene_image(scene: DiagramScene, width: int = DEFAULT_WIDTH) -> QImage:
    """`scene` (its nodes, edges, compartments and legend) on white, `width` pixels wide."""
    if not 100 <= width <= MAX_WIDTH:
        raise ValueError(f"the picture's width must be 100 to {MAX_WIDTH} px (got {width!r})")
    source = scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    height = max(1, math.ceil(width * source.height() / max(source.width(), 1.0)))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    # Items draw afresh at the picture's own scale, not from pixmaps cached at the screen's zoom.
    modes = [(item, item.cacheMode()) for item in scene.items()]
    for item, _ in modes:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(0, 0, width, height), source)
    finally:
        painter.end()
        for item, mode in modes:
            item.setCacheMode(mode)
    return image


def png_bytes(image: QImage, *, palette: int = PALETTE) -> bytes:
    """`image` as PNG bytes; with `palette`, as 8-bit colour from its most frequent colours (a diagram
    has flat fills and antialiased edges: it looks the same at a third of the bytes)."""
    if palette:
        import numpy as np

        rgb = image.convertToFormat(QImage.Format.Format_RGB32)
        rows = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.bytesPerLine() * rgb.height() // 4)
        pixels = rows.reshape(rgb.height(), rgb.bytesPerLine() // 4)[:, :rgb.width()]
        colours, counts = np.unique(pixels, return_counts=True)
        table = [int(c) for c in colours[np.argsort(counts, kind="stable")[::-1][:palette]]]
        # Every pixel takes the nearest colour of the table; no dithering, which would speckle the fills.
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image = rgb.convertToFormat(QImage.Format.Format_Indexed8, table, flags)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode the diagram as PNG")
    buffer.close()
    return bytes(data)


def diagram_png(pathway: Pathway, *, width: int = DEFAULT_WIDTH) -> bytes:
    """The pathway's diagram as a PNG, as a new window shows it before anything is selected or run."""
    offscreen_app()
    return png_bytes(scene_image(DiagramScene(pathway), width))
