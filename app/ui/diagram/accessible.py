"""The diagram for screen readers: Qt accessibility interfaces (what AT-SPI, and so Orca, reads) for the
view, each of its nodes and each link, with names, roles, states and descriptions read from the scene.

The view's interface (a QAccessibleWidget made by the factory that DiagramView installs) has one child
per node, in the keyboard cursor's order; a node's children are the links leaving it. Nothing is
cached but the interface objects themselves: every name, state and description is read from the
scene's items when a screen reader asks, so they always say what is drawn (an overlay hidden by
inquiry mode is hidden here too). The view tells screen readers where its keyboard cursor is
(`announce_focus`) and, while a node or link has the focus, when what it says changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

from app.ui.diagram.items import KIND_LABEL

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsItem
    from PySide6.QtWidgets import QGraphicsView as DiagramView  # app.ui.diagram.view (not imported: no cycle)

    from app.model.pathway import Edge, Node, Pathway
    from app.ui.diagram.items import EdgeItem, NodeItem

NOTABLE = 0.02  # a change smaller than this is drawn without tint or ▲/▼, and is not mentioned
CLAMP_WORDS = {"knockout": "knocked out", "high": "clamped high", "low": "clamped low"}


# --- what is said: plain functions of the items' display state --------------------------------------
def _labels(pathway: Pathway, ids: list[str]) -> str:
    return ", ".join(pathway.node(i).label for i in ids)


def node_status(item: NodeItem) -> list[str]:
    """What the diagram shows of a node's state now, in words (nothing when it shows nothing)."""
    said = []
    if item.change >= NOTABLE:
        said.append(f"more active than the reference (+{item.change * 100:.0f} points)")
    elif item.change <= -NOTABLE:
        said.append(f"less active than the reference ({item.change * 100:.0f} points)")
    if item.clamp:
        said.append(CLAMP_WORDS.get(item.clamp, item.clamp))
    if item.on_path:
        said.append("on the traced path")
    if item.search_hit:
        said.append("marked")
    return said


def node_role_text(node: Node, pathway: Pathway) -> str:
    """What the node is and does here: its full name, kind and place, and the links in and out."""
    kind = KIND_LABEL.get(node.kind, node.kind).split(" (")[0]
    place = next((c.label for c in pathway.compartments if c.id == node.compartment), node.compartment)
    parts = [f"{node.name}; {kind} in {place}."]
    groups = (("Activates", [e.target for e in pathway.edges if e.source == node.id and e.sign > 0]),
              ("Inhibits", [e.target for e in pathway.edges if e.source == node.id and e.sign < 0]),
              ("Activated by", [e.source for e in pathway.edges if e.target == node.id and e.sign > 0]),
              ("Inhibited by", [e.source for e in pathway.edges if e.target == node.id and e.sign < 0]))
    parts += [f"{verb} {_labels(pathway, ids)}." for verb, ids in groups if ids]
    if node.is_input:
        parts.append("Set by the inputs panel.")
    return " ".join(parts)


def node_description(item: NodeItem, pathway: Pathway) -> str:
    status = node_status(item)
    head = (status[0][:1].upper() + "; ".join(status)[1:] + ". ") if status else ""
    return head + node_role_text(item.node, pathway)


def edge_name(edge: Edge, pathway: Pathway) -> str:
    verb = "activates" if edge.sign > 0 else "inhibits"
    return f"{pathway.node(edge.source).label} {verb} {pathway.node(edge.target).label}"


def edge_description(item: EdgeItem, pathway: Pathway, *, cut: bool) -> str:
    edge = item.edge
    status = []
    if cut:
        status.append("cut in the model")
    elif item.flow >= 0.05:
        status.append(f"carrying a signal of {item.flow * 100:.0f} %")
    if item.on_path:
        status.append("on the traced path")
    head = (status[0][:1].upper() + "; ".join(status)[1:] + ". ") if status else ""
    note = edge.note.strip()
    if note and not note.endswith("."):
        note += "."
    source = f"Review section {edge.section}, {edge.evidence.replace('_', ' ')} evidence"
    if edge.inference:
        source += "; the sign is an inference"
    gate = f" {pathway.node(edge.target).label} needs this input." if edge.gate else ""
    return f"{head}{note} {source}.{gate}".strip()


# --- the interfaces ------------------------------------------------------------------------------
def _global_rect(view: DiagramView, item: QGraphicsItem) -> QRect:
    """Where `item` is on the screen."""
    box: QRectF = item.sceneBoundingRect()
    local = view.mapFromScene(box).boundingRect()
    return QRect(view.viewport().mapToGlobal(local.topLeft()), local.size())


def _visible(view: DiagramView, item: QGraphicsItem) -> bool:
    return view.isVisible() and view.viewport().rect().intersects(view.mapFromScene(item.sceneBoundingRect())
                                                                  .boundingRect())


class _ItemAccessible(QAccessibleInterface):
    """Shared by nodes and links: an interface with no QObject of its own, living as long as its view."""

    def __init__(self, owner: DiagramAccessible, parent: QAccessibleInterface) -> None:
        super().__init__()
        self._owner = owner
        self._parent = parent

    def isValid(self) -> bool:  # noqa: N802
        return self._owner.alive

    def object(self):  # noqa: ANN201
        return None

    def window(self):  # noqa: ANN201
        return self._owner.window()

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def setText(self, t, text) -> None:  # noqa: N802, ANN001
        pass

    def childAt(self, x: int, y: int):  # noqa: N802, ANN201
        return None

    def relations(self, match=None) -> list:  # noqa: ANN001
        return []

    def _state(self, focused: bool, item: QGraphicsItem) -> QAccessible.State:
        view = self._owner.view
        state = QAccessible.State()
        state.focusable = True
        state.focused = focused and view.hasFocus()
        state.invisible = not view.isVisible()
        state.offscreen = not _visible(view, item)
        return state


class EdgeAccessible(_ItemAccessible):
    """A link: "RANKL activates RANK"; its state and the review's note in the description. Enter on
    it (from the diagram's keyboard cursor) follows it to the other end."""

    def __init__(self, owner: DiagramAccessible, parent: NodeAccessible, item: EdgeItem) -> None:
        super().__init__(owner, parent)
        self.item = item

    @property
    def key(self) -> tuple[str, str]:
        return self.item.edge.key

    def child(self, index: int):  # noqa: ANN201
        return None

    def childCount(self) -> int:  # noqa: N802
        return 0

    def indexOfChild(self, child) -> int:  # noqa: N802, ANN001
        return -1

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        pathway = self._owner.view.scene().pathway
        if t == QAccessible.Text.Name:
            return edge_name(self.item.edge, pathway)
        if t == QAccessible.Text.Description:
            cut = self.key in self._owner.view.scene().cut_marks
            return edge_description(self.item, pathway, cut=cut)
        return ""

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Link

    def state(self) -> QAccessible.State:
        view = self._owner.view
        return self._state(view.keyboard_edge == self.key, self.item)

    def rect(self) -> QRect:
        return _global_rect(self._owner.view, self.item) if self.isValid() else QRect()


class NodeAccessible(_ItemAccessible):
    """A node: its label as the name, a button (Enter opens its page; the Menu key opens its menu),
    selected and focused as Qt states, the rest in the description."""

    def __init__(self, owner: DiagramAccessible, item: NodeItem) -> None:
        super().__init__(owner, owner)
        self.item = item
        self.links: list[EdgeAccessible] = []

    @property
    def id(self) -> str:
        return self.item.node.id

    def child(self, index: int):  # noqa: ANN201
        return self.links[index] if 0 <= index < len(self.links) else None

    def childCount(self) -> int:  # noqa: N802
        return len(self.links)

    def indexOfChild(self, child) -> int:  # noqa: N802, ANN001
        return next((i for i, link in enumerate(self.links) if link is child), -1)

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        if t == QAccessible.Text.Name:
            return self.item.node.label
        if t == QAccessible.Text.Description:
            return node_description(self.item, self._owner.view.scene().pathway)
        return ""

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Button

    def state(self) -> QAccessible.State:
        view = self._owner.view
        state = self._state(view.keyboard_cursor == self.id and view.keyboard_edge is None, self.item)
        state.selectable = True
        state.selected = self.item.selected
        state.hasPopup = True  # the node's menu: knock out, clamp, release
        return state

    def rect(self) -> QRect:
        return _global_rect(self._owner.view, self.item) if self.isValid() else QRect()


class DiagramAccessible(QAccessibleWidget):
    """The view: a canvas whose children are the nodes, in the order Tab visits them."""

    def __init__(self, view: DiagramView) -> None:
        super().__init__(view, QAccessible.Role.Canvas, "")
        self.view = view
        self.alive = True
        scene = view.scene()
        items = scene.node_items
        self.nodes = [NodeAccessible(self, items[nid]) for nid in view.node_order if nid in items]
        self._by_node = {n.id: n for n in self.nodes}
        self._by_edge: dict[tuple[str, str], EdgeAccessible] = {}
        edges = {e.edge.key: e for e in scene.edge_items}
        for node in self.nodes:
            for key in view.links_of(node.id):
                if key[0] == node.id:
                    link = EdgeAccessible(self, node, edges[key])
                    node.links.append(link)
                    self._by_edge[key] = link
        self._said: tuple[int, str, str] | None = None  # the focused child and what it said last
        scene.marks_changed.connect(self._on_marks_changed)
        view.destroyed.connect(self._forget)

    def _forget(self) -> None:
        """The view is gone: take the node and link interfaces out of Qt's registry."""
        self.alive = False
        for iface in [*self._by_edge.values(), *self.nodes]:
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))
        self.nodes, self._by_node, self._by_edge = [], {}, {}

    # --- the tree --------------------------------------------------------------------------
    def childCount(self) -> int:  # noqa: N802
        return len(self.nodes)

    def child(self, index: int):  # noqa: ANN201
        return self.nodes[index] if 0 <= index < len(self.nodes) else None

    def indexOfChild(self, child) -> int:  # noqa: N802, ANN001
        return next((i for i, n in enumerate(self.nodes) if n is child), -1)

    def childAt(self, x: int, y: int):  # noqa: N802, ANN201
        point = QPoint(x, y)
        return next((n for n in self.nodes if n.rect().contains(point)), None)

    def focusChild(self):  # noqa: N802, ANN201
        return self.focused() if self.view.hasFocus() else None

    def node(self, node_id: str) -> NodeAccessible | None:
        return self._by_node.get(node_id)

    def link(self, key: tuple[str, str]) -> EdgeAccessible | None:
        return self._by_edge.get(key)

    def focused(self) -> NodeAccessible | EdgeAccessible | None:
        """The interface of what the keyboard cursor is on."""
        edge = self.view.keyboard_edge
        if edge is not None and edge in self._by_edge:
            return self._by_edge[edge]
        return self._by_node.get(self.view.keyboard_cursor or "")

    # --- telling screen readers --------------------------------------------------------------
    def announce_focus(self) -> None:
        target = self.focused()
        if target is None or not self.alive:
            return
        QAccessible.updateAccessibility(QAccessibleEvent(target, QAccessible.Event.Focus))
        self._said = (id(target), target.text(QAccessible.Text.Name), target.text(QAccessible.Text.Description))

    def _on_marks_changed(self) -> None:
        """The focused node's or link's state changed (a slider moved it, it was knocked out): say so."""
        target = self.focused() if self.alive and self.view.hasFocus() else None
        if target is None or self._said is None or self._said[0] != id(target):
            return
        description = target.text(QAccessible.Text.Description)
        if description != self._said[2]:
            self._said = (self._said[0], self._said[1], description)
            QAccessible.updateAccessibility(QAccessibleEvent(target, QAccessible.Event.DescriptionChanged))


def announce_focus(view: DiagramView) -> None:
    """Tell screen readers that the node or link under `view`'s keyboard cursor has the focus."""
    iface = QAccessible.queryAccessibleInterface(view)
    if isinstance(iface, DiagramAccessible):
        iface.announce_focus()
