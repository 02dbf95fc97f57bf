"""The search box in the toolbar: nodes by name, abbreviation or alias, and the words of every page.
Typing marks the matching nodes on the diagram and lists nodes, then pages, under the box; Enter
opens the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QLineEdit

from app.knowledge.content import Content
from app.ui.text import tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCompleter

    from app.knowledge.search import PageIndex
    from app.ui.diagram.scene import DiagramScene
    from app.ui.diagram.view import DiagramView
    from app.ui.navigation import Controller
    from app.ui.shell.page_panel import PagePanel

_QUERY_ROLE = Qt.ItemDataRole.UserRole + 1
_ICONS: dict[str, QIcon] = {}


def _icon(kind: str) -> QIcon:
    """A node (a small diamond) or a page (a sheet with a folded corner), drawn rather than taken
    from a font: a pictograph the font lacks shows as an empty box."""
    if kind not in _ICONS:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QPolygonF

        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#333333"), 1.2))
        if kind == "node":
            p.setBrush(QColor("#0072B2"))
            p.drawPolygon(QPolygonF([QPointF(8, 1.5), QPointF(14.5, 8), QPointF(8, 14.5), QPointF(1.5, 8)]))
        else:
            p.setBrush(QColor("#FFFFFF"))
            p.drawPolygon(QPolygonF([QPointF(3, 1.5), QPointF(10, 1.5), QPointF(13, 4.5), QPointF(13, 14.5),
                                     QPointF(3, 14.5)]))
            for y in (6.5, 9, 11.5):
                p.drawLine(QPointF(5, y), QPointF(11, y))
        p.end()
        _ICONS[kind] = QIcon(pixmap)
    return _ICONS[kind]


class SearchBox(QObject):
    """The box (`edit`), the count of hits beside it (`count`) and the results list under it."""

    def __init__(self, content: Content, *, navigation: Controller, scene: DiagramScene, view: DiagramView,
                 panel: PagePanel, post: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._content, self._navigation, self._scene, self._view, self._panel = content, navigation, scene, view, panel
        self._post = post
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search nodes (Ctrl+F)…")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Search nodes")
        self.edit.setMaximumWidth(320)
        self.edit.setToolTip("Type an id, name, abbreviation or alias, or any word of the pages; "
                             "Enter opens the first match")
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        self._completer: QCompleter | None = None  # the results list, built on the first search
        self._page_index: PageIndex | None = None
        self.edit.textChanged.connect(self._on_search_text_changed)
        self.edit.returnPressed.connect(self._on_search_return_pressed)

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    @property
    def completer(self) -> QCompleter:
        """The results list under the search box: nodes first, then pages that contain the words.
        Built on the first search, not at start-up."""
        if self._completer is None:
            from PySide6.QtGui import QStandardItemModel
            from PySide6.QtWidgets import QCompleter

            self.search_model = QStandardItemModel(self)
            self._completer = QCompleter(self.search_model, self)
            self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            self._completer.setMaxVisibleItems(12)
            self._completer.setCompletionRole(_QUERY_ROLE)  # choosing a row keeps the typed words
            self._completer.activated[QModelIndex].connect(self._on_completer_activated)
            self.edit.setCompleter(self._completer)
        return self._completer

    def _on_search_text_changed(self, text: str) -> None:
        from PySide6.QtGui import QStandardItem

        from app.knowledge.search import match_nodes

        self.completer  # noqa: B018 - builds the results list on the first search
        matches = match_nodes(self._content.pathway, text)
        self._scene.set_search_matches(matches)
        hits = self.page_index.search(text)
        if text.strip():
            self.count.setText(f"{len(matches)} node{'s' if len(matches) != 1 else ''}, "
                                      f"{len(hits)} page{'s' if len(hits) != 1 else ''}")
        else:
            self.count.setText("")
        self.search_model.clear()
        for nid in matches[:8]:
            node = self._content.pathway.node(nid)
            item = QStandardItem(f"{node.label} — {node.name}")
            item.setIcon(_icon("node"))
            item.setData(f"Node: {node.label} — {node.name}", Qt.ItemDataRole.AccessibleTextRole)
            item.setData(("node", nid, ""), Qt.ItemDataRole.UserRole)
            item.setData(text, _QUERY_ROLE)
            self.search_model.appendRow(item)
        for hit in hits[:12]:
            item = QStandardItem(f"{hit.title}: {hit.snippet}")
            item.setIcon(_icon("page"))
            item.setData(f"Page: {hit.title}: {hit.snippet}", Qt.ItemDataRole.AccessibleTextRole)
            item.setToolTip(tip(hit.snippet))
            item.setData((hit.kind, hit.id, text.strip()), Qt.ItemDataRole.UserRole)
            item.setData(text, _QUERY_ROLE)
            self.search_model.appendRow(item)

    @property
    def page_index(self) -> PageIndex:
        """Built on the first search, not at start-up."""
        if self._page_index is None:
            from app.knowledge.search import PageIndex

            self._page_index = PageIndex.from_content(self._content)
        return self._page_index

    def _on_completer_activated(self, index: QModelIndex) -> None:
        kind, ident, words = index.data(Qt.ItemDataRole.UserRole)
        self._open_search_result(kind, ident, words)

    def _open_search_result(self, kind: str, ident: str, words: str) -> None:
        from PySide6.QtGui import QTextCursor  # kept off the start-up path

        if kind == "node" and not words:
            self._view.centre_on_node(ident)
            self._navigation.select_node(ident)
            return
        self._navigation.open_page(kind, ident)
        if kind == "node":
            self._view.centre_on_node(ident)
        if words:
            self._panel.moveCursor(QTextCursor.MoveOperation.Start)
            if self._panel.find(words):  # select and scroll to the first hit
                self._post(f"Found {words!r} in {self._panel.documentTitle() or ident}")

    def _on_search_return_pressed(self) -> None:
        from app.knowledge.search import match_nodes

        text = self.edit.text()
        matches = match_nodes(self._content.pathway, text)
        if matches:
            self._open_search_result("node", matches[0], "")
            return
        hits = self.page_index.search(text)
        if hits:
            self._open_search_result(hits[0].kind, hits[0].id, text.strip())
            return
        self._post(f"Nothing matches {text!r}")
