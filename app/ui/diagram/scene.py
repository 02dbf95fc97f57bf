"""The mechanism diagram: a scene built from the Pathway and a view with zoom, pan and keys."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPen, QPixmapCache, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.model.pathway import Pathway
from app.ui.diagram.items import (
    ACTIVATION,
    DOWN,
    INHIBITION,
    LOD_SIMPLE,
    PATH,
    PROJECTOR_WIDTH,
    SIMPLE_BORDER,
    UP,
    CompartmentItem,
    EdgeItem,
    NodeItem,
    kind_fill,
    node_shape,
)

_NAV_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
             Qt.Key.Key_Return, Qt.Key.Key_Enter)
_BENDS = (0.0, 28.0, -28.0, 56.0, -56.0, 90.0, -90.0, 130.0, -130.0)
# Bernstein weights of the 23 inner sample points of a quadratic curve (routing checks them).
_BEZIER = tuple(((1 - u) ** 2, 2 * u * (1 - u), u * u) for u in (i / 24 for i in range(1, 24)))


def _hits(points: list[tuple[float, float]], rect: tuple[float, float, float, float]) -> bool:
    left, top, right, bottom = rect
    return any(left <= x <= right and top <= y <= bottom for x, y in points)


class _RectGrid:
    """A uniform grid over node rectangles, so routing an edge looks only at the nodes near it
    (linear instead of quadratic in the number of nodes for large pathways)."""

    CELL = 200.0
    MAX_CELLS = 64  # a rect or box spanning more cells than this is checked the slow way

    def __init__(self, rects: dict[str, tuple[float, float, float, float]]) -> None:
        self._rects = rects
        self._cells: dict[tuple[int, int], list[str]] = {}
        self._wide: list[str] = []  # huge rects (absurd labels, coordinates): always candidates
        for nid, rect in rects.items():
            keys = self._keys(*rect)
            if keys is None:
                self._wide.append(nid)
                continue
            for key in keys:
                self._cells.setdefault(key, []).append(nid)

    def _keys(self, left: float, top: float, right: float, bottom: float) -> list[tuple[int, int]] | None:
        c = self.CELL
        if not all(map(math.isfinite, (left, top, right, bottom))):
            return None
        gx0, gx1 = math.floor(left / c), math.floor(right / c)
        gy0, gy1 = math.floor(top / c), math.floor(bottom / c)
        if (gx1 - gx0 + 1) * (gy1 - gy0 + 1) > self.MAX_CELLS:
            return None
        return [(gx, gy) for gx in range(gx0, gx1 + 1) for gy in range(gy0, gy1 + 1)]

    def overlapping(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[str, tuple]]:
        """(id, rect) of every node rect that overlaps the box [x0, x1] x [y0, y1]."""
        keys = self._keys(x0, y0, x1, y1)
        if keys is None:
            ids = self._rects.keys()
        else:
            ids = set(self._wide)
            for key in keys:
                ids.update(self._cells.get(key, ()))
        rects = self._rects
        return [(nid, rects[nid]) for nid in ids
                if rects[nid][0] <= x1 and rects[nid][2] >= x0 and rects[nid][1] <= y1 and rects[nid][3] >= y0]


class _SceneNodeItem(NodeItem):
    """A NodeItem that reports hover and clicks to its scene (ids go up)."""

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self.scene()._on_node_hovered(self.node.id)  # type: ignore[union-attr]
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self.scene()._on_node_hovered(None)  # type: ignore[union-attr]
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        scene = self.scene()
        if event.button() == Qt.MouseButton.LeftButton:
            scene.node_clicked.emit(self.node.id)  # type: ignore[union-attr]
        elif event.button() == Qt.MouseButton.RightButton:
            scene.node_context_requested.emit(self.node.id, event.screenPos())  # type: ignore[union-attr]
        event.accept()


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
        self.show_changes = False  # the model colours' key, shown once the model runs
        self.projector = False  # the key follows the diagram's projector style
        self.changes_caption = "Change against the premenopausal reference:"  # compare_ui names a pinned run
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_projector(self, on: bool) -> None:
        if on != self.projector:
            self.projector = on
            self.update()

    def set_show_changes(self, on: bool) -> None:
        if on != self.show_changes:
            self.prepareGeometryChange()
            self.show_changes = on
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self._width, 44 + (26 if self.show_changes else 0))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font)
        font.setBold(self.projector)
        painter.setFont(font)
        ink = QColor("#000000" if self.projector else "#222222")
        thick = PROJECTOR_WIDTH if self.projector else 1.0
        x = 10.0
        for kind, text in self.KINDS:
            shape = node_shape(kind, 34, 18).translated(x + 17, 22)
            painter.setPen(QPen(QColor("#000000" if self.projector else "#333333"), 1.1 * thick))
            painter.setBrush(kind_fill(kind, self.projector))
            painter.drawPath(shape)
            painter.setPen(ink)
            painter.drawText(QPointF(x + 40, 26), text)
            x += 48 + painter.fontMetrics().horizontalAdvance(text) + 14
        for sign, text in ((1, "activates"), (-1, "inhibits")):
            colour = ACTIVATION if sign > 0 else INHIBITION
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
        for colour, text in ((UP, "▲ more active"), (DOWN, "▼ less active")):
            painter.setPen(QPen(QColor("#333333"), 1))
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(x, y, 30, 16), 4, 4)
            painter.setPen(ink)
            painter.drawText(QPointF(x + 36, y + 12), text)
            x += 50 + painter.fontMetrics().horizontalAdvance(text)
        painter.setPen(QPen(PATH, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(x, y, 30, 16), 4, 4)
        painter.setPen(ink)
        painter.drawText(QPointF(x + 36, y + 12),
                         "on the traced path;  KO / ▲ fixed / ▼ fixed = knocked out or clamped")


class _OverviewItem(QGraphicsItem):
    """Zoomed far out, draws every node and edge in the simple look in one go: a few batched
    QPainter calls instead of one Python paint() per item (which alone costs ~30 ms for 6000 items).
    Meanwhile the nodes and edges carry ItemHasNoContents: they still take hover and clicks."""

    def __init__(self, scene: DiagramScene) -> None:
        super().__init__()
        self._scene = scene
        self.setZValue(1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setVisible(False)
        self._bounds = QRectF()
        self._batches: list | None = None

    def set_bounds(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._bounds = QRectF(rect)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def invalidate(self) -> None:
        """A node or edge changed its look: regroup before the next paint."""
        self._batches = None

    def _group(self) -> list[tuple[QPen, QColor | None, str, list]]:
        """(pen, brush, "lines"|"rects", shapes): edges first, then nodes, each group one call."""
        lines: dict[tuple[int, int], tuple[QPen, list[QLineF]]] = {}
        for edge in self._scene.edge_items:
            pen = edge.simple_pen()
            key = (pen.color().rgba(), 0 if pen.style() == Qt.PenStyle.SolidLine else 1)
            lines.setdefault(key, (pen, []))[1].append(edge.simple_line)
        boxes: dict[int, tuple[QColor, list[QRectF]]] = {}
        outlined = []
        for node in self._scene.item_for_node.values():
            fill, border = node.simple_look()
            if border is None:
                boxes.setdefault(fill.rgba(), (fill, []))[1].append(node.simple_rect())
            else:
                outlined.append((QPen(border, SIMPLE_BORDER), fill, "rects", [node.simple_rect()]))
        no_pen = QPen(Qt.PenStyle.NoPen)
        return ([(pen, None, "lines", batch) for pen, batch in lines.values()]
                + [(no_pen, fill, "rects", batch) for fill, batch in boxes.values()] + outlined)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._batches is None:
            self._batches = self._group()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen, brush, kind, shapes in self._batches:
            painter.setPen(pen)
            if kind == "lines":
                painter.drawLines(shapes)
            else:
                painter.setBrush(brush)
                painter.drawRects(shapes)


class DiagramScene(QGraphicsScene):
    """Holds one item per node and edge (`item_for_node`) and their display state."""

    node_clicked = Signal(str)
    node_hovered = Signal(object)  # node id or None
    node_context_requested = Signal(str, object)  # node id, global QPoint

    CACHE_LIMIT = 300  # nodes + edges above which items draw without pixmap caches

    def __init__(self, pathway: Pathway, parent=None) -> None:
        super().__init__(parent)
        self.pathway = pathway
        self.item_for_node: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self._selected: str | None = None
        self._focused: str | None = None
        self._hovered: str | None = None
        self._search: set[str] = set()
        self._overview_on = False
        self._projector = False
        self._build()

    def _build(self) -> None:
        for comp in self.pathway.compartments:
            self.addItem(CompartmentItem(comp))
        for node in self.pathway.nodes:
            item = _SceneNodeItem(node)
            self.addItem(item)
            self.item_for_node[node.id] = item
        pairs = {(e.source, e.target) for e in self.pathway.edges}
        # Plain tuples: routing tests thousands of points, and Qt calls per point are slow.
        self._rects = {}
        for nid, it in self.item_for_node.items():
            r = it.mapRectToScene(it.shape().boundingRect()).adjusted(-4, -4, 4, 4)
            self._rects[nid] = (r.left(), r.top(), r.right(), r.bottom())
        self._grid = _RectGrid(self._rects)
        for edge in self.pathway.edges:
            src = self.item_for_node.get(edge.source)
            tgt = self.item_for_node.get(edge.target)
            if src is None or tgt is None or src is tgt:
                continue
            item = EdgeItem(edge, src, tgt, self._route(edge, src, tgt, pairs))
            self.addItem(item)
            self.edge_items.append(item)
        # Per-item pixmap caches pay off while few items change, as in the real diagram. In a big
        # pathway a zoom step invalidates hundreds of them at once and re-rendering through the
        # cache costs about twice as much as drawing directly, so big scenes draw directly.
        self._detail_cache = QGraphicsItem.CacheMode.DeviceCoordinateCache
        if len(self.item_for_node) + len(self.edge_items) > self.CACHE_LIMIT:
            self._detail_cache = QGraphicsItem.CacheMode.NoCache
            for item in (*self.item_for_node.values(), *self.edge_items):
                item.setCacheMode(self._detail_cache)
        bounds = self.itemsBoundingRect()
        self._overview = _OverviewItem(self)
        self._overview.set_bounds(bounds)  # the items' own margins hold the simple look's outline
        self.addItem(self._overview)
        legend = LegendItem(max(bounds.width(), 1000))
        legend.setPos(bounds.left(), bounds.bottom() + 8)
        self.addItem(legend)
        self.legend = legend
        if not self.pathway.nodes:
            msg = QGraphicsSimpleTextItem("No diagram: content/pathway.yaml could not be read.\n"
                                          "See View ▸ Content problems for the file and line.")
            font = QFont()
            font.setPointSize(14)
            msg.setFont(font)
            self.addItem(msg)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-30, -30, 30, 30))

    def _route(self, edge, src: NodeItem, tgt: NodeItem, pairs: set[tuple[str, str]]) -> float:
        """Pick the smallest bend that keeps the edge off other nodes' outlines."""
        ends = (src.node.id, tgt.node.id)
        reverse = (edge.target, edge.source) in pairs
        candidates = _BENDS[1:] if reverse else _BENDS
        if reverse and edge.source > edge.target:
            candidates = tuple(-b for b in candidates)
        sx, sy, tx, ty = src.pos().x(), src.pos().y(), tgt.pos().x(), tgt.pos().y()
        length = math.hypot(tx - sx, ty - sy) or 1.0
        nx_, ny_ = -(ty - sy) / length, (tx - sx) / length
        for bend in candidates:
            cx, cy = (sx + tx) / 2 + nx_ * bend, (sy + ty) / 2 + ny_ * bend
            xs = [a * sx + b * cx + c * tx for a, b, c in _BEZIER]
            ys = [a * sy + b * cy + c * ty for a, b, c in _BEZIER]
            points = list(zip(xs, ys, strict=True))
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            near = [r for nid, r in self._grid.overlapping(x0, y0, x1, y1) if nid not in ends]
            if not any(_hits(points, rect) for rect in near):
                return bend
        return candidates[0]

    # --- projector style -------------------------------------------------------------------
    @property
    def projector_style(self) -> bool:
        return self._projector

    def set_projector_style(self, on: bool) -> None:
        """High contrast for presentation mode: black outlines and bold black labels, stronger
        fills, edges twice as thick. Node sizes and positions stay; off restores the normal look."""
        if on == self._projector:
            return
        self._projector = on
        for item in self.items():
            if isinstance(item, (NodeItem, EdgeItem, CompartmentItem, LegendItem)):
                item.set_projector(on)
        self._overview.invalidate()
        self.update()

    # --- level of detail -------------------------------------------------------------------
    @property
    def overview_mode(self) -> bool:
        return self._overview_on

    def set_overview_mode(self, on: bool) -> None:
        """Zoomed far out: draw nodes and edges batched in their simple look (see _OverviewItem)
        and skip their own paint() and pixmap caches; off restores the items' own drawing."""
        if on == self._overview_on:
            return
        self._overview_on = on
        cache = QGraphicsItem.CacheMode.NoCache if on else self._detail_cache
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for item in (*self.item_for_node.values(), *self.edge_items):
            item.setFlag(flag, on)
            item.setCacheMode(cache)
        self._overview.invalidate()
        self._overview.setVisible(on)
        self.update()

    def overview_item_changed(self, item: QGraphicsItem) -> None:
        """A node or edge drawn by the overview changed its look."""
        self._overview.invalidate()
        self.update(item.sceneBoundingRect())

    def render(self, painter: QPainter, target: QRectF = QRectF(), source: QRectF = QRectF(),  # noqa: B008
               mode: Qt.AspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio) -> None:
        """As QGraphicsScene.render, but every item draws itself at the export's own scale,
        whatever the zoom of the view on screen."""
        overview = self._overview_on
        self.set_overview_mode(False)
        try:
            super().render(painter, target, source, mode)
        finally:
            self.set_overview_mode(overview)

    # --- state from outside (setters) -----------------------------------------------------
    def set_selected(self, node_id: str | None) -> None:
        if node_id == self._selected:
            return
        if self._selected in self.item_for_node:
            self.item_for_node[self._selected].set_state(selected=False)
        self._selected = node_id
        if node_id in self.item_for_node:
            self.item_for_node[node_id].set_state(selected=True)

    def set_focused(self, node_id: str | None) -> None:
        if self._focused in self.item_for_node:
            self.item_for_node[self._focused].set_state(focused=False)
        self._focused = node_id
        if node_id in self.item_for_node:
            self.item_for_node[node_id].set_state(focused=True)

    def set_search_matches(self, node_ids: list[str]) -> None:
        self._search = set(node_ids)
        for nid, item in self.item_for_node.items():
            item.set_state(search_hit=nid in self._search)

    @property
    def search_matches(self) -> set[str]:
        return set(self._search)

    @property
    def hovered(self) -> str | None:
        return self._hovered

    def _on_node_hovered(self, node_id: str | None) -> None:
        """Highlight the hovered node and its direct neighbours; dim the rest."""
        if node_id == self._hovered:
            return
        self._hovered = node_id
        near = self.pathway.neighbours(node_id) | {node_id} if node_id else set()
        for nid, item in self.item_for_node.items():
            item.set_state(highlighted=bool(node_id) and nid in near,
                           dimmed=bool(node_id) and nid not in near)
        for edge_item in self.edge_items:
            touches = node_id in (edge_item.edge.source, edge_item.edge.target)
            edge_item.set_state(highlighted=bool(node_id) and touches,
                                dimmed=bool(node_id) and not touches)
        self.node_hovered.emit(node_id)

    def highlighted_nodes(self) -> set[str]:
        return {nid for nid, it in self.item_for_node.items() if it.highlighted}


class DiagramView(QGraphicsView):
    """Zoom around the cursor (wheel, Ctrl+=/-), drag to pan, F/Ctrl+0 to fit; Tab and the
    arrow keys move a keyboard cursor between nodes and Enter opens the one under it."""

    node_activated = Signal(str)  # Enter on the keyboard cursor
    zoom_changed = Signal(float)

    MIN_ZOOM, MAX_ZOOM = 0.15, 6.0

    def __init__(self, scene: DiagramScene, parent=None) -> None:
        super().__init__(scene, parent)
        self._scene = scene
        # Every node and edge caches its look as a pixmap (DeviceCoordinateCache). Qt's default
        # 10 MiB pixmap cache holds only a few thousand: a 2000-node overview then thrashed and
        # repainted every item every frame (236 ms instead of 35 ms; tests/benchmarks/test_scale.py).
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))  # KiB
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # Smart: a slider step recolours a few nodes far apart, and repainting just their rects
        # (not the box around them all) took the redraw's p95 from about 7 to 5.5 ms.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Mechanism diagram")
        self.setAccessibleDescription(
            "Fig. 1 of the review as a diagram. Tab or arrow keys move between nodes, Enter opens "
            "the node's page. The node list mirrors the diagram."
        )
        self.setBackgroundBrush(QColor("#FFFFFF"))
        self._cursor: str | None = None
        self._order = [n.id for n in sorted(scene.pathway.nodes, key=lambda n: (n.pos[1], n.pos[0]))]

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        # Whichever way the transform changed (zoom_by, fitInView, scale), pick the drawing mode
        # for this frame: batched simple shapes when labels would be too small to read.
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(self.transform())
        self._scene.set_overview_mode(lod < LOD_SIMPLE)
        super().paintEvent(event)

    # --- zoom -----------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor_view_pos: QPointF | None = None) -> None:
        current = self.zoom()
        factor = max(self.MIN_ZOOM / current, min(self.MAX_ZOOM / current, factor))
        if abs(factor - 1.0) < 1e-9:
            return
        self._user_zoomed = True
        if anchor_view_pos is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(factor, factor)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        else:
            # Keep the scene point under the cursor fixed (zoom around the cursor): scale, then
            # scroll by however far that point moved. Scroll bars clamp at the scene's edges.
            before = self.mapToScene(anchor_view_pos.toPoint())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(factor, factor)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            moved = self.mapFromScene(before) - anchor_view_pos.toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self.zoom_changed.emit(self.zoom())

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit_all(self) -> None:
        self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._user_zoomed = False
        self.zoom_changed.emit(self.zoom())

    def centre_on_node(self, node_id: str) -> None:
        item = self._scene.item_for_node.get(node_id)
        if item is not None:
            self.centerOn(item)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15 ** steps, event.position())
        event.accept()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        if not getattr(self, "_user_zoomed", False):
            self.fit_all()

    # --- keyboard -------------------------------------------------------------------------
    @property
    def keyboard_cursor(self) -> str | None:
        return self._cursor

    def set_keyboard_cursor(self, node_id: str | None) -> None:
        self._cursor = node_id
        # The dotted cursor is drawn only while the diagram has the keyboard.
        self._scene.set_focused(node_id if self.hasFocus() else None)
        if node_id:
            item = self._scene.item_for_node[node_id]
            self.ensureVisible(item, 40, 40)
            self.setAccessibleDescription(f"Keyboard cursor on {item.node.name}")

    def _step(self, forward: bool) -> bool:
        if not self._order:
            return False
        if self._cursor not in self._order:
            target = self._order[0 if forward else -1]
        else:
            i = self._order.index(self._cursor) + (1 if forward else -1)
            if not 0 <= i < len(self._order):
                return False  # let focus leave the diagram after the last node
            target = self._order[i]
        self.set_keyboard_cursor(target)
        return True

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        if self.hasFocus() and self._step(forward):
            return True
        return super().focusNextPrevChild(forward)

    def _nearest(self, dx: int, dy: int) -> str | None:
        items = self._scene.item_for_node
        if self._cursor not in items:
            return self._order[0] if self._order else None
        here = items[self._cursor].pos()
        best, best_score = None, math.inf
        for nid, item in items.items():
            if nid == self._cursor:
                continue
            d = item.pos() - here
            along = d.x() * dx + d.y() * dy
            if along <= 1:
                continue
            across = abs(d.x() * dy) + abs(d.y() * dx)
            score = along + 2.5 * across  # prefer nodes straight ahead
            if score < best_score:
                best, best_score = nid, score
        return best

    def event(self, event) -> bool:  # noqa: ANN001
        # Arrow keys and Enter move the keyboard cursor here, even though the window binds
        # Right to "step the model": the focused diagram gets them first.
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in _NAV_KEYS \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            nxt = self._nearest(*arrows[key])
            if nxt:
                self.set_keyboard_cursor(nxt)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._cursor:
            self.node_activated.emit(self._cursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802, ANN001
        super().focusInEvent(event)
        if self._cursor is None and self._order:
            self._cursor = self._order[0]
        self._scene.set_focused(self._cursor)

    def focusOutEvent(self, event) -> None:  # noqa: N802, ANN001
        super().focusOutEvent(event)
        self._scene.set_focused(None)

    def scene_rect_of_labels(self) -> list[tuple[str, QRectF]]:
        return [(nid, it.label_rect()) for nid, it in self._scene.item_for_node.items()]
