"""Display-only graphics items of the mechanism diagram: compartments, nodes, signed edges and the
cross on a cut link. Each has setters only; the scene decides what they show."""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from app.model.pathway import Compartment, Edge, Node
from app.ui.palette import LIGHT, PROJECTOR, Scheme
from app.ui.text import esc, tip

# Colours come from the scheme in use (app.ui.palette): light, dark, or the projector look of
# presentation mode. Activation and inhibition also differ in line style and in the end marker, and
# the traced path in width and halo, so colour is never the only cue. The names below are the light
# scheme's, for code that draws on white (exports, tests).
ACTIVATION = QColor(LIGHT.activation)
INHIBITION = QColor(LIGHT.inhibition)
HIGHLIGHT = QColor(LIGHT.hover)
SELECTION = QColor(LIGHT.selection)
SEARCH = QColor(LIGHT.search)
PATH = QColor(LIGHT.path)
UP = LIGHT.up  # orange: more active than at the reference
DOWN = LIGHT.down  # sky blue: less active
PATH_HALO = 7.0  # scene units the traced path's translucent halo adds on each side of a line
CHANGE_FULL = 0.25  # an activity change of this size gets the full colour
CHANGE_STEPS = 40  # distinct tint strengths between none and full
CLAMP_BADGE = {"knockout": "KO", "high": "▲ fixed", "low": "▼ fixed"}
# Level of detail: below this scale (device pixels per scene unit) a label is under ~5 px high and
# unreadable, so nodes draw as plain filled boxes and edges as straight lines, without text,
# badges or end markers. The real diagram's fit-to-window zoom stays well above it.
LOD_SIMPLE = 0.4
_SOLID, _DASH, _FLAT = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap
_NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
# The keyboard focus: a core inside a halo of the opposite tone, colours from the scheme (focus_core,
# focus_halo: black in white on the light canvas and the projector's, white in black on the dark one),
# both cosmetic (device pixels, whatever the zoom), so the core is at least 3 px at 3:1 against the
# canvas and the compartments and the halo sets it off from anything next to it (node fills, links).
# tests/ui/test_contrast.py measures it in every scheme.
FOCUS_CORE_PX, FOCUS_HALO_PX = 3.0, 7.0  # device pixels: the halo shows 2 px on each side of the core
FOCUS_GAP = 5.0  # scene units between a node's outline and its focus ring
SMALLEST_ZOOM = 0.15  # the view zooms out no further (DiagramView.MIN_ZOOM)
# Scene units a node's ring reaches beyond its box: the gap and half the halo at the smallest zoom
# (cosmetic pens grow in scene units as the view zooms out), plus a pixel for anti-aliasing.
_RING_REACH = FOCUS_GAP + (FOCUS_HALO_PX / 2 + 1) / SMALLEST_ZOOM
_FOCUS_REACH = 12.0  # scene units a focused link's band may reach beyond its own at the smallest detailed zoom


def _cosmetic(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap, Qt.PenJoinStyle.MiterJoin)
    pen.setCosmetic(True)
    return pen


_focus_pens: dict[str, tuple[tuple[QPen, QPen], tuple[QPen, QPen]]] = {}


def focus_pens(scheme: Scheme) -> tuple[tuple[QPen, QPen], tuple[QPen, QPen]]:
    """(halo, core) pens of a focused node's ring and of a focused link's band (2 px of core each side
    of a 1 px line, in the halo) in `scheme`, made once per scheme."""
    pens = _focus_pens.get(scheme.name)
    if pens is None:
        core, ring_halo = QColor(scheme.focus_core), QColor(scheme.focus_halo)
        pens = _focus_pens[scheme.name] = (
            (_cosmetic(ring_halo, FOCUS_HALO_PX), _cosmetic(core, FOCUS_CORE_PX)),
            (_cosmetic(ring_halo, FOCUS_HALO_PX + 4), _cosmetic(core, FOCUS_CORE_PX + 2)),
        )
    return pens


_CENTRE = Qt.AlignmentFlag.AlignCenter
SIMPLE_BORDER = 6.0  # scene units: about 2 px at the switch-over zoom

KIND_FILL = LIGHT.node_fills
PROJECTOR_FILL = PROJECTOR.node_fills
PROJECTOR_WIDTH = 2.0  # outlines and edges this many times as thick


def kind_fill(kind: str, projector: bool = False, scheme: Scheme = LIGHT) -> QColor:
    """The fill of a node of `kind` in `scheme`, or in the projector look."""
    return QColor((PROJECTOR if projector else scheme).fill(kind))


def halo(colour: QColor | str, alpha: float = 0.38) -> QColor:
    """The translucent band drawn around the traced path."""
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


KIND_LABEL = {
    "hormone": "hormone (hexagon)",
    "protein": "protein (rounded box)",
    "receptor": "receptor / transporter (box with side bars)",
    "molecule": "molecule or ion (ellipse)",
    "cell": "cell (double ellipse)",
    "process": "process (box with cut corners)",
    "outcome": "outcome (octagon)",
}

LABEL_FONT = QFont()
LABEL_FONT.setPointSizeF(12)
LABEL_FONT_BOLD = QFont()  # projector style: same size (node sizes stay), bolder strokes
LABEL_FONT_BOLD.setPointSizeF(12)
LABEL_FONT_BOLD.setBold(True)
BADGE_FONT = QFont()
BADGE_FONT.setPointSizeF(8)
BADGE_FONT.setBold(True)
COMPARTMENT_FONT = QFont()
COMPARTMENT_FONT.setPointSizeF(11.5)
COMPARTMENT_FONT.setBold(True)


_fonts_ready = False


def _ensure_fonts() -> None:
    """Base the fonts on the application's font once it exists (a QFont made at import time,
    before the QApplication, can resolve to another family with other widths)."""
    global _fonts_ready
    if _fonts_ready:
        return
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        return
    base = QGuiApplication.font()
    for font, size, bold in ((LABEL_FONT, 12, False), (LABEL_FONT_BOLD, 12, True), (BADGE_FONT, 8, True),
                             (COMPARTMENT_FONT, 11.5, True)):
        font.setFamily(base.family())
        font.setPointSizeF(size)
        font.setBold(bold)
    _fonts_ready = True


def label_pixels() -> float:
    """The pixel size of a node label's font at zoom 1 (its point size at the screen's logical dpi)."""
    _ensure_fonts()
    from PySide6.QtGui import QFontInfo

    return float(QFontInfo(LABEL_FONT).pixelSize())


def _polygon(points: list[tuple[float, float]]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def node_shape(kind: str, w: float, h: float) -> QPainterPath:
    """The outline of a node of `kind`, centred on (0, 0)."""
    x, y = -w / 2, -h / 2
    path = QPainterPath()
    if kind == "hormone":
        c = h / 2
        return _polygon([(x, 0), (x + c, y), (x + w - c, y), (x + w, 0), (x + w - c, -y), (x + c, -y)])
    if kind in ("molecule", "cell"):
        path.addEllipse(QRectF(x, y, w, h))
        return path
    if kind == "process":
        c = 8.0
        return _polygon([(x + c, y), (x + w - c, y), (x + w, y + c), (x + w, -y - c),
                         (x + w - c, -y), (x + c, -y), (x, -y - c), (x, y + c)])
    if kind == "outcome":
        c = h / 3
        return _polygon([(x + c, y), (x + w - c, y), (x + w, y + c), (x + w, -y - c),
                         (x + w - c, -y), (x + c, -y), (x, -y - c), (x, y + c)])
    path.addRoundedRect(QRectF(x, y, w, h), 9, 9)
    return path


class CompartmentItem(QGraphicsItem):
    """A labelled region of the figure (systemic iron, blood, osteoblast lineage, ...)."""

    def __init__(self, compartment: Compartment) -> None:
        super().__init__()
        self.compartment = compartment
        x, y, w, h = compartment.rect
        self._rect = QRectF(x, y, w, h)
        self.setZValue(-10)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(False)
        self.setToolTip(tip(compartment.label))
        self.projector = False
        self.scheme = LIGHT

    def set_projector(self, on: bool) -> None:
        if on != self.projector:
            self.projector = on
            self.update()

    def set_scheme(self, scheme: Scheme) -> None:
        if scheme is not self.scheme:
            self.scheme = scheme
            self.update()

    def colours(self) -> tuple[QColor, QColor]:
        """The region's fill and its label's colour in the current scheme."""
        scheme = PROJECTOR if self.projector else self.scheme
        return QColor(scheme.compartment_fill(self.compartment.colour)), QColor(scheme.compartment_text)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, text = self.colours()
        if self.projector:
            painter.setPen(QPen(fill.darker(170), 1.2 * PROJECTOR_WIDTH))
        elif self.scheme.dark:
            painter.setPen(QPen(fill.lighter(170), 1.2))
        else:
            painter.setPen(QPen(fill.darker(125), 1.2))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self._rect, 14, 14)
        painter.setFont(COMPARTMENT_FONT)
        painter.setPen(text)
        painter.drawText(self._rect.adjusted(12, 6, -12, -6),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.compartment.label)


class NodeItem(QGraphicsObject):
    """One node: shape by kind, label, and display states set by the scene (setters only)."""

    PAD_X = 14.0
    HEIGHT = 36.0

    def __init__(self, node: Node) -> None:
        super().__init__()
        _ensure_fonts()
        self.node = node
        fm = QFontMetricsF(LABEL_FONT)
        extra = 22.0 if node.kind in ("hormone", "molecule", "cell", "outcome") else 0.0
        self.width = max(64.0, fm.horizontalAdvance(node.label) + 2 * self.PAD_X + extra)
        self.height = self.HEIGHT + (6.0 if node.kind == "cell" else 0.0)
        self._path = node_shape(node.kind, self.width, self.height)
        # Room for the outline, the traced path's halo and the badges; asked for ~150 times a frame,
        # larger while focused (set_state).
        self._plain_bounds = self._path.boundingRect().adjusted(-11, -14, 11, 10)
        self._bounds = self._plain_bounds
        self._inner = node_shape("cell", self.width - 8, self.height - 8) if node.kind == "cell" else None
        self.scheme = LIGHT  # the colour scheme (the projector look overrides it)
        self._fill = QColor(LIGHT.fill(node.kind))
        self._box = self._path.boundingRect()
        x = self.width / 2 - 5  # a receptor's side bars
        self._bars = [QLineF(sx * x, -self.height / 2 + 7, sx * x, self.height / 2 - 7) for sx in (-1, 1)]
        self._pens_key: tuple | None = None
        self._pens: tuple = ()
        self.setPos(QPointF(*node.pos))
        self.setZValue(10)
        # Nodes change rarely compared with repaints (edges move under them): cache their pixels.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"<b>{esc(node.name)}</b><br><i>{esc(KIND_LABEL.get(node.kind, node.kind))}</i>")
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton)
        self.selected = False
        self.highlighted = False  # hover neighbourhood
        self.dimmed = False
        self.search_hit = False
        self.focused = False  # keyboard cursor
        self.tint: QColor | None = None  # model colouring: blended from the change below
        self.change = 0.0  # activity minus the reference state's (model layer)
        self.clamp: str | None = None  # "knockout" | "high" | "low" | None
        self.on_path = False  # part of the "why" trace
        self.projector = False  # high-contrast projector style

    # --- geometry -------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._path

    def label_rect(self) -> QRectF:
        """The scene rectangle occupied by the node's label (for overlap checks)."""
        fm = QFontMetricsF(LABEL_FONT)
        w, h = fm.horizontalAdvance(self.node.label), fm.height()
        return QRectF(self.pos().x() - w / 2, self.pos().y() - h / 2, w, h)

    def border_point(self, towards: QPointF) -> QPointF:
        """Where the line from the centre to `towards` leaves the node outline (scene coords)."""
        centre = self.pos()
        d = towards - centre
        length = math.hypot(d.x(), d.y())
        if length < 1e-6:
            return centre
        ux, uy = d.x() / length, d.y() / length
        lo, hi = 0.0, max(self.width, self.height)
        for _ in range(18):  # bisection on the outline: exact enough, done once per edge
            mid = (lo + hi) / 2
            if self._path.contains(QPointF(ux * mid, uy * mid)):
                lo = mid
            else:
                hi = mid
        return QPointF(centre.x() + ux * hi, centre.y() + uy * hi)

    # --- display state setters ------------------------------------------------------------
    def set_state(self, *, selected: bool | None = None, highlighted: bool | None = None,
                  dimmed: bool | None = None, search_hit: bool | None = None,
                  focused: bool | None = None) -> None:
        changed = False
        if focused is not None and focused != self.focused:
            self.prepareGeometryChange()  # the focus ring reaches beyond the usual bounds
            reach = _RING_REACH
            self._bounds = self._plain_bounds.united(self._box.adjusted(-reach, -reach, reach, reach)) \
                if focused else self._plain_bounds
        for name, value in (("selected", selected), ("highlighted", highlighted),
                            ("dimmed", dimmed), ("search_hit", search_hit), ("focused", focused)):
            if value is not None and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self._changed()

    def set_tint(self, colour: QColor | None) -> None:
        if colour != self.tint:
            self.tint = colour
            self._changed()

    def colours(self) -> Scheme:
        """The scheme the node is drawn in: the projector look while presenting, else the app's."""
        return PROJECTOR if self.projector else self.scheme

    def set_change(self, change: float) -> None:
        """Colour by the change against the reference: warm = up, cool = down, plus ▲/▼."""
        if abs(change - self.change) < 1e-3:
            return
        before = self._look()
        self.change = change
        self._retint()
        if self._look() != before:  # a change no screen can show (same 8-bit colour, same badge) is not redrawn
            self._changed()

    def _retint(self) -> None:
        # Colour strength in 40 steps: nodes are separate shapes, so no banding shows, and a slider
        # step does not repaint every node for a shade nobody can tell apart.
        strength = round(min(1.0, abs(self.change) / CHANGE_FULL) * CHANGE_STEPS) / CHANGE_STEPS
        if strength < 0.02:
            self.tint = None
            return
        scheme = self.colours()
        base = QColor(scheme.fill(self.node.kind))
        hue = QColor(scheme.up if self.change > 0 else scheme.down)
        mix = 0.15 + 0.7 * strength
        self.tint = QColor.fromRgbF(
            base.redF() * (1 - mix) + hue.redF() * mix,
            base.greenF() * (1 - mix) + hue.greenF() * mix,
            base.blueF() * (1 - mix) + hue.blueF() * mix,
        )

    def _look(self) -> tuple[int | None, int]:
        """What set_change() changes on screen: the tint as 8-bit RGB and the ▲/▼ badge."""
        badge = 0 if abs(self.change) < 0.02 else (1 if self.change > 0 else -1)
        return (None if self.tint is None else self.tint.rgb()), badge

    def set_clamp(self, clamp: str | None) -> None:
        if clamp != self.clamp:
            self.clamp = clamp
            self._changed()

    def set_on_path(self, on: bool) -> None:
        if on != self.on_path:
            self.on_path = on
            self._changed()

    def set_projector(self, on: bool) -> None:
        """High contrast for a projector: black outline and bold black label, stronger fill."""
        if on != self.projector:
            self.projector = on
            self._restyle()

    def set_scheme(self, scheme: Scheme) -> None:
        """Light or dark (app.ui.palette)."""
        if scheme is not self.scheme:
            self.scheme = scheme
            self._restyle()

    def _restyle(self) -> None:
        self._fill = QColor(self.colours().fill(self.node.kind))
        self._retint()
        self._pens_key = None
        self._changed()

    def outline(self) -> tuple[QColor, float]:
        """Colour and width of the node's outline in its current state and style."""
        scheme = self.colours()
        border, width = QColor(scheme.node_outline), 1.3
        if self.on_path:
            border, width = QColor(scheme.path), 3.4
        if self.search_hit:
            border, width = QColor(scheme.search), 3.0
        if self.highlighted:
            border, width = QColor(scheme.hover), 2.6
        if self.selected:
            border, width = QColor(scheme.selection), 3.6
        return border, width * PROJECTOR_WIDTH if self.projector else width

    def path_halo(self) -> QPen | None:
        """The translucent ring around a node on the traced path (None when it is not on it): a cue
        of width besides the outline's colour."""
        if not self.on_path:
            return None
        _, width = self.outline()
        return QPen(halo(self.colours().path), width + 2 * 4.5)

    def label_colours(self) -> tuple[QColor, QColor]:
        """The label's colour and the node's fill under it (its alpha shows what a dimmed node lets
        through of the compartment behind it)."""
        scheme = self.colours()
        fill = QColor(self.tint) if self.tint is not None else QColor(self._fill)
        if self.dimmed:
            fill.setAlphaF(scheme.node_dim_alpha)
            return QColor(scheme.node_text_dimmed), fill
        return QColor(scheme.node_text), fill

    # --- painting -------------------------------------------------------------------------
    def simple_look(self) -> tuple[QColor, QColor | None]:
        """Fill and outline (None: no outline) of the zoomed-out look."""
        scheme = self.colours()
        _text, fill = self.label_colours()
        border = (scheme.selection if self.selected else scheme.hover if self.highlighted
                  else scheme.search if self.search_hit else scheme.path if self.on_path else None)
        return fill, None if border is None else QColor(border)

    def simple_rect(self) -> QRectF:
        """The node's box in scene coordinates (the zoomed-out look)."""
        return self._path.boundingRect().translated(self.pos())

    def focus_ring(self) -> tuple[QRectF, tuple[QPen, QPen]] | None:
        """The keyboard focus ring (None when the node has not the focus): its rectangle in item
        coordinates and its (halo, core) pens, the same in the detailed and the zoomed-out look."""
        if not self.focused:
            return None
        return self._box.adjusted(-FOCUS_GAP, -FOCUS_GAP, FOCUS_GAP, FOCUS_GAP), focus_pens(self.colours())[0]

    def _changed(self) -> None:
        self.update()
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents:  # drawn by the scene's overview
            self.scene().overview_item_changed(self)  # type: ignore[union-attr]

    def _build_pens(self) -> tuple[QBrush, QPen, QPen, QPen, QColor, QPen | None]:
        """Fill, outline, cell and receptor pens, the label colour and the path halo of the current look."""
        text, fill = self.label_colours()
        border, width = self.outline()
        thin = PROJECTOR_WIDTH if self.projector else 1.0
        return (QBrush(fill), QPen(border, width), QPen(border, 1.0 * thin), QPen(border, 2.0 * thin), text,
                self.path_halo())

    def _paint_ring(self, painter: QPainter) -> None:
        ring = self.focus_ring()
        if ring is not None:
            rect, pens = ring
            painter.setBrush(_NO_BRUSH)
            for pen in pens:
                painter.setPen(pen)
                painter.drawRect(rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if option.levelOfDetailFromTransform(painter.worldTransform()) < LOD_SIMPLE:
            fill, border = self.simple_look()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen if border is None else QPen(border, SIMPLE_BORDER))
            painter.setBrush(fill)
            painter.drawRect(self._path.boundingRect())
            self._paint_ring(painter)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        key = (None if self.tint is None else self.tint.rgba(), self.dimmed, self.selected, self.highlighted,
               self.search_hit, self.on_path, self.projector, self.scheme.name)
        if key != self._pens_key:  # pens and brush are rebuilt only when the look changes
            self._pens_key, self._pens = key, self._build_pens()
        brush, pen, inner_pen, bar_pen, text_pen, halo_pen = self._pens
        if halo_pen is not None:
            painter.setPen(halo_pen)
            painter.setBrush(_NO_BRUSH)
            painter.drawPath(self._path)
        painter.setBrush(brush)
        painter.setPen(pen)
        painter.drawPath(self._path)
        if self._inner is not None:  # double outline marks a cell
            painter.setPen(inner_pen)
            painter.setBrush(_NO_BRUSH)
            painter.drawPath(self._inner)
        if self.node.kind == "receptor":  # side bars mark a membrane receptor / transporter
            painter.setPen(bar_pen)
            painter.drawLines(self._bars)
        box = self._box
        self._paint_ring(painter)
        painter.setFont(LABEL_FONT_BOLD if self.projector else LABEL_FONT)
        painter.setPen(text_pen)
        painter.drawText(box, _CENTRE, self.node.label)
        if abs(self.change) >= 0.02:  # a shape cue besides colour
            painter.setFont(BADGE_FONT)
            painter.drawText(QRectF(box.right() - 16, box.top() - 2, 16, 14), Qt.AlignmentFlag.AlignCenter,
                             "▲" if self.change > 0 else "▼")
        if self.clamp:
            scheme = self.colours()
            painter.setFont(BADGE_FONT)
            text = CLAMP_BADGE.get(self.clamp, self.clamp)
            w = painter.fontMetrics().horizontalAdvance(text) + 8
            badge = QRectF(box.left() - 4, box.top() - 10, w, 14)
            painter.setPen(QPen(QColor(scheme.badge_text), 1))
            painter.setBrush(QColor(scheme.badge_fill))
            painter.drawRoundedRect(badge, 4, 4)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


EVIDENCE_WORDS = {
    "clinical": "clinical evidence (studies in people)",
    "animal": "animal studies",
    "in_vitro": "cell studies (in vitro)",
    "review": "a review's statement only: no cited study tested this link",
}


def edge_tip(edge: Edge, source_label: str, target_label: str, cite_names: Mapping[str, str]) -> str:
    """What an edge's tooltip says: the effect, the note, the review's section, the kind of evidence,
    the sources by name, and whether the sign or the gate is the app's inference. Every text from the
    content is escaped (it is rich text, written here)."""
    sign = "activates" if edge.sign > 0 else "inhibits"
    cites = "; ".join(esc(cite_names.get(k, k)) for k in edge.cite)
    lines = [f"<b>{esc(source_label)} {sign} {esc(target_label)}</b>"]
    if edge.note:
        lines.append(esc(edge.note))
    lines.append(f"<i>Review §{esc(edge.section)}; "
                 f"{esc(EVIDENCE_WORDS.get(edge.evidence, edge.evidence.replace('_', ' ')))}; {cites}</i>")
    if edge.inference:
        lines.append("<i>The sign of this link is an inference (the review's or this app's), not a finding "
                     "of the studies cited.</i>")
    if edge.gate:
        lines.append(f"<i>A gate in the model: {esc(target_label)} needs this input; without it "
                     f"{esc(target_label)} falls, whatever its other inputs do.</i>")
    return "<br>".join(lines)


class EdgeItem(QGraphicsItem):
    """A signed edge: activation = solid line + arrow head; inhibition = dashed line + flat bar."""

    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem, bend: float = 0.0) -> None:
        super().__init__()
        self.edge = edge
        self.setZValue(0)
        self.highlighted = False
        self.dimmed = False
        self.flow = 0.0  # signal strength through the edge (model layer), widens the line
        self.on_path = False  # part of the "why" trace
        self.projector = False  # high-contrast projector style: twice as thick
        self.focused = False  # the diagram's keyboard cursor is on this link
        self.scheme = LIGHT  # the colour scheme (the projector look overrides it)
        self._pens_key: tuple | None = None
        self._pens: tuple = ()
        self._build(source, target, bend)
        # Antialiased dashed curves are the costliest thing on screen: draw each once per change.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._labels = (source.node.label, target.node.label)
        self.set_cite_names({})

    def set_cite_names(self, names: Mapping[str, str]) -> None:
        """The tooltip names each citation as `names` has it ("Balogh et al., 2018"), else by its key."""
        self.setToolTip(edge_tip(self.edge, *self._labels, names))

    def _build(self, source: NodeItem, target: NodeItem, bend: float) -> None:
        s, t = source.pos(), target.pos()
        mid = (s + t) / 2
        d = t - s
        length = math.hypot(d.x(), d.y()) or 1.0
        normal = QPointF(-d.y() / length, d.x() / length)
        ctrl = mid + normal * bend
        start = source.border_point(ctrl)
        end = target.border_point(ctrl)
        path = QPainterPath(start)
        path.quadTo(ctrl, end)
        self._path = path
        # Direction at the end, for the marker.
        tangent = QLineF(ctrl, end)
        self.simple_line = QLineF(start, end)  # the zoomed-out look: straight, no marker
        self._end = end
        self._angle = math.atan2(tangent.dy(), tangent.dx())
        self._hit: QPainterPath | None = None  # the clickable outline, made when first asked for
        # Room for the widest line (on the path, projector style), its halo and the end marker; more
        # while focused (set_focused).
        self._plain_bounds = path.boundingRect().adjusted(-16, -16, 16, 16)
        self._bounds = self._plain_bounds
        self._pens_key = None  # the end marker moved with the geometry

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._hit is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(8)
            self._hit = stroker.createStroke(self._path)
        return self._hit

    def midpoint(self) -> QPointF:
        """The middle of the drawn curve (where a cut link's cross goes)."""
        return self._path.pointAtPercent(0.5)

    def colours(self) -> Scheme:
        return PROJECTOR if self.projector else self.scheme

    def colour(self) -> QColor:
        """The line's colour: the sign's, or the traced path's."""
        scheme = self.colours()
        return QColor(scheme.path if self.on_path else scheme.activation if self.edge.sign > 0 else scheme.inhibition)

    def simple_pen(self) -> QPen:
        """The pen of the zoomed-out look: one device pixel wide (two on the path or in projector
        style, three in the focus colour under the keyboard cursor), solid or dashed by sign."""
        colour = QColor(self.colours().focus_core) if self.focused else self.colour()
        if self.dimmed:
            colour.setAlphaF(0.18)
        width = FOCUS_CORE_PX if self.focused else 2 if self.projector or self.on_path else 0
        pen = QPen(colour, width, Qt.PenStyle.SolidLine if self.edge.sign > 0 else Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        return pen

    def _changed(self) -> None:
        self.update()
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents:  # drawn by the scene's overview
            self.scene().overview_item_changed(self)  # type: ignore[union-attr]

    def set_state(self, *, highlighted: bool | None = None, dimmed: bool | None = None) -> None:
        changed = False
        if highlighted is not None and highlighted != self.highlighted:
            self.highlighted, changed = highlighted, True
        if dimmed is not None and dimmed != self.dimmed:
            self.dimmed, changed = dimmed, True
        if changed:
            self._changed()

    def set_on_path(self, on: bool) -> None:
        if on != self.on_path:
            self.on_path = on
            self.setZValue(5 if on else 0)
            self._changed()

    def set_projector(self, on: bool) -> None:
        if on != self.projector:
            self.projector = on
            self._changed()

    def set_focused(self, on: bool) -> None:
        """The keyboard cursor is on this link: a band of the focus colour in its halo under the line."""
        if on != self.focused:
            self.prepareGeometryChange()
            self.focused = on
            reach = _FOCUS_REACH + 6
            self._bounds = self._plain_bounds.adjusted(-reach, -reach, reach, reach) if on else self._plain_bounds
            self._changed()

    def set_scheme(self, scheme: Scheme) -> None:
        if scheme is not self.scheme:
            self.scheme = scheme
            self._changed()

    def line_width(self) -> float:
        """The line's width in its current state and style (scene units)."""
        width = 1.4 + 2.5 * self.flow
        if self.highlighted:
            width += 1.4
        if self.on_path:
            width += 2.4
        return width * PROJECTOR_WIDTH if self.projector else width

    def halo_pen(self) -> QPen | None:
        """The translucent band under a line of the traced path (None off the path): with the extra
        width, a cue that does not depend on telling the path's colour from the activation blue."""
        if not self.on_path:
            return None
        colour = halo(self.colours().path, 0.3 if self.dimmed else 0.38)
        return QPen(colour, self.line_width() + 2 * PATH_HALO, _SOLID, Qt.PenCapStyle.RoundCap)

    def set_flow(self, flow: float) -> None:
        flow = round(flow * 20) / 20  # width steps of 0.05: no repaint for invisible changes
        if flow != self.flow:
            self.flow = flow
            self.update()  # the zoomed-out look does not show the flow

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if option.levelOfDetailFromTransform(painter.worldTransform()) < LOD_SIMPLE:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(self.simple_pen())
            painter.drawLine(self.simple_line)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        key = (self.on_path, self.dimmed, self.highlighted, self.projector, self.flow, self.scheme.name)
        if key != self._pens_key:  # pens and marker are rebuilt only when the look changes
            self._pens_key, self._pens = key, self._build_pens()
        halo_pen, line_pen, marker_pen, marker_brush, marker = self._pens
        painter.setBrush(_NO_BRUSH)
        if halo_pen is not None:
            painter.setPen(halo_pen)
            painter.drawPath(self._path)
        if self.focused:  # over the path's translucent halo, which would otherwise veil the band
            for pen in focus_pens(self.colours())[1]:
                painter.setPen(pen)
                painter.drawPath(self._path)
        painter.setPen(line_pen)
        painter.drawPath(self._path)
        painter.setPen(marker_pen)
        painter.setBrush(marker_brush)
        if isinstance(marker, QPolygonF):
            painter.drawPolygon(marker)
        else:
            painter.drawLine(marker)

    def _build_pens(self) -> tuple[QPen | None, QPen, QPen, QBrush, QPolygonF | QLineF]:
        """Halo, pens, brush and end marker (arrow head or bar, in scene coordinates) of the current look."""
        colour = self.colour()
        width = self.line_width()
        if self.dimmed:
            colour.setAlphaF(0.18)
        line_pen = QPen(colour, width, _SOLID if self.edge.sign > 0 else _DASH, _FLAT)
        place = QTransform().translate(self._end.x(), self._end.y()).rotateRadians(self._angle)
        if self.edge.sign > 0:
            size = 9 + width
            head = QPolygonF([QPointF(0, 0), QPointF(-size, -size / 2.2), QPointF(-size, size / 2.2)])
            return self.halo_pen(), line_pen, QPen(colour, width, _SOLID, _FLAT), QBrush(colour), place.map(head)
        bar = 7 + width
        return (self.halo_pen(), line_pen, QPen(colour, width + 1.6, _SOLID, _FLAT), _NO_BRUSH,
                place.map(QLineF(QPointF(-1.5, -bar), QPointF(-1.5, bar))))


class CutMark(QGraphicsItem):
    """A disc with a vermillion cross over the middle of a cut link (drawn, no font needed)."""

    R = 9.0

    def __init__(self, source_label: str, target_label: str, scheme: Scheme = LIGHT) -> None:
        super().__init__()
        self.setZValue(30)
        self.scheme = scheme
        self.setToolTip(tip(f"Cut: {source_label} → {target_label} carries no signal in the model"))

    def set_scheme(self, scheme: Scheme) -> None:
        if scheme is not self.scheme:
            self.scheme = scheme
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        r = self.R + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(self.scheme.cut)
        painter.setPen(QPen(colour, 2.0))
        painter.setBrush(QBrush(QColor(self.scheme.cut_fill)))
        painter.drawEllipse(QPointF(0, 0), self.R, self.R)
        d = self.R * 0.5
        painter.setPen(QPen(colour, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(-d, -d), QPointF(d, d))
        painter.drawLine(QPointF(-d, d), QPointF(d, -d))
