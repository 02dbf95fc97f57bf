"""Reading in the panel: abbreviations explain themselves on hover, citations land on their
entry, full-text search opens the page at the hit, topics are reachable, the dark scheme reads
well, and 'Cite this' gives BibTeX and plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.knowledge.render import DARK, LIGHT

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _anchor_point(panel, href_prefix: str, text: str | None = None) -> QPoint:
    """The viewport position of the first anchor whose href starts with `href_prefix`."""
    doc = panel.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isAnchor() and fmt.anchorHref().startswith(href_prefix) and (text is None or frag.text() == text):
                cursor = panel.textCursor()
                cursor.setPosition(frag.position() + max(1, frag.length() // 2))
                panel.setTextCursor(cursor)
                panel.ensureCursorVisible()
                return panel.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no anchor {href_prefix!r} on the page")


def test_hovering_an_abbreviation_shows_its_expansion(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.controller.select_node("rank")
    panel = window.panel
    pos = _anchor_point(panel, "glossary:", "RANKL")
    event = QHelpEvent(QEvent.Type.ToolTip, pos, panel.viewport().mapToGlobal(pos))
    QApplication.sendEvent(panel.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Receptor activator of NF-κB ligand" in QToolTip.text()
    QToolTip.hideText()


def test_clicking_an_abbreviation_opens_its_node(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.controller.select_node("rank")
    pos = _anchor_point(window.panel, "glossary:", "RANKL")
    qtbot.mouseClick(window.panel.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.controller.selected == "rankl")


def test_clicking_a_citation_lands_on_its_reference(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.controller.select_node("hepcidin")
    pos = _anchor_point(window.panel, "ref:hamad2020")
    qtbot.mouseClick(window.panel.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.panel.location == ("ref", "hamad2020"))
    # The view scrolled to the entry: its text is in the visible part of the page.
    cursor = window.panel.cursorForPosition(QPoint(10, 10))
    visible_from = cursor.position()
    entry_at = window.panel.document().find("Hamad").position()
    assert 0 < visible_from <= entry_at  # scrolled down, and the entry is not above the view
    assert "estrogen-iron axis" in window.panel.toPlainText().lower()


def test_full_text_search_opens_the_only_page_with_a_word(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    word = "autophagosome"
    hits = window.search.page_index.search(word)
    assert len(hits) == 1, [h.id for h in hits]  # the word occurs in one page body only
    assert window.content.pathway.node_ids  # and in no node name
    window.search.edit.setFocus()
    qtbot.keyClicks(window.search.edit, word)
    assert "1 page" in window.search.count.text()
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert window.panel.location == (hits[0].kind, hits[0].id)
    assert window.panel.textCursor().selectedText().lower() == word  # opened at the hit


def test_topics_are_reachable_from_the_nodes_they_discuss(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.controller.select_node("hepcidin")
    assert "Discussed in" in window.panel.toPlainText()
    pos = _anchor_point(window.panel, "topic:s3-2-hepcidin")
    qtbot.mouseClick(window.panel.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.panel.location == ("topic", "s3-2-hepcidin"))


def _luminance(colour: str) -> float:
    c = QColor(colour)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_page_colours_have_readable_contrast(qtbot, make_window, theme) -> None:
    window = make_window(CONTENT)
    window.panel.theme = theme
    window.controller.select_node("ros")
    window.panel.show_location("node", "ros")
    html = window.panel.html_for("node", "ros")
    assert theme.background in html and theme.text in html
    for fg in (theme.text, theme.link, theme.muted):
        assert _contrast(fg, theme.background) >= 4.5, fg
    assert _contrast(theme.error_text, theme.error_bg) >= 4.5
    assert theme.font_pt >= 11
    # What is drawn uses them: the document's text colour is the theme's.
    cursor = window.panel.document().find("reactive")  # a word of running text
    assert not cursor.isNull()
    assert cursor.charFormat().foreground().color().name().lower() == theme.text.lower()


def test_cite_this_gives_bibtex_and_plain_text(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.acts.cite.trigger()
    texts = {k: box.toPlainText() for k, (box, _) in window.dialogs.cite_texts.items()}
    assert texts["The review (BibTeX)"].startswith("@article{cai2023,")
    assert "doi = {10.1631/jzus.B2200519}" in texts["The review (BibTeX)"]
    assert "pages = {301--311}" in texts["The review (BibTeX)"]
    assert "10.1631/jzus.B2200519" in texts["The review (plain text)"]
    assert texts["IronBone (BibTeX)"].startswith("@software{ironbone,")
    box, copy = window.dialogs.cite_texts["The review (BibTeX)"]
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == texts["The review (BibTeX)"]
    window.dialogs.cite_dialog.close()


def test_glossary_page_lists_every_term(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.acts.glossary.trigger()
    text = window.panel.toPlainText()
    for g in window.content.glossary:
        assert g.term in text
