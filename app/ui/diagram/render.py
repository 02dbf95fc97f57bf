"""The diagram as a PNG for files made outside the window (a Moodle question's picture): drawn fresh
from the pathway, unmarked (no selection, hover, tints, traced path or badges), light, at a given width."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene

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


def _unmarked(scene: QGraphicsScene):  # noqa: ANN202 - a context manager
    hide = getattr(scene, "pointer_marks_hidden", None)
    return hide() if hide is not None else nullcontext()


@contextmanager
def drawn_afresh(scene: QGraphicsScene) -> Iterator[None]:
    """While a picture is drawn, items draw themselves afresh (vector text and lines at the picture's
    own scale), not from pixmaps cached at the screen's zoom; the caches come back afterwards."""
    modes = [(item, item.cacheMode()) for item in scene.items()]
    for item, _ in modes:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in modes:
            item.setCacheMode(mode)


@contextmanager
def drawn_for_print(scene: QGraphicsScene) -> Iterator[None]:
    """While a figure for a slide or handout is drawn: afresh, in the light scheme whatever the screen
    shows (slides and handouts are white), and without the user's pointer marks (selection ring,
    keyboard cursor, hover). Everything is put back afterwards."""
    from app.ui.palette import LIGHT

    scheme = getattr(scene, "scheme", None)
    if scheme is not None:
        scene.set_scheme(LIGHT)
    try:
        with drawn_afresh(scene), _unmarked(scene):
            yield
    finally:
        if scheme is not None:
            scene.set_scheme(scheme)


def figure_rect(scene: QGraphicsScene) -> QRectF:
    """The area a figure shows, in whole scene units: the diagram without the user's pointer marks (a
    focused node's ring reaches beyond the node, so selecting one would otherwise change the size)."""
    with _unmarked(scene):
        r = scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    return QRectF(r.left(), r.top(), math.ceil(r.width()), math.ceil(r.height()))


def scene_image(scene: DiagramScene, width: int = DEFAULT_WIDTH) -> QImage:
    """`scene` (its nodes, edges, compartments and legend) on white, `width` pixels wide."""
    if not 100 <= width <= MAX_WIDTH:
        raise ValueError(f"the picture's width must be 100 to {MAX_WIDTH} px (got {width!r})")
    source = scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    height = max(1, math.ceil(width * source.height() / max(source.width(), 1.0)))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        with drawn_afresh(scene):
            scene.render(painter, QRectF(0, 0, width, height), source)
    finally:
        painter.end()
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
        raise OSError("Qt could not encode the picture as PNG")
    buffer.close()
    return bytes(data)


def diagram_png(pathway: Pathway, *, width: int = DEFAULT_WIDTH) -> bytes:
    """The pathway's diagram as a PNG, as a new window shows it before anything is selected or run."""
    offscreen_app()
    return png_bytes(scene_image(DiagramScene(pathway), width))


# --- the caption under an exported figure (File ▸ Export: settings, citation, "teaching model") -------
CAPTION_MARGIN = 0.02  # of the figure's width, around the caption


def caption_font_px(width: float) -> float:
    """The caption's text size for a figure `width` pixels wide: in proportion, as on a slide."""
    return max(10.0, width / 95)


def caption_height(text: str, width: float) -> float:
    """How tall the caption block under a figure `width` wide is (0 without a caption)."""
    if not text:
        return 0.0
    from PySide6.QtGui import QFont, QFontMetricsF

    font = QFont()
    font.setPixelSize(round(caption_font_px(width)))
    margin = width * CAPTION_MARGIN
    metrics = QFontMetricsF(font)
    box = metrics.boundingRect(QRectF(0, 0, width - 2 * margin, 1e6), int(Qt.TextFlag.TextWordWrap), text)
    return math.ceil(box.height() + 2 * margin)


def draw_caption(painter: QPainter, rect: QRectF, text: str) -> None:
    """`text` (plain, wrapped) in `rect` below a figure: dark grey on white, a rule above."""
    from PySide6.QtGui import QColor, QFont, QPen

    painter.save()
    painter.fillRect(rect, Qt.GlobalColor.white)
    margin = rect.width() * CAPTION_MARGIN
    painter.setPen(QPen(QColor("#B8B8B8"), max(1.0, rect.width() / 1200)))
    painter.drawLine(rect.topLeft() + QPointF(margin, margin / 3), rect.topRight() + QPointF(-margin, margin / 3))
    font = QFont()
    font.setPixelSize(round(caption_font_px(rect.width())))
    painter.setFont(font)
    painter.setPen(QColor("#222222"))
    painter.drawText(rect.adjusted(margin, margin, -margin, -margin),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap), text)
    painter.restore()
