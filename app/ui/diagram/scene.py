"""The diagram's scene: one item per node and edge of the Pathway, routed around each other, and the
only place their display state is set (what is lit and tinted goes through the overlay stack)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from PySide6.QtCore import QLineF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.model.pathway import Pathway
from app.ui.diagram.items import SIMPLE_BORDER, CompartmentItem, CutMark, EdgeItem, NodeItem
from app.ui.diagram.legend import REFERENCE_CAPTION, LegendItem
from app.ui.diagram.overlays import Layer, OverlayStack
from app.ui.palette import LIGHT, PROJECTOR, Scheme

_REFERENCE = object()  # set_changes(): the caption of the model's reference
# Focus: what is not in focus is drawn at this opacity, so it reads as faded context (black text on
# white comes out about #B3B3B3, 2.2:1) while the focused parts keep their full contrast. Opacity,
# not a colour, so the light, dark and projector looks all fade the same way.
DIM_OPACITY = 0.3
VISIBILITY_MODES = ("dim", "hide")

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


def _alpha(colour: QColor, opacity: float) -> QColor:
    out = QColor(colour)
    out.setAlphaF(colour.alphaF() * opacity)
    return out


def _faded(pen: QPen, opacity: float) -> QPen:
    if opacity >= 1:
        return pen
    out = QPen(pen)
    out.setColor(_alpha(pen.color(), opacity))
    return out


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
        for edge in self._scene._edge_items:
            if not edge.isVisible():
                continue
            pen = _faded(edge.simple_pen(), edge.opacity())
            key = (pen.color().rgba(), 0 if pen.style() == Qt.PenStyle.SolidLine else 1)
            lines.setdefault(key, (pen, []))[1].append(edge.simple_line)
        boxes: dict[int, tuple[QColor, list[QRectF]]] = {}
        outlined, rings = [], []
        for node in self._scene._items.values():
            if not node.isVisible():
                continue
            fill, border = node.simple_look()
            if node.opacity() < 1:
                fill = _alpha(fill, node.opacity())
                border = None if border is None else _alpha(border, node.opacity())
            if border is None:
                boxes.setdefault(fill.rgba(), (fill, []))[1].append(node.simple_rect())
            else:
                outlined.append((QPen(border, SIMPLE_BORDER), fill, "rects", [node.simple_rect()]))
            ring = node.focus_ring()
            if ring is not None:  # over every node: drawn last
                rect, pens = ring
                rings += [(pen, Qt.BrushStyle.NoBrush, "rects", [rect.translated(node.pos())]) for pen in pens]
        no_pen = QPen(Qt.PenStyle.NoPen)
        return ([(pen, None, "lines", batch) for pen, batch in lines.values()]
                + [(no_pen, fill, "rects", batch) for fill, batch in boxes.values()] + outlined + rings)

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
    """One item per node and edge. The node-to-item map is private: others say what to show (light
    these, tint those, mark that) through the setters, each for its own overlay layer."""

    node_clicked = Signal(str)
    node_hovered = Signal(object)  # node id or None
    node_context_requested = Signal(str, object)  # node id, global QPoint
    marks_changed = Signal()  # what a node or link shows changed (tints, badges, path, selection…): for screen readers
    visibility_changed = Signal()  # a focus or build-up changed what is shown

    CACHE_LIMIT = 300  # nodes + edges above which items draw without pixmap caches

    def __init__(self, pathway: Pathway, parent=None) -> None:
        super().__init__(parent)
        self.pathway = pathway
        self._items: dict[str, NodeItem] = {}
        self._edge_items: list[EdgeItem] = []
        self._cut_marks: dict[tuple[str, str], CutMark] = {}
        self._marked: frozenset[str] = frozenset()  # the top overlay's marked nodes, drawn as search hits
        self._selected: str | None = None
        self._focused: str | None = None
        self._focused_edge: tuple[str, str] | None = None
        self._hovered: str | None = None
        self._search: set[str] = set()
        self._overview_on = False
        self._projector = False
        self._scheme = LIGHT
        self._message: QGraphicsSimpleTextItem | None = None  # says why there is no diagram
        self._reference_caption = REFERENCE_CAPTION
        self._visibility: tuple[str | None, frozenset, frozenset] = (None, frozenset(), frozenset())
        self._build()
        self._paint_canvas()
        self._overlays = OverlayStack({"lit": self._paint_lit, "changes": self._paint_changes,
                                       "flows": self._paint_flows, "marked": self._paint_marked,
                                       "hover": self._paint_hover, "visibility": self._paint_visibility})

    def _build(self) -> None:
        for comp in self.pathway.compartments:
            self.addItem(CompartmentItem(comp))
        for node in self.pathway.nodes:
            item = _SceneNodeItem(node)
            self.addItem(item)
            self._items[node.id] = item
        pairs = {(e.source, e.target) for e in self.pathway.edges}
        # Plain tuples: routing tests thousands of points, and Qt calls per point are slow.
        self._rects = {}
        for nid, it in self._items.items():
            r = it.mapRectToScene(it.shape().boundingRect()).adjusted(-4, -4, 4, 4)
            self._rects[nid] = (r.left(), r.top(), r.right(), r.bottom())
        self._grid = _RectGrid(self._rects)
        for edge in self.pathway.edges:
            src = self._items.get(edge.source)
            tgt = self._items.get(edge.target)
            if src is None or tgt is None or src is tgt:
                continue
            item = EdgeItem(edge, src, tgt, self._route(edge, src, tgt, pairs))
            self.addItem(item)
            self._edge_items.append(item)
        # Per-item pixmap caches pay off while few items change, as in the real diagram. In a big
        # pathway a zoom step invalidates hundreds of them at once and re-rendering through the
        # cache costs about twice as much as drawing directly, so big scenes draw directly.
        self._detail_cache = QGraphicsItem.CacheMode.DeviceCoordinateCache
        if len(self._items) + len(self._edge_items) > self.CACHE_LIMIT:
            self._detail_cache = QGraphicsItem.CacheMode.NoCache
            for item in (*self._items.values(), *self._edge_items):
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
            self._message = msg
        self.setSceneRect(self.itemsBoundingRect().adjusted(-30, -30, 30, 30))

    def set_cite_names(self, names: Mapping[str, str]) -> None:
        """Edge tooltips name their sources as `names` maps reference keys ("Balogh et al., 2018")."""
        for item in self._edge_items:
            item.set_cite_names(names)

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
        """High contrast for presentation mode: black outlines and bold black labels on white,
        stronger fills, edges twice as thick. Node sizes and positions stay; off restores the
        normal look (light or dark)."""
        if on == self._projector:
            return
        self._projector = on
        for item in self.items():
            if isinstance(item, (NodeItem, EdgeItem, CompartmentItem, LegendItem)):
                item.set_projector(on)
        self._paint_canvas()

    # --- colour scheme ---------------------------------------------------------------------
    @property
    def scheme(self) -> Scheme:
        """The colour scheme (app.ui.palette) the diagram is drawn in outside presentation mode."""
        return self._scheme

    def colours(self) -> Scheme:
        """The colours drawn now: the projector look while presenting, else the scheme."""
        return PROJECTOR if self._projector else self._scheme

    def set_scheme(self, scheme: Scheme) -> None:
        """Light or dark: the canvas, compartments, nodes, edges, marks and the legend."""
        if scheme is self._scheme:
            return
        self._scheme = scheme
        for item in self.items():
            if isinstance(item, (NodeItem, EdgeItem, CompartmentItem, LegendItem, CutMark)):
                item.set_scheme(scheme)
        self._paint_canvas()

    def _paint_canvas(self) -> None:
        colours = self.colours()
        self.setBackgroundBrush(QColor(colours.canvas))
        if self._message is not None:
            self._message.setBrush(QColor(colours.ink))
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
        for item in (*self._items.values(), *self._edge_items):
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

    # --- what is drawn: read-only views for the view, exports and tests -----------------------
    @property
    def node_items(self) -> Mapping[str, NodeItem]:
        """Node id -> its item, read-only. Items change only through the scene's setters."""
        return MappingProxyType(self._items)

    @property
    def edge_items(self) -> tuple[EdgeItem, ...]:
        return tuple(self._edge_items)

    @property
    def cut_marks(self) -> Mapping[tuple[str, str], QGraphicsItem]:
        """(source, target) -> the cross drawn on that cut link, read-only."""
        return MappingProxyType(self._cut_marks)

    def focus_rect(self) -> QRectF | None:
        """Where the diagram's attention is: the lit path, the marked nodes and the selection (scene
        coordinates; None when nothing is)."""
        ids = self.lit_nodes() | set(self._marked) | ({self._selected} if self._selected else set())
        rects = [self._items[nid].sceneBoundingRect() for nid in ids if nid in self._items]
        if not rects:
            return None
        out = QRectF(rects[0])
        for r in rects[1:]:
            out = out.united(r)
        return out

    def lit_nodes(self) -> set[str]:
        return {nid for nid, it in self._items.items() if it.on_path}

    def lit_edges(self) -> set[tuple[str, str]]:
        return {e.edge.key for e in self._edge_items if e.on_path}

    def shown_flows(self) -> dict[tuple[str, str], float]:
        """The signal each edge is drawn carrying now."""
        return {e.edge.key: e.flow for e in self._edge_items}

    def shown(self, channel: str) -> Layer | None:
        """The overlay layer drawn on `channel` ("lit", "changes", "flows", "marked", "hover")."""
        return self._overlays.shown(channel)

    # --- overlays: each feature sets its own layer; the highest layer with a value is drawn -------
    def set_lit(self, layer: Layer, nodes: Iterable[str] | None, edges: Iterable[tuple[str, str]] = ()) -> None:
        """Outline a path: `nodes` and `edges` for `layer`; None gives the diagram back to the layers below."""
        value = None if nodes is None else (frozenset(nodes), frozenset(tuple(e) for e in edges))
        self._overlays.set("lit", layer, value)

    def set_reference_caption(self, caption: str) -> None:
        """What set_changes() writes over the colour key by default: what the model compares with."""
        old, self._reference_caption = self._reference_caption, caption
        value = self._overlays.value("changes", Layer.MODEL)
        if value is not None and value[1] == old:  # the model's colours are keyed with the old words
            self._overlays.set("changes", Layer.MODEL, (value[0], caption))

    def set_changes(self, layer: Layer, changes: Mapping[str, float] | None,
                    caption: str | None | object = _REFERENCE) -> None:
        """Tint each node by its change (warm: up, cool: down), with `caption` over the legend's key to
        the colours (None: no key, as while the colours are hidden; by default, what the model's
        reference is); None gives the tints back."""
        if caption is _REFERENCE:
            caption = self._reference_caption
        value = None if changes is None else (dict(changes), caption)
        self._overlays.set("changes", layer, value)

    def set_flows(self, layer: Layer, flows: Mapping[tuple[str, str], float] | None) -> None:
        """Widen each edge by the signal it carries."""
        self._overlays.set("flows", layer, None if flows is None else dict(flows))

    def set_marked(self, layer: Layer, nodes: Iterable[str] | None) -> None:
        """Mark nodes as the search marks its hits (a tour step's nodes)."""
        self._overlays.set("marked", layer, None if nodes is None else frozenset(nodes))

    def set_visibility(self, layer: Layer, nodes: Iterable[str] | None, edges: Iterable[tuple[str, str]] = (),
                       mode: str | None = "dim") -> None:
        """Show only part of the diagram: with `mode` "dim" everything but `nodes` and `edges` fades to
        context (DIM_OPACITY); with "hide" only they are drawn, and the rest takes no clicks, hover
        or keyboard cursor. `nodes` None (or `mode` None) gives the diagram back to the layers below."""
        if mode is not None and mode not in VISIBILITY_MODES:
            raise ValueError(f"visibility mode must be one of {', '.join(VISIBILITY_MODES)} or None (got {mode!r})")
        value = None if nodes is None or mode is None else \
            (mode, frozenset(nodes), frozenset(tuple(e) for e in edges))
        self._overlays.set("visibility", layer, value)

    def shown_parts(self) -> tuple[str | None, frozenset[str], frozenset[tuple[str, str]]]:
        """The visibility drawn now: (mode or None, nodes kept, edges kept)."""
        return self._visibility

    def clear_overlay(self, layer: Layer) -> None:
        """Take `layer` off every channel."""
        self._overlays.clear(layer)

    def _paint_lit(self, value: tuple[frozenset, frozenset] | None) -> None:
        nodes, edges = value or (frozenset(), frozenset())
        for nid, item in self._items.items():
            item.set_on_path(nid in nodes)
        for edge_item in self._edge_items:
            edge_item.set_on_path(edge_item.edge.key in edges)
        self.marks_changed.emit()

    def _paint_changes(self, value: tuple[dict, str | None] | None) -> None:
        changes, caption = value or ({}, None)
        for nid, item in self._items.items():
            item.set_change(changes.get(nid, 0.0))
        self.legend.set_changes_key(caption)
        self.marks_changed.emit()

    def _paint_flows(self, value: dict | None) -> None:
        flows = value or {}
        for edge_item in self._edge_items:
            edge_item.set_flow(flows.get(edge_item.edge.key, 0.0))
        self.marks_changed.emit()

    def _paint_marked(self, value: frozenset | None) -> None:
        self._marked = value or frozenset()
        self._paint_search_hits()

    def _paint_hover(self, node_id: str | None) -> None:
        near = self.pathway.neighbours(node_id) | {node_id} if node_id else set()
        for nid, item in self._items.items():
            item.set_state(highlighted=bool(node_id) and nid in near, dimmed=bool(node_id) and nid not in near)
        for edge_item in self._edge_items:
            touches = node_id in (edge_item.edge.source, edge_item.edge.target)
            edge_item.set_state(highlighted=bool(node_id) and touches, dimmed=bool(node_id) and not touches)

    def _paint_visibility(self, value: tuple[str, frozenset, frozenset] | None) -> None:
        mode, nodes, edges = value or (None, frozenset(), frozenset())
        self._visibility = (mode, nodes, edges)
        for nid, item in self._items.items():
            keep = mode is None or nid in nodes
            item.setVisible(keep or mode != "hide")
            item.setOpacity(1.0 if keep or mode != "dim" else DIM_OPACITY)
            if not item.isVisible() and self._hovered == nid:
                self._on_node_hovered(None)  # a hidden node is hovered no more
        for edge_item in self._edge_items:
            key = edge_item.edge.key
            keep = mode is None or key in edges
            edge_item.setVisible(keep or mode != "hide")
            edge_item.setOpacity(1.0 if keep or mode != "dim" else DIM_OPACITY)
            mark = self._cut_marks.get(key)
            if mark is not None:
                mark.setVisible(edge_item.isVisible())
                mark.setOpacity(edge_item.opacity())
        self._overview.invalidate()
        self.update()
        self.visibility_changed.emit()

    # --- the model's state and the scene's own marks ------------------------------------------
    def set_clamps(self, modes: Mapping[str, str]) -> None:
        """Badge the knocked-out and clamped nodes: id -> "knockout" | "high" | "low"."""
        for nid, item in self._items.items():
            item.set_clamp(modes.get(nid))
        self.marks_changed.emit()

    def set_cut_links(self, keys: Iterable[tuple[str, str]]) -> None:
        """A cross over the middle of every link cut in the model."""
        cut = {tuple(k) for k in keys}
        for key in [k for k in self._cut_marks if k not in cut]:
            self.removeItem(self._cut_marks.pop(key))
        for edge_item in self._edge_items:
            key = edge_item.edge.key
            if key in cut and key not in self._cut_marks:
                mark = CutMark(self.pathway.node(key[0]).label, self.pathway.node(key[1]).label, self._scheme)
                mark.setPos(edge_item.midpoint())
                mark.setVisible(edge_item.isVisible())
                mark.setOpacity(edge_item.opacity())
                self.addItem(mark)
                self._cut_marks[key] = mark
        self.marks_changed.emit()

    def set_selected(self, node_id: str | None) -> None:
        if node_id == self._selected:
            return
        if self._selected in self._items:
            self._items[self._selected].set_state(selected=False)
        self._selected = node_id
        if node_id in self._items:
            self._items[node_id].set_state(selected=True)
        self.marks_changed.emit()

    @property
    def selected(self) -> str | None:
        return self._selected

    def set_focused(self, node_id: str | None, edge: tuple[str, str] | None = None) -> None:
        """Draw the keyboard focus on `node_id`, or on the link `edge` (None: nowhere)."""
        if self._focused in self._items:
            self._items[self._focused].set_state(focused=False)
        self._focused = node_id if edge is None else None
        if self._focused in self._items:
            self._items[self._focused].set_state(focused=True)
        if edge != self._focused_edge:
            for edge_item in self._edge_items:
                if edge_item.edge.key in (edge, self._focused_edge):
                    edge_item.set_focused(edge_item.edge.key == edge)
            self._focused_edge = edge

    @property
    def focused(self) -> tuple[str | None, tuple[str, str] | None]:
        """(node, link) drawn with the keyboard focus."""
        return self._focused, self._focused_edge

    def click_node(self, node_id: str) -> None:
        """A click on `node_id` from the keyboard (Enter on the diagram's cursor)."""
        if node_id in self._items:
            self.node_clicked.emit(node_id)

    @contextmanager
    def pointer_marks_hidden(self) -> Iterator[None]:
        """For exports: the selection ring, the keyboard cursor and the hover neighbourhood are the
        user's pointer, not the figure's content; they are left out while drawing, then put back."""
        selected, focused, hovered = self._selected, self._focused, self._hovered
        self.set_selected(None)
        self.set_focused(None)
        self._overlays.set("hover", Layer.HOVER, None)
        try:
            yield
        finally:
            self.set_selected(selected)
            self.set_focused(focused)
            self._overlays.set("hover", Layer.HOVER, hovered)

    def set_search_matches(self, node_ids: list[str]) -> None:
        self._search = set(node_ids)
        self._paint_search_hits()

    def _paint_search_hits(self) -> None:
        for nid, item in self._items.items():
            item.set_state(search_hit=nid in self._search or nid in self._marked)
        self.marks_changed.emit()

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
        self._overlays.set("hover", Layer.HOVER, node_id)
        self.node_hovered.emit(node_id)

    def highlighted_nodes(self) -> set[str]:
        return {nid for nid, it in self._items.items() if it.highlighted}
