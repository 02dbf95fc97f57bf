"""The view on the diagram: zoom, pan, fit, and a keyboard cursor that moves between nodes."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPixmapCache, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QStyleOptionGraphicsItem

from app.ui.diagram.items import LOD_SIMPLE
from app.ui.diagram.scene import DiagramScene

BUILD_UP_MIN_SHARE = 0.45  # a build-up's view spans at least this share of the diagram's width and height
_NAV_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
             Qt.Key.Key_Return, Qt.Key.Key_Enter)


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
        # 10 MiB pixmap cache holds only a few thousand: with it, a 2000-node overview thrashes and
        # repaints every item every frame (236 ms a frame against 35 ms; tests/benchmarks/test_scale.py).
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))  # KiB
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # Smart: a slider step recolours a few nodes far apart; repainting just their rects (not the
        # box around them all) keeps the redraw's p95 near 5.5 ms, against about 7.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Mechanism diagram")
        self.setAccessibleDescription(
            "Fig. 1 of the review as a diagram. Tab or arrow keys move between nodes, Enter opens "
            "the node's page. The node list mirrors the diagram."
        )
        self.setBackgroundBrush(QColor("#FFFFFF"))
        self._cursor: str | None = None
        self._all_order = [n.id for n in sorted(scene.pathway.nodes, key=lambda n: (n.pos[1], n.pos[0]))]
        self._order = list(self._all_order)
        scene.visibility_changed.connect(self._on_visibility_changed)

    def _on_visibility_changed(self) -> None:
        """A build-up hides nodes: the keyboard cursor moves only between the ones drawn."""
        items = self._scene.node_items
        self._order = [nid for nid in self._all_order if items[nid].isVisible()]
        if self._cursor is not None and self._cursor not in self._order:
            self.set_keyboard_cursor(self._order[0] if self._order else None)
        if not getattr(self, "_user_zoomed", False):
            self.fit_all()  # a build-up step's parts, or the whole diagram again

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
        """Fit the diagram; during a build-up, the parts it shows so far (so the hall can read them)."""
        self.fitInView(self._fit_rect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._user_zoomed = False
        self.zoom_changed.emit(self.zoom())

    def _fit_rect(self) -> QRectF:
        whole = self._scene.sceneRect()
        mode, nodes, edges = self._scene.shown_parts()
        if mode != "hide" or not nodes:
            return whole
        items = [it for nid, it in self._scene.node_items.items() if nid in nodes]
        items += [e for e in self._scene.edge_items if e.edge.key in edges]
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        # Margins, and never closer than BUILD_UP_MIN_SHARE of the diagram: two nodes alone are not
        # blown up to fill the screen, and each step's view stays recognisably the same diagram.
        rect = rect.adjusted(-40, -40, 40, 40)
        w = max(rect.width(), whole.width() * BUILD_UP_MIN_SHARE)
        h = max(rect.height(), whole.height() * BUILD_UP_MIN_SHARE)
        grown = QRectF(0, 0, w, h)
        grown.moveCenter(rect.center())
        # Keep inside the diagram where it can.
        dx = max(0.0, whole.left() - grown.left()) - max(0.0, grown.right() - whole.right())
        dy = max(0.0, whole.top() - grown.top()) - max(0.0, grown.bottom() - whole.bottom())
        return grown.translated(dx, dy)

    def node_point(self, node_id: str) -> QPointF | None:
        """Where the node's centre is in the viewport (pixels); None if it is not drawn."""
        item = self._scene.node_items.get(node_id)
        if item is None or not item.isVisible():
            return None
        return QPointF(self.mapFromScene(item.sceneBoundingRect().center()))

    def centre_on_node(self, node_id: str) -> None:
        item = self._scene.node_items.get(node_id)
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
            item = self._scene.node_items[node_id]
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
        items = self._scene.node_items
        if self._cursor not in items:
            return self._order[0] if self._order else None
        here = items[self._cursor].pos()
        best, best_score = None, math.inf
        for nid, item in items.items():
            if nid == self._cursor or not item.isVisible():
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
        return [(nid, it.label_rect()) for nid, it in self._scene.node_items.items()]
