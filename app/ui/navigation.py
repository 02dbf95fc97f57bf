"""Navigation: the Controller holds which node is selected and which page is open (with history);
views send ids up to it and receive state back through its signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.knowledge.content import Content

Location = tuple[str, str]  # (kind, id): ("node", "rankl"), ("topic", "overview"), ("ref", key)


class Controller(QObject):
    node_selected = Signal(object)  # node id or None
    page_changed = Signal(str, str)  # kind, id
    history_changed = Signal(bool, bool)  # can go back, can go forward
    message_posted = Signal(str)  # status-bar text

    def __init__(self, content: Content, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.selected: str | None = None
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self.location: Location | None = None

    # --- selection ------------------------------------------------------------------------
    def select_node(self, node_id: str) -> None:
        """Select a node and open its page (a click, Enter, the node list, a node: link)."""
        if not self.content.pathway.has_node(node_id):
            self.message_posted.emit(f"Unknown node id {node_id!r}: no such node in the diagram")
            return
        if node_id != self.selected:
            self.selected = node_id
            self.node_selected.emit(node_id)
        self.open_page("node", node_id)

    # --- pages and history ----------------------------------------------------------------
    def open_page(self, kind: str, page_id: str) -> None:
        loc = (kind, page_id)
        if loc == self.location:
            return
        if self.location is not None:
            self._back.append(self.location)
            del self._back[:-200]  # bounded history
        self._forward.clear()
        self._go(loc)

    def back(self) -> None:
        if self._back:
            assert self.location is not None
            self._forward.append(self.location)
            self._go(self._back.pop())

    def forward(self) -> None:
        if self._forward:
            assert self.location is not None
            self._back.append(self.location)
            self._go(self._forward.pop())

    def _go(self, loc: Location) -> None:
        self.location = loc
        if loc[0] == "node" and loc[1] != self.selected:
            self.selected = loc[1]
            self.node_selected.emit(loc[1])
        self.page_changed.emit(*loc)
        self.history_changed.emit(bool(self._back), bool(self._forward))

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)
