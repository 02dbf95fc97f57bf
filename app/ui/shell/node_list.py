"""A list of every node that mirrors the diagram for keyboard and screen-reader users."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.model.pathway import Pathway
from app.ui.text import tip


class NodeList(QListWidget):
    node_activated = Signal(str)

    def __init__(self, pathway: Pathway, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Diagram nodes")
        self.setAccessibleDescription("Every node of the diagram; Enter or a click opens its page")
        comp = {c.id: c.label for c in pathway.compartments}
        order = {c.id: i for i, c in enumerate(pathway.compartments)}
        self._row: dict[str, int] = {}
        for node in sorted(pathway.nodes, key=lambda n: (order.get(n.compartment, 99), n.label.lower())):
            where = comp.get(node.compartment, node.compartment)
            item = QListWidgetItem(f"{node.label}  ·  {where}")
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{node.name}, {node.kind}, in {where}")
            item.setToolTip(tip(node.name))
            self.addItem(item)
            self._row[node.id] = self.count() - 1
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_activated)

    def readable_width(self, window_width: int) -> int:
        """A width for the list's dock that shows every entry whole, but at most 40 % of the window."""
        scroll = self.verticalScrollBar().sizeHint().width()
        wanted = self.sizeHintForColumn(0) + 2 * self.frameWidth() + scroll + 2 * self.spacing() + 16
        return min(wanted, int(window_width * 0.4))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.node_activated.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_selected(self, node_id: str | None) -> None:
        row = self._row.get(node_id, -1) if node_id else -1
        if row != self.currentRow():
            self.blockSignals(True)
            self.setCurrentRow(row)
            self.blockSignals(False)

    def set_shown(self, parts: tuple) -> None:
        """(mode, nodes, edges) as the diagram shows them: rows of nodes a build-up hides ("hide") go."""
        mode, nodes = parts[0], parts[1]
        for nid, row in self._row.items():
            self.item(row).setHidden(mode == "hide" and nid not in nodes)

    def selected_id(self) -> str | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
