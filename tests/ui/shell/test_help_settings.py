"""Help, the shortcuts sheet, About and persistent settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QTableWidget

CONTENT = Path(__file__).resolve().parents[3] / "content"


def test_f1_opens_the_user_guide(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.panel.location == ("topic", "help")
    assert "Using IronBone" in window.panel.toPlainText()


def test_question_mark_lists_every_shortcut(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.view.setFocus()
    qtbot.keyClicks(window.view, "?")
    qtbot.waitUntil(lambda: isinstance(window.dialogs.shortcuts_dialog, QDialog))
    table = window.dialogs.shortcuts_dialog.findChild(QTableWidget)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert "Ctrl+F" in rows["Find…"]
    assert rows["Fit diagram"].startswith("F")
    assert "Alt+Left" in rows["Back"]
    window.dialogs.shortcuts_dialog.close()


def test_about_names_version_source_doi_and_disclaimer(qtbot, make_window) -> None:
    from app import __version__

    window = make_window(CONTENT)
    window.acts.about.trigger()
    box = window.dialogs.about_box
    assert isinstance(box, QMessageBox)
    text = box.text()
    assert __version__ in text and "10.1631/jzus.B2200519" in text and "not a clinical tool" in text
    box.close()


def test_layout_is_remembered_and_can_be_reset(qtbot, make_window) -> None:
    def reopen():  # noqa: ANN202
        again = make_window(CONTENT, show=False)
        again.settings.restore()
        again.show()
        qtbot.waitExposed(again)
        return again

    def share(w) -> float:  # noqa: ANN001
        sizes = w.splitter.sizes()
        return sizes[0] / sum(sizes)

    window = make_window(CONTENT)
    # As large as the screen allows, as the next window opens (the offscreen screen is smaller than
    # the default size), so both give the split the same room.
    window.resize(window.screen().availableGeometry().size())
    window.splitter.setSizes([200, 600])  # a narrow diagram: far from the default 67 %
    saved = share(window)
    assert saved < 0.4
    window.close()  # saves
    assert QSettings().value("window/geometry") is not None
    # The same split comes back in a new window...
    again = reopen()
    assert abs(share(again) - saved) < 0.08
    # ...and so does the node list. (It opens readable, about 300 px: on this 800 px screen that leaves
    # the split no room to show anything but the panes' minimum widths, so the split is checked first.)
    again.acts.node_list.trigger()
    again.close()
    third = reopen()
    assert third.node_dock.isVisible()
    # Reset settings forgets it all.
    third.node_dock.hide()
    third.acts.reset_settings.trigger()
    assert QSettings().value("window/splitter") is None
    assert third.splitter.sizes()[0] > third.splitter.sizes()[1]  # the default: diagram wider


def test_text_size_scheme_and_scenario_are_remembered(qtbot, make_window) -> None:
    from app.knowledge.render import DARK

    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    base = window.panel.theme.font_pt
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.panel.theme.font_pt == pytest.approx(base * 1.1)
    assert f"font-size: {base * 1.1}pt" in window.panel.html_for("topic", "overview")
    window.acts.schemes["dark"].trigger()
    assert window.panel.theme.background == DARK.background
    window.model_controller.choose_scenario("iron_overload")
    window.close()  # the scenario is unsaved work: closing asks first; the person discards it
    prompt = window.features["session"].manager.save_prompt
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    again = make_window(CONTENT, show=False)
    again.settings.restore()
    again.show()
    qtbot.waitUntil(lambda: again.model_controller is not None)
    assert again.panel.font_scale == pytest.approx(1.1)
    assert again.panel.scheme == "dark" and again.acts.schemes["dark"].isChecked()
    assert again.model_controller.scenario == "iron_overload"
    assert again.controls.ferritin_spin.value() == 2000
    QSettings().setValue("view/font_scale", "garbage")  # a damaged value does not crash
    again.settings.restore()
    assert again.panel.font_scale == 1.0
