"""The search pop-up as a person reads it: node hits and page hits each with a drawn icon, and no
character that the font has no glyph for (a box where a symbol should be)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

CONTENT = Path(__file__).resolve().parents[3] / "content"


def test_every_row_of_the_pop_up_is_drawable_and_says_what_it_is(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    search = window.search
    search.edit.setFocus()
    qtbot.keyClicks(search.edit, "iron")  # a node name and many pages
    popup = search.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    model = search.search_model
    # A node hit opens the node; a page hit (a node's page too) opens the page at the words.
    kinds = ["node" if not model.item(r).data(Qt.ItemDataRole.UserRole)[2] else "page"
             for r in range(model.rowCount())]
    assert "node" in kinds and "page" in kinds
    metrics = QFontMetrics(popup.font())
    for row in range(model.rowCount()):
        text = model.item(row).text()
        missing = [c for c in text if not c.isspace() and not metrics.inFontUcs4(ord(c))]
        assert not missing, (text, missing)  # each would be drawn as a missing-glyph box
    for row in range(model.rowCount()):
        item = model.item(row)
        assert not item.icon().isNull()
        kind = kinds[row]
        spoken = item.data(Qt.ItemDataRole.AccessibleTextRole)
        assert spoken.startswith("Node: " if kind == "node" else "Page: "), spoken
    # Node and page rows look different (their icons differ).
    node_row = kinds.index("node")
    page_row = kinds.index("page")
    a = model.item(node_row).icon().pixmap(16, 16).toImage()
    b = model.item(page_row).icon().pixmap(16, 16).toImage()
    assert a != b
