"""The view on the diagram: zoom, pan, fit, and a keyboard cursor that moves between nodes."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QContextMenuEvent,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmapCache,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QLabel, QStyleOptionGraphicsItem, QToolTip

from app.ui.diagram.items import LOD_SIMPLE, SMALLEST_ZOOM, label_pixels
from app.ui.diagram.scene import DiagramScene

_factory_installed = False


def _accessible_factory(key: str, obj: object):  # noqa: ANN202 - QAccessibleInterface | None
    if isinstance(obj, DiagramView):
        from app.ui.diagram.accessible import DiagramAccessible  # only once a screen reader asks

        return DiagramAccessible(obj)
    return None


def install_accessibility() -> None:
    """Give every DiagramView an accessible interface with its nodes and links (once per process)."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_accessible_factory)
        _factory_installed = True

BUILD_UP_MIN_SHARE = 0.45  # a build-up's view spans at least this share of the diagram's width and height
_NAV_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
             Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _is_menu_key(event: QKeyEvent) -> bool:
    """The Menu key, or Shift+F10: open the context menu of what has the keyboard focus."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (event.key() == Qt.Key.Key_Menu and not mods) or \
        (event.key() == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier)


# A fitted view never shows labels smaller than this (7 px: small, still read; below ~6 px the
# diagram switches to plain boxes, see items.LOD_SIMPLE).
LEGIBLE_LABEL_PX = 7.0


class DiagramView(QGraphicsView):
    """Zoom around the cursor (wheel, Ctrl+=/-), drag to pan, F/Ctrl+0 to fit. Tab and the arrow keys
    move a keyboard cursor between nodes, Enter clicks the one under it, the Menu key or Shift+F10
    opens its menu; L / Shift+L step through its links (Enter follows one, Esc goes back). Screen
    readers see every node and link through app.ui.diagram.accessible."""

    zoom_changed = Signal(float)
    cursor_changed = Signal()  # the keyboard cursor moved, or the diagram gained or lost the focus

    MIN_ZOOM, MAX_ZOOM = SMALLEST_ZOOM, 6.0

    def __init__(self, scene: DiagramScene, parent=None) -> None:
        install_accessibility()  # before anything asks Qt for this view's accessible interface
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
            "Fig. 1 of the review as a diagram. Tab or the arrow keys move between nodes, Enter opens "
            "the node's page, the Menu key or Shift+F10 knocks it out or clamps it; L steps through "
            "its links and Enter follows one. The node list mirrors the diagram."
        )
        self.setProperty("drawsOwnFocus", True)  # the focused node wears the ring, not the whole view
        self._label_floor, self._strict_floor = LEGIBLE_LABEL_PX, False  # see set_label_floor
        self.badge: QLabel | None = None  # see set_badge
        self._cursor: str | None = None
        self._edge: tuple[str, str] | None = None
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

    # --- a mark in the corner -----------------------------------------------------------------
    def set_badge(self, text: str | None) -> None:
        """Show `text` in the view's top-left corner, over the diagram (None: hide it): says that a
        mode which changes what the diagram shows (inquiry) is on, for the whole class to see."""
        if text is None:
            if self.badge is not None:
                self.badge.hide()
            return
        if self.badge is None:
            self.badge = QLabel(self.viewport())
            self.badge.setObjectName("diagram_badge")
            self.badge.setAutoFillBackground(True)
            self.badge.setBackgroundRole(QPalette.ColorRole.Highlight)
            self.badge.setForegroundRole(QPalette.ColorRole.HighlightedText)
            self.badge.setMargin(6)
            self.badge.setTextFormat(Qt.TextFormat.PlainText)
        font = self.badge.font()
        font.setBold(True)
        self.badge.setFont(font)
        self.badge.setText(text)
        self.badge.setAccessibleName(text)
        self.badge.adjustSize()
        self.badge.move(8, 8)
        self.badge.show()
        self.badge.raise_()

    def label_px(self, zoom: float | None = None) -> float:
        """The height in pixels on screen of a node label's font at `zoom` (now: the current zoom)."""
        return label_pixels() * (self.zoom() if zoom is None else zoom)

    def set_label_floor(self, px: float | None, *, strict: bool = False) -> None:
        """The smallest label a fitted view may show (None: the default, LEGIBLE_LABEL_PX). Strict,
        the floor always holds (presentation mode); otherwise fitting a diagram that would need more
        than twice the zoom to reach it shows all of it instead (a huge pathway's overview)."""
        self._label_floor = LEGIBLE_LABEL_PX if px is None else float(px)
        self._strict_floor = strict
        if not getattr(self, "_user_zoomed", False):
            self.fit_all()

    def fit_floor_zoom(self) -> float:
        """The smallest zoom a fit shows (labels at the floor), whatever the view's size."""
        return self._label_floor / label_pixels()

    def width_fit_zoom(self, width: float) -> float:
        """The zoom fit_all would choose for a view `width` pixels wide and tall enough."""
        fit = width / max(1.0, self._scene.sceneRect().width())
        floor = self.fit_floor_zoom()
        return floor if fit < floor and (self._strict_floor or fit >= floor / 2) else fit

    def fit_all(self) -> None:
        """Fit the diagram (during a build-up, the parts it shows so far, so the hall can read them),
        unless its labels would be smaller than the floor: then show as much as fits with legible labels,
        centred on what is lit, marked or selected, or on the build-up's parts (scroll to the rest)."""
        target = self._fit_rect()
        self.fitInView(target, Qt.AspectRatioMode.KeepAspectRatio)
        floor = self.fit_floor_zoom()
        fit = self.zoom()
        if fit < floor and (self._strict_floor or fit >= floor / 2):
            focus = self._scene.focus_rect()
            built_up = target != self._scene.sceneRect()
            centre = (focus if focus is not None and not built_up else target).center()
            self.setTransform(QTransform.fromScale(floor, floor))
            self.centerOn(centre)
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

    @property
    def node_order(self) -> list[str]:
        """The nodes in the order Tab visits them: top to bottom, then left to right."""
        return list(self._order)

    @property
    def keyboard_edge(self) -> tuple[str, str] | None:
        """The link under the keyboard cursor (L / Shift+L), or None while the cursor is on a node."""
        return self._edge

    def set_keyboard_cursor(self, node_id: str | None) -> None:
        if self._edge is not None:
            QToolTip.hideText()
        self._cursor = node_id
        self._edge = None
        if node_id:
            self.ensureVisible(self._scene.node_items[node_id], 40, 40)
        self._cursor_moved()

    def set_keyboard_edge(self, key: tuple[str, str] | None) -> None:
        """Put the cursor on the link `key` (one end becomes the cursor's node if neither is)."""
        if key is not None:
            if self._cursor not in key:
                self._cursor = key[0]
            item = next((e for e in self._scene.edge_items if e.edge.key == key), None)
            if item is None:
                return
            self.ensureVisible(item, 40, 40)
        self._edge = key
        self._cursor_moved()
        if key is not None and self.hasFocus():  # what a mouse user reads by hovering the link
            where = self.viewport().mapToGlobal(self.mapFromScene(item.midpoint()))
            QToolTip.showText(where, item.toolTip(), self.viewport())

    def links_of(self, node_id: str) -> list[tuple[str, str]]:
        """The links L steps through from `node_id`: those leaving it, then those reaching it, each
        group by the other end's label."""
        pathway = self._scene.pathway
        drawn = [e.edge for e in self._scene.edge_items]
        out = sorted((e for e in drawn if e.source == node_id), key=lambda e: pathway.node(e.target).label.lower())
        into = sorted((e for e in drawn if e.target == node_id), key=lambda e: pathway.node(e.source).label.lower())
        return [e.key for e in (*out, *into)]

    def _cursor_moved(self) -> None:
        # The cursor is drawn only while the diagram has the keyboard.
        self._scene.set_focused(self._cursor, self._edge) if self.hasFocus() else self._scene.set_focused(None)
        self.cursor_changed.emit()
        if self.hasFocus():
            self._announce()

    def _announce(self) -> None:
        """Tell a screen reader where the cursor is (only when one listens)."""
        if QAccessible.isActive() and self.hasFocus():
            from app.ui.diagram.accessible import announce_focus

            announce_focus(self)

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

    def _step_link(self, forward: bool) -> None:
        links = self.links_of(self._cursor) if self._cursor else []
        if not links:
            return
        i = links.index(self._edge) + (1 if forward else -1) if self._edge in links else (0 if forward else -1)
        self.set_keyboard_edge(links[i % len(links)])

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
        # Arrow keys, Enter, the menu keys and (on a link) Esc belong to the focused diagram, even
        # though the window binds Right to "step the model" and Esc to "leave presentation".
        if event.type() == QEvent.Type.ShortcutOverride and self._wants(event):
            event.accept()
            return True
        return super().event(event)

    def _wants(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if _is_menu_key(event):
            return True
        if mods:
            return False
        return key in _NAV_KEYS or (key == Qt.Key.Key_Escape and self._edge is not None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows and not mods:
            nxt = self._nearest(*arrows[key])
            if nxt:
                self.set_keyboard_cursor(nxt)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._cursor:
            if self._edge is not None:  # follow the link to its other end
                self.set_keyboard_cursor(self._edge[1] if self._edge[0] == self._cursor else self._edge[0])
            else:  # a keyboard click: selects the node, answers a click-the-node question
                self._scene.click_node(self._cursor)
            event.accept()
            return
        if key == Qt.Key.Key_L and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            self._step_link(forward=not mods)
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self._edge is not None:
            self.set_keyboard_cursor(self._cursor)
            event.accept()
            return
        if _is_menu_key(event):
            self.open_node_menu()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self.open_node_menu()
            event.accept()
            return
        super().contextMenuEvent(event)

    def open_node_menu(self) -> None:
        """The menu of the node under the keyboard cursor (knock out, clamp, release), as a right-click
        on it would open, placed at the node."""
        item = self._scene.node_items.get(self._cursor) if self._cursor else None
        if item is None:
            return
        where = self.viewport().mapToGlobal(self.mapFromScene(item.sceneBoundingRect().center()))
        self._scene.node_context_requested.emit(self._cursor, where)

    def focusInEvent(self, event) -> None:  # noqa: N802, ANN001
        super().focusInEvent(event)
        # From the keyboard the cursor starts on the first node; a click puts it where it lands.
        if self._cursor is None and self._order and event.reason() != Qt.FocusReason.MouseFocusReason:
            self._cursor = self._order[0]
        self._scene.set_focused(self._cursor, self._edge)
        self.cursor_changed.emit()
        # After Qt has told screen readers that the diagram has the focus: then the node in it.
        QTimer.singleShot(0, self, self._announce)

    def focusOutEvent(self, event) -> None:  # noqa: N802, ANN001
        super().focusOutEvent(event)
        self._scene.set_focused(None)
        self.cursor_changed.emit()

    def scene_rect_of_labels(self) -> list[tuple[str, QRectF]]:
        return [(nid, it.label_rect()) for nid, it in self._scene.node_items.items()]
