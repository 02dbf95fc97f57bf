"""Go ▸ Glossary browser: opened by its shortcut with the filter in focus, A–Z jumps (letters without
terms disabled), a filter over terms, expansions and meanings, terms beyond abbreviations, and each
term's definition with links to the node and the pages that use it; usable from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.knowledge.glossary_index import GlossaryIndex

LEFT = Qt.MouseButton.LeftButton


def open_browser(qtbot, window):  # noqa: ANN001, ANN202
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    browser = window.features["study"].glossary
    assert browser is not None and window.features["study"].glossary_dock.isVisible()
    qtbot.waitUntil(lambda: browser.filter.hasFocus())
    return browser


def test_letters_jump_and_letters_without_terms_are_disabled(qtbot, window) -> None:
    browser = open_browser(qtbot, window)
    index = GlossaryIndex(window.content.glossary)
    for letter, present in index.letters():
        assert browser.letter_buttons[letter].isEnabled() == present
    assert not browser.letter_buttons["Q"].isEnabled()
    qtbot.mouseClick(browser.letter_buttons["T"], LEFT)
    first_t = next(g.terms[0].term for g in index.groups() if g.letter == "T")
    assert browser.current_term() == first_t
    assert browser.list.hasFocus()


def test_the_filter_finds_terms_beyond_abbreviations_and_enter_opens_the_node(qtbot, window) -> None:
    browser = open_browser(qtbot, window)
    everything = browser.terms_shown()
    assert {"Fenton reaction", "Coupling", "ROS"} <= set(everything)  # terms too, not abbreviations only
    qtbot.keyClicks(browser.filter, "hydroxyl radical")  # a phrase of a meaning
    assert browser.terms_shown()[0] == "Fenton reaction"
    assert "of" in browser.count.text()  # "2 of 73 terms"
    # The letters follow the filter: only those with a term shown stay enabled.
    assert browser.letter_buttons["F"].isEnabled() and not browser.letter_buttons["S"].isEnabled()
    definition = browser.definition.toPlainText()
    assert "hydrogen peroxide" in definition and "On the diagram: ROS" in definition
    assert "Source: Cai et al., 2023" in definition
    qtbot.keyClick(browser.filter, Qt.Key.Key_Down)  # into the list
    assert browser.list.hasFocus()
    qtbot.keyClick(browser.list, Qt.Key.Key_Return)
    assert window.panel.location == ("node", "ros")


def test_a_definition_links_to_the_pages_that_use_the_term(qtbot, window, click_link) -> None:
    browser = open_browser(qtbot, window)
    assert browser.show_term("Coupling")
    html = browser.definition.toHtml()
    assert "Used on:" in browser.definition.toPlainText()
    href = next(k + ":" + i for k, i, _ in browser.pages_using(browser.index.get("Coupling")))
    assert f'href="{href}"' in html
    click_link(browser.definition, href)
    assert window.panel.location == tuple(href.split(":", 1))


def test_nothing_matching_says_so(qtbot, window) -> None:
    browser = open_browser(qtbot, window)
    qtbot.keyClicks(browser.filter, "zzzqqq")
    assert browser.terms_shown() == []
    assert browser.definition.toPlainText() == "No term matches the filter."
    assert not any(b.isEnabled() for b in browser.letter_buttons.values())
