"""The glossary browser (Go ▸ Glossary browser): a filter box, an A–Z bar that jumps to a letter
(letters without terms are disabled), the terms grouped by letter, and the chosen term's expansion,
meaning, sources and links to the node it names and the pages that use it. Keyboard: type to filter,
Down or Enter moves into the list, Enter there opens the term's node page, Tab reaches the letters
and the links. Every text from the glossary is shown as plain text (escaped)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.knowledge.content import Content, GlossaryTerm
from app.knowledge.glossary_index import OTHER, GlossaryIndex
from app.ui.text import SafeBrowser, tip

TERM_ROLE = Qt.ItemDataRole.UserRole
LETTERS_PER_ROW = 14  # the A-Z bar in two rows: fits a 400-pixel dock
MAX_PAGE_LINKS = 8


class _FilterBox(QLineEdit):
    """Down and Enter move from the filter into the list of terms."""

    go_down = Signal()
    go = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.go_down.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.go.emit()
            return
        super().keyPressEvent(event)


class GlossaryBrowser(QWidget):
    """`term_chosen(term)` when a term is shown; links from the definition go to `open_link`."""

    term_chosen = Signal(str)

    def __init__(self, content: Content, open_link: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content, self._open_link = content, open_link
        self.index = GlossaryIndex(content.glossary)
        self.setAccessibleName("Glossary browser")
        self.filter = _FilterBox()
        self.filter.setPlaceholderText("Filter: a term, an expansion, a word of the meaning")
        self.filter.setAccessibleName("Filter the glossary")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.filter.go_down.connect(self._focus_list)
        self.filter.go.connect(self._on_filter_go)
        letters = QWidget()
        letters.setAccessibleName("Jump to a letter")
        grid = QGridLayout(letters)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.letter_buttons: dict[str, QToolButton] = {}
        for i, (letter, present) in enumerate(self.index.letters()):
            b = QToolButton()
            b.setText(letter)
            b.setAutoRaise(True)
            b.setEnabled(present)
            name = "other terms" if letter == OTHER else f"letter {letter}"
            b.setAccessibleName(f"Jump to {name}")
            b.setToolTip(f"Jump to the terms under {letter}" if present else f"No term under {letter}")
            b.clicked.connect(lambda _=False, k=letter: self.jump(k))
            grid.addWidget(b, i // LETTERS_PER_ROW, i % LETTERS_PER_ROW)
            self.letter_buttons[letter] = b
        self.list = QListWidget()
        self.list.setAccessibleName("Glossary terms")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.definition = SafeBrowser()
        self.definition.setAccessibleName("Definition")
        self.definition.anchorClicked.connect(self._on_definition_anchor_clicked)
        self.count = QLabel()
        self.count.setAccessibleName("Terms shown")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.definition)
        split.setChildrenCollapsible(False)
        split.setSizes([260, 200])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.filter)
        lay.addWidget(letters)
        lay.addWidget(self.count)
        lay.addWidget(split, 1)
        self.setTabOrder(self.filter, self.list)
        self._fill(self.index.terms)

    # --- the list ---------------------------------------------------------------------------------
    def _fill(self, terms: tuple[GlossaryTerm, ...]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self._headers: dict[str, QListWidgetItem] = {}
        for group in self.index.groups(terms):
            head = QListWidgetItem("Other" if group.letter == OTHER else group.letter)
            head.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: not selectable
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.list.addItem(head)
            self._headers[group.letter] = head
            for t in group.terms:
                label = f"{t.term} — {t.expansion}" if t.expansion else t.term
                item = QListWidgetItem(label)
                item.setData(TERM_ROLE, t.term)
                item.setToolTip(tip(t.meaning))
                self.list.addItem(item)
        self.list.blockSignals(False)
        shown = len(terms)
        self.count.setText(f"{shown} of {len(self.index)} terms" if shown != len(self.index) else f"{shown} terms")
        for letter, b in self.letter_buttons.items():
            b.setEnabled(letter in self._headers)
        first = self._first_term_row()
        if first is not None:
            self.list.setCurrentRow(first)
        else:
            self.definition.setPlainText("No term matches the filter.")

    def _first_term_row(self, start: int = 0) -> int | None:
        for row in range(start, self.list.count()):
            if self.list.item(row).data(TERM_ROLE):
                return row
        return None

    def terms_shown(self) -> list[str]:
        items = (self.list.item(r) for r in range(self.list.count()))
        return [item.data(TERM_ROLE) for item in items if item.data(TERM_ROLE)]

    def current_term(self) -> str | None:
        item = self.list.currentItem()
        return item.data(TERM_ROLE) if item is not None else None

    def _on_filter_text_changed(self, text: str) -> None:
        self._fill(self.index.filter(text))

    def _focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_filter_go(self) -> None:
        self._focus_list()
        item = self.list.currentItem()
        if item is not None and item.data(TERM_ROLE):
            self._on_list_item_activated(item)

    def jump(self, letter: str) -> None:
        """Show the first term under `letter` at the top of the list."""
        head = self._headers.get(letter)
        if head is None:
            return
        row = self._first_term_row(self.list.row(head))
        if row is not None:
            self.list.setCurrentRow(row)
            self.list.scrollToItem(head, QListWidget.ScrollHint.PositionAtTop)
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_term(self, term: str) -> bool:
        """Select `term` (clearing a filter that hides it)."""
        if term not in self.terms_shown():
            self.filter.clear()
        for row in range(self.list.count()):
            if self.list.item(row).data(TERM_ROLE) == term:
                self.list.setCurrentRow(row)
                return True
        return False

    # --- the definition ---------------------------------------------------------------------------
    def _on_list_current_item_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        term = item.data(TERM_ROLE) if item is not None else None
        t = self.index.get(term) if term else None
        if t is None:
            return
        self.definition.setHtml(self.definition_html(t))
        self.term_chosen.emit(t.term)

    def definition_html(self, t: GlossaryTerm) -> str:
        parts = [f"<h3>{html.escape(t.term)}</h3>"]
        if t.expansion:
            parts.append(f"<p><i>{html.escape(t.expansion)}</i></p>")
        parts.append(f"<p>{html.escape(t.meaning)}</p>")
        if t.variants:
            parts.append(f"<p>Also written: {html.escape(', '.join(t.variants))}</p>")
        if t.cite:
            refs = []
            for key in t.cite:
                ref = self.content.references.get(key)
                refs.append(f'<a href="ref:{html.escape(key)}">{html.escape(ref.short() if ref else key)}</a>')
            parts.append("<p>Source: " + "; ".join(refs) + "</p>")
        pw = self.content.pathway
        if t.node and pw.has_node(t.node):
            parts.append(f'<p>On the diagram: <a href="node:{html.escape(t.node)}">'
                         f"{html.escape(pw.node(t.node).label)}</a> (Enter opens its page)</p>")
        pages = self.pages_using(t)
        if pages:
            links = ", ".join(f'<a href="{html.escape(k)}:{html.escape(i)}">{html.escape(title)}</a>'
                              for k, i, title in pages)
            parts.append(f"<p>Used on: {links}</p>")
        return "".join(parts)

    def pages_using(self, t: GlossaryTerm) -> list[tuple[str, str, str]]:
        """Topic and node pages whose text names the term (or one of its other spellings)."""
        def words(names: list[str], flags: int) -> re.Pattern[str] | None:
            names = [n for n in names if len(n) >= 2]
            if not names:
                return None
            return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", flags)

        # An abbreviation is matched as written ("SF", not "sf"); names in words in any case.
        exact = words([t.term], 0) if t.is_abbreviation else None
        loose = words(list(t.variants) if t.is_abbreviation else [t.term, *t.variants], re.IGNORECASE)
        patterns = [p for p in (exact, loose) if p is not None]
        out = []
        for kind, pages in (("topic", self.content.topic_pages), ("node", self.content.node_pages)):
            for pid, page in sorted(pages.items()):
                if kind == "node" and pid == t.node:
                    continue
                if any(p.search(page.body) for p in patterns):
                    out.append((kind, pid, page.title))
                    if len(out) >= MAX_PAGE_LINKS:
                        return out
        return out

    def _on_definition_anchor_clicked(self, url: QUrl) -> None:
        self._open_link(url.toString())

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        t = self.index.get(item.data(TERM_ROLE) or "")
        if t is None:
            return
        if t.node and self.content.pathway.has_node(t.node):
            self._open_link(f"node:{t.node}")
        else:
            pages = self.pages_using(t)
            if pages:
                self._open_link(f"{pages[0][0]}:{pages[0][1]}")
