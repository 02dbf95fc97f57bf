"""The diagram's key: node shapes, edge styles and, once the model runs, what the colours mean."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.diagram.items import PATH_HALO, PROJECTOR_WIDTH, halo, kind_fill, node_shape
from app.ui.palette import LIGHT, PROJECTOR, Scheme

# What the model's colours compare against, until the model names its reference scenario
# (DiagramScene.set_reference_caption): the content, not the code, names it.
REFERENCE_CAPTION = "Colours compared with the reference state:"


class LegendItem(QGraphicsItem):
    """The key to shapes and edge styles, drawn in the scene so exports carry it."""

    KINDS = (("hormone", "Hormone"), ("protein", "Protein"), ("receptor", "Receptor/transporter"),
             ("molecule", "Molecule/ion"), ("cell", "Cell"), ("process", "Process"),
             ("outcome", "Outcome"))

    def __init__(self, width: float) -> None:
        super().__init__()
        self._width = width
        self.font = QFont()
        self.font.setPointSizeF(9.5)
        self.show_changes = False  # the key to the model's colours, shown while a layer colours the nodes
        self.changes_caption = REFERENCE_CAPTION  # what the colours are compared against
        self.projector = False  # the key follows the diagram's projector style
        self.scheme = LIGHT
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_projector(self, on: bool) -> None:
        if on != self.projector:
            self.projector = on
            self.update()

    def set_scheme(self, scheme: Scheme) -> None:
        if scheme is not self.scheme:
            self.scheme = scheme
            self.update()

    def colours(self) -> Scheme:
        return PROJECTOR if self.projector else self.scheme

    def set_changes_key(self, caption: str | None) -> None:
        """Show the key to the node colours under `caption`; None hides it (nothing is coloured)."""
        show = caption is not None
        if show != self.show_changes:
            self.prepareGeometryChange()
            self.show_changes = show
            self.update()
        if show and caption != self.changes_caption:
            self.changes_caption = caption
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self._width, 44 + (26 if self.show_changes else 0))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font)
        font.setBold(self.projector)
        painter.setFont(font)
        scheme = self.colours()
        ink = QColor(scheme.ink)
        outline = QColor(scheme.node_outline)
        thick = PROJECTOR_WIDTH if self.projector else 1.0
        x = 10.0
        for kind, text in self.KINDS:
            shape = node_shape(kind, 34, 18).translated(x + 17, 22)
            painter.setPen(QPen(outline, 1.1 * thick))
            painter.setBrush(kind_fill(kind, self.projector, self.scheme))
            painter.drawPath(shape)
            painter.setPen(ink)
            painter.drawText(QPointF(x + 40, 26), text)
            x += 48 + painter.fontMetrics().horizontalAdvance(text) + 14
        for sign, text in ((1, "activates"), (-1, "inhibits")):
            colour = QColor(scheme.activation if sign > 0 else scheme.inhibition)
            style = Qt.PenStyle.SolidLine if sign > 0 else Qt.PenStyle.DashLine
            painter.setPen(QPen(colour, 2 * thick, style))
            painter.drawLine(QLineF(x, 22, x + 40, 22))
            painter.setPen(QPen(colour, 3 * thick))
            if sign > 0:
                painter.setBrush(colour)
                painter.drawPolygon([QPointF(x + 44, 22), QPointF(x + 34, 17), QPointF(x + 34, 27)])
            else:
                painter.drawLine(QLineF(x + 42, 14, x + 42, 30))
            painter.setPen(ink)
            painter.drawText(QPointF(x + 52, 26), text)
            x += 60 + painter.fontMetrics().horizontalAdvance(text) + 14
        if not self.show_changes:
            return
        x, y = 10.0, 50.0
        painter.setPen(ink)
        painter.drawText(QPointF(x, y + 12), self.changes_caption)
        x += painter.fontMetrics().horizontalAdvance(self.changes_caption) + 12
        for colour, text in ((scheme.up, "▲ more active"), (scheme.down, "▼ less active")):
            painter.setPen(QPen(outline, 1))
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(x, y, 30, 16), 4, 4)
            painter.setPen(ink)
            painter.drawText(QPointF(x + 36, y + 12), text)
            x += 50 + painter.fontMetrics().horizontalAdvance(text)
        # The traced path as it is drawn: a thick line in its colour over a translucent halo.
        path = QColor(scheme.path)
        painter.setPen(QPen(halo(path), 3.8 * thick + 2 * PATH_HALO * 0.6, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(QLineF(x + 4, y + 8, x + 30, y + 8))
        painter.setPen(QPen(path, 3.8 * thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QLineF(x + 4, y + 8, x + 30, y + 8))
        painter.setPen(ink)
        painter.drawText(QPointF(x + 40, y + 12),
                         "on the traced path;  KO / ▲ fixed / ▼ fixed = knocked out or clamped")
