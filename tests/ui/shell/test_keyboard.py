"""The window used with the keyboard alone: window-wide keys never take a key from the focused control
that uses it, Play and Step have keys that work from anywhere, the Menu key and Shift+F10 open a node's
menu, F6 cycles the regions, Tab visits the inputs before the diagram's nodes, an opening dock takes
the focus, the node list opens readable, and the focus is drawn clearly (contrast computed from the
colours, the ring found on screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.ui.shell.focus_ring import CORE_PX, HALO_PX, MIN_CONTRAST, contrast, ring_colours

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


# --- keys stay with the control that uses them -----------------------------------------------------
def test_space_on_a_treatment_ticks_it_and_does_not_start_the_clock(qtbot, window) -> None:
    mc = window.model_controller
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    qtbot.keyClick(box, KEY.Key_Space)
    assert box.isChecked() and "denosumab" in mc.inputs.treatments
    assert not mc.playing
    qtbot.keyClick(box, KEY.Key_Space)
    assert not box.isChecked() and mc.inputs.treatments == ()
    assert not mc.playing and mc.state.t_years == 0


def test_right_on_the_estrogen_slider_moves_the_slider_and_not_the_clock(qtbot, window) -> None:
    mc, slider = window.model_controller, window.controls.estrogen_slider
    slider.setValue(50)
    focus(qtbot, slider)
    qtbot.keyClick(slider, KEY.Key_Right)
    assert slider.value() == 51 and mc.inputs.estrogen == pytest.approx(51)
    assert mc.state.t_years == 0
    qtbot.keyClick(slider, KEY.Key_PageDown)  # not "next tour step" either
    assert slider.value() == 41


def test_keys_stay_with_radio_buttons_lists_and_combo_boxes(qtbot, window) -> None:
    mc = window.model_controller
    window.acts.node_list.trigger()
    node_list = window.node_list
    focus(qtbot, node_list)
    node_list.setCurrentRow(0)
    zoom = window.view.zoom()
    qtbot.keyClick(node_list, KEY.Key_Down)
    assert node_list.currentRow() == 1 and mc.state.t_years == 0
    qtbot.keyClick(node_list, KEY.Key_F)  # jumps to an entry: the diagram is not fitted
    assert window.view.zoom() == zoom
    qtbot.keyClick(node_list, KEY.Key_Space)
    assert not mc.playing
    combo = window.controls.speed_combo
    focus(qtbot, combo)
    index = combo.currentIndex()
    qtbot.keyClick(combo, KEY.Key_Down)
    assert combo.currentIndex() == index + 1 and mc.state.t_years == 0


def test_space_and_right_still_play_and_step_where_nothing_uses_them(qtbot, window) -> None:
    mc = window.model_controller
    focus(qtbot, window.view)
    qtbot.keyClick(window.view, KEY.Key_Space)  # the diagram has no use for Space
    assert mc.playing
    qtbot.keyClick(window.view, KEY.Key_Space)
    assert not mc.playing
    plot = window.plots.mass_plot  # a plot has no use for the arrow keys
    focus(qtbot, plot)
    qtbot.keyClick(plot, KEY.Key_Right)
    assert mc.state.t_years == pytest.approx(1 / 12, abs=0.01)


def test_ctrl_space_and_ctrl_right_work_from_any_control(qtbot, window) -> None:
    mc = window.model_controller
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    qtbot.keyClick(box, KEY.Key_Space, CTRL)
    assert mc.playing and not box.isChecked()
    qtbot.keyClick(box, KEY.Key_Space, CTRL)
    assert not mc.playing
    slider = window.controls.estrogen_slider
    focus(qtbot, slider)
    value = slider.value()
    qtbot.keyClick(slider, KEY.Key_Right, CTRL)
    assert mc.state.t_years == pytest.approx(1 / 12, abs=0.01) and slider.value() == value
    # The menu shows the keys that work everywhere.
    assert window.acts.play.shortcut().toString() == "Ctrl+Space"
    assert window.acts.step.shortcut().toString() == "Ctrl+Right"


def test_typing_in_the_search_box_keeps_every_key(qtbot, window) -> None:
    mc = window.model_controller
    edit = window.search.edit
    focus(qtbot, edit)
    zoom = window.view.zoom()
    qtbot.keyClicks(edit, "f ros")
    assert edit.text() == "f ros" and not mc.playing and window.view.zoom() == zoom
    qtbot.keyClick(edit, KEY.Key_Right, CTRL)
    assert mc.state.t_years == 0  # Ctrl+Right moves by a word in a text field


# --- the diagram's node menu -----------------------------------------------------------------------
@pytest.mark.parametrize(("key", "mods"), [(KEY.Key_Menu, Qt.KeyboardModifier.NoModifier), (KEY.Key_F10, SHIFT)])
def test_menu_key_and_shift_f10_open_the_focused_nodes_menu(qtbot, window, key, mods) -> None:
    mc = window.model_controller
    focus(qtbot, window.view)
    window.view.set_keyboard_cursor("rankl")
    qtbot.keyClick(window.view, key, mods)
    menu = window.model_binding.node_menu
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    assert menu.accessibleName() == "Actions for RANKL"
    node = window.view.viewport().mapToGlobal(window.view.mapFromScene(window.scene.node_items["rankl"].pos()))
    assert menu.geometry().contains(node)  # placed at the node, not at the mouse
    qtbot.keyClick(menu, KEY.Key_Down)
    assert menu.activeAction().text().startswith("Knock out RANKL")
    qtbot.keyClick(menu, KEY.Key_Return)
    assert mc.clamp_mode("rankl") == "knockout" and window.scene.node_items["rankl"].clamp == "knockout"


# --- regions and tab order ----------------------------------------------------------------------------
def test_f6_cycles_the_regions_and_shift_f6_goes_back(qtbot, window) -> None:
    focus(qtbot, window.search.edit)
    window.features["paths"].toggle()  # a dock open on the right
    dock = window.features["paths"].dock
    qtbot.waitUntil(lambda: dock.isAncestorOf(QApplication.focusWidget()))
    focus(qtbot, window.search.edit)
    seen = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6)
        seen.append(QApplication.focusWidget())
    assert seen[0] is window.controls.estrogen_slider  # the inputs
    assert seen[1] is window.view
    assert seen[2] is window.panel
    assert dock.isAncestorOf(seen[3])
    assert seen[4] is window.search.edit  # round again
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6, SHIFT)
    assert dock.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6, SHIFT)
    assert QApplication.focusWidget() is window.panel
    assert window.keyboard.next_region in window.menus["go"].actions()


def test_tab_visits_search_and_inputs_before_the_diagram_and_its_nodes(qtbot, window) -> None:
    focus(qtbot, window.search.edit)
    visited = []
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is window.view:
            break
        visited.append(widget)
    assert QApplication.focusWidget() is window.view
    controls = window.controls
    for expected in (controls.play_button, controls.speed_combo, controls.estrogen_slider, controls.ferritin_spin,
                     controls.scenario_combo, *controls.treatment_boxes.values()):
        assert expected in visited
    assert visited.index(controls.play_button) < visited.index(controls.estrogen_slider)
    # Then every node, and on to the page.
    nodes = {window.view.keyboard_cursor}
    for _ in range(len(window.content.pathway.nodes) - 1):
        qtbot.keyClick(window.view, KEY.Key_Tab)
        nodes.add(window.view.keyboard_cursor)
    assert nodes == set(window.content.pathway.node_ids)
    qtbot.keyClick(window.view, KEY.Key_Tab)
    assert QApplication.focusWidget() is window.panel


def test_opening_a_dock_moves_the_focus_into_it(qtbot, window) -> None:
    focus(qtbot, window.view)
    window.features["compare"].toggle_panel()
    dock = window.features["compare"].dock
    qtbot.waitUntil(lambda: dock.isAncestorOf(QApplication.focusWidget()))
    focus(qtbot, window.view)
    qtbot.keyClick(window.view, KEY.Key_L, CTRL)  # Ctrl+L: the node list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.node_list)


def test_the_node_list_opens_wide_enough_to_read_every_entry(qtbot, window) -> None:
    qtbot.keyClick(window, KEY.Key_L, CTRL)
    node_list, dock = window.node_list, window.node_dock
    qtbot.waitUntil(lambda: node_list.isVisible() and dock.rect().contains(node_list.geometry()))  # laid out
    widest = node_list.sizeHintForColumn(0)
    assert node_list.viewport().width() >= widest, "entries are cut"
    assert window.node_dock.width() <= 0.45 * window.width()


# --- the focus is visible ---------------------------------------------------------------------------
def _dark_palette() -> QPalette:
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2B2B2B"), (QPalette.ColorRole.Base, "#1E1E1E"),
                         (QPalette.ColorRole.Button, "#353535"), (QPalette.ColorRole.WindowText, "#F0F0F0")):
        pal.setColor(role, QColor(colour))
    return pal


@pytest.mark.parametrize("palette", ["light", "dark", "projector"])
def test_the_focus_ring_stands_out_from_any_window_colour(palette) -> None:
    from app.ui.lecture.presentation import projector_palette

    pal = {"light": QPalette(), "dark": _dark_palette(), "projector": projector_palette()}[palette]
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        background = pal.color(role)
        core, halo = ring_colours(background)
        assert contrast(core, background) >= MIN_CONTRAST, (palette, role, background.name())
        assert contrast(core, halo) >= MIN_CONTRAST  # the halo sets the core off any neighbour too
    assert CORE_PX >= 2 and HALO_PX >= 1


def test_the_ring_is_drawn_around_the_focused_control(qtbot, window) -> None:
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    ring = window.keyboard.ring
    qtbot.waitUntil(ring.isVisible)
    where = QPoint(*box.mapTo(window, QPoint(0, 0)).toTuple())
    assert ring.geometry().contains(where) and ring.target is box
    image: QImage = window.grab(ring.geometry()).toImage()
    core, _ = ring_colours(ring.background())
    mid_top = image.pixelColor(image.width() // 2, HALO_PX)  # one pixel into the ring: the core
    assert mid_top.name() == core.name()
    focus(qtbot, window.view)
    assert not ring.isVisible()  # the diagram draws its own: the ring on the node


def test_the_diagrams_focus_ring_contrasts_with_canvas_compartments_and_nodes(qtbot, window) -> None:
    from app.ui.diagram.items import FOCUS_CORE_PX
    from app.ui.palette import LIGHT, PROJECTOR

    core, halo = QColor(LIGHT.focus_core), QColor(LIGHT.focus_halo)
    canvas = window.scene.backgroundBrush().color()
    around = [canvas] + [QColor(c.colour) for c in window.content.pathway.compartments]
    for background in around:
        assert contrast(core, background) >= MIN_CONTRAST, background.name()
    for fill in (*LIGHT.node_fills.values(), *PROJECTOR.node_fills.values()):
        assert contrast(core, QColor(fill)) >= MIN_CONTRAST, fill
    assert contrast(core, halo) >= MIN_CONTRAST and FOCUS_CORE_PX >= 2
    # And it is on screen: the pixels around the focused node are the ring's core.
    focus(qtbot, window.view)
    window.view.set_keyboard_cursor("rankl")
    item = window.scene.node_items["rankl"]
    assert item.focused
    top = window.view.mapFromScene(item.sceneBoundingRect().center().x(), item.simple_rect().top() - 5)
    image = window.view.viewport().grab().toImage()
    column = [image.pixelColor(top.x(), y).name() for y in range(top.y() - 3, top.y() + 4)]
    assert core.name() in column, column


def test_dialogs_get_the_ring_too(qtbot, window) -> None:
    from PySide6.QtWidgets import QDialog

    from app.ui.shell.focus_ring import FocusRing

    window.acts.shortcuts.trigger()
    dialog = next(d for d in window.findChildren(QDialog) if d.windowTitle() == "Keyboard shortcuts")
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    ring = dialog.findChild(FocusRing)
    assert ring is not None
    qtbot.waitUntil(ring.isVisible)
    assert ring.target is QApplication.focusWidget()
    rows = [dialog.findChild(type(ring.target)).item(r, 0).text() for r in range(ring.target.rowCount())]
    assert "Next region" in rows and "Knock out, clamp or release the node under the cursor" in rows
    dialog.close()


def test_a_dialog_that_takes_the_focus_itself_gets_no_ring_around_itself(qtbot, window) -> None:
    # Model ▸ Evidence gives the focus to the dialog itself: the ring has nothing to outline there
    # (and must not measure the dialog against the main window above it: Qt warns).
    from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout

    from app.ui.shell.focus_ring import FocusRing

    dialog = QDialog(window)
    button = QPushButton("Close", dialog)
    QVBoxLayout(dialog).addWidget(button)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog)
    ring = dialog.findChild(FocusRing)
    assert ring is not None and ring.target is None and not ring.isVisible()
    focus(qtbot, button)  # a control in it still wears the ring
    qtbot.waitUntil(ring.isVisible)
    assert ring.target is button
    dialog.close()
